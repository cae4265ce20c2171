//! The pen head's loss for training, in any float type and without allocation: −ln p of
//! one move and its gradient with respect to the raw outputs, the same mathematics as
//! [`super::pen::Pen::nll_grad`] with the sampling bias at 0 (see [`super::pen`] for the
//! raw outputs' layout, the σ floor and the bound on ρ̂).

use super::pen::RHO_RAW_MAX;
use crate::base::math::Real;

/// Values kept per component between the density and its gradient.
const PARTS: usize = 9;

/// What the loss needs besides the raw outputs.
#[derive(Clone, Copy, Debug)]
pub struct HeadSpec<T> {
    /// Mixture components.
    pub m: usize,
    /// ln of the σ floor.
    pub ln_floor: T,
}

impl<T: Real> HeadSpec<T> {
    pub fn new(m: usize, sigma_min: f64) -> Self {
        HeadSpec {
            m,
            ln_floor: T::of(crate::base::math::ln(sigma_min)),
        }
    }

    /// Scratch values [`HeadSpec::nll_grad`] needs: per component, [`PARTS`] values.
    pub fn scratch(&self) -> usize {
        PARTS * self.m
    }

    /// −ln p(d, end) for the raw outputs `raw` (1 + 6m values); with `grad`, also its
    /// gradient with respect to them. `tmp` holds at least [`HeadSpec::scratch`] values.
    pub fn nll_grad(
        &self,
        raw: &[T],
        d: [T; 2],
        end: bool,
        grad: Option<&mut [T]>,
        tmp: &mut [T],
    ) -> T {
        let total = self.components(raw, d, tmp);
        let eos = raw[0];
        let (sp, sig) = (if end { -eos } else { eos }).softplus_sigmoid();
        if let Some(grad) = grad {
            grad[0] = if end { -sig } else { sig };
            self.mixture_grad(raw, total, tmp, grad);
        }
        sp - total
    }

    /// ln of the offset's mixture density at `d`; each component's parts in `tmp`:
    /// [ln π_k + ln N_k, z_x, z_y, 1/(1 − ρ²), the quadratic form, π_k, σ_x, σ_y, ρ].
    #[inline(always)]
    fn components(&self, raw: &[T], d: [T; 2], tmp: &mut [T]) -> T {
        let m = self.m;
        // ln π by log-sum-exp of the logits.
        let logits = &raw[1..1 + m];
        let top = logits.iter().fold(T::NEG_INFINITY, |a, &b| a.max(b));
        let mut sum = T::ZERO;
        for (p, &a) in tmp.chunks_exact_mut(PARTS).zip(logits) {
            p[5] = (a - top).exp();
            sum += p[5];
        }
        let lse_pi = top + sum.ln();
        let inv_sum = T::ONE / sum;
        let (two, half) = (T::of(2.0), T::of(0.5));
        let mut best = T::NEG_INFINITY;
        for (k, p) in tmp.chunks_exact_mut(PARTS).take(m).enumerate() {
            let (ls_x, ls_y) = (self.log_sigma(raw, k, 0), self.log_sigma(raw, k, 1));
            let (sx, sy) = (ls_x.exp(), ls_y.exp());
            let r = rho(raw, m, k);
            let zx = (d[0] - raw[1 + m + k]) / sx;
            let zy = (d[1] - raw[1 + 2 * m + k]) / sy;
            let one_r2 = (T::ONE - r) * (T::ONE + r);
            let c = T::ONE / one_r2;
            let q = zx * zx + zy * zy - two * r * zx * zy;
            let ln = -(T::HALF_LN_2PI + T::HALF_LN_2PI) - ls_x - ls_y - half * one_r2.ln()
                + -(half * c * q);
            let term = (logits[k] - lse_pi) + ln;
            best = best.max(term);
            let pi = p[5] * inv_sum;
            p.copy_from_slice(&[term, zx, zy, c, q, pi, sx, sy, r]);
        }
        if best == T::NEG_INFINITY {
            return best;
        }
        let mut sum = T::ZERO;
        for p in tmp.chunks_exact(PARTS).take(m) {
            sum += (p[0] - best).exp();
        }
        best + sum.ln()
    }

    /// The gradient with respect to the mixture's raw outputs (Graves' eqs. 26–33 with the
    /// bias at 0), from the parts [`HeadSpec::components`] left in `tmp`.
    #[inline(always)]
    fn mixture_grad(&self, raw: &[T], total: T, tmp: &[T], grad: &mut [T]) {
        let m = self.m;
        let (one, b) = (T::ONE, T::of(RHO_RAW_MAX));
        for (k, p) in tmp.chunks_exact(PARTS).take(m).enumerate() {
            let [term, zx, zy, c, q, pi, sx, sy, r] = p.try_into().expect("PARTS values");
            let g = (term - total).exp(); // the responsibility γ_k
            let ux = c * (zx - r * zy);
            let uy = c * (zy - r * zx);
            grad[1 + k] = (pi - g).flush();
            grad[1 + m + k] = (-g * ux / sx).flush();
            grad[1 + 2 * m + k] = (-g * uy / sy).flush();
            // A σ̂ below the floor, or a ρ̂ past its bound, is held: no gradient.
            let held = |a: usize| raw[1 + (3 + a) * m + k] < self.ln_floor;
            let free = |held: bool, v: T| if held { T::ZERO } else { v.flush() };
            grad[1 + 3 * m + k] = free(held(0), -g * (zx * ux - one));
            grad[1 + 4 * m + k] = free(held(1), -g * (zy * uy - one));
            let rr = raw[1 + 5 * m + k];
            let held_r = rr > b || rr < -b;
            grad[1 + 5 * m + k] = free(held_r, -g * (zx * zy + r * (one - c * q)));
        }
    }

    /// ln σ of component k on axis a: σ̂ held at or above the floor.
    #[inline(always)]
    fn log_sigma(&self, raw: &[T], k: usize, a: usize) -> T {
        raw[1 + (3 + a) * self.m + k].max(self.ln_floor)
    }
}

/// ρ of component k: tanh of ρ̂ held in ±[`RHO_RAW_MAX`].
#[inline(always)]
fn rho<T: Real>(raw: &[T], m: usize, k: usize) -> T {
    let r = raw[1 + 5 * m + k];
    let b = T::of(RHO_RAW_MAX);
    let r = if r > b {
        b
    } else if r < -b {
        -b
    } else {
        r
    };
    r.tanh()
}
