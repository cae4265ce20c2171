//! A Gaussian mixture: p(y) = Σ_k π_k N(y; μ_k, Σ_k), Σ_k = L_k L_kᵀ with L_k lower
//! triangular (diagonal for a diagonal covariance). See [`crate::head`] for the layout.

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
    /// Diagonal of each Cholesky factor, `sigma[k * d + a]` = L_k,aa (for a diagonal
    /// covariance, the scales σ_ka).
    pub sigma: Vec<f64>,
    /// Strictly lower entries of each Cholesky factor divided by their row's diagonal
    /// entry, N_ab = L_ab / L_aa, at `off[k * t + off_index(a, b)]` with t = D(D−1)/2
    /// (see [`crate::head`]); empty for a diagonal covariance.
    pub off: Vec<f64>,
}

/// Temperatures for sampling, Graves (2013)'s "biased sampling" as two knobs: `pi`
/// sharpens (< 1) or flattens (> 1) the choice of component, π_k ∝ π_k^(1/t), and 0
/// always picks the most probable one; `sigma` scales every component's spread (Σ_k
/// becomes t² Σ_k), and 0 returns the component's mean itself.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Temperature {
    pub pi: f64,
    pub sigma: f64,
}

impl Temperature {
    /// The model's own distribution.
    pub const ONE: Temperature = Temperature {
        pi: 1.0,
        sigma: 1.0,
    };
    /// The range both temperatures accept, in the page (its sliders, its links) and on
    /// the command line alike.
    pub const RANGE: (f64, f64) = (0.0, 3.0);
}

/// Position of L_ab (a > b) among a component's off-diagonal entries, row by row:
/// (1,0), (2,0), (2,1), (3,0), ... (the layout of [`Mixture::off`] and of the head's rows).
#[inline(always)]
pub fn off_index(a: usize, b: usize) -> usize {
    a * (a - 1) / 2 + b
}

/// The most components or dimensions handled without allocating.
const SMALL: usize = 32;

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
    /// Ok if every parameter is a finite number and every scale is positive; otherwise
    /// the name of the first parameter that is not. Every query of a mixture that passes
    /// (density, mean, mode, samples) gives finite numbers or a clear `-inf` density.
    pub fn check(&self) -> Result<(), &'static str> {
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        if !finite(&self.pi) || self.log_pi.iter().any(|l| l.is_nan() || *l > 0.0) {
            Err("mixing weights π")
        } else if !finite(&self.mu) {
            Err("means μ")
        } else if !self.sigma.iter().all(|s| s.is_finite() && *s > 0.0) {
            Err("scales σ")
        } else if !finite(&self.off) {
            Err("correlations")
        } else {
            Ok(())
        }
    }

    /// Off-diagonal entries per component (0 for a diagonal covariance).
    fn t(&self) -> usize {
        if self.off.is_empty() {
            0
        } else {
            self.d * (self.d - 1) / 2
        }
    }

    /// L_k,ab of component `c` (0 above the diagonal and, for a diagonal covariance,
    /// off it).
    pub fn chol(&self, c: usize, a: usize, b: usize) -> f64 {
        if a == b {
            self.sigma[c * self.d + a]
        } else if a > b && !self.off.is_empty() {
            self.sigma[c * self.d + a] * self.off[c * self.t() + off_index(a, b)]
        } else {
            0.0
        }
    }

    /// Σ_k = L_k L_kᵀ of component `c`, row-major D × D.
    pub fn covariance(&self, c: usize) -> Vec<f64> {
        let d = self.d;
        let mut s = vec![0.0; d * d];
        for a in 0..d {
            for b in 0..d {
                s[a * d + b] = (0..=a.min(b))
                    .map(|j| self.chol(c, a, j) * self.chol(c, b, j))
                    .sum();
            }
        }
        s
    }

    /// ln π_k + ln N(y; μ_k, L_k L_kᵀ) of component `c`, by forward substitution:
    /// z = L⁻¹(y − μ), i.e. z_a = (y_a − μ_a) / L_aa − Σ_b<a N_ab z_b, and
    /// ln N = −½|z|² − Σ_a ln L_aa − (D/2) ln 2π.
    fn component_log_prob(&self, c: usize, y: &[f64]) -> f64 {
        let (d, t) = (self.d, self.t());
        let mut lp = self.log_pi[c] - d as f64 * math::HALF_LN_2PI;
        let mut zbuf = [0.0f64; SMALL];
        let mut zvec = Vec::new();
        let z: &mut [f64] = if d <= SMALL {
            &mut zbuf[..d]
        } else {
            zvec.resize(d, 0.0);
            &mut zvec
        };
        for a in 0..d {
            let s = self.sigma[c * d + a];
            let mut za = (y[a] - self.mu[c * d + a]) / s;
            if t > 0 {
                for b in 0..a {
                    za -= self.off[c * t + off_index(a, b)] * z[b];
                }
            }
            z[a] = za;
            lp -= 0.5 * za * za + math::ln(s);
        }
        lp
    }

    /// ln π_k + ln N(y; μ_k, Σ_k) for each component.
    pub fn component_log_probs(&self, y: &[f64]) -> Vec<f64> {
        (0..self.k).map(|c| self.component_log_prob(c, y)).collect()
    }

    /// ln p(y).
    pub fn log_prob(&self, y: &[f64]) -> f64 {
        // Without allocating for the usual K (this runs for every cell of the heatmap).
        let mut buf = [0.0f64; SMALL];
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

    /// The mean of component `c`.
    pub fn component_mean(&self, c: usize) -> Vec<f64> {
        self.mu[c * self.d..(c + 1) * self.d].to_vec()
    }

    /// The mean of the most probable component: a valid answer on a multi-valued problem.
    pub fn mode_mean(&self) -> Vec<f64> {
        self.component_mean(self.top())
    }

    /// The mixing weights at temperature `t`: π_k^(1/t) renormalised (computed in log
    /// space), i.e. softmax(logits / t). t < 1 favours the likelier components, t > 1
    /// evens them out; t = 0 puts all weight on the most probable one.
    pub fn tempered_weights(&self, t: f64) -> Vec<f64> {
        if t.is_nan() || t <= 0.0 {
            let top = self.top();
            return (0..self.k)
                .map(|c| if c == top { 1.0 } else { 0.0 })
                .collect();
        }
        // Relative to the largest ln π, so that the most probable component stays at 0
        // however small t is (1e-309 made every term −∞, then every weight NaN).
        let top = self.log_pi[self.top()];
        let v: Vec<f64> = self.log_pi.iter().map(|l| (l - top) / t).collect();
        let lse = log_sum_exp(&v);
        v.iter().map(|l| math::exp(l - lse)).collect()
    }

    /// `n` draws at temperature `t`: each a component (by π at temperature `t.pi`) and a
    /// point y = μ_k + t_σ L_k ε, ε standard normal.
    pub fn samples(&self, n: usize, t: Temperature, rng: &mut Rng) -> Vec<(usize, Vec<f64>)> {
        let w = self.tempered_weights(t.pi);
        (0..n)
            .map(|_| self.sample_tempered(&w, t.sigma, rng))
            .collect()
    }

    /// One draw with temperatures: the component by `weights` (from
    /// [`Mixture::tempered_weights`]), then y = μ_k + t_σ L_k ε (t_σ = 0: the mean itself).
    /// Returns the component and the draw.
    pub fn sample_tempered(
        &self,
        weights: &[f64],
        t_sigma: f64,
        rng: &mut Rng,
    ) -> (usize, Vec<f64>) {
        let u = rng.uniform();
        let mut c = self.k - 1;
        let mut acc = 0.0;
        for (i, p) in weights.iter().enumerate() {
            acc += p;
            if u < acc {
                c = i;
                break;
            }
        }
        // Always draw D normals, so that the stream does not depend on t_σ.
        let eps: Vec<f64> = (0..self.d).map(|_| rng.normal()).collect();
        let y = (0..self.d)
            .map(|a| {
                let le: f64 = (0..=a).map(|b| self.chol(c, a, b) * eps[b]).sum();
                self.mu[c * self.d + a] + t_sigma * le
            })
            .collect();
        (c, y)
    }

    /// The most probable point of the density: the highest of the modes found by the
    /// fixed-point iteration y ← (Σ_k r_k(y) Σ_k⁻¹)⁻¹ Σ_k r_k(y) Σ_k⁻¹ μ_k
    /// (Carreira-Perpiñán 2000), started from every component's mean with π_k ≥ 0.01
    /// (at most 100 iterations each).
    pub fn mode(&self) -> Vec<f64> {
        let d = self.d;
        let prec: Vec<Vec<f64>> = (0..self.k).map(|c| self.precision(c)).collect();
        let mut best = self.mode_mean();
        let mut best_lp = self.log_prob(&best);
        for c0 in 0..self.k {
            if self.pi[c0] < 0.01 {
                continue;
            }
            let mut y = self.component_mean(c0);
            for _ in 0..100 {
                let lps = self.component_log_probs(&y);
                let lse = log_sum_exp(&lps);
                let mut a = vec![0.0; d * d];
                let mut rhs = vec![0.0; d];
                for c in 0..self.k {
                    let r = math::exp(lps[c] - lse);
                    if r < 1e-300 {
                        continue;
                    }
                    let p = &prec[c];
                    for i in 0..d {
                        for j in 0..d {
                            a[i * d + j] += r * p[i * d + j];
                            rhs[i] += r * p[i * d + j] * self.mu[c * d + j];
                        }
                    }
                }
                let Some(next) = solve_spd(&a, &rhs, d) else {
                    break;
                };
                let step: f64 = next.iter().zip(&y).map(|(u, v)| (u - v).abs()).sum();
                y = next;
                if step <= 1e-12 * (1.0 + y.iter().map(|v| v.abs()).sum::<f64>()) {
                    break;
                }
            }
            let lp = self.log_prob(&y);
            if lp > best_lp {
                best_lp = lp;
                best = y;
            }
        }
        best
    }

    /// Σ_k⁻¹ = L⁻ᵀ L⁻¹ of component `c`, row-major.
    fn precision(&self, c: usize) -> Vec<f64> {
        let d = self.d;
        // Columns of L⁻¹ by forward substitution.
        let mut inv = vec![0.0; d * d];
        for col in 0..d {
            for a in 0..d {
                let mut e = if a == col { 1.0 } else { 0.0 };
                for b in 0..a {
                    e -= self.chol(c, a, b) * inv[b * d + col];
                }
                inv[a * d + col] = e / self.chol(c, a, a);
            }
        }
        let mut p = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..d {
                p[i * d + j] = (0..d).map(|a| inv[a * d + i] * inv[a * d + j]).sum();
            }
        }
        p
    }
}

/// Solves A x = b for a symmetric positive definite A (row-major n × n) by Cholesky;
/// `None` if A is not numerically positive definite.
fn solve_spd(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = a[i * n + j] - (0..j).map(|m| l[i * n + m] * l[j * n + m]).sum::<f64>();
            if i == j {
                if !(s.is_finite() && s > 0.0) {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        y[i] = (b[i] - (0..i).map(|m| l[i * n + m] * y[m]).sum::<f64>()) / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        x[i] = (y[i] - (i + 1..n).map(|m| l[m * n + i] * x[m]).sum::<f64>()) / l[i * n + i];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}
