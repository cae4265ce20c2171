//! The continuous ranked probability score of a Gaussian mixture, in closed form.

use crate::base::math::{phi_cdf, phi_pdf};
use crate::mdn::mixture::Mixture;

/// A(μ, s²) = E|X| for X ~ N(μ, s²) = 2s φ(μ/s) + μ (2Φ(μ/s) − 1).
fn abs_mean(mu: f64, var: f64) -> f64 {
    let s = var.sqrt();
    let z = mu / s;
    2.0 * s * phi_pdf(z) + mu * (2.0 * phi_cdf(z) - 1.0)
}
/// The continuous ranked probability score of a Gaussian mixture for the outcome y,
/// CRPS = ∫ (F(z) − 1{z ≥ y})² dz, in closed form (Grimit, Gneiting, Berrocal and
/// Johnson 2006, Q. J. R. Meteorol. Soc. 132, eq. (A.3)): CRPS = E|X − y| − ½ E|X − X′|
/// = Σ_k π_k A(y − μ_k, σ_k²) − ½ Σ_k Σ_l π_k π_l A(μ_k − μ_l, σ_k² + σ_l²).
pub fn crps_mixture(m: &Mixture, y: f64) -> f64 {
    debug_assert_eq!(m.d, 1);
    let mut first = 0.0;
    let mut second = 0.0;
    for k in 0..m.k {
        if m.pi[k] == 0.0 {
            continue;
        }
        let vk = m.sigma[k] * m.sigma[k];
        first += m.pi[k] * abs_mean(y - m.mu[k], vk);
        for l in 0..m.k {
            if m.pi[l] == 0.0 {
                continue;
            }
            second += m.pi[k] * m.pi[l] * abs_mean(m.mu[k] - m.mu[l], vk + m.sigma[l] * m.sigma[l]);
        }
    }
    (first - 0.5 * second).max(0.0)
}
