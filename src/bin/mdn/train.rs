//! `mdn train`: trains a spec, printing progress lines and a final line with the metrics
//! and, for one input and one output, the calibration.

use crate::args::*;
use crate::out::*;
use mdn_playground::config::spec::Spec;
use mdn_playground::share::goal::Goal;
use mdn_playground::train::folds::{cross_validate, splits, CrossValidation, MAX_FOLDS};
use mdn_playground::{Experiment, Metrics};
use serde::Serialize;
use std::time::Instant;

#[derive(Serialize)]
pub(crate) struct Progress<'a> {
    /// A comparison's side: A (the link's spec) or B (with the `compare=` changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    side: Option<&'static str>,
    /// Loss of the last step's batch.
    batch_nll: f64,
    #[serde(flatten)]
    metrics: &'a Metrics,
}

#[derive(Serialize)]
pub(crate) struct Final<'a> {
    /// A comparison's side: A (the link's spec) or B (with the `compare=` changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) side: Option<&'static str>,
    pub(crate) spec: String,
    #[serde(flatten)]
    pub(crate) metrics: &'a Metrics,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub(crate) calibration: Option<CalibrationLine>,
    pub(crate) seconds: f64,
    pub(crate) steps_per_s: f64,
    /// Points that are split (your own, a real set): the K-fold cross-validated scores of
    /// the MDN, its MSE regressor and the kernel density estimate (`--folds`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cv: Option<CrossValidation>,
    /// The link's exercise (`goal=`) and whether the run met it.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub(crate) goal: Option<GoalLine>,
}

/// An exercise on `mdn train`'s final line: the goal as the link writes it, whether the
/// run met it, and then the sentence the page says, from the first step checked that
/// meets it (the start, each reading and each progress line, the end).
#[derive(Serialize)]
pub(crate) struct GoalLine {
    goal: String,
    goal_met: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    goal_done: Option<String>,
}

/// The validation set's calibration on `mdn train`'s final line (one-dimensional outputs).
#[derive(Serialize)]
pub(crate) struct CalibrationLine {
    val_crps: f64,
    baseline_val_crps: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    bayes_val_crps: Option<f64>,
    /// Shares of the PIT values in each tenth of [0, 1].
    val_pit_hist: Vec<f64>,
    baseline_val_pit_hist: Vec<f64>,
    /// Nominal → empirical coverage of the central and HPD regions.
    val_coverage: Coverage,
    baseline_val_coverage: Coverage,
    #[serde(skip_serializing_if = "Option::is_none")]
    bayes_val_coverage: Option<Coverage>,
    /// Mean total length of the 90% central interval and HPD region.
    val_interval_length: Lengths,
    baseline_val_interval_length: Lengths,
}

#[derive(Serialize)]
pub(crate) struct Coverage {
    central: Vec<[f64; 2]>,
    hpd: Vec<[f64; 2]>,
}

#[derive(Serialize)]
pub(crate) struct Lengths {
    central: f64,
    hpd: f64,
}

impl CalibrationLine {
    fn of(exp: &Experiment) -> Option<CalibrationLine> {
        if exp.info.dout != 1 || exp.info.din != 1 {
            return None;
        }
        let r = mdn_playground::forecast::calibration::calibrate(
            &exp.model,
            &exp.val,
            exp.spec.data,
            exp.info.y_ranges[0],
            exp.spec.seed,
        );
        let cov = |c: &mdn_playground::forecast::calibration::Calibration| Coverage {
            central: c.central.clone(),
            hpd: c.hpd.clone(),
        };
        let len = |c: &mdn_playground::forecast::calibration::Calibration| Lengths {
            central: c.central_length,
            hpd: c.hpd_length,
        };
        Some(CalibrationLine {
            val_crps: r.mdn.crps,
            baseline_val_crps: r.baseline.crps,
            bayes_val_crps: r.truth.as_ref().map(|t| t.crps),
            val_pit_hist: r.mdn.pit_hist.clone(),
            baseline_val_pit_hist: r.baseline.pit_hist.clone(),
            val_coverage: cov(&r.mdn),
            baseline_val_coverage: cov(&r.baseline),
            bayes_val_coverage: r.truth.as_ref().map(cov),
            val_interval_length: len(&r.mdn),
            baseline_val_interval_length: len(&r.baseline),
        })
    }
}

pub(crate) fn train(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(args, &["save", "every", "threads", "folds"])?;
    let spec = spec_arg("train", &pos)?;
    let second = compare_arg(&pos, &spec)?;
    let goal = goal_arg(&pos)?;
    let every = whole_in(&opts, "every", (1, u64::MAX), (spec.steps / 10).max(1))?;
    let threads = threads_opt(&opts)?;
    // Real sets are cross-validated by default; your own points when asked.
    let real = spec.data.real().is_some();
    let folds = whole_in(
        &opts,
        "folds",
        (0, MAX_FOLDS as u64),
        if real { 5 } else { 0 },
    )?;
    if folds == 1 || (folds > 1 && !splits(&spec)) {
        return fail(format!(
            "--folds {folds}: cross-validation takes 2 to {MAX_FOLDS} folds of points that are \
             split, not drawn (your own, one input and one output, or a real set: data=faithful, \
             data=mcycle); --folds 0 turns it off"
        ));
    }
    let save = opt(&opts, "save");
    if let Some(path) = save {
        check_writable(path, "the model")?;
    }
    if let Some(note) = spec.angle_note(mdn_playground::lang::Lang::En) {
        eprintln!("note: {note}");
    }
    let run = Run {
        every,
        threads,
        folds: folds as usize,
        goal,
    };
    if let Some(b) = second {
        if save.is_some() || spec.ensemble > 1 {
            return fail(
                "compare= trains two networks, one each side: train without --save and \
                 ensemble (or without compare=)",
            );
        }
        // A, then B, each line saying which; the exit status is the worse of the two.
        let a = run.one(&spec, None, Some("A"));
        let b = run.one(&b, None, Some("B"));
        return a.and(b);
    }
    if spec.ensemble > 1 {
        if save.is_some() {
            return fail(format!(
                "--save writes one network, and ensemble={} has {0}: train without --save \
                 (or with ensemble=1)",
                spec.ensemble
            ));
        }
        return crate::ensemble::train(&spec, every, threads);
    }
    run.one(&spec, save, None)
}

/// How `mdn train` trains a spec: a progress line every `every` steps, on `threads`
/// threads, cross-validated over `folds` folds (0: not), checking an exercise's `goal` at
/// each reading and progress line.
struct Run {
    every: u64,
    threads: usize,
    folds: usize,
    goal: Option<Goal>,
}

impl Run {
    /// Trains `spec`, its lines marked with `side` (a comparison's A or B), the model
    /// written to `save`.
    fn one(&self, spec: &Spec, save: Option<&str>, side: Option<&'static str>) -> Result<(), Fail> {
        let (every, threads) = (self.every, self.threads);
        let mut exp = Experiment::new(spec);
        let exp_dout = exp.info.dout;
        exp.set_threads(threads).map_err(|e| Fail(e, 2))?;
        let mut seconds = 0.0;
        let mut met = None;
        let mut check = |m: &Metrics| {
            if met.is_none() {
                met = self.goal.as_ref().and_then(|g| g.met(spec, exp_dout, m));
            }
        };
        if self.goal.is_some() {
            check(&exp.metrics());
        }
        // Trains to each reading (Experiment::reading_at: where a blow-up is caught, the same
        // steps as in the page) and to each progress line (every `--every` steps).
        while exp.step < spec.steps {
            let next_line = (exp.step / every + 1) * every;
            let stop = exp.next_reading(exp.step).min(next_line).min(spec.steps);
            let t = Instant::now();
            exp.train(stop - exp.step);
            seconds += t.elapsed().as_secs_f64();
            if exp.halted.is_some() {
                break;
            }
            if exp.step < spec.steps && (exp.reading_at(exp.step) || exp.step % every == 0) {
                let m = exp.metrics();
                if exp.halted.is_some() {
                    break; // the reading rolled back to the last finite state
                }
                check(&m);
                if exp.step % every == 0 {
                    emit(&Progress {
                        side,
                        batch_nll: exp.last.nll,
                        metrics: &m,
                    })?;
                }
            }
        }
        let m = exp.metrics();
        check(&m);
        let cv = (self.folds > 1)
            .then(|| cross_validate(spec, self.folds, threads, Some(&exp)))
            .flatten();
        emit(&Final {
            side,
            spec: spec.format(),
            metrics: &m,
            calibration: CalibrationLine::of(&exp),
            seconds,
            steps_per_s: rate(exp.step, seconds),
            cv,
            goal: self.goal.as_ref().map(|g| GoalLine {
                goal: g.format(),
                goal_met: met.is_some(),
                goal_done: met,
            }),
        })?;
        if let Some(path) = save {
            std::fs::write(path, exp.model.to_json(&spec.format()))
                .map_err(|e| Fail(format!("cannot write {path}: {e}"), 1))?;
        }
        // The final line (and the saved model) hold the last finite state.
        unless_halted(exp.halted.as_deref())
    }
}

/// Steps per second (0 when no time was measured).
pub(crate) fn rate(steps: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        steps as f64 / seconds
    } else {
        0.0
    }
}
