//! `mdn train`: trains a spec, printing progress lines and a final line with the metrics
//! and, for one input and one output, the calibration.

use crate::args::*;
use crate::out::*;
use mdn_playground::{Experiment, Metrics};
use serde::Serialize;
use std::time::Instant;

#[derive(Serialize)]
pub(crate) struct Progress<'a> {
    /// Loss of the last step's batch.
    batch_nll: f64,
    #[serde(flatten)]
    metrics: &'a Metrics,
}

#[derive(Serialize)]
pub(crate) struct Final<'a> {
    pub(crate) spec: String,
    #[serde(flatten)]
    pub(crate) metrics: &'a Metrics,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub(crate) calibration: Option<CalibrationLine>,
    pub(crate) seconds: f64,
    pub(crate) steps_per_s: f64,
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
    let (pos, opts) = options(args, &["save", "every", "threads"])?;
    let spec = spec_arg("train", &pos)?;
    let every = whole_in(&opts, "every", (1, u64::MAX), (spec.steps / 10).max(1))?;
    let threads = threads_opt(&opts)?;
    let save = opt(&opts, "save");
    if let Some(path) = save {
        check_writable(path, "the model")?;
    }
    if let Some(note) = spec.angle_note() {
        eprintln!("note: {note}");
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
    let mut exp = Experiment::new(&spec);
    exp.set_threads(threads).map_err(|e| Fail(e, 2))?;
    let mut seconds = 0.0;
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
            if exp.step % every == 0 {
                emit(&Progress {
                    batch_nll: exp.last.nll,
                    metrics: &m,
                })?;
            }
        }
    }
    let m = exp.metrics();
    emit(&Final {
        spec: spec.format(),
        metrics: &m,
        calibration: CalibrationLine::of(&exp),
        seconds,
        steps_per_s: rate(exp.step, seconds),
    })?;
    if let Some(path) = save {
        std::fs::write(path, exp.model.to_json(&spec.format()))
            .map_err(|e| Fail(format!("cannot write {path}: {e}"), 1))?;
    }
    // The final line (and the saved model) hold the last finite state.
    unless_halted(exp.halted.as_deref())
}

/// Steps per second (0 when no time was measured).
pub(crate) fn rate(steps: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        steps as f64 / seconds
    } else {
        0.0
    }
}
