//! `mdn train` of a spec with `ensemble=M`: the members trained on threads (a member per
//! job), progress lines with the ensemble's validation NLL, and a final line with the
//! ensemble's and each member's, its calibration, and the aleatoric/epistemic split
//! inside and outside the gap.

use crate::out::*;
use crate::train::rate;
use mdn_playground::config::spec::Spec;
use mdn_playground::forecast::calibration::Calibration;
use mdn_playground::train::ensemble::{Ensemble, SplitSummary};
use mdn_playground::Metrics;
use serde::Serialize;
use std::time::Instant;

#[derive(Serialize)]
struct Progress {
    step: u64,
    ensemble_val_nll: f64,
    members_val_nll: Vec<f64>,
}

#[derive(Serialize)]
struct Final<'a> {
    spec: String,
    /// Member 0's metrics: the single run of the spec without `ensemble`.
    #[serde(flatten)]
    metrics: &'a Metrics,
    ensemble_val_nll: f64,
    members_val_nll: Vec<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ensemble_calibration: Option<Scores>,
    #[serde(skip_serializing_if = "Option::is_none")]
    member_calibration: Option<Scores>,
    /// The mean variance split over a grid of x: inside the gap, outside it (all of x
    /// without a gap).
    #[serde(skip_serializing_if = "Option::is_none")]
    inside_gap: Option<SplitSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outside_gap: Option<SplitSummary>,
    seconds: f64,
    steps_per_s: f64,
}

/// A forecaster's scores on the validation set: CRPS and the HPD regions' coverage.
#[derive(Serialize)]
struct Scores {
    val_crps: f64,
    /// Nominal → empirical coverage of the HPD regions.
    val_hpd_coverage: Vec<[f64; 2]>,
}

impl Scores {
    fn of(c: &Calibration) -> Scores {
        Scores {
            val_crps: c.crps,
            val_hpd_coverage: c.hpd.clone(),
        }
    }
}

/// Trains `spec`'s ensemble on `threads` threads, a progress line every `every` steps.
pub(crate) fn train(spec: &Spec, every: u64, threads: usize) -> Result<(), Fail> {
    let mut ens = Ensemble::new(spec);
    let mut seconds = 0.0;
    while ens.step() < spec.steps && ens.halted().is_none() {
        let stop = ((ens.step() / every + 1) * every).min(spec.steps);
        let t = Instant::now();
        ens.train_to(stop, threads);
        seconds += t.elapsed().as_secs_f64();
        if ens.step() < spec.steps && ens.halted().is_none() {
            emit(&Progress {
                step: ens.step(),
                ensemble_val_nll: ens.val_nll(),
                members_val_nll: ens.member_val_nll(),
            })?;
        }
    }
    let members_val_nll = ens.member_val_nll();
    let metrics = ens.members[0].metrics();
    let one = ens.members[0].info.din == 1 && ens.members[0].info.dout == 1;
    let (ensemble_calibration, member_calibration) = if one {
        let r = ens.calibrate();
        (
            Some(Scores::of(&r.mdn)),
            Some(Scores::of(&first_report(&ens))),
        )
    } else {
        (None, None)
    };
    let (inside, outside) = match ens.split_summary() {
        Some((i, o)) => (i, Some(o)),
        None => (None, None),
    };
    emit(&Final {
        spec: spec.format(),
        metrics: &metrics,
        ensemble_val_nll: ens.val_nll(),
        members_val_nll,
        ensemble_calibration,
        member_calibration,
        inside_gap: inside,
        outside_gap: outside,
        seconds,
        steps_per_s: rate(ens.step(), seconds),
    })?;
    unless_halted(ens.halted().as_deref())
}

/// Member 0's own calibration (the single network the ensemble is compared with).
fn first_report(ens: &Ensemble) -> Calibration {
    let m = &ens.members[0];
    mdn_playground::forecast::calibration::calibrate(
        &m.model,
        &m.val,
        m.spec.data,
        m.info.y_ranges[0],
        m.spec.seed,
    )
    .mdn
}
