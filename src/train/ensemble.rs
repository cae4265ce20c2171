//! A deep ensemble (Lakshminarayanan, Pritzel & Blundell 2017): the spec's `ensemble`
//! members, each an [`Experiment`] of the same spec from its own initialisation and
//! batches ([`Experiment::member`]; member 0 is the single run, bit for bit), predicting
//! together as the even mixture of their mixtures ([`Mixture::even`]). Natively the
//! members train on threads, one member per job; a member's bits do not depend on the
//! thread it runs on, nor on how many there are.

use crate::config::spec::Spec;
use crate::forecast::calibration::{Report, Scoring};
use crate::mdn::mixture::{log_sum_exp, Mixture};
use crate::mdn::pooled::{self, uncertainty, Uncertainty};
use crate::train::experiment::Experiment;
use ndarray::Array2;

pub struct Ensemble {
    pub members: Vec<Experiment>,
}

/// The mean aleatoric and epistemic variance over a grid of inputs: inside the spec's
/// gap, and outside it (all of the grid without a gap).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct SplitSummary {
    pub aleatoric: f64,
    pub epistemic: f64,
    /// Each member's Choi split: its mean [within, between] components.
    pub choi: Vec<[f64; 2]>,
}

/// Points of the grid the summaries average over.
pub const SUMMARY_GRID: usize = 200;

impl Ensemble {
    pub fn new(spec: &Spec) -> Ensemble {
        Ensemble {
            members: (0..spec.ensemble.max(1))
                .map(|j| Experiment::member(spec, j))
                .collect(),
        }
    }

    pub fn spec(&self) -> &Spec {
        &self.members[0].spec
    }

    /// Steps taken (every member's).
    pub fn step(&self) -> u64 {
        self.members[0].step
    }

    /// Trains every member to step `target`, reading each member's validation NLL where
    /// a single run would ([`Experiment::reading_at`]: where a blow-up is caught):
    /// natively on `threads` threads, a member per job.
    pub fn train_to(&mut self, target: u64, threads: usize) {
        #[cfg(not(target_arch = "wasm32"))]
        if threads > 1 && self.members.len() > 1 {
            use rayon::prelude::*;
            // Without threads to be had, the members train one after the other.
            if let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
                pool.install(|| {
                    self.members
                        .par_iter_mut()
                        .for_each(|m| train_member(m, target))
                });
                return;
            }
        }
        let _ = threads;
        for m in &mut self.members {
            train_member(m, target);
        }
    }

    /// Why training stopped, if a member's did.
    pub fn halted(&self) -> Option<String> {
        self.members.iter().enumerate().find_map(|(j, m)| {
            m.halted
                .as_ref()
                .map(|h| format!("ensemble member {}: {h}", j + 1))
        })
    }

    /// Every member's mixtures at each input (rows of `xs`): `out[j][i]` for member j.
    pub fn mixtures(&self, xs: &Array2<f64>) -> Vec<Vec<Mixture>> {
        pooled::member_mixtures(self.members.iter().map(|m| &m.model), xs)
    }

    /// The even mixture of the members at each input.
    pub fn predictive(&self, xs: &Array2<f64>) -> Vec<Mixture> {
        pooled::even_each(&self.mixtures(xs))
    }

    /// The ensemble's validation NLL (nats per point): −ln (1/M) Σ_j p_j(y | x), in log
    /// space.
    pub fn val_nll(&self) -> f64 {
        let val = &self.members[0].val;
        let per = self.mixtures(&val.x.t().to_owned());
        let ln_m = crate::base::math::ln(per.len() as f64);
        let mut sum = 0.0;
        let mut lp = vec![0.0; per.len()];
        for i in 0..val.len() {
            let y: Vec<f64> = val.y.column(i).to_vec();
            for (j, p) in per.iter().enumerate() {
                lp[j] = p[i].log_prob(&y);
            }
            sum -= log_sum_exp(&lp) - ln_m;
        }
        sum / val.len().max(1) as f64
    }

    /// Each member's validation NLL.
    pub fn member_val_nll(&mut self) -> Vec<f64> {
        self.members
            .iter_mut()
            .map(|m| m.metrics().val_nll)
            .collect()
    }

    /// [`SplitSummary`] inside the gap and outside it, over [`SUMMARY_GRID`] inputs
    /// evenly over the data's x range (one input, one output; `None` otherwise).
    pub fn split_summary(&self) -> Option<(Option<SplitSummary>, SplitSummary)> {
        let info = &self.members[0].info;
        if info.din != 1 || info.dout != 1 {
            return None;
        }
        let (lo, hi) = info.x_ranges[0];
        let xs: Vec<f64> = (0..SUMMARY_GRID)
            .map(|i| lo + (hi - lo) * (i as f64 + 0.5) / SUMMARY_GRID as f64)
            .collect();
        let per = self.mixtures(&pooled::column(&xs));
        let at: Vec<Vec<Mixture>> = (0..xs.len()).map(|i| pooled::at_input(&per, i)).collect();
        let gap = self.spec().gap;
        let inside = |x: f64| gap.is_some_and(|(a, b)| (a..=b).contains(&x));
        let mean = |want: bool| -> Option<SplitSummary> {
            let picked: Vec<&Vec<Mixture>> = (0..xs.len())
                .filter(|&i| inside(xs[i]) == want)
                .map(|i| &at[i])
                .collect();
            let n = picked.len() as f64;
            let splits: Vec<Uncertainty> = picked
                .iter()
                .map(|ms| uncertainty(ms))
                .collect::<Option<_>>()?;
            let mut choi = vec![[0.0; 2]; self.members.len()];
            for ms in &picked {
                for (c, m) in choi.iter_mut().zip(ms.iter()) {
                    let s = m.spread()?;
                    c[0] += s.within / n;
                    c[1] += s.between / n;
                }
            }
            (n > 0.0).then(|| SplitSummary {
                aleatoric: splits.iter().map(|u| u.aleatoric).sum::<f64>() / n,
                epistemic: splits.iter().map(|u| u.epistemic).sum::<f64>() / n,
                choi,
            })
        };
        Some((mean(true), mean(false)?))
    }

    /// The calibration report of the ensemble's even mixture on the validation set, the
    /// MSE baseline's (member 0's) beside it (one input, one output).
    pub fn calibrate(&self) -> Report {
        let first = &self.members[0];
        let (lo, hi) = first.info.y_ranges[0];
        let mut s = Scoring::new(first.spec.data, (lo, hi), first.spec.seed, true);
        let models: Vec<_> = self.members.iter().map(|m| &m.model).collect();
        s.advance(&models, &first.val, &mut || false);
        s.report()
    }
}

/// Trains `m` to step `target` as `mdn train` trains a single run: to each reading, where
/// its metrics catch a blow-up (and roll it back).
pub(crate) fn train_member(m: &mut Experiment, target: u64) {
    while m.step < target && m.halted.is_none() {
        let stop = m.next_reading(m.step).min(target);
        m.train(stop - m.step);
        if m.halted.is_none() && m.reading_at(m.step) {
            m.metrics();
        }
    }
}
