//! What an experiment's metrics say: the numbers themselves ([`Metrics`]), when a
//! component is dead (unused), the alarms with their thresholds, and the notes said
//! calmly (many unused components are no fault where the data need few).

use crate::lang::{english, Lang};
use crate::mdn::head::Head;
use crate::train::pass::Evaluation;
use serde::Serialize;

/// A component whose π, averaged over the training inputs, is below this is dead: it
/// explains nothing and gets almost no gradient to come back.
pub const DEAD_PI: f64 = 1e-3;

/// The one rule for a dead component: its average π is below [`DEAD_PI`] beyond the π
/// floor's ε/K (which every component has whatever it explains).
pub fn is_dead(average_pi: f64, head: &Head) -> bool {
    average_pi < DEAD_PI + head.pi_floor / head.k as f64
}

/// Variance collapse: the smallest σ within this factor of the floor, or below this
/// fraction of the targets' standard deviation, while the training NLL is
/// [`COLLAPSE_GAP`] nats below the validation NLL.
pub const COLLAPSE_SIGMA: f64 = 1.05;
pub const COLLAPSE_FRACTION: f64 = 0.01;
pub const COLLAPSE_GAP: f64 = 0.5;
/// Divergence: the validation NLL this many nats above its best so far.
pub const DIVERGENCE_RISE: f64 = 1.0;

/// Where an experiment stands: what `mdn train` prints and the page shows.
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct Metrics {
    pub step: u64,
    /// MDN NLL on the whole training set (nats per point).
    pub train_nll: f64,
    /// MDN NLL on the validation set.
    pub val_nll: f64,
    pub baseline_train_mse: f64,
    pub baseline_val_mse: f64,
    /// Validation NLL of the baseline as a Gaussian whose variance is its training MSE.
    pub baseline_val_nll: f64,
    /// The true conditional density's validation NLL, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bayes_nll: Option<f64>,
    /// Each component's π averaged over the training inputs.
    pub component_pi: Vec<f64>,
    /// Components with average π below [`DEAD_PI`].
    pub dead_components: usize,
    /// The smallest σ of any component with π ≥ [`LIVE_PI`] on a training input.
    pub min_sigma: f64,
    /// What looks wrong, in words: variance collapse, divergence, a halted run. Empty
    /// when nothing does.
    pub alarms: Vec<String>,
    /// What is worth knowing but no fault, in words: many unused (dead) components.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Components moved onto badly explained data by `reinit_dead` so far.
    pub reinitialised: u64,
    /// Why training stopped early, if it did (see [`Experiment::halted`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub halted: Option<String>,
    /// Robot arm only: mean distance between a validation target and where the arm's
    /// end effector lands for the most probable component's mean angles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mdn_fk_error: Option<f64>,
    /// The same for the MSE regressor's predicted angles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_fk_error: Option<f64>,
    /// Rain only: every model on one measure — P(dry) and the wet days' density —
    /// whatever its family (see [`crate::forecast::point_mass`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_mass: Option<crate::forecast::point_mass::PointMassScores>,
}

/// How the alarms, the notes and a halted run's reason are written: in English, kept so
/// in the metrics (the command line prints them), and told again in the page's language
/// from these same templates ([`crate::lang::Lang::retell`]).
pub const SAID: &[&str] = &[
    HALTED,
    COLLAPSE,
    DIVERGENCE,
    UNUSED,
    PAUSED,
    NOT_FINITE,
    OVERFLOW,
    WHOLE_DATA,
    ROLLED_BACK,
    english("; the step was not taken"),
    english("the MDN's loss"),
    english("the MSE regressor's loss"),
    english("a gradient"),
];

const HALTED: &str = "halted: {0}";
const COLLAPSE: &str = "variance collapse: a component's σ is down to {0} (floor {1}) and the \
     training NLL ({2}) is far below the validation NLL ({3}): components are sitting on \
     single training points (try noise_x and noise_y, a larger sigma_min, or more data)";
const DIVERGENCE: &str = "divergence: the validation NLL rose to {0} from its best {1}";
const UNUSED: &str = "unused components: {0} of {1} have average π below {2}. Spare \
     components are no fault where the data need fewer; they get almost no gradient to come \
     back, so if the fit misses a branch, reinit_dead or init=diverse puts them to work";
/// A halted run's reason: why (one of the next three), and what to do.
pub const PAUSED: &str = "{0}. Training paused with the models as they were before it. \
     Lower lr, set clip, or raise sigma_min, then go on.";
/// A step's loss or gradient was not finite: the step, what, and what was done.
pub const NOT_FINITE: &str = "step {0}: {1} was not a finite number{2}";
pub const OVERFLOW: &str =
    "step {0}: the update made a parameter overflow; rolled back to step {1}";
pub const WHOLE_DATA: &str =
    "at step {0}, a model's loss on the whole data was not a finite number; rolled back to step {1}";
pub const ROLLED_BACK: &str = "; rolled back to step {0}";

/// What the alarms are read against: the run's σ floor and halt, the targets' smallest
/// spread, and the best validation NLL of its readings so far.
pub struct Watch<'a> {
    pub halted: Option<&'a str>,
    pub sigma_min: f64,
    pub target_std: f64,
    pub best_val: f64,
}

impl Watch<'_> {
    /// Components whose average π is below [`DEAD_PI`] beyond the π floor's ε/K.
    pub fn dead(head: &Head, component_pi: &[f64]) -> usize {
        component_pi.iter().filter(|p| is_dead(**p, head)).count()
    }

    /// The notes of a training-set evaluation `tr`: more than a third of the components
    /// unused. On a problem with two branches most of twelve components have nothing to
    /// explain: no fault, said as such, with the way back for a fit that misses a branch.
    pub fn notes(head: &Head, tr: &Evaluation) -> Vec<String> {
        let k = tr.component_pi.len();
        let dead = Watch::dead(head, &tr.component_pi);
        if dead * 3 <= k {
            return Vec::new();
        }
        let [dead, k, below] = [dead.to_string(), k.to_string(), DEAD_PI.to_string()];
        vec![Lang::En.fill(UNUSED, &[&dead, &k, &below])]
    }

    /// The alarms of a training-set evaluation `tr` and the validation NLL `val`.
    pub fn alarms(&self, tr: &Evaluation, val: f64) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(h) = self.halted {
            out.push(Lang::En.fill(HALTED, &[h]));
        }
        let floor = self.sigma_min;
        let at_floor =
            tr.min_sigma <= (floor * COLLAPSE_SIGMA).max(COLLAPSE_FRACTION * self.target_std);
        if at_floor && tr.nll < val - COLLAPSE_GAP {
            let parts = [
                crate::base::text::significant(tr.min_sigma, 3),
                floor.to_string(),
                format!("{:.2}", tr.nll),
                format!("{val:.2}"),
            ];
            out.push(Lang::En.fill(COLLAPSE, &parts.each_ref().map(String::as_str)));
        }
        if !val.is_finite() || val > self.best_val + DIVERGENCE_RISE {
            let parts = [format!("{val:.2}"), format!("{:.2}", self.best_val)];
            out.push(Lang::En.fill(DIVERGENCE, &parts.each_ref().map(String::as_str)));
        }
        out
    }
}
