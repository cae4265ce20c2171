//! The pen's next move (Graves 2013, §4, eqs. 18–25): a mixture of M bivariate Gaussians
//! over the next offset (dx, dy), each with its own correlation ρ = tanh(ρ̂), and a
//! Bernoulli for "the stroke ends here", read from the network's raw outputs, and draws
//! with Graves' bias and a temperature. Its NLL and gradient for training are
//! [`super::pen_loss`]'s, the one implementation the engine runs.
//!
//! Raw outputs, 1 + 6M of them: `[ê, π̂_1..M, μx_1..M, μy_1..M, σ̂x_1..M, σ̂y_1..M, ρ̂_1..M]`.
//! e = logistic(ê) (Graves writes e = 1/(1 + exp ê); the sign is a convention), π =
//! softmax(π̂), σ = exp(σ̂) with σ̂ held at or above ln `sigma_min`, ρ = tanh(ρ̂) with |ρ̂|
//! held at or below [`RHO_RAW_MAX`] (|ρ| ≤ 0.99991), so that no component can put an
//! infinite density on a line.

use crate::base::math;
use crate::base::rng::Rng;

/// |ρ̂| is held at or below this: 1 − ρ² ≥ 1.8e−4.
pub const RHO_RAW_MAX: f64 = 5.0;

/// How many raw outputs a pen head of `m` components takes.
pub fn outputs(m: usize) -> usize {
    1 + 6 * m
}

/// One pen step's distribution, read from the raw outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Pen {
    /// P(the stroke ends after this move).
    pub eos: f64,
    pub log_pi: Vec<f64>,
    pub mu: Vec<[f64; 2]>,
    pub sigma: Vec<[f64; 2]>,
    pub rho: Vec<f64>,
}

/// The log-softmax of `v`.
fn log_softmax(v: &[f64]) -> Vec<f64> {
    let top = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = v.iter().map(|a| math::exp(a - top)).sum();
    let lse = top + math::ln(sum);
    v.iter().map(|a| a - lse).collect()
}

impl Pen {
    /// The distribution of raw outputs `raw` (1 + 6m values), with Graves' sampling bias
    /// `bias` (0 for training: π ∝ exp(π̂(1 + b)), σ = exp(σ̂ − b)).
    pub fn new(raw: &[f64], m: usize, sigma_min: f64, bias: f64) -> Pen {
        debug_assert_eq!(raw.len(), outputs(m));
        let ln_floor = math::ln(sigma_min);
        let logits: Vec<f64> = raw[1..1 + m].iter().map(|a| a * (1.0 + bias)).collect();
        let scale = |k: usize, a: usize| math::exp((raw[1 + (3 + a) * m + k] - bias).max(ln_floor));
        let sigma: Vec<[f64; 2]> = (0..m).map(|k| [scale(k, 0), scale(k, 1)]).collect();
        let rho = (0..m)
            .map(|k| math::tanh(raw[1 + 5 * m + k].clamp(-RHO_RAW_MAX, RHO_RAW_MAX)))
            .collect();
        Pen {
            eos: math::softplus_sigmoid(raw[0]).1,
            log_pi: log_softmax(&logits),
            mu: (0..m)
                .map(|k| [raw[1 + m + k], raw[1 + 2 * m + k]])
                .collect(),
            sigma,
            rho,
        }
    }

    pub fn k(&self) -> usize {
        self.log_pi.len()
    }

    /// The most likely component's mean: where the pen most probably goes.
    pub fn likeliest(&self) -> [f64; 2] {
        let k = (0..self.k())
            .max_by(|&a, &b| self.log_pi[a].total_cmp(&self.log_pi[b]))
            .unwrap_or(0);
        self.mu[k]
    }

    /// A draw of (offset, end) at temperature `t` (π ∝ π^(1/t), σ·√t; 1 = as modelled).
    pub fn draw(&self, t: f64, rng: &mut Rng) -> ([f64; 2], bool) {
        let t = t.max(1e-3);
        let tempered: Vec<f64> = self.log_pi.iter().map(|l| l / t).collect();
        let logp = log_softmax(&tempered);
        let u = rng.uniform();
        let mut acc = 0.0;
        let mut k = self.k() - 1;
        for (i, l) in logp.iter().enumerate() {
            acc += math::exp(*l);
            if u < acc {
                k = i;
                break;
            }
        }
        let s = t.sqrt();
        let (n1, n2) = (rng.normal(), rng.normal());
        let r = self.rho[k];
        let [sx, sy] = self.sigma[k];
        let dx = self.mu[k][0] + s * sx * n1;
        let dy = self.mu[k][1] + s * sy * (r * n1 + libm::sqrt((1.0 - r) * (1.0 + r)) * n2);
        let end = rng.uniform() < self.eos;
        ([dx, dy], end)
    }
}

impl Pen {
    /// The same distribution for moves in font units (offsets x·std + mean).
    pub fn scaled(&self, scale: &super::data::Scale) -> Pen {
        let (mean, std) = (scale.mean, scale.std);
        let mut p = self.clone();
        for k in 0..p.k() {
            for a in 0..2 {
                p.mu[k][a] = p.mu[k][a] * std[a] + mean[a];
                p.sigma[k][a] *= std[a];
            }
        }
        p
    }
}
