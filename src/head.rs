//! The mixture head: how the network's raw outputs become mixture parameters.
//!
//! For K components and D output dimensions the last layer has K + 2KD outputs:
//!
//! | rows | meaning | map |
//! |---|---|---|
//! | `0 .. K` | mixing logits | π = softmax(logits) |
//! | `K + k·D + d` | mean of component k, dimension d | μ = raw (unconstrained) |
//! | `K + K·D + k·D + d` | scale of component k, dimension d | σ = sigma_min + exp(raw) or softplus(raw) |
//!
//! Covariance is diagonal: Σ_k = diag(σ_k1², ..., σ_kD²).

use crate::math::{self, Real};
use crate::mixture::Mixture;
use crate::spec::SigmaMap;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Head {
    pub k: usize,
    pub d: usize,
    pub sigma: SigmaMap,
    pub sigma_min: f64,
}

impl Head {
    /// Raw outputs the network must produce: K + 2KD.
    pub fn outputs(&self) -> usize {
        self.k + 2 * self.k * self.d
    }

    pub fn mean_row(&self, k: usize, d: usize) -> usize {
        self.k + k * self.d + d
    }

    pub fn scale_row(&self, k: usize, d: usize) -> usize {
        self.k + self.k * self.d + k * self.d + d
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

    /// The mixture described by one sample's raw outputs.
    pub fn mixture(&self, raw: &[f64]) -> Mixture {
        let (k, d) = (self.k, self.d);
        let logits = &raw[..k];
        let m = logits.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = logits.iter().map(|l| math::exp(l - m)).collect();
        let s: f64 = e.iter().sum();
        let ln_s = math::ln(s);
        let log_pi = logits.iter().map(|l| (l - m) - ln_s).collect();
        let pi = e.iter().map(|x| x / s).collect();
        let mu = (0..k * d).map(|r| raw[k + r]).collect();
        let sigma = (0..k * d)
            .map(|r| self.scale(raw[k + k * d + r]).0)
            .collect();
        Mixture {
            k,
            d,
            pi,
            log_pi,
            mu,
            sigma,
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
