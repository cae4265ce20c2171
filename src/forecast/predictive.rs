//! The predictive distributions a forecast is read from: what every one of them offers
//! ([`Predictive`]), a mixture of any family, and a Gaussian mixture prepared for many
//! density evaluations ([`Mixture1`]).

use crate::base::math::{self, phi_cdf};
use crate::mdn::family::Family;
use crate::mdn::mixture::Mixture;

/// A one-dimensional predictive distribution: what intervals and scores need of it.
pub trait Predictive {
    /// F(y) = P(Y ≤ y).
    fn cdf(&self, y: f64) -> f64;
    /// The density p(y).
    fn pdf(&self, y: f64) -> f64;
    /// An interval holding all but a negligible mass (below 1e-15 on each side), and the
    /// points where the density may peak or bend (for the level-set search).
    fn support(&self) -> (f64, f64, Vec<f64>);
    /// F(y−): the probability strictly below y (differs from F(y) only at a point mass).
    fn cdf_below(&self, y: f64) -> f64 {
        self.cdf(y)
    }
    /// Whether the density can be flat over an interval (then HPD ranks are randomised
    /// on ties); a Gaussian mixture's never is.
    fn has_plateaus(&self) -> bool {
        false
    }
    /// Whether it is a single Gaussian (its HPD region is then its central interval).
    fn is_gaussian(&self) -> bool {
        false
    }
    /// A point mass, as (where, its probability): the hurdle's dry days at 0. On the
    /// mixed measure (counting at the point, length elsewhere) its "density" is its
    /// probability, which is what HPD regions and log scores compare with p(y).
    fn atom(&self) -> Option<(f64, f64)> {
        None
    }
}
/// The density of an outcome on the measure the forecast lives on: the point mass's
/// probability at its point, the density p(y) elsewhere. Its logarithm is the log score
/// (the NLL of a dry day is −ln P(y = 0), of a wet one −ln p(y)).
pub fn mixed_density(f: &impl Predictive, y: f64) -> f64 {
    match f.atom() {
        Some((at, p)) if y == at => p,
        _ => f.pdf(y),
    }
}
impl Predictive for Mixture {
    /// Every family's CDF ([`crate::mdn::family::Shape::cdf`]): von Mises from 0 (angles), the
    /// hurdle's with its jump of P(y = 0) at zero.
    fn cdf(&self, y: f64) -> f64 {
        debug_assert_eq!(self.d, 1);
        if self.family != Family::Gaussian {
            let shape = self.shape();
            let wet: f64 = (0..self.k)
                .filter(|&c| self.pi[c] > 0.0)
                .map(|c| self.pi[c] * shape.cdf(y, self.mu[c], self.sigma[c]))
                .sum();
            return match self.family {
                Family::Hurdle if y < 0.0 => 0.0,
                Family::Hurdle => self.p_zero + (1.0 - self.p_zero) * wet,
                _ => wet,
            }
            .clamp(0.0, 1.0);
        }
        let s: f64 = (0..self.k)
            .map(|c| self.pi[c] * phi_cdf((y - self.mu[c]) / self.sigma[c]))
            .sum();
        s.clamp(0.0, 1.0)
    }

    fn cdf_below(&self, y: f64) -> f64 {
        if self.family == Family::Hurdle && y <= 0.0 {
            return 0.0;
        }
        self.cdf(y)
    }

    fn atom(&self) -> Option<(f64, f64)> {
        (self.family == Family::Hurdle && self.p_zero > 0.0).then_some((0.0, self.p_zero))
    }

    /// The density's continuous part (the hurdle's point mass is in the CDF's jump).
    fn pdf(&self, y: f64) -> f64 {
        math::exp(self.log_density(&[y]))
    }

    fn support(&self) -> (f64, f64, Vec<f64>) {
        if self.family != Family::Gaussian {
            let shape = self.shape();
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            let mut peaks = Vec::new();
            for c in 0..self.k {
                if self.pi[c] < 1e-15 {
                    continue;
                }
                let (m, s) = (self.mu[c], self.sigma[c]);
                let (l, h) = shape.range(m, s);
                (lo, hi) = (lo.min(l), hi.max(h));
                peaks.extend(SHAPE.iter().map(|z| match self.family {
                    Family::Hurdle => math::exp((m + z * s).min(700.0)),
                    Family::VonMises => crate::mdn::family::wrap(m + z * s),
                    _ => m + z * s,
                }));
            }
            if self.family == Family::Hurdle {
                lo = 0.0;
            }
            return (lo, hi, peaks);
        }
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut peaks = Vec::with_capacity(self.k);
        for c in 0..self.k {
            if self.pi[c] < 1e-15 {
                continue;
            }
            // 8.3σ leaves less than 1e-16 of a component outside.
            lo = lo.min(self.mu[c] - 8.3 * self.sigma[c]);
            hi = hi.max(self.mu[c] + 8.3 * self.sigma[c]);
            peaks.extend(SHAPE.iter().map(|z| self.mu[c] + z * self.sigma[c]));
        }
        (lo, hi, peaks)
    }
}
/// Where a Gaussian component's shape is resolved, in its σ: its peak and its flanks (so
/// that a thin component between two points of a coarse grid is neither missed nor its
/// mass misjudged).
const SHAPE: [f64; 11] = [-3.0, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0];
/// A one-dimensional Gaussian mixture prepared for many density evaluations (the level-set
/// searches): each component's weight over its normalising constant and its inverse
/// scale, so that p(y) costs K exponentials and nothing else. Components with π below
/// 1e-15 are left out (they move no probability this module reports).
#[derive(Clone, Debug)]
pub struct Mixture1 {
    pi: Vec<f64>,
    mu: Vec<f64>,
    sigma: Vec<f64>,
    inv_sigma: Vec<f64>,
    coef: Vec<f64>,
}
impl Mixture1 {
    pub fn new(m: &Mixture) -> Mixture1 {
        debug_assert_eq!(m.d, 1);
        let keep: Vec<usize> = (0..m.k).filter(|&c| m.pi[c] >= 1e-15).collect();
        let inv_sqrt_2pi = math::exp(-math::HALF_LN_2PI);
        Mixture1 {
            pi: keep.iter().map(|&c| m.pi[c]).collect(),
            mu: keep.iter().map(|&c| m.mu[c]).collect(),
            sigma: keep.iter().map(|&c| m.sigma[c]).collect(),
            inv_sigma: keep.iter().map(|&c| 1.0 / m.sigma[c]).collect(),
            coef: keep
                .iter()
                .map(|&c| m.pi[c] * inv_sqrt_2pi / m.sigma[c])
                .collect(),
        }
    }
}
impl Predictive for Mixture1 {
    fn cdf(&self, y: f64) -> f64 {
        let s: f64 = (0..self.pi.len())
            .map(|c| self.pi[c] * phi_cdf((y - self.mu[c]) * self.inv_sigma[c]))
            .sum();
        s.clamp(0.0, 1.0)
    }

    fn pdf(&self, y: f64) -> f64 {
        (0..self.pi.len())
            .map(|c| {
                let z = (y - self.mu[c]) * self.inv_sigma[c];
                self.coef[c] * math::exp(-0.5 * z * z)
            })
            .sum()
    }

    fn support(&self) -> (f64, f64, Vec<f64>) {
        let lo = (0..self.pi.len())
            .map(|c| self.mu[c] - 8.3 * self.sigma[c])
            .fold(f64::INFINITY, f64::min);
        let hi = (0..self.pi.len())
            .map(|c| self.mu[c] + 8.3 * self.sigma[c])
            .fold(f64::NEG_INFINITY, f64::max);
        let pts = (0..self.pi.len())
            .flat_map(|c| SHAPE.iter().map(move |z| self.mu[c] + z * self.sigma[c]))
            .collect();
        (lo, hi, pts)
    }

    fn is_gaussian(&self) -> bool {
        self.pi.len() == 1
    }
}
