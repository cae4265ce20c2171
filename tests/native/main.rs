//! The native tests, one binary with a module per area (`cargo test --test native`;
//! `cargo test --test native export::` runs one area). `tests/wasm.rs` runs the checks in
//! `tests/shared/` again under wasm-bindgen-test in Chromium.

#![allow(clippy::needless_range_loop, clippy::too_many_arguments)]

#[path = "../shared/mod.rs"]
mod shared;
/// Running the `mdn` command line and reading its last JSON line.
mod run;

// The model and its numbers.
mod gradients;
mod model;
mod nll;
mod families;
mod sampling;
// Data.
mod arm;
mod datasets;
mod userdata;
// Training: the default run, its bits across platforms, threads and the page's helper.
mod core;
mod helper;
mod threads;
mod training;
mod pathologies;
mod sweep;
// Forecasts.
mod forecast;
// Configuration and links.
mod spec;
mod links;
// Plots and figures.
mod colours;
mod figures;
mod render;
// The command line, exports, handwriting, and findings of reviews kept fixed.
mod cli;
mod export;
mod strokes;
mod hardening;
