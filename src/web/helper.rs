//! The page's training on two workers (see [`crate::train::helper`]): the [`Trainer`]'s side as
//! the lead, and [`BaselineTrainer`], the handle of the helper worker that trains the MSE
//! regressor (www/workers/baseline-worker.js).

use super::{deadline, js_err, Trainer};
use crate::share::link::Link;
use crate::train::helper::follow;
use crate::Experiment;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Trainer {
    /// The link of the experiment's spec: the helper builds the same experiment from it.
    pub fn spec_link(&self) -> String {
        super::spec_link(&self.exp.spec)
    }

    /// Starts a slice of `steps` steps on two workers: returns the helper's order (bytes
    /// for [`BaselineTrainer::order`]). Until [`Trainer::lead_finish`], the MDN trains
    /// alone ([`Trainer::lead_train_for`]).
    pub fn lead_begin(&mut self, steps: u32) -> Vec<u8> {
        self.lead.begin(&mut self.exp, steps as u64)
    }

    /// Trains the MDN's side of the slice for about `ms` milliseconds; true once it is done.
    pub fn lead_train_for(&mut self, ms: f64) -> bool {
        self.lead.train_within(&mut self.exp, &mut deadline(ms))
    }

    /// Slices trained on two workers so far, and those of them trained again here alone.
    pub fn lead_counts(&self) -> Vec<f64> {
        vec![self.lead.slices as f64, self.lead.replays as f64]
    }

    /// Ends the slice with the helper's report (none if the helper failed): both models as
    /// one worker would have them. Returns the steps taken.
    pub fn lead_finish(&mut self, report: Option<Vec<u8>>) -> u32 {
        let losses = self.lead.finish(&mut self.exp, report.as_deref());
        for (step, nll) in &losses {
            self.histories[0].push(*step as f64, *nll);
        }
        losses.len() as u32
    }
}

/// The helper worker's experiment: trains the MSE regressor of the lead's experiment alone.
#[wasm_bindgen]
pub struct BaselineTrainer {
    link: String,
    exp: Option<Experiment>,
    left: u64,
}

#[wasm_bindgen]
impl BaselineTrainer {
    #[wasm_bindgen(constructor)]
    pub fn new() -> BaselineTrainer {
        BaselineTrainer {
            link: String::new(),
            exp: None,
            left: 0,
        }
    }

    /// Takes the lead's order for the experiment of `link` (built anew when the link
    /// changes). Throws the reason if the order does not fit that experiment.
    pub fn order(&mut self, link: &str, order: &[u8]) -> Result<(), JsValue> {
        if self.exp.is_none() || self.link != link {
            self.exp = Some(Experiment::new(&Link::parse(link).0.spec));
            self.link = link.to_string();
        }
        let exp = self.exp.as_mut().expect("just built");
        self.left = follow(exp, order).map_err(js_err)?;
        Ok(())
    }

    /// Trains for about `ms` milliseconds; true once the order's steps are done (or the
    /// regressor halted: the lead then trains the slice itself).
    pub fn train_for(&mut self, ms: f64) -> bool {
        let Some(exp) = self.exp.as_mut() else {
            return true;
        };
        let mut out_of_time = deadline(ms);
        while self.left > 0 && exp.halted.is_none() {
            self.left -= exp.train_within(self.left, &mut out_of_time);
            if out_of_time() {
                break;
            }
        }
        self.left == 0 || exp.halted.is_some()
    }

    /// The report for the lead ([`Experiment::baseline_part`]).
    pub fn report(&self) -> Vec<u8> {
        self.exp
            .as_ref()
            .map(Experiment::baseline_part)
            .unwrap_or_default()
    }
}

impl Default for BaselineTrainer {
    fn default() -> Self {
        Self::new()
    }
}
