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

/// The handwriting MDN (LSTM, BPTT, bivariate head) gives the native bits.
#[wasm_bindgen_test]
fn strokes_golden_bits_match_native() {
    assert_eq!(shared::strokes_fingerprint(), shared::strokes_expected());
}

#[wasm_bindgen_test]
fn gradient_check_small() {
    shared::gradient_check_small();
}

/// The page's two training workers give the bits of one, through a
/// halt too (the lab's blow-up).
#[wasm_bindgen_test]
fn two_workers_give_the_bits_of_one() {
    shared::split_equals_joint(
        "n=300&k=3&hidden=10&batch=64&noise_y=0.05&steps=80",
        &[1, 9, 4],
        &[2],
    );
    shared::split_equals_joint(
        "opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=60",
        &[3, 1, 9],
        &[],
    );
}
