//! The experiment that trains, in the page's training worker: it trains in slices of
//! time, measures at the steps the schedule says, and writes snapshots for the page.

use super::{deadline, js_err};
use crate::config::spec::Spec;
use crate::mdn::model::{Model, Precision};
use crate::share::link::Link;
use crate::train::experiment::Metrics;
use crate::train::history::History;
use crate::train::snapshot::Snapshot;
use crate::Experiment;
use wasm_bindgen::prelude::*;

/// The experiment that trains, in the worker.
#[wasm_bindgen]
pub struct Trainer {
    pub(in crate::web) exp: Experiment,
    pub(in crate::web) histories: [History; 3],
    pub(in crate::web) metrics: Option<Metrics>,
    /// The lead's side when a helper worker trains the regressor (web/split.rs).
    pub(in crate::web) lead: crate::train::helper::Lead,
}
#[wasm_bindgen]
impl Trainer {
    /// The experiment of a link (its problems are the viewer's to show).
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str) -> Trainer {
        Trainer::of(Experiment::new(&Link::parse(hash).0.spec))
    }

    /// The experiment of a model file: its spec, with its parameters. Throws the reason
    /// when the file cannot be used.
    pub fn from_model(text: &str) -> Result<Trainer, JsValue> {
        let (spec, model) = model_file(text)?;
        Ok(Trainer::of(
            Experiment::with_model(&spec, model).map_err(js_err)?,
        ))
    }

    /// Trains for about `ms` milliseconds, at most `max_steps` steps; returns the steps
    /// completed. The time is checked after every block of samples, so a step longer than
    /// `ms` is split over several calls (0 steps completed in between).
    pub fn train_for(&mut self, ms: f64, max_steps: u32) -> u32 {
        let mut out_of_time = deadline(ms);
        let mut n = 0;
        while n < max_steps {
            if self.exp.train_within(1, &mut out_of_time) == 0 {
                break;
            }
            n += 1;
            self.histories[0].push(self.exp.step as f64, self.exp.last.nll);
            if out_of_time() {
                break;
            }
        }
        n
    }

    /// Runs `n` steps at once (for the benchmark); returns the last batch NLL.
    pub fn step(&mut self, n: u32) -> f64 {
        for _ in 0..n {
            self.exp.train_step();
        }
        self.exp.last.nll
    }

    /// Steps to train before the next scheduled measurement: a curve point
    /// ([`crate::train::history::curve_point`]) or a reading ([`Experiment::reading_at`]). The
    /// worker stops there and measures, so what the page shows depends on steps, not time.
    pub fn steps_to_due(&self) -> f64 {
        let (step, planned) = (self.exp.step, self.exp.spec.steps);
        let next =
            crate::train::history::next_curve_point(step, planned).min(self.exp.next_reading(step));
        (next - step) as f64
    }

    /// Whether this step is a scheduled measurement (the worker measures before going on).
    pub fn at_due(&self) -> bool {
        let (step, planned) = (self.exp.step, self.exp.spec.steps);
        crate::train::history::curve_point(step, planned) || self.exp.reading_at(step)
    }

    /// Works on the metrics for about `ms` milliseconds; true once they are fresh (they
    /// go into the next snapshot, and at a curve point into the validation histories).
    pub fn metrics_for(&mut self, ms: f64) -> bool {
        let Some(m) = self.exp.metrics_within(&mut deadline(ms)) else {
            return false;
        };
        let curve = crate::train::history::curve_point(m.step, self.exp.spec.steps);
        if curve
            && self.histories[1]
                .points
                .last()
                .is_none_or(|p| p.0 < m.step as f64)
        {
            self.histories[1].push(m.step as f64, m.val_nll);
            self.histories[2].push(m.step as f64, m.baseline_val_nll);
        }
        self.metrics = Some(m);
        true
    }

    /// Training stopped on a number that was not finite (the models were rolled back).
    pub fn halted(&self) -> bool {
        self.exp.halted.is_some()
    }

    /// Lets a halted run train again.
    pub fn resume(&mut self) {
        self.exp.resume();
    }

    /// The planned steps (`steps` of the spec) are done.
    pub fn done(&self) -> bool {
        self.exp.planned_done()
    }

    /// Steps trained.
    pub fn steps_done(&self) -> f64 {
        self.exp.step as f64
    }

    /// Steps still planned.
    pub fn steps_left(&self) -> f64 {
        self.exp.spec.steps.saturating_sub(self.exp.step) as f64
    }

    /// Train the MSE baseline alongside (default true). Off only to time the MDN alone,
    /// as the benchmark against TF.js does.
    pub fn set_train_baseline(&mut self, on: bool) {
        self.exp.train_baseline = on;
    }

    /// Where training stands, as bytes for the page's [`Viewer::apply`].
    pub fn snapshot(&self) -> Vec<u8> {
        let m = &self.exp.model;
        Snapshot {
            step: self.exp.step,
            planned: self.exp.spec.steps,
            halted: self.exp.halted.clone(),
            metrics: self.metrics.clone(),
            mdn: m.mdn.params.clone(),
            baseline: m.baseline.params.clone(),
            baseline_sigma: m.baseline_sigma.clone(),
            histories: self.histories.clone().map(|h| h.points),
        }
        .to_bytes()
    }
}
impl Trainer {
    pub(in crate::web) fn of(exp: Experiment) -> Trainer {
        Trainer {
            exp,
            histories: Default::default(),
            metrics: None,
            lead: Default::default(),
        }
    }
}
/// A model file's spec and model, or the reason it cannot be shown by the page.
pub(in crate::web) fn model_file(text: &str) -> Result<(Spec, Model<Precision>), JsValue> {
    let (model, spec_text) = Model::<Precision>::from_json(text).map_err(js_err)?;
    if model.din() > 2 || model.dout() > 2 {
        return Err(js_err(format!(
            "this model has {} input and {} output dimensions; the page shows models with \
             at most 2 of each (the command line takes any: mdn eval, mdn sample)",
            model.din(),
            model.dout()
        )));
    }
    Ok((Link::parse(&spec_text).0.spec, model))
}
