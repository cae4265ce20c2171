//! The core checks under wasm-bindgen-test, in headless Chromium (`make test-wasm`).
//! The golden test proves that a spec gives the same f64 bits here as natively.
#![cfg(target_arch = "wasm32")]

mod shared;

use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn nll_matches_reference() {
    shared::nll_matches_reference();
}

#[wasm_bindgen_test]
fn short_training_learns() {
    shared::short_training_learns();
}

#[wasm_bindgen_test]
fn golden_bits_match_native() {
    assert_eq!(shared::golden_fingerprint(), shared::golden_expected());
}

#[wasm_bindgen_test]
fn gradient_check_small() {
    shared::gradient_check_small();
}
