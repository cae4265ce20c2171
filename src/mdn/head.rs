//! The mixture head: how the network's raw outputs become mixture parameters.
//!
//! For K components and D output dimensions the last layer has K + K·D + K·T outputs,
//! where T is the number of covariance parameters per component: T = D for a diagonal
//! covariance, T = D(D+1)/2 for a full one.
//!
//! | rows | meaning | map |
//! |---|---|---|
//! | `0 .. K` | mixing logits | π = softmax(logits) |
//! | `K + k·D + a` | mean of component k, dimension a | μ = raw (unconstrained) |
//! | `K + K·D + k·T + a` | diagonal entry L_aa of component k | L_aa = sigma_min + exp(raw) or softplus(raw) |
//! | `K + K·D + k·T + D + a(a−1)/2 + b` | entry L_ab, a > b (`cov=full` only) | L_ab = L_aa · raw |
//!
//! `family=hurdle` adds one row after these, `K + K·D + K·T`: the logit of P(y = 0 | x)
//! (P = sigmoid(raw)). The other families use the diagonal layout as it is, their
//! locations in the mean rows and their scales (σ, b, s; von Mises κ = 1/s²) in the scale
//! rows (see [`crate::mdn::family`]).
//!
//! Σ_k = L_k L_kᵀ. With a diagonal covariance L_k = diag(σ_k1, ..., σ_kD); with a full
//! one L_k is lower triangular with a positive diagonal (a Cholesky factor), which makes
//! every Σ_k symmetric positive definite whatever the network outputs. The diagonal
//! layout is the full one without the off-diagonal entries.
//!
//! The off-diagonal raw outputs are scaled by their row's diagonal entry: L = diag(L_aa)
//! (I + N) with N strictly lower and N_ab = raw. N is dimensionless — rescaling output
//! dimension a rescales L_aa only — so a step of the optimizer moves the Gaussian by the
//! same number of its own widths however narrow it has become. With L_ab = raw instead,
//! a step of 0.01 in L_ab moves a component whose L_aa sits at a floor of 0.01 by a whole
//! width: on the robot arm, whose conditional density is two points, training then
//! jumped between +4 and −5 nats and ended far worse than with a diagonal covariance.

use crate::base::math::{self, Real};
use crate::base::named::{named, Named};
use crate::mdn::family::Family;
use crate::mdn::mixture::{off_index, Mixture};

/// How a raw network output becomes a positive scale σ (before the floor is added).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigmaMap {
    Exp,
    Softplus,
}

named!(SigmaMap { Exp => "exp", Softplus => "softplus" });

/// The fewest and most components a head has.
pub const K_RANGE: (usize, usize) = (1, 30);
/// The σ floor's range.
pub const SIGMA_MIN_RANGE: (f64, f64) = (0.0, 1.0);
/// The π floor's range (ε).
pub const PI_FLOOR_RANGE: (f64, f64) = (0.0, 0.5);

/// The covariance of each component (for outputs of more than one dimension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Covariance {
    /// Σ = diag(σ_1², ..., σ_D²): the dimensions are independent within a component.
    Diagonal,
    /// Σ = L Lᵀ with L lower triangular (a Cholesky factor): any correlation.
    Full,
}

named!(Covariance { Diagonal => "diag", Full => "full" });

/// How the components' means start (what `init` sets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// As the network's random initialisation puts them (all near the same value).
    Plain,
    /// Spread over the training targets (farthest-point sampling), so that each
    /// component starts on a different part of the data.
    Diverse,
}

named!(Init { Plain => "plain", Diverse => "diverse" });

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Head {
    pub k: usize,
    pub d: usize,
    pub cov: Covariance,
    pub sigma: SigmaMap,
    pub sigma_min: f64,
    /// ε: π = (1 − ε) softmax(logits) + ε/K, so that no component's weight goes below
    /// ε/K (0: the plain softmax).
    pub pi_floor: f64,
    /// The distribution of each component.
    pub family: Family,
    /// Student-t's degrees of freedom (`family=student`).
    pub nu: f64,
}

impl Default for Head {
    /// One Gaussian component in one dimension, σ by exp with a floor of 0.01.
    fn default() -> Head {
        Head::gaussian(1, 1, Covariance::Diagonal, SigmaMap::Exp, 0.01, 0.0)
    }
}

impl Head {
    /// Raw outputs the network must produce: K + K·D + K·T (and the hurdle's one more).
    pub fn outputs(&self) -> usize {
        self.zero_row() + usize::from(self.family == Family::Hurdle)
    }

    /// The row of the logit of P(y = 0) (`family=hurdle` only).
    pub fn zero_row(&self) -> usize {
        self.k + self.k * self.d + self.k * self.cov_params()
    }

    /// A Gaussian head (the seed's), with the rest of its description.
    pub fn gaussian(
        k: usize,
        d: usize,
        cov: Covariance,
        sigma: SigmaMap,
        sigma_min: f64,
        pi_floor: f64,
    ) -> Head {
        Head {
            k,
            d,
            cov,
            sigma,
            sigma_min,
            pi_floor,
            family: Family::Gaussian,
            nu: crate::mdn::family::NU,
        }
    }

    /// Covariance parameters per component, T: D (diagonal) or D(D+1)/2 (full).
    pub fn cov_params(&self) -> usize {
        self.d + self.off_params()
    }

    /// Off-diagonal Cholesky entries per component: 0 (diagonal) or D(D−1)/2 (full).
    pub fn off_params(&self) -> usize {
        match self.cov {
            Covariance::Diagonal => 0,
            Covariance::Full => self.d * (self.d - 1) / 2,
        }
    }

    pub fn mean_row(&self, k: usize, d: usize) -> usize {
        self.k + k * self.d + d
    }

    /// The row of L_aa of component k (σ_ka for a diagonal covariance).
    pub fn scale_row(&self, k: usize, a: usize) -> usize {
        self.k + self.k * self.d + k * self.cov_params() + a
    }

    /// The row of N_ab = L_ab / L_aa, a > b, of component k (`cov=full` only).
    pub fn off_row(&self, k: usize, a: usize, b: usize) -> usize {
        debug_assert!(a > b && a < self.d);
        self.scale_row(k, self.d) + off_index(a, b)
    }

    /// σ and dσ/draw for one raw scale output.
    #[inline(always)]
    pub fn scale<R: Real>(&self, raw: R) -> (R, R) {
        let floor = R::of(self.sigma_min);
        match self.sigma {
            SigmaMap::Exp => exp_map(raw, floor),
            SigmaMap::Softplus => softplus_map(raw, floor),
        }
    }

    /// [`Head::scale`] over a run of raw outputs, into `sigma` and `dsigma`. The map is
    /// chosen once, outside the loop: a branch inside would keep it from vectorizing.
    #[inline(always)]
    pub fn scales<R: Real>(&self, raw: &[R], sigma: &mut [R], dsigma: &mut [R]) {
        let floor = R::of(self.sigma_min);
        let run = |map: fn(R, R) -> (R, R), sigma: &mut [R], dsigma: &mut [R]| {
            for ((r, s), d) in raw.iter().zip(sigma.iter_mut()).zip(dsigma.iter_mut()) {
                (*s, *d) = map(*r, floor);
            }
        };
        match self.sigma {
            SigmaMap::Exp => run(exp_map, sigma, dsigma),
            SigmaMap::Softplus => run(softplus_map, sigma, dsigma),
        }
    }

    /// The rows of component `c`'s raw outputs: its logit, means and covariance entries.
    pub fn component_rows(&self, c: usize) -> Vec<usize> {
        let mut r = vec![c];
        r.extend((0..self.d).map(|a| self.mean_row(c, a)));
        r.extend((0..self.cov_params()).map(|t| self.scale_row(c, 0) + t));
        r
    }

    /// The mixture described by one sample's raw outputs.
    pub fn mixture(&self, raw: &[f64]) -> Mixture {
        let (k, d) = (self.k, self.d);
        let logits = &raw[..k];
        let m = logits.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = logits.iter().map(|l| math::exp(l - m)).collect();
        let s: f64 = e.iter().sum();
        let ln_s = math::ln(s);
        let (log_pi, pi) = if self.pi_floor > 0.0 {
            let (a, b) = (1.0 - self.pi_floor, self.pi_floor / k as f64);
            let pi: Vec<f64> = e.iter().map(|x| a * (x / s) + b).collect();
            (pi.iter().map(|p| math::ln(*p)).collect(), pi)
        } else {
            (
                logits.iter().map(|l| (l - m) - ln_s).collect(),
                e.iter().map(|x| x / s).collect(),
            )
        };
        let mu = (0..k * d).map(|r| raw[k + r]).collect();
        let sigma: Vec<f64> = (0..k * d)
            .map(|r| self.scale(raw[self.scale_row(r / d, r % d)]).0)
            .collect();
        let t = self.off_params();
        let off = (0..k * t)
            .map(|r| raw[self.scale_row(r / t, d) + r % t])
            .collect();
        let (p_zero, ln_p_zero, ln_p_nonzero) = if self.family == Family::Hurdle {
            let l = raw[self.zero_row()];
            // ln sigmoid(l) = −softplus(−l), ln(1 − sigmoid(l)) = −softplus(l).
            (
                math::softplus_sigmoid(l).1,
                -math::softplus_sigmoid(-l).0,
                -math::softplus_sigmoid(l).0,
            )
        } else {
            (0.0, f64::NEG_INFINITY, 0.0)
        };
        let norm = if matches!(self.family, Family::VonMises | Family::Student) {
            let shape = crate::mdn::family::Shape::new(self.family, self.nu);
            sigma.iter().map(|s| shape.norm(*s)).collect()
        } else {
            Vec::new()
        };
        Mixture {
            k,
            d,
            pi,
            log_pi,
            mu,
            sigma,
            off,
            norm,
            family: self.family,
            nu: self.nu,
            p_zero,
            ln_p_zero,
            ln_p_nonzero,
        }
    }
}

/// σ = floor + e^r, dσ/dr = e^r (flushed: see `Real::flush`).
#[inline(always)]
fn exp_map<R: Real>(raw: R, floor: R) -> (R, R) {
    let e = raw.exp();
    (floor + e, e.flush())
}

/// σ = floor + ln(1 + e^r), dσ/dr = sigmoid(r).
#[inline(always)]
fn softplus_map<R: Real>(raw: R, floor: R) -> (R, R) {
    let (sp, sig) = raw.softplus_sigmoid();
    (floor + sp, sig.flush())
}
