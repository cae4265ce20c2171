//! A mixture: p(y) = Σ_k π_k N(y; μ_k, Σ_k), Σ_k = L_k L_kᵀ with L_k lower triangular
//! (diagonal for a diagonal covariance), or, for the other families, p(y) = Σ_k π_k
//! Π_d f(y_d; μ_kd, σ_kd) ([`crate::mdn::family`]); the hurdle's is P(y = 0) at zero and
//! (1 − P(y = 0)) Σ_k π_k LogNormal(y; μ_k, σ_k) above. See [`crate::mdn::head`] for the layout.

use crate::base::math;
use crate::base::rng::Rng;
use crate::mdn::family::Family;
use crate::mdn::family::{self, Shape};
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
    /// (see [`crate::mdn::head`]); empty for a diagonal covariance.
    pub off: Vec<f64>,
    /// The distribution of every component.
    pub family: Family,
    /// Student-t's degrees of freedom.
    pub nu: f64,
    /// `family=hurdle`: P(y = 0), the point mass (0 for the other families).
    pub p_zero: f64,
    /// ln P(y = 0) and ln P(y ≠ 0), in log space (−∞ and 0 without a point mass).
    #[serde(skip)]
    pub ln_p_zero: f64,
    #[serde(skip)]
    pub ln_p_nonzero: f64,
    /// Each component's and dimension's [`Shape::norm`], `norm[k * d + a]`, computed once
    /// (empty: computed at each use).
    #[serde(skip)]
    pub norm: Vec<f64>,
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

impl Default for Mixture {
    /// One standard normal component in one dimension (the rest of a literal's fields).
    fn default() -> Mixture {
        Mixture::gaussian(1, vec![1.0], vec![0.0], vec![0.0], vec![1.0], Vec::new())
    }
}

impl Mixture {
    /// A Gaussian mixture (the seed's) from its parameters.
    pub fn gaussian(
        d: usize,
        pi: Vec<f64>,
        log_pi: Vec<f64>,
        mu: Vec<f64>,
        sigma: Vec<f64>,
        off: Vec<f64>,
    ) -> Mixture {
        Mixture {
            k: pi.len(),
            d,
            pi,
            log_pi,
            mu,
            sigma,
            off,
            family: Family::Gaussian,
            nu: crate::mdn::family::NU,
            p_zero: 0.0,
            ln_p_zero: f64::NEG_INFINITY,
            ln_p_nonzero: 0.0,
            norm: Vec::new(),
        }
    }

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
        } else if !(self.p_zero.is_finite() && (0.0..=1.0).contains(&self.p_zero)) {
            Err("probability of zero")
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

    /// A Gaussian mixture convolved with N(0, diag(w²)): each covariance Σ_k + diag(w²),
    /// its Cholesky factor recomputed (full covariance) or its scales widened (diagonal).
    /// What a display whose resolution is about `w` can show of a sharp mode. Other
    /// families are returned as they are.
    pub fn smoothed(&self, w: &[f64]) -> Mixture {
        let mut m = self.clone();
        if self.family != Family::Gaussian || w.len() != self.d {
            return m;
        }
        let (d, t) = (self.d, self.t());
        for c in 0..self.k {
            let mut s = self.covariance(c);
            for a in 0..d {
                s[a * d + a] += w[a] * w[a];
            }
            // Cholesky, row by row: L_ab = (S_ab − Σ_j<b L_aj L_bj) / L_bb.
            let mut l = vec![0.0; d * d];
            for a in 0..d {
                for b in 0..=a {
                    let dot: f64 = (0..b).map(|j| l[a * d + j] * l[b * d + j]).sum();
                    l[a * d + b] = if a == b {
                        (s[a * d + a] - dot).max(0.0).sqrt()
                    } else {
                        (s[a * d + b] - dot) / l[b * d + b]
                    };
                }
            }
            for a in 0..d {
                m.sigma[c * d + a] = l[a * d + a];
                for b in 0..a {
                    if t > 0 {
                        m.off[c * t + off_index(a, b)] = l[a * d + b] / l[a * d + a];
                    }
                }
            }
        }
        m
    }

    /// ln π_k + ln N(y; μ_k, L_k L_kᵀ) of component `c`, by forward substitution:
    /// z = L⁻¹(y − μ), i.e. z_a = (y_a − μ_a) / L_aa − Σ_b<a N_ab z_b, and
    /// ln N = −½|z|² − Σ_a ln L_aa − (D/2) ln 2π.
    fn component_log_prob(&self, c: usize, y: &[f64]) -> f64 {
        if self.family != Family::Gaussian {
            let shape = if self.norm.is_empty() {
                self.shape()
            } else {
                Shape::bare(self.family, self.nu)
            };
            let d = self.d;
            return self.log_pi[c]
                + (0..d)
                    .map(|a| {
                        let j = c * d + a;
                        let norm = match self.norm.get(j) {
                            Some(n) => *n,
                            None => shape.norm(self.sigma[j]),
                        };
                        shape.log_pdf_normed(y[a], self.mu[j], self.sigma[j], norm)
                    })
                    .sum::<f64>();
        }
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

    /// The family with its constants.
    pub fn shape(&self) -> Shape {
        Shape::new(self.family, self.nu)
    }

    /// ln p(y): the likelihood of an outcome. With the hurdle's point mass it is mixed:
    /// ln P(y = 0) for y ≤ 0 (a probability), ln P(y ≠ 0) + ln p(y | y > 0) above (a
    /// density); see [`Mixture::log_density`] for the density alone.
    pub fn log_prob(&self, y: &[f64]) -> f64 {
        if self.family == Family::Hurdle {
            return if y[0] <= 0.0 {
                self.ln_p_zero
            } else {
                self.ln_p_nonzero + self.log_lse(y)
            };
        }
        self.log_lse(y)
    }

    /// ln of the density's continuous part: the hurdle's is −∞ at y ≤ 0, where its mass
    /// is a point ([`Mixture::p_zero`]), not a density. What heatmaps and slices draw.
    pub fn log_density(&self, y: &[f64]) -> f64 {
        if self.family == Family::Hurdle && y[0] <= 0.0 {
            return f64::NEG_INFINITY;
        }
        self.log_prob(y)
    }

    /// ln Σ_k π_k f_k(y).
    fn log_lse(&self, y: &[f64]) -> f64 {
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

    /// E[y] = Σ π_k μ_k: what a regressor trained with squared error estimates. Von
    /// Mises: the mean direction, arg Σ π_k A(κ_k) e^(iμ_k) on [0, 2π); the hurdle:
    /// P(y ≠ 0) Σ π_k exp(μ_k + σ_k²/2); Student-t with ν ≤ 1 has no mean: Σ π_k μ_k, the
    /// mixture of its medians.
    pub fn mean(&self) -> Vec<f64> {
        let d = self.d;
        match self.family {
            Family::VonMises => {
                return (0..d)
                    .map(|j| {
                        let (mut sx, mut cx) = (0.0, 0.0);
                        for c in 0..self.k {
                            let kappa = family::concentration(self.sigma[c * d + j]);
                            let a = 1.0 - family::bessel(kappa).1;
                            sx += self.pi[c] * a * libm::sin(self.mu[c * d + j]);
                            cx += self.pi[c] * a * libm::cos(self.mu[c * d + j]);
                        }
                        family::wrap(libm::atan2(sx, cx))
                    })
                    .collect()
            }
            Family::Hurdle => {
                let s: f64 = (0..self.k)
                    .map(|c| {
                        let (m, sg) = (self.mu[c], self.sigma[c]);
                        self.pi[c] * math::exp((m + 0.5 * sg * sg).min(700.0))
                    })
                    .sum();
                return vec![(1.0 - self.p_zero) * s];
            }
            _ => {}
        }
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

    /// Where component `c` sits in dimension `a`, as the plots draw it: its location (von
    /// Mises: wrapped onto [0, 2π); the hurdle's log-normal: its median e^μ).
    pub fn location(&self, c: usize, a: usize) -> f64 {
        let m = self.mu[c * self.d + a];
        match self.family {
            Family::VonMises => family::wrap(m),
            Family::Hurdle => math::exp(m.min(700.0)),
            _ => m,
        }
    }

    /// The edge of component `c`'s band f scales from its location in dimension `a`
    /// (the hurdle's: e^(μ + fσ), a band of ln y).
    pub fn band(&self, c: usize, a: usize, f: f64) -> f64 {
        let s = self.sigma[c * self.d + a];
        match self.family {
            Family::Hurdle => math::exp((self.mu[c * self.d + a] + f * s).min(700.0)),
            _ => self.location(c, a) + f * s,
        }
    }

    /// Component c's part of the density at y: π_c f_c(y) (the hurdle's: times P(y ≠ 0),
    /// and 0 at y ≤ 0).
    pub fn component_density(&self, c: usize, y: &[f64]) -> f64 {
        if self.family == Family::Hurdle && y[0] <= 0.0 {
            return 0.0;
        }
        let extra = if self.family == Family::Hurdle {
            self.ln_p_nonzero
        } else {
            0.0
        };
        math::exp(self.component_log_prob(c, y) + extra)
    }

    /// Whether the outputs are angles (von Mises): plots wrap them.
    pub fn circular(&self) -> bool {
        self.family == Family::VonMises
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
    ///
    /// The hurdle's point mass is one more outcome, weight K (last): the weights are
    /// those of P(y = 0) and P(y ≠ 0) π_k, tempered together.
    pub fn tempered_weights(&self, t: f64) -> Vec<f64> {
        let log_w: Vec<f64> = if self.family == Family::Hurdle {
            let mut v: Vec<f64> = self.log_pi.iter().map(|l| l + self.ln_p_nonzero).collect();
            v.push(self.ln_p_zero);
            v
        } else {
            self.log_pi.clone()
        };
        let top = (0..log_w.len()).fold(0, |b, c| if log_w[c] > log_w[b] { c } else { b });
        if t.is_nan() || t <= 0.0 {
            return (0..log_w.len())
                .map(|c| if c == top { 1.0 } else { 0.0 })
                .collect();
        }
        // Relative to the largest ln π, so that the most probable component stays at 0
        // however small t is (1e-309 made every term −∞, then every weight NaN).
        let top = log_w[top];
        let v: Vec<f64> = log_w.iter().map(|l| (l - top) / t).collect();
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
    /// Returns the component and the draw (the hurdle's point mass is component K).
    pub fn sample_tempered(
        &self,
        weights: &[f64],
        t_sigma: f64,
        rng: &mut Rng,
    ) -> (usize, Vec<f64>) {
        let u = rng.uniform();
        let mut c = weights.len() - 1;
        let mut acc = 0.0;
        for (i, p) in weights.iter().enumerate() {
            acc += p;
            if u < acc {
                c = i;
                break;
            }
        }
        if self.family != Family::Gaussian {
            if c == self.k {
                return (c, vec![0.0]);
            }
            let shape = self.shape();
            let d = self.d;
            let y = (0..d)
                .map(|a| shape.draw(self.mu[c * d + a], self.sigma[c * d + a], t_sigma, rng))
                .collect();
            return (c, y);
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
    ///
    /// The other families: the best of a 120-point grid over every live component's range and each
    /// component's location, refined by golden-section search, one dimension at a time
    /// (two sweeps for two outputs). The hurdle's mode is 0 when P(y = 0) ≥ ½, otherwise
    /// the mode of its amount's density.
    pub fn mode(&self) -> Vec<f64> {
        if self.family != Family::Gaussian {
            return self.mode_by_search();
        }
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

    fn mode_by_search(&self) -> Vec<f64> {
        if self.family == Family::Hurdle && self.p_zero >= 0.5 {
            return vec![0.0];
        }
        let (d, shape) = (self.d, self.shape());
        let live: Vec<usize> = (0..self.k).filter(|&c| self.pi[c] >= 1e-3).collect();
        let at = |c: usize, a: usize| {
            let m = self.mu[c * d + a];
            match self.family {
                Family::Hurdle => math::exp(m.min(700.0)),
                Family::VonMises => family::wrap(m),
                _ => m,
            }
        };
        let mut best: Vec<f64> = (0..d).map(|a| at(self.top(), a)).collect();
        let mut best_lp = self.log_density(&best);
        for &c in &live {
            let y: Vec<f64> = (0..d).map(|a| at(c, a)).collect();
            let lp = self.log_density(&y);
            if lp > best_lp {
                (best, best_lp) = (y, lp);
            }
        }
        for _sweep in 0..d.min(2) {
            for a in 0..d {
                // The search interval: the live components' ranges (Student-t's within 50
                // scales: its mode is near a location, not in the tails).
                let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
                for &c in &live {
                    let (m, s) = (self.mu[c * d + a], self.sigma[c * d + a]);
                    let (l, h) = match self.family {
                        Family::Student => (m - 50.0 * s, m + 50.0 * s),
                        _ => shape.range(m, s),
                    };
                    (lo, hi) = (lo.min(l), hi.max(h));
                }
                let f = |v: f64| {
                    let mut y = best.clone();
                    y[a] = v;
                    self.log_density(&y)
                };
                let n = 120;
                let step = (hi - lo) / n as f64;
                let mut arg = best[a];
                let mut top = best_lp;
                for i in 0..=n {
                    let v = lo + step * i as f64;
                    let lp = f(v);
                    if lp > top {
                        (arg, top) = (v, lp);
                    }
                }
                let (v, lp) = golden_max(&f, arg - step, arg + step, (arg, top));
                best[a] = v;
                best_lp = lp;
            }
        }
        if self.family == Family::VonMises {
            best = best.into_iter().map(family::wrap).collect();
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

/// The largest of `f` on [a, b] by golden-section search (60 steps), or `start` if no
/// point found is higher.
fn golden_max(f: &dyn Fn(f64) -> f64, a: f64, b: f64, start: (f64, f64)) -> (f64, f64) {
    let g = 0.618_033_988_749_894_8;
    let (mut a, mut b) = (a, b);
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..60 {
        if fc > fd {
            b = d;
            (d, fd) = (c, fc);
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            (c, fc) = (d, fd);
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    let (v, lp) = if fc > fd { (c, fc) } else { (d, fd) };
    if lp > start.1 {
        (v, lp)
    } else {
        start
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smoothing_adds_the_widths_to_each_covariance() {
        // Two components in 2-D with full covariances (a correlated one).
        let m = Mixture::gaussian(
            2,
            vec![0.3, 0.7],
            vec![libm::log(0.3), libm::log(0.7)],
            vec![0.0, 1.0, 2.0, -1.0],
            vec![0.01, 0.02, 0.5, 0.3],
            vec![-0.8, 1.5],
        );
        let w = [0.05, 0.1];
        let s = m.smoothed(&w);
        for c in 0..2 {
            let (a, b) = (m.covariance(c), s.covariance(c));
            let want = [a[0] + w[0] * w[0], a[1], a[2], a[3] + w[1] * w[1]];
            for i in 0..4 {
                assert!((b[i] - want[i]).abs() < 1e-14, "{c}: {b:?} vs {want:?}");
            }
        }
        assert_eq!((s.mu.clone(), s.pi.clone()), (m.mu.clone(), m.pi.clone()));
        assert!(s.check().is_ok());
    }
}
