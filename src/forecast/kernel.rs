//! The estimate a statistician tries first: a conditional kernel density,
//! p(y | x) = Σ_i w_i(x) N(y; y_i, h_y²) with w_i(x) ∝ exp(−(x − x_i)² / 2h_x²), Gaussian
//! kernels in x and y over the training points (Rosenblatt 1969; the `cde` package's
//! KMN baseline). It is a mixture of n components, so every score of a mixture (NLL,
//! CRPS, calibration) applies to it unchanged. The bandwidths maximise the training
//! points' leave-one-out likelihood over a grid of multiples of Silverman's rule.

use crate::base::math;
use crate::data::dataset::Dataset;
use crate::mdn::mixture::{log_sum_exp, Mixture};

/// The most training points the estimate is fitted to: its bandwidth search costs
/// about 120 n² kernel evaluations.
pub const MAX_KERNEL_POINTS: usize = 2000;

/// The bandwidths tried: Silverman's rule times 2^(i/2) for i in this range.
const STEPS: std::ops::RangeInclusive<i32> = -8..=4;

#[derive(Clone, Debug)]
pub struct KernelEstimate {
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// The bandwidths in x and in y.
    pub hx: f64,
    pub hy: f64,
}

impl KernelEstimate {
    /// The estimate on `train` (one input, one output, 2 to [`MAX_KERNEL_POINTS`] points;
    /// `None` otherwise), its bandwidths chosen by leave-one-out likelihood.
    pub fn fit(train: &Dataset) -> Option<KernelEstimate> {
        let n = train.len();
        if train.x.nrows() != 1 || train.y.nrows() != 1 || !(2..=MAX_KERNEL_POINTS).contains(&n) {
            return None;
        }
        let xs = train.x.row(0).to_vec();
        let ys = train.y.row(0).to_vec();
        let rule = |v: &[f64]| {
            let (_, sd) = math::mean_sd(v);
            1.06 * sd.max(1e-9) * math::exp(-0.2 * math::ln(n as f64))
        };
        let grid =
            |h0: f64| STEPS.map(move |i| h0 * math::exp(0.5 * i as f64 * std::f64::consts::LN_2));
        let mut best = (f64::NEG_INFINITY, 0.0, 0.0);
        let dx2: Vec<f64> = pairs(&xs);
        let dy2: Vec<f64> = pairs(&ys);
        for hx in grid(rule(&xs)) {
            let wx: Vec<f64> = dx2.iter().map(|d| -0.5 * d / (hx * hx)).collect();
            // Each point's total weight from the others: the same for every hy.
            let mut row = Vec::with_capacity(n);
            let total: Vec<f64> = (0..n)
                .map(|i| {
                    row.clear();
                    row.extend((0..n).filter(|&j| j != i).map(|j| wx[i * n + j]));
                    log_sum_exp(&row)
                })
                .collect();
            for hy in grid(rule(&ys)) {
                let ll = leave_one_out(&wx, &total, &dy2, hy);
                if ll > best.0 {
                    best = (ll, hx, hy);
                }
            }
        }
        (best.0 > f64::NEG_INFINITY).then_some(KernelEstimate {
            xs,
            ys,
            hx: best.1,
            hy: best.2,
        })
    }

    /// p(y | x) as a Gaussian mixture of one component per training point.
    pub fn mixture(&self, x: f64) -> Mixture {
        let lw: Vec<f64> = self
            .xs
            .iter()
            .map(|xi| -0.5 * (x - xi) * (x - xi) / (self.hx * self.hx))
            .collect();
        let z = log_sum_exp(&lw);
        let log_pi: Vec<f64> = lw.iter().map(|l| l - z).collect();
        let pi = log_pi.iter().map(|l| math::exp(*l)).collect();
        Mixture::gaussian(
            1,
            pi,
            log_pi,
            self.ys.clone(),
            vec![self.hy; self.ys.len()],
            Vec::new(),
        )
    }

    /// The negative log-likelihood of `val` (nats per point).
    pub fn nll(&self, val: &Dataset) -> f64 {
        let n = val.len().max(1) as f64;
        (0..val.len())
            .map(|i| -self.mixture(val.x[[0, i]]).log_prob(&[val.y[[0, i]]]))
            .sum::<f64>()
            / n
    }
}

/// Squared differences of every pair, row-major (i, j).
fn pairs(v: &[f64]) -> Vec<f64> {
    v.iter()
        .flat_map(|a| v.iter().map(move |b| (a - b) * (a - b)))
        .collect()
}

/// The mean leave-one-out log-likelihood of the training points under bandwidth hy in y,
/// with the x weights' logs `wx` (row-major pairs) and each point's total weight from the
/// others (`total`, in log space).
fn leave_one_out(wx: &[f64], total: &[f64], dy2: &[f64], hy: f64) -> f64 {
    let n = total.len();
    let norm = math::ln(hy) + math::HALF_LN_2PI;
    let mut sum = 0.0;
    let mut joint = Vec::with_capacity(n);
    for i in 0..n {
        joint.clear();
        joint.extend(
            (0..n)
                .filter(|&j| j != i)
                .map(|j| wx[i * n + j] - 0.5 * dy2[i * n + j] / (hy * hy) - norm),
        );
        sum += log_sum_exp(&joint) - total[i];
    }
    sum / n as f64
}
