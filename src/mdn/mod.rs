//! The model: a multilayer perceptron ([`network`], on the block kernels of [`kernels`]) whose outputs a mixture head turns into
//! π, μ, σ ([`head`]) of components of a family ([`family`]), the mixture distribution
//! they make ([`mixture`]), the losses and their exact gradients ([`loss`]), and a trained
//! model with its queries and its file ([`model`]); mixtures taken together, an ensemble's
//! even mixture and the variance's parts ([`pooled`]).

pub mod family;
pub mod head;
pub mod kernels;
pub mod loss;
pub mod mixture;
pub mod model;
pub mod network;
pub mod pooled;
