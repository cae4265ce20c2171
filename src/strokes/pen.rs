//! The pen's next move (Graves 2013, §4, eqs. 18–25): a mixture of M bivariate Gaussians
//! over the next offset (dx, dy), each with its own correlation ρ = tanh(ρ̂), and a
//! Bernoulli for "the stroke ends here". Its NLL by log-sum-exp and its exact gradient
//! with respect to the raw outputs, and draws with Graves' bias and a temperature.
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

/// ln 2π.
const LN_2PI: f64 = 2.0 * math::HALF_LN_2PI;

/// How many raw outputs a pen head of `m` components takes.
pub fn outputs(m: usize) -> usize {
    1 + 6 * m
}

/// One pen step's distribution, read from the raw outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Pen {
    /// P(the stroke ends after this move).
    pub eos: f64,
    /// Its raw output ê (for ln e and ln(1 − e) without cancellation).
    eos_raw: f64,
    pub log_pi: Vec<f64>,
    pub mu: Vec<[f64; 2]>,
    pub sigma: Vec<[f64; 2]>,
    pub rho: Vec<f64>,
    /// Whether σ̂ (per axis) and ρ̂ were held at their bounds (their gradients are then 0).
    held: Vec<[bool; 3]>,
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
        let mut held = vec![[false; 3]; m];
        let mut scale = |k: usize, a: usize| {
            let s = raw[1 + (3 + a) * m + k] - bias;
            held[k][a] = s < ln_floor;
            math::exp(s.max(ln_floor))
        };
        let sigma: Vec<[f64; 2]> = (0..m).map(|k| [scale(k, 0), scale(k, 1)]).collect();
        let rho = (0..m)
            .map(|k| {
                let r = raw[1 + 5 * m + k];
                held[k][2] = r.abs() > RHO_RAW_MAX;
                math::tanh(r.clamp(-RHO_RAW_MAX, RHO_RAW_MAX))
            })
            .collect();
        Pen {
            eos: math::softplus_sigmoid(raw[0]).1,
            eos_raw: raw[0],
            log_pi: log_softmax(&logits),
            mu: (0..m)
                .map(|k| [raw[1 + m + k], raw[1 + 2 * m + k]])
                .collect(),
            sigma,
            rho,
            held,
        }
    }

    pub fn k(&self) -> usize {
        self.log_pi.len()
    }

    /// ln N(d; μ_k, Σ_k) of component k, with its standardised offsets, 1/(1 − ρ²) and
    /// the quadratic form Z.
    fn component(&self, k: usize, d: [f64; 2]) -> (f64, [f64; 2], f64, f64) {
        let [sx, sy] = self.sigma[k];
        let r = self.rho[k];
        let z = [(d[0] - self.mu[k][0]) / sx, (d[1] - self.mu[k][1]) / sy];
        let one_r2 = (1.0 - r) * (1.0 + r);
        let c = 1.0 / one_r2;
        let q = z[0] * z[0] + z[1] * z[1] - 2.0 * r * z[0] * z[1];
        let ln = -LN_2PI - math::ln(sx) - math::ln(sy) - 0.5 * math::ln(one_r2) - 0.5 * c * q;
        (ln, z, c, q)
    }

    /// ln p(d, end | this step): the offset's mixture density times P(end) or P(go on).
    pub fn log_prob(&self, d: [f64; 2], end: bool) -> f64 {
        let terms: Vec<f64> = (0..self.k())
            .map(|k| self.log_pi[k] + self.component(k, d).0)
            .collect();
        lse(&terms) + self.log_eos(end)
    }

    /// ln P(end) or ln P(go on), without cancellation: e = logistic(ê), so ln e =
    /// −softplus(−ê) and ln(1 − e) = −softplus(ê).
    fn log_eos(&self, end: bool) -> f64 {
        -math::softplus_sigmoid(if end { -self.eos_raw } else { self.eos_raw }).0
    }

    /// −ln p(d, end) and its gradient with respect to the raw outputs, written to `grad`
    /// (1 + 6m values; Graves' eqs. 26–33 with the bias at 0).
    pub fn nll_grad(&self, d: [f64; 2], end: bool, grad: &mut [f64]) -> f64 {
        let m = self.k();
        let parts: Vec<_> = (0..m).map(|k| self.component(k, d)).collect();
        let terms: Vec<f64> = (0..m).map(|k| self.log_pi[k] + parts[k].0).collect();
        let total = lse(&terms);
        // The end of stroke: −ln e or −ln(1 − e), by softplus of the raw output.
        let (sp, sig) = math::softplus_sigmoid(if end { -self.eos_raw } else { self.eos_raw });
        grad[0] = if end { -sig } else { sig };
        for k in 0..m {
            let (_, z, c, q) = parts[k];
            let g = math::exp(terms[k] - total); // the responsibility γ_k
            let r = self.rho[k];
            let [sx, sy] = self.sigma[k];
            let ux = c * (z[0] - r * z[1]);
            let uy = c * (z[1] - r * z[0]);
            grad[1 + k] = math::exp(self.log_pi[k]) - g;
            grad[1 + m + k] = -g * ux / sx;
            grad[1 + 2 * m + k] = -g * uy / sy;
            let held = self.held[k];
            grad[1 + 3 * m + k] = if held[0] { 0.0 } else { -g * (z[0] * ux - 1.0) };
            grad[1 + 4 * m + k] = if held[1] { 0.0 } else { -g * (z[1] * uy - 1.0) };
            grad[1 + 5 * m + k] = if held[2] {
                0.0
            } else {
                -g * (z[0] * z[1] + r * (1.0 - c * q))
            };
        }
        sp - total
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

/// ln Σ exp(v), stable.
pub fn lse(v: &[f64]) -> f64 {
    let top = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if !top.is_finite() {
        return top;
    }
    top + math::ln(v.iter().map(|a| math::exp(a - top)).sum::<f64>())
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
