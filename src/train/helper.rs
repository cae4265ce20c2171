//! Training one experiment on two workers, with the bits of one: the page's training
//! worker (the *lead*) trains the MDN while a helper worker trains the MSE regressor, in
//! slices of whole steps, in lockstep.
//!
//! Why this split: the two models share nothing within a step but its batch, which both
//! sides draw from the same streams, so each side alone computes its model's step exactly
//! as a joint step would. They meet only where a step halts (a number that is not finite
//! in either model rolls *both* back, with a message that depends on which failed). So:
//!
//! 1. [`Lead::begin`] saves the whole training state and writes the helper's *order*: the
//!    slice's step count, with the state when the helper's may differ from the lead's
//!    (a new experiment, a halt, metrics that rolled back, a resumed run).
//! 2. Each side trains its model alone for those steps ([`Lead::train_within`] on the
//!    lead; [`follow`] then [`Experiment::train_within`] on the helper).
//! 3. [`Lead::finish`] takes the helper's report ([`Experiment::baseline_part`]). If
//!    neither side halted, the regressor's side is copied in: the joint state, exactly.
//!    If either halted (or the helper failed), the lead goes back to the saved state and
//!    trains the slice's steps itself, both models together, as one worker always did.
//!    A halt is rare (it pauses the run), so this replay costs one slice now and then.
//!
//! Splitting a step by samples instead would need the two halves' gradients exchanged
//! every step; measured in the page, that loses (README, Speed).

use crate::base::bytes::{Bytes, Writer};
use crate::train::experiment::Experiment;
use crate::train::state::TrainState;

/// The lead's side: the slice under way and whether the helper's state is the lead's.
#[derive(Default)]
pub struct Lead {
    slice: Option<Slice>,
    /// The lead's [`Experiment::edits`] when the helper's state was last its own (after a
    /// merged slice): the state may have changed since if the count has.
    synced_at: Option<u64>,
    /// Slices finished, and those of them trained again here (a halt, a failed helper).
    pub slices: u64,
    pub replays: u64,
}

struct Slice {
    start: TrainState,
    steps: u64,
    /// The steps the MDN's side has taken so far.
    done: u64,
    /// (step, batch NLL) of each step taken (first, a step that was under way at the
    /// slice's start: see [`Lead::begin`]).
    losses: Vec<(u64, f64)>,
    /// How many of `losses` came before the saved state (0 or 1).
    before: usize,
    /// `train_baseline` before the slice.
    baseline_was: bool,
}

impl Lead {
    /// A slice is under way (begun, not finished).
    pub fn busy(&self) -> bool {
        self.slice.is_some()
    }

    /// Starts a slice of `steps` steps (at least 1): returns the helper's order, and
    /// sets `exp` to train the MDN alone. A slice still under way (its worker gave up on
    /// it) is finished first, without the helper; so is a step that training alone left
    /// under way (cut short by its time), which counts as the slice's first.
    pub fn begin(&mut self, exp: &mut Experiment, steps: u64) -> Vec<u8> {
        if self.busy() {
            self.finish(exp, None);
        }
        let mut steps = steps.max(1);
        let mut losses = Vec::with_capacity(steps as usize);
        if exp.mid_step() {
            if exp.train_within(1, &mut || false) == 1 {
                losses.push((exp.step, exp.last.nll));
            }
            steps -= 1;
        }
        let start = exp.save();
        let synced = self.synced_at == Some(exp.edits()) && exp.halted.is_none();
        let mut w = Writer(Vec::new());
        w.u64(steps);
        w.u64(!synced as u64);
        if !synced {
            w.0.extend_from_slice(&start.to_bytes());
        }
        self.slice = Some(Slice {
            start,
            steps,
            done: 0,
            before: losses.len(),
            losses,
            baseline_was: exp.train_baseline,
        });
        exp.train_baseline = false;
        w.0
    }

    /// Trains the MDN's side of the slice until it is done (true: all its steps taken, or
    /// the run halted) or `out_of_time()` says stop (checked after every block of samples).
    pub fn train_within(
        &mut self,
        exp: &mut Experiment,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let Some(sl) = self.slice.as_mut() else {
            return true;
        };
        while sl.done < sl.steps && exp.halted.is_none() {
            if exp.train_within(1, out_of_time) == 1 {
                sl.done += 1;
                sl.losses.push((exp.step, exp.last.nll));
            }
            if out_of_time() {
                break;
            }
        }
        sl.done == sl.steps || exp.halted.is_some()
    }

    /// Ends the slice with the helper's report (`None`: the helper failed): the joint
    /// state, merged or replayed (see the module's text; a slice ended before the MDN's
    /// side is done is replayed too). Returns (step, batch NLL) of
    /// each step taken.
    pub fn finish(&mut self, exp: &mut Experiment, report: Option<&[u8]>) -> Vec<(u64, f64)> {
        let Some(sl) = self.slice.take() else {
            return Vec::new();
        };
        self.slices += 1;
        exp.train_baseline = sl.baseline_was;
        let merged = exp.halted.is_none()
            && sl.done == sl.steps
            && report.is_some_and(|r| exp.take_baseline_part(r).is_ok());
        if merged {
            self.synced_at = Some(exp.edits());
            return sl.losses;
        }
        self.replays += 1;
        exp.restore(sl.start);
        let mut losses = sl.losses;
        losses.truncate(sl.before);
        for _ in 0..sl.steps {
            if exp.train_within(1, &mut || false) == 0 {
                break;
            }
            losses.push((exp.step, exp.last.nll));
        }
        self.synced_at = None;
        losses
    }
}

/// The helper's side: takes the lead's `order` (the state in it, if any) and sets `exp`
/// to train the regressor alone; returns the steps to train. Refused, with the reason,
/// if the order is not one for this experiment.
pub fn follow(exp: &mut Experiment, order: &[u8]) -> Result<u64, String> {
    let mut r = Bytes(order);
    let (Some(steps), Some(with_state)) = (r.u64(), r.u64()) else {
        return Err("not an order for the regressor's worker".into());
    };
    if with_state != 0 {
        exp.restore_bytes(r.0)?;
    } else if !r.done() {
        return Err("not an order for the regressor's worker".into());
    }
    exp.train_mdn = false;
    exp.train_baseline = true;
    Ok(steps)
}
