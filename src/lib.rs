//! MDN Playground: Mixture Density Networks, trained and drawn in the browser.
//!
//! The core (everything but `web`) is plain Rust with no browser dependency: it builds
//! for native and wasm32 and gives the same bits on both.
//!
//! | concept | module |
//! |---|---|
//! | experiment spec (share links, CLI) | [`spec`] |
//! | data sets | [`dataset`] |
//! | your own data: CSV, link form | [`userdata`] |
//! | network (MLP, backprop) | [`network`] |
//! | mixture head (raw outputs → π, μ, σ) | [`head`] |
//! | the mixture distribution | [`mixture`] |
//! | component families: Laplace, Student-t, hurdle, von Mises | [`family`] |
//! | rain's point mass: every model on one measure | [`point_mass`] |
//! | losses and their gradients | [`loss`] |
//! | optimizers | [`optimizer`] |
//! | training both models side by side | [`experiment`] |
//! | ... on two workers, the same bits | [`split`] |
//! | trained model, queries, model file | [`model`] |
//! | the pathology lab: failures and their remedies | [`lab`] |
//! | choosing K: sweeps, validation NLL and BIC | [`sweep`] |
//! | pen strokes: an LSTM with a bivariate mixture head (Graves 2013) | [`strokes`] |
//! | portable exp/ln/tanh | [`math`] |
//! | seeded randomness | [`rng`] |

// Index loops over blocks are deliberate: they are what vectorizes.
#![allow(clippy::needless_range_loop, clippy::too_many_arguments)]

pub mod bytes;
pub mod calibration;
pub mod dataset;
pub mod experiment;
pub mod export;
pub mod family;
pub mod forecast;
pub mod head;
pub mod history;
pub mod keys;
pub mod lab;
pub mod link;
pub mod loss;
pub mod math;
pub mod mixture;
pub mod model;
pub mod network;
pub mod optimizer;
pub mod plot;
pub mod point_mass;
pub mod rng;
mod simd;
pub mod snapshot;
pub mod spec;
pub mod split;
pub mod strokes;
pub mod sweep;
pub mod text;
pub mod tour;
pub mod userdata;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use experiment::{Experiment, Metrics};
pub use spec::Spec;

/// The crate version, shown by the page and the CLI.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
