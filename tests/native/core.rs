//! The cross-platform checks, natively; tests/wasm.rs runs the same ones in Chromium.

use crate::shared;

#[test]
fn nll_matches_reference() {
    shared::nll_matches_reference();
}

#[test]
fn short_training_learns() {
    shared::short_training_learns();
}

/// The golden fingerprint. To re-record after an intended change of the numbers:
/// `MDN_BLESS=1 cargo test --test native core::golden` (then check the wasm test agrees).
#[test]
fn golden_bits() {
    let got = shared::golden_fingerprint();
    if std::env::var_os("MDN_BLESS").is_some() {
        let text = format!(
            "# {}\n# full: {}\n# recorded natively by MDN_BLESS=1 cargo test --test native core::golden\n{}\n",
            shared::GOLDEN_SPEC,
            shared::GOLDEN_FULL_SPEC,
            got.join("\n")
        );
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/golden.txt"),
            text,
        )
        .unwrap();
        return;
    }
    assert_eq!(got, shared::golden_expected());
}

#[test]
fn gradient_check_small() {
    shared::gradient_check_small();
}

/// The handwriting run's fingerprint: `MDN_BLESS=1 cargo test --test native core::strokes_golden` records it.
#[test]
fn strokes_golden_bits() {
    let got = shared::strokes_fingerprint();
    if std::env::var_os("MDN_BLESS").is_some() {
        let text = format!(
            "# {}\n# wide: {}\n# synthesis: {}\n# recorded natively by MDN_BLESS=1 cargo test --test native core::strokes_golden\n{}\n",
            shared::STROKES_GOLDEN_SPEC,
            shared::STROKES_GOLDEN_WIDE,
            shared::STROKES_GOLDEN_SYNTH,
            got.join("\n")
        );
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/strokes_golden.txt"),
            text,
        )
        .unwrap();
        return;
    }
    assert_eq!(got, shared::strokes_expected());
}
