//! A Gaussian mixture with diagonal covariance: p(y) = Σ_k π_k Π_d N(y_d; μ_kd, σ_kd).

use crate::math;
use crate::rng::Rng;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mixture {
    pub k: usize,
    pub d: usize,
    /// Mixing weights π_k (sum to 1).
    pub pi: Vec<f64>,
    /// ln π_k, computed in log space (exact even where π_k underflows to 0).
    pub log_pi: Vec<f64>,
    /// Means, `mu[k * d + j]`.
    pub mu: Vec<f64>,
    /// Scales, `sigma[k * d + j]`.
    pub sigma: Vec<f64>,
}

/// ln Σ exp(v_k), stable: the largest term is factored out.
pub fn log_sum_exp(v: &[f64]) -> f64 {
    let m = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY || m.is_nan() {
        return m;
    }
    if m == f64::INFINITY {
        return m;
    }
    let s: f64 = v.iter().map(|x| math::exp(x - m)).sum();
    m + math::ln(s)
}

impl Mixture {
    /// ln π_k + ln N(y; μ_k, diag σ_k²) of component `c`.
    fn component_log_prob(&self, c: usize, y: &[f64]) -> f64 {
        let mut lp = self.log_pi[c] - self.d as f64 * math::HALF_LN_2PI;
        for j in 0..self.d {
            let s = self.sigma[c * self.d + j];
            let z = (y[j] - self.mu[c * self.d + j]) / s;
            lp -= 0.5 * z * z + math::ln(s);
        }
        lp
    }

    /// ln π_k + ln N(y; μ_k, diag σ_k²) for each component.
    pub fn component_log_probs(&self, y: &[f64]) -> Vec<f64> {
        (0..self.k).map(|c| self.component_log_prob(c, y)).collect()
    }

    /// ln p(y).
    pub fn log_prob(&self, y: &[f64]) -> f64 {
        // Without allocating for the usual K (this runs for every cell of the heatmap).
        let mut buf = [0.0f64; 32];
        if self.k > buf.len() {
            return log_sum_exp(&self.component_log_probs(y));
        }
        for (c, v) in buf.iter_mut().enumerate().take(self.k) {
            *v = self.component_log_prob(c, y);
        }
        log_sum_exp(&buf[..self.k])
    }

    /// E[y] = Σ π_k μ_k: what a regressor trained with squared error estimates.
    pub fn mean(&self) -> Vec<f64> {
        (0..self.d)
            .map(|j| {
                (0..self.k)
                    .map(|c| self.pi[c] * self.mu[c * self.d + j])
                    .sum()
            })
            .collect()
    }

    /// Index of the component with the largest π (the first one on ties).
    pub fn top(&self) -> usize {
        let mut best = 0;
        for c in 1..self.k {
            if self.pi[c] > self.pi[best] {
                best = c;
            }
        }
        best
    }

    /// The mean of the most probable component: a valid answer on a multi-valued problem.
    pub fn mode_mean(&self) -> Vec<f64> {
        let c = self.top();
        self.mu[c * self.d..(c + 1) * self.d].to_vec()
    }

    /// One draw: a component by π, then a Gaussian around its mean.
    pub fn sample(&self, rng: &mut Rng) -> Vec<f64> {
        let u = rng.uniform();
        let mut c = self.k - 1;
        let mut acc = 0.0;
        for (i, p) in self.pi.iter().enumerate() {
            acc += p;
            if u < acc {
                c = i;
                break;
            }
        }
        (0..self.d)
            .map(|j| self.mu[c * self.d + j] + self.sigma[c * self.d + j] * rng.normal())
            .collect()
    }
}
