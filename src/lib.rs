//! MDN Playground: Mixture Density Networks, trained and drawn in the browser.
//!
//! The core (everything but `web` and the CLI in `bin/`) is plain Rust with no browser
//! dependency: it builds for native and wasm32 and gives the same bits on both. Each
//! folder is one idea, and each stands only on those listed before it (`python3
//! tests/layout.py` checks that no file reaches itself through its imports):
//!
//! | folder | what is in it |
//! |---|---|
//! | [`base`] | portable numerics and plumbing: exp/ln/tanh kernels and Φ, 8-lane f32, seeded randomness and its named streams, bytes, message text, named choices |
//! | [`lang`] | the pages' languages: every English text's Spanish, templates and their parts, numbers with the language's decimal mark |
//! | [`mdn`] | the model: the block kernels, the MLP and its activation, the mixture head and its settings, component families, the mixture distribution, losses and their gradients, the trained model, its queries and its file; mixtures pooled (an ensemble's even mixture, variance splits) |
//! | [`data`] | data sets (built-in, with their truth), real measurements shipped with the program, and your own points |
//! | [`optim`] | update rules, their schedules and settings, and mini-batches |
//! | [`forecast`] | what a forecaster reports of p(y\|x): CDF, quantiles, HPD regions, CRPS; calibration; rain's one measure; a conditional kernel density estimate |
//! | [`config`] | the key table and the experiment spec, composing the settings each block owns |
//! | [`train`] | an experiment in training (a spec run): its step, passes, threads, readings, diagnostics, state, the page's helper worker, snapshots, histories, K sweeps, deep ensembles, cross-validation |
//! | [`share`] | what travels as a link: the link, a second experiment to compare with, the guided tour, the pathology lab |
//! | [`strokes`] | pen strokes: an LSTM with a bivariate mixture head (Graves 2013) |
//! | [`plot`] | the plots, generic over plotters' backends; the arm's scene apart from its drawing |
//! | [`export`] | an experiment as a JAX or PyTorch project |
//! | `web` | the page's handles (wasm32 only): the trainer, the viewer, sweeps, the course page, figures, calibration, the helper worker, ensembles, handwriting |

// Index loops over blocks are deliberate: they are what vectorizes.
#![allow(clippy::needless_range_loop, clippy::too_many_arguments)]

pub mod base;
pub mod config;
pub mod data;
pub mod export;
pub mod forecast;
pub mod lang;
pub mod mdn;
pub mod optim;
pub mod plot;
pub mod share;
pub mod strokes;
pub mod train;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use config::spec::Spec;
pub use train::experiment::{Experiment, Metrics};

/// The crate version, shown by the page and the CLI.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
