//! K-fold cross-validation on points that are split, not drawn (your own, a real set):
//! the spec trained once per fold with that fold held out ([`Experiment::on_fold`]), the
//! MDN, its MSE regressor, the same MDN with K = 1, and the conditional kernel density
//! estimate ([`KernelEstimate`]) fitted on the same training points and scored on the
//! same held-out ones by NLL, CRPS and the coverage of their central intervals. On a few
//! hundred points one held-out fifth is a noisy judge; the mean over the folds is a
//! steadier one. Fold 0 of 5 is the single run, bit for bit.

use crate::config::spec::Spec;
use crate::data::dataset::HELD_OUT;
use crate::forecast::calibration::{Calibration, Scoring};
use crate::forecast::kernel::KernelEstimate;
use crate::train::ensemble::train_member;
use crate::train::experiment::Experiment;
use serde::Serialize;

/// The most folds.
pub const MAX_FOLDS: usize = 20;

/// A forecaster's held-out scores: NLL (nats per point) and CRPS, each fold's and their
/// mean over the held-out points.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    pub nll: f64,
    pub crps: f64,
    pub fold_nll: Vec<f64>,
    /// Calibration: [nominal, empirical] coverage of the central intervals at each of
    /// the calibration panel's levels, over all held-out points.
    pub central: Vec<[f64; 2]>,
}

/// Each forecaster's cross-validated scores.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CrossValidation {
    pub folds: usize,
    pub mdn: Scores,
    /// The MSE regressor as a Gaussian of its training residuals' spread.
    pub baseline: Scores,
    /// The same MDN with one component (a heteroscedastic Gaussian regressor: μ(x) and
    /// σ(x)), trained on the same folds; `None` when the spec has K = 1 already.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_component: Option<Scores>,
    /// The conditional kernel density estimate (`None` where it does not apply: more than
    /// one input or output, or too many points).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kernel: Option<Scores>,
    /// Runs (of the MDN or the K = 1 MDN) whose training halted: their scores are the
    /// last finite state's.
    pub halted_folds: usize,
}

/// Whether the spec's points are split (so folds mean something): your own or a real set's.
pub fn splits(spec: &Spec) -> bool {
    let info = spec.source().info();
    info.din == 1 && info.dout == 1 && {
        use crate::data::dataset::Data;
        (spec.data == Data::Custom && spec.points.is_some()) || spec.data.real().is_some()
    }
}

/// The spec cross-validated over `folds` folds (2 to [`MAX_FOLDS`]), the folds trained on
/// `threads` threads natively; `None` for data that are drawn, not split, or with more
/// than one input or output. `trained`, the spec's own run trained to its steps, stands
/// for fold 0 where it is that fold (five folds: [`HELD_OUT`]), so it is not trained twice.
pub fn cross_validate(
    spec: &Spec,
    folds: usize,
    threads: usize,
    trained: Option<&Experiment>,
) -> Option<CrossValidation> {
    if !splits(spec) {
        return None;
    }
    let folds = folds.clamp(2, MAX_FOLDS);
    let k1 = Spec {
        k: 1,
        ..spec.clone()
    };
    let specs: Vec<&Spec> = if spec.k == 1 {
        vec![spec]
    } else {
        vec![spec, &k1]
    };
    let reused = trained.filter(|r| folds == HELD_OUT.1 && r.spec == *spec && r.step == spec.steps);
    let mut runs: Vec<Experiment> = specs
        .iter()
        .enumerate()
        .flat_map(|(i, s)| (0..folds).map(move |f| (i, s, f)))
        .filter(|&(i, _, f)| !(reused.is_some() && i == 0 && f == HELD_OUT.0))
        .map(|(_, s, f)| Experiment::on_fold(s, (f, folds)))
        .collect();
    train_all(&mut runs, spec.steps, threads);
    type Scored = (Calibration, Calibration, Option<Calibration>);
    let scored: Vec<Scored> = reused
        .iter()
        .copied()
        .chain(runs.iter())
        .map(score)
        .collect();
    let halted = reused
        .iter()
        .copied()
        .chain(runs.iter())
        .filter(|r| r.halted.is_some());
    let (own, one) = scored.split_at(folds);
    let mean = |pick: &dyn Fn(&Scored) -> Option<&Calibration>| {
        let parts: Vec<&Calibration> = own.iter().map(pick).collect::<Option<_>>()?;
        Some(weighted(&parts))
    };
    Some(CrossValidation {
        folds,
        mdn: mean(&|s| Some(&s.0))?,
        baseline: mean(&|s| Some(&s.1))?,
        one_component: (!one.is_empty())
            .then(|| weighted(&one.iter().map(|s| &s.0).collect::<Vec<_>>())),
        kernel: mean(&|s| s.2.as_ref()),
        halted_folds: halted.count(),
    })
}

/// The folds' scores together: means over every held-out point.
fn weighted(parts: &[&Calibration]) -> Scores {
    let total: usize = parts.iter().map(|c| c.n).sum();
    let w = |c: &Calibration| c.n as f64 / total.max(1) as f64;
    let levels = parts.first().map_or(0, |c| c.central.len());
    Scores {
        nll: parts.iter().map(|c| c.nll * w(c)).sum(),
        crps: parts.iter().map(|c| c.crps * w(c)).sum(),
        fold_nll: parts.iter().map(|c| c.nll).collect(),
        central: (0..levels)
            .map(|i| {
                let nominal = parts[0].central[i][0];
                [nominal, parts.iter().map(|c| c.central[i][1] * w(c)).sum()]
            })
            .collect(),
    }
}

/// Trains every run to `target`, natively on `threads` threads (a run per job).
fn train_all(runs: &mut [Experiment], target: u64, threads: usize) {
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 {
        use rayon::prelude::*;
        if let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            pool.install(|| runs.par_iter_mut().for_each(|r| train_member(r, target)));
            return;
        }
    }
    let _ = threads;
    for r in runs {
        train_member(r, target);
    }
}

/// A fold's scores on its held-out points: the MDN's, the MSE regressor's and the kernel
/// estimate's (fitted on the fold's training points).
fn score(run: &Experiment) -> (Calibration, Calibration, Option<Calibration>) {
    let (lo, hi) = run.info.y_ranges[0];
    let scoring = || Scoring::new(run.spec.data, (lo, hi), run.spec.seed, false);
    let mut s = scoring();
    s.advance(&[&run.model], &run.val, &mut || false);
    let report = s.report();
    let kernel = KernelEstimate::fit(&run.train).map(|k| {
        let mut s = scoring();
        s.advance_with(&mut |x| k.mixture(x), &run.model, &run.val, &mut || false);
        s.report().mdn
    });
    (report.mdn, report.baseline, kernel)
}
