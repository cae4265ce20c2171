//! The web layer: the one module that talks to JavaScript. An opaque handle owns the
//! experiment; the page calls it to train and to read snapshots. No maths lives here.

use crate::spec::Spec;
use crate::Experiment;
use wasm_bindgen::prelude::*;

/// The crate version, for the page's footer.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// An experiment owned by the page.
#[wasm_bindgen]
pub struct Playground {
    exp: Experiment,
    issues: Vec<String>,
}

#[wasm_bindgen]
impl Playground {
    /// Builds the experiment of a share-link hash. Never fails: problems in the hash are
    /// clamped or ignored and listed by `issues()` (plain text, for `textContent`).
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str) -> Playground {
        let (spec, issues) = Spec::parse_lenient(hash, &["play", "embed"]);
        Playground {
            exp: Experiment::new(&spec),
            issues: issues.iter().map(|i| i.to_string()).collect(),
        }
    }

    /// Problems found in the hash.
    pub fn issues(&self) -> Vec<String> {
        self.issues.clone()
    }

    /// The canonical spec (for the URL hash).
    pub fn spec(&self) -> String {
        self.exp.spec.format()
    }

    /// Runs `n` training steps; returns the last step's batch NLL.
    pub fn step(&mut self, n: u32) -> f64 {
        self.exp.train(n as u64);
        self.exp.last.nll
    }

    /// Steps taken so far.
    pub fn steps(&self) -> f64 {
        self.exp.step as f64
    }

    /// The metrics, with the same fields as the CLI's final line.
    pub fn metrics(&mut self) -> Result<JsValue, JsValue> {
        let m = self.exp.metrics();
        serde_wasm_bindgen::to_value(&m).map_err(|e| JsValue::from_str(&e.to_string()))
    }
}
