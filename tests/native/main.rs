//! The native tests, one binary with a module per area (`cargo test --test native`;
//! `cargo test --test native export::` runs one area). `tests/wasm.rs` runs the checks in
//! `tests/shared/` again under wasm-bindgen-test in Chromium.

#![allow(clippy::needless_range_loop, clippy::too_many_arguments)]

/// Running the `mdn` command line and reading its last JSON line.
mod run;
#[path = "../shared/mod.rs"]
mod shared;

// The model and its numbers.
mod families;
mod gradients;
mod model;
mod nll;
mod sampling;
// Data.
mod arm;
mod datasets;
mod real_data;
mod userdata;
// Training: the default run, its bits across platforms, threads and the page's helper.
mod core;
mod ensemble;
mod helper;
mod pathologies;
mod sweep;
mod threads;
mod training;
// Forecasts.
mod forecast;
// Configuration and links.
mod compare;
mod goal;
mod lang;
mod links;
mod spec;
// Plots and figures.
mod colours;
mod figures;
mod render;
// The command line, exports, handwriting, and findings of reviews kept fixed.
mod cli;
mod export;
mod hardening;
mod recognise;
mod strokes;
mod synthesis;
mod window;
mod writing;
