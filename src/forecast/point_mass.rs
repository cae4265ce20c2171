//! Scores on rain's mixed measure. A dry day is exactly 0: a point mass, which has a
//! probability but no density. The hurdle's NLL of a dry day is −ln P(dry | x) and of a
//! wet day −ln(P(wet | x) · p(y | x, wet)); a Gaussian mixture's NLL is a density at
//! every day, dry ones included, and grows without bound as a component squeezes onto 0.
//! The two numbers are on different measures and cannot be compared.
//!
//! On one measure — counting at 0, length above — every model is read the same way: its
//! P(dry) is the probability it puts at or below 0 (all of it for the hurdle's point
//! mass; a Gaussian's mass below 0, which is where its dry days went), and its wet days'
//! density is its density above 0 divided by P(wet). The NLL per day is then
//! log loss of P(dry) + (share of wet days) × (wet days' NLL per wet day), for the MDN,
//! the MSE regressor (a Gaussian with its training RMSE) and the truth alike.

use crate::base::math;
use crate::base::math::Real;
use crate::data::dataset::Data;
use crate::data::dataset::{self, Dataset};
use crate::forecast::Predictive;
use crate::mdn::family::Family;
use crate::mdn::kernels::Kernels;
use crate::mdn::mixture::Mixture;
use crate::mdn::model::Model;
use serde::{Deserialize, Serialize};

/// One model's scores on the mixed measure (nats).
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Parts {
    /// The NLL per day: `dry_log_loss + wet_fraction × wet_nll`.
    pub nll: f64,
    /// The Bernoulli log loss of P(dry), per day: −ln P(dry) on dry days, −ln P(wet) on
    /// wet ones.
    pub dry_log_loss: f64,
    /// −ln p(y | x, wet) per wet day.
    pub wet_nll: f64,
}

/// The MDN, the MSE regressor and the truth on the mixed measure, on the validation set.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct PointMassScores {
    pub mdn: Parts,
    pub baseline: Parts,
    pub bayes: Parts,
    /// The share of wet days in the validation set.
    pub wet_fraction: f64,
}

/// The probabilities below 1e-300 are taken as 1e-300 (an NLL of at most 690.8 a day).
const TINY: f64 = 1e-300;

/// (ln P(dry), ln P(wet), ln p(y | wet)) of a mixture: the hurdle's own, any other's by
/// its mass at or below 0.
fn dry_wet(m: &Mixture, y: f64) -> (f64, f64, f64) {
    if m.family == Family::Hurdle {
        return (
            m.ln_p_zero,
            m.ln_p_nonzero,
            m.log_prob(&[y]) - m.ln_p_nonzero,
        );
    }
    let p0 = m.cdf(0.0).clamp(0.0, 1.0);
    let ln_wet = libm::log1p(-p0).max(math::ln(TINY));
    (math::ln(p0.max(TINY)), ln_wet, m.log_prob(&[y]) - ln_wet)
}

#[derive(Default)]
struct Sums {
    dry_loss: f64,
    wet: f64,
}

impl Sums {
    fn add(&mut self, (ln_dry, ln_wet, ln_p): (f64, f64, f64), y: f64) {
        if y <= 0.0 {
            self.dry_loss -= ln_dry;
        } else {
            self.dry_loss -= ln_wet;
            self.wet -= ln_p;
        }
    }

    fn parts(&self, n: usize, wet: usize) -> Parts {
        let dry_log_loss = self.dry_loss / n as f64;
        let wet_nll = if wet > 0 { self.wet / wet as f64 } else { 0.0 };
        Parts {
            nll: dry_log_loss + wet as f64 / n as f64 * wet_nll,
            dry_log_loss,
            wet_nll,
        }
    }
}

/// The scores on `val` for data with a point mass at zero (rain); `None` for the others.
pub fn scores<R: Real + Kernels>(
    data: Data,
    model: &Model<R>,
    val: &Dataset,
) -> Option<PointMassScores> {
    if data != Data::Rain || model.din() != 1 || model.dout() != 1 {
        return None;
    }
    let xs = ndarray::Array2::from_shape_fn((val.len(), 1), |(i, _)| val.x[[0, i]]);
    let mixtures = model.mixtures(&xs);
    let mut q = model.queries();
    let (mut mdn, mut base, mut bayes) = (Sums::default(), Sums::default(), Sums::default());
    let mut wet = 0;
    for (i, m) in mixtures.iter().enumerate() {
        let (x, y) = (val.x[[0, i]], val.y[[0, i]]);
        wet += usize::from(y > 0.0);
        mdn.add(dry_wet(m, y), y);
        base.add(dry_wet(&q.baseline_mixture(&[x]), y), y);
        let (p_wet, mu, sd) = dataset::rain(x);
        let ln_p = if y > 0.0 {
            let z = (math::ln(y) - mu) / sd;
            -0.5 * z * z - math::ln(sd) - math::HALF_LN_2PI - math::ln(y)
        } else {
            0.0
        };
        bayes.add((math::ln(1.0 - p_wet), math::ln(p_wet), ln_p), y);
    }
    let n = val.len();
    Some(PointMassScores {
        mdn: mdn.parts(n, wet),
        baseline: base.parts(n, wet),
        bayes: bayes.parts(n, wet),
        wet_fraction: wet as f64 / n as f64,
    })
}
