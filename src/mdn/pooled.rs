//! Mixtures taken together: the even mixture of several (a deep ensemble's predictive,
//! Lakshminarayanan et al. 2017), and a one-output mixture's variance split into the
//! part within its components and the part between them (Choi et al. 2018).

use crate::base::math;
use crate::mdn::family::Family;
use crate::mdn::mixture::{log_sum_exp, Mixture};
use crate::mdn::model::Model;
use ndarray::Array2;

/// A one-output mixture's variance, in two parts: `within` = Σ π_k Var_k (the spread of
/// each component: the noise the model sees) and `between` = Σ π_k (E_k − E)² (how far
/// apart the components sit: a choice between answers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub mean: f64,
    pub within: f64,
    pub between: f64,
}

impl Spread {
    pub fn total(&self) -> f64 {
        self.within + self.between
    }
}

impl Mixture {
    /// The even mixture of `parts` (one family, one output size): p(y) = (1/M) Σ_j p_j(y),
    /// a mixture of every part's components with weights π/M. The hurdle's point masses
    /// average, and its components are weighted by each part's P(y ≠ 0) as well. `None`
    /// for no parts or parts that differ in family, ν or dimension.
    pub fn even(parts: &[Mixture]) -> Option<Mixture> {
        let first = parts.first()?;
        if parts
            .iter()
            .any(|m| m.family != first.family || m.nu != first.nu || m.d != first.d)
        {
            return None;
        }
        let ln_m = math::ln(parts.len() as f64);
        let lse =
            |f: fn(&Mixture) -> f64| log_sum_exp(&parts.iter().map(f).collect::<Vec<_>>()) - ln_m;
        let (ln_zero, ln_nonzero) = (lse(|m| m.ln_p_zero), lse(|m| m.ln_p_nonzero));
        let mut out = Mixture {
            k: parts.iter().map(|m| m.k).sum(),
            pi: Vec::new(),
            log_pi: Vec::new(),
            mu: Vec::new(),
            sigma: Vec::new(),
            off: Vec::new(),
            norm: Vec::new(),
            p_zero: math::exp(ln_zero),
            ln_p_zero: ln_zero,
            ln_p_nonzero: ln_nonzero,
            ..first.clone()
        };
        for m in parts {
            // ln w = ln P_j(y ≠ 0) + ln π_jk − ln M − ln P(y ≠ 0); without a point mass,
            // ln π_jk − ln M.
            let shift = if ln_nonzero == f64::NEG_INFINITY {
                -ln_m
            } else {
                m.ln_p_nonzero - ln_m - ln_nonzero
            };
            for &l in &m.log_pi {
                out.log_pi.push(l + shift);
                out.pi.push(math::exp(l + shift));
            }
            out.mu.extend(&m.mu);
            out.sigma.extend(&m.sigma);
            out.off.extend(&m.off);
        }
        if parts.iter().all(|m| !m.norm.is_empty()) {
            out.norm = parts.iter().flat_map(|m| m.norm.iter().copied()).collect();
        }
        Some(out)
    }

    /// The mean and the within/between split of the variance of a one-output mixture
    /// whose components have one (`None`: angles, Student-t with ν ≤ 2, more outputs).
    /// The hurdle's point mass counts as one more component, at 0 with no spread.
    pub fn spread(&self) -> Option<Spread> {
        if self.d != 1 {
            return None;
        }
        let mut parts: Vec<(f64, f64, f64)> = Vec::with_capacity(self.k + 1);
        for c in 0..self.k {
            let (m, s) = (self.mu[c], self.sigma[c]);
            let (mean, var) = match self.family {
                Family::Gaussian => (m, s * s),
                Family::Laplace => (m, 2.0 * s * s),
                Family::Student if self.nu > 2.0 => (m, s * s * self.nu / (self.nu - 2.0)),
                Family::Hurdle => {
                    let e = math::exp((m + 0.5 * s * s).min(700.0));
                    (e, (math::exp((s * s).min(700.0)) - 1.0) * e * e)
                }
                Family::Student | Family::VonMises => return None,
            };
            parts.push((self.pi[c] * (1.0 - self.p_zero), mean, var));
        }
        if self.family == Family::Hurdle {
            parts.push((self.p_zero, 0.0, 0.0));
        }
        let mean: f64 = parts.iter().map(|(w, m, _)| w * m).sum();
        Some(Spread {
            mean,
            within: parts.iter().map(|(w, _, v)| w * v).sum(),
            between: parts
                .iter()
                .map(|(w, m, _)| w * (m - mean) * (m - mean))
                .sum(),
        })
    }
}

/// An ensemble's variance at one input, from its members' mixtures: `aleatoric`, the
/// members' mean variance (the noise each member sees), and `epistemic`, the variance of
/// the members' means (their disagreement, which more data where they disagree would
/// shrink). They add up to the even mixture's variance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Uncertainty {
    pub mean: f64,
    pub aleatoric: f64,
    pub epistemic: f64,
}

/// [`Uncertainty`] of the members' mixtures (`None` where a member has no variance).
pub fn uncertainty(members: &[Mixture]) -> Option<Uncertainty> {
    let spreads: Vec<Spread> = members.iter().map(Mixture::spread).collect::<Option<_>>()?;
    let n = spreads.len().max(1) as f64;
    let mean = spreads.iter().map(|s| s.mean).sum::<f64>() / n;
    Some(Uncertainty {
        mean,
        aleatoric: spreads.iter().map(Spread::total).sum::<f64>() / n,
        epistemic: spreads
            .iter()
            .map(|s| (s.mean - mean) * (s.mean - mean))
            .sum::<f64>()
            / n,
    })
}

/// Each member's mixtures at the same inputs (rows of `xs`): `out[j][i]` is member j's at
/// input i.
pub fn member_mixtures<'a>(
    members: impl IntoIterator<Item = &'a Model>,
    xs: &Array2<f64>,
) -> Vec<Vec<Mixture>> {
    members.into_iter().map(|m| m.mixtures(xs)).collect()
}

/// The members' mixtures at input `i` (of [`member_mixtures`]).
pub fn at_input(per_member: &[Vec<Mixture>], i: usize) -> Vec<Mixture> {
    per_member.iter().map(|p| p[i].clone()).collect()
}

/// The even mixture at each input (of [`member_mixtures`]).
pub fn even_each(per_member: &[Vec<Mixture>]) -> Vec<Mixture> {
    let inputs = per_member.first().map_or(0, Vec::len);
    (0..inputs)
        .map(|i| Mixture::even(&at_input(per_member, i)).expect("members of one spec"))
        .collect()
}

/// One input's values as the rows of a grid.
pub fn column(xs: &[f64]) -> Array2<f64> {
    Array2::from_shape_fn((xs.len(), 1), |(i, _)| xs[i])
}
