//! The losses and their exact gradients with respect to the network's raw outputs:
//! the mixture negative log-likelihood (the MDN) and squared error (the baseline).
//!
//! Both work on one block of samples laid out feature-major (see [`crate::mdn::network`]).
//! The NLL stays in log space throughout:
//!
//! ln p(y) = LSE_k [ ln π_k − Σ_d ( ½ z_kd² + ln σ_kd ) − (D/2) ln 2π ],  z_kd = (y_d − μ_kd)/σ_kd
//!
//! with ln π_k = logit_k − LSE(logits), so neither π_k → 0 nor |z| → ∞ produces NaN.
//! With responsibilities r_k = p(k | y), the gradient of −ln p(y) is
//! ∂/∂logit_k = π_k − r_k, ∂/∂μ_kd = −r_k z_kd / σ_kd, ∂/∂σ_kd = r_k (1 − z_kd²) / σ_kd,
//! and ∂σ/∂raw comes from the σ map.
//!
//! With a full covariance Σ_k = L_k L_kᵀ, L_k = diag(s_k)(I + N_k) ([`crate::mdn::head`]), the
//! Gaussian term is found by forward substitution, z_k = L_k⁻¹(y − μ_k), i.e.
//! z_ka = u_ka − Σ_b<a N_k,ab z_kb with u_ka = (y_a − μ_ka)/s_ka, and ln det Σ_k =
//! 2 Σ_a ln s_ka. With w_k = L_k⁻ᵀ z_k (back substitution), the gradient of −ln p(y) is
//! ∂/∂μ_ka = −r_k w_ka, ∂/∂s_ka = r_k (1 − w_ka u_ka s_ka)/s_ka and
//! ∂/∂N_k,ab = −r_k s_ka w_ka z_kb (a > b). For a diagonal L (N = 0, w = z/s, u = z)
//! these are the formulas above. Terms below `Real::TINY` are flushed to zero (see
//! [`Real::flush`]): subnormal numbers would slow the arithmetic down many times over.

use crate::base::math::{self, Real};
use crate::mdn::family::Family;
use crate::mdn::family::Shape;
use crate::mdn::head::Head;
use crate::mdn::kernels::{sum, BLOCK};

/// Scratch buffers for one block, reused across steps.
#[derive(Clone, Debug)]
pub struct LossScratch<R: Real> {
    lp: Vec<R>,
    pi: Vec<R>,
    z: Vec<R>,
    /// σ of each component and dimension.
    sig: Vec<R>,
    dsig: Vec<R>,
    /// w = L⁻ᵀ z of one component (full covariance only).
    w: Vec<R>,
    m: Vec<R>,
    s: Vec<R>,
    /// Per-sample loss of the last block.
    pub nll: Vec<R>,
}

impl<R: Real> LossScratch<R> {
    pub fn new(head: &Head) -> Self {
        let (k, kd) = (head.k, head.k * head.d);
        let v = |n: usize| vec![R::ZERO; n * BLOCK];
        LossScratch {
            lp: v(k),
            pi: v(k),
            z: v(kd),
            sig: v(kd),
            dsig: v(kd),
            w: v(if head.off_params() > 0 { head.d } else { 0 }),
            m: v(1),
            s: v(1),
            nll: v(1),
        }
    }
}

impl<R: Real> LossScratch<R> {
    /// After [`mixture_nll`] on a block of `nb` samples: adds each component's π over the
    /// block to `pi_sum`, and lowers `min_sigma` to the smallest σ (diagonal Cholesky
    /// entry) of any component that has π ≥ `live` at that sample.
    pub fn component_stats(
        &self,
        head: &Head,
        nb: usize,
        live: f64,
        pi_sum: &mut [f64],
        min_sigma: &mut f64,
    ) {
        // π = (1 − ε) p + ε/K with a floor (the buffer holds the softmax p).
        let (a, b) = (1.0 - head.pi_floor, head.pi_floor / head.k as f64);
        let live = (live - b) / a;
        for c in 0..head.k {
            let p = rows(&self.pi, c, nb);
            pi_sum[c] += a * p.iter().map(|v| v.f64()).sum::<f64>() + b * nb as f64;
            for j in 0..head.d {
                let sg = rows(&self.sig, c * head.d + j, nb);
                for i in 0..nb {
                    if p[i].f64() >= live && sg[i].f64() < *min_sigma {
                        *min_sigma = sg[i].f64();
                    }
                }
            }
        }
    }
}

#[inline(always)]
fn rows<R: Real>(buf: &[R], r: usize, nb: usize) -> &[R] {
    &buf[r * BLOCK..r * BLOCK + nb]
}

/// Mixture NLL of the first `nb` samples of a block. `raw` holds the head's outputs,
/// `y` the targets (`d` rows). Returns the sum of −ln p(y_i | x_i) over the block and,
/// if `dz` is given, writes `scale ×` the gradient with respect to `raw` into it.
// A hot loop, long on purpose: the passes over the block's lanes (logits, log-densities,
// log-sum-exp, responsibilities, gradients) share their scratch rows in one body so that
// each row stays in cache between passes and the compiler keeps the lanes in registers.
pub fn mixture_nll<R: Real>(
    head: &Head,
    raw: &[R],
    y: &[R],
    nb: usize,
    scale: R,
    dz: Option<&mut [R]>,
    sc: &mut LossScratch<R>,
) -> R {
    if head.family != Family::Gaussian {
        return family_nll(head, raw, y, nb, scale, dz, sc);
    }
    let (k, d) = (head.k, head.d);
    let LossScratch {
        lp,
        pi,
        z,
        sig,
        dsig,
        w,
        m,
        s,
        nll,
    } = sc;
    let full = head.off_params() > 0;
    let (m, s, nll) = (&mut m[..nb], &mut s[..nb], &mut nll[..nb]);

    // ln π_k by a stable log-softmax; π_k kept for the gradient.
    m.copy_from_slice(rows(raw, 0, nb));
    for c in 1..k {
        for (mi, l) in m.iter_mut().zip(rows(raw, c, nb)) {
            *mi = if *l > *mi { *l } else { *mi };
        }
    }
    s.fill(R::ZERO);
    for c in 0..k {
        let p = &mut pi[c * BLOCK..c * BLOCK + nb];
        for (((p, l), mi), si) in p
            .iter_mut()
            .zip(rows(raw, c, nb))
            .zip(m.iter())
            .zip(s.iter_mut())
        {
            *p = (*l - *mi).exp().flush();
            *si += *p;
        }
    }
    // s now becomes ln s; nll temporarily holds 1/s.
    for (si, inv) in s.iter_mut().zip(nll.iter_mut()) {
        *inv = R::ONE / *si;
        *si = si.ln();
    }
    let half_d_ln2pi = R::of(d as f64) * R::HALF_LN_2PI;
    // With a π floor, ln π_k = ln((1 − ε) p_k + ε/K) (π ≥ ε/K > 0: no underflow).
    let floor = (head.pi_floor > 0.0)
        .then(|| (R::of(1.0 - head.pi_floor), R::of(head.pi_floor / k as f64)));
    for c in 0..k {
        let p = &mut pi[c * BLOCK..c * BLOCK + nb];
        let l = &mut lp[c * BLOCK..c * BLOCK + nb];
        for i in 0..nb {
            p[i] *= nll[i];
            l[i] = ((raw[c * BLOCK + i] - m[i]) - s[i]) - half_d_ln2pi;
        }
        if let Some((a, b)) = floor {
            for i in 0..nb {
                l[i] = (a * p[i] + b).ln() - half_d_ln2pi;
            }
        }
    }
    // Gaussian terms.
    let half = R::of(0.5);
    for c in 0..k {
        for j in 0..d {
            let r = c * d + j;
            let mu = rows(raw, head.mean_row(c, j), nb);
            let rs = rows(raw, head.scale_row(c, j), nb);
            let yj = rows(y, j, nb);
            let l = &mut lp[c * BLOCK..c * BLOCK + nb];
            let (sr, dr) = (
                &mut sig[r * BLOCK..r * BLOCK + nb],
                &mut dsig[r * BLOCK..r * BLOCK + nb],
            );
            head.scales(rs, sr, dr);
            if full {
                // z of this component's earlier dimensions are rows c·d .. r of z.
                let (before, rest) = z.split_at_mut(r * BLOCK);
                let zc = &before[c * d * BLOCK..];
                full_z(head, c, j, nb, raw, yj, mu, sr, zc, &mut rest[..nb], l);
                continue;
            }
            let zr = &mut z[r * BLOCK..r * BLOCK + nb];
            for i in 0..nb {
                let sg = sr[i];
                let zi = (yj[i] - mu[i]) / sg;
                l[i] -= half * zi * zi + sg.ln();
                zr[i] = zi;
            }
        }
    }
    // Log-sum-exp over components; lp becomes exp(lp - max), s the sum.
    m.copy_from_slice(rows(lp, 0, nb));
    for c in 1..k {
        for (mi, l) in m.iter_mut().zip(rows(lp, c, nb)) {
            *mi = if *l > *mi { *l } else { *mi };
        }
    }
    // An all −∞ row (every component infinitely far) would give −∞ − −∞ = NaN: shift by 0.
    for mi in m.iter_mut() {
        *mi = if *mi == R::NEG_INFINITY { R::ZERO } else { *mi };
    }
    s.fill(R::ZERO);
    for c in 0..k {
        let l = &mut lp[c * BLOCK..c * BLOCK + nb];
        for ((li, mi), si) in l.iter_mut().zip(m.iter()).zip(s.iter_mut()) {
            *li = (*li - *mi).exp().flush();
            *si += *li;
        }
    }
    for ((ni, mi), si) in nll.iter_mut().zip(m.iter()).zip(s.iter()) {
        *ni = -(*mi + si.ln());
    }
    let total = sum(nll);

    if let Some(dz) = dz {
        // s becomes scale / S, so that r_k * scale = exp(lp_k - M) * (scale / S).
        for si in s.iter_mut() {
            *si = scale / *si;
        }
        // With a π floor the logits' gradient is (1 − ε) p_j (A − r_j / π_j) (times the
        // scale), A = Σ_k r_k p_k / π_k; m holds A (its maxima are no longer needed).
        if let Some((a, b)) = floor {
            m.fill(R::ZERO);
            for c in 0..k {
                let (l, p) = (rows(lp, c, nb), rows(pi, c, nb));
                for i in 0..nb {
                    m[i] += l[i] * s[i] * p[i] / (a * p[i] + b);
                }
            }
        }
        for c in 0..k {
            let l = &lp[c * BLOCK..c * BLOCK + nb];
            let p = &pi[c * BLOCK..c * BLOCK + nb];
            let g = &mut dz[c * BLOCK..c * BLOCK + nb];
            if let Some((a, b)) = floor {
                for i in 0..nb {
                    g[i] = (a * p[i] * (m[i] - l[i] * s[i] / (a * p[i] + b))).flush();
                }
            } else {
                for i in 0..nb {
                    g[i] = (p[i] * scale - l[i] * s[i]).flush();
                }
            }
            if full {
                full_gradient(head, c, nb, raw, l, s, z, sig, dsig, w, dz);
                continue;
            }
            for j in 0..d {
                let r = c * d + j;
                let (zr, sr, dr) = (rows(z, r, nb), rows(sig, r, nb), rows(dsig, r, nb));
                let (gm, gs) = {
                    let (a, b) = dz.split_at_mut(head.scale_row(c, j) * BLOCK);
                    (
                        &mut a[head.mean_row(c, j) * BLOCK..head.mean_row(c, j) * BLOCK + nb],
                        &mut b[..nb],
                    )
                };
                for i in 0..nb {
                    let rk = l[i] * s[i];
                    let inv_s = R::ONE / sr[i];
                    gm[i] = (-rk * zr[i] * inv_s).flush();
                    gs[i] = (rk * (R::ONE - zr[i] * zr[i]) * inv_s * dr[i]).flush();
                }
            }
        }
    }
    total
}

/// [`mixture_nll`] for the families other than the Gaussian ([`crate::mdn::family`]), one
/// sample at a time in f64: ln p(y) = LSE_k [ln π_k + Σ_d ln f(y_d; μ_kd, s_kd)], and with
/// r_k = p(k | y) the gradient of −ln p(y) is ∂/∂logit_k = π_k − r_k (with a π floor as
/// in the Gaussian head), ∂/∂μ_kd = −r_k ∂ln f/∂μ, ∂/∂s_kd = −r_k ∂ln f/∂s.
///
/// The hurdle's sample with y ≤ 0 is dry: −ln p = −ln P(0) = softplus(−l) for its logit
/// l, whose gradient is P(0) − 1, and no other output gets any. A wet one adds
/// −ln P(y ≠ 0) = softplus(l) (gradient P(0)) to the log-normal mixture's −ln p(y | wet).
/// Fills the scratch's π and σ rows as the Gaussian loss does (for the diagnostics).
// A hot loop, long for the same reason as `mixture_nll`: one body per block keeps the
// scratch rows warm across the per-family density, log-sum-exp and gradient passes.
fn family_nll<R: Real>(
    head: &Head,
    raw: &[R],
    y: &[R],
    nb: usize,
    scale: R,
    mut dz: Option<&mut [R]>,
    sc: &mut LossScratch<R>,
) -> R {
    let (k, d) = (head.k, head.d);
    let shape = Shape::new(head.family, head.nu);
    let hurdle = head.family == Family::Hurdle;
    let (fa, fb) = (1.0 - head.pi_floor, head.pi_floor / k as f64);
    let floor = head.pi_floor > 0.0;
    let scale = scale.f64();
    let mut p = vec![0.0; k];
    let mut lp = vec![0.0; k];
    let mut dm = vec![0.0; k * d];
    let mut ds = vec![0.0; k * d];
    let mut dsig = vec![0.0; k * d];
    let at = |r: usize, i: usize| raw[r * BLOCK + i].f64();
    let mut total = 0.0;
    for i in 0..nb {
        // Softmax of the logits (the buffer keeps p, as the Gaussian loss does).
        let m = (0..k).map(|c| at(c, i)).fold(f64::NEG_INFINITY, f64::max);
        let mut s = 0.0;
        for c in 0..k {
            p[c] = math::exp(at(c, i) - m);
            s += p[c];
        }
        let ln_s = math::ln(s);
        for c in 0..k {
            lp[c] = if floor {
                math::ln(fa * (p[c] / s) + fb)
            } else {
                (at(c, i) - m) - ln_s
            };
            p[c] /= s;
            sc.pi[c * BLOCK + i] = R::of(p[c]);
        }
        for c in 0..k {
            for a in 0..d {
                let (sg, dg) = head.scale(at(head.scale_row(c, a), i));
                sc.sig[(c * d + a) * BLOCK + i] = R::of(sg);
                dsig[c * d + a] = dg;
            }
        }
        let dry = hurdle && y[i].f64() <= 0.0;
        let l_zero = if hurdle { at(head.zero_row(), i) } else { 0.0 };
        let nll = if dry {
            math::softplus_sigmoid(-l_zero).0
        } else {
            for c in 0..k {
                for a in 0..d {
                    let j = c * d + a;
                    let (v, gm, gs) = shape.log_pdf_grad(
                        y[a * BLOCK + i].f64(),
                        at(head.mean_row(c, a), i),
                        sc.sig[j * BLOCK + i].f64(),
                    );
                    lp[c] += v;
                    (dm[j], ds[j]) = (gm, gs);
                }
            }
            let top = lp.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let top = if top == f64::NEG_INFINITY { 0.0 } else { top };
            let mut sum = 0.0;
            for v in lp.iter_mut() {
                *v = math::exp(*v - top);
                sum += *v;
            }
            // lp now holds the responsibilities.
            for v in lp.iter_mut() {
                *v /= sum;
            }
            let wet = if hurdle {
                math::softplus_sigmoid(l_zero).0
            } else {
                0.0
            };
            wet - (top + math::ln(sum))
        };
        sc.nll[i] = R::of(nll);
        total += nll;
        let Some(g) = dz.as_deref_mut() else {
            continue;
        };
        let put = |g: &mut [R], r: usize, v: f64| g[r * BLOCK + i] = R::of(v * scale).flush();
        if hurdle {
            let p0 = math::softplus_sigmoid(l_zero).1;
            put(g, head.zero_row(), if dry { p0 - 1.0 } else { p0 });
        }
        if dry {
            for r in 0..head.zero_row() {
                put(g, r, 0.0);
            }
            continue;
        }
        // With a π floor: (1 − ε) p_j (A − r_j / π_j), A = Σ_k r_k p_k / π_k.
        let big_a: f64 = if floor {
            (0..k).map(|c| lp[c] * p[c] / (fa * p[c] + fb)).sum()
        } else {
            0.0
        };
        for c in 0..k {
            let r = lp[c];
            let gl = if floor {
                fa * p[c] * (big_a - r / (fa * p[c] + fb))
            } else {
                p[c] - r
            };
            put(g, c, gl);
            for a in 0..d {
                let j = c * d + a;
                put(g, head.mean_row(c, a), -r * dm[j]);
                put(g, head.scale_row(c, a), -r * ds[j] * dsig[j]);
            }
        }
    }
    R::of(total)
}

/// Forward substitution for dimension `j` of a full-covariance component `c`:
/// z_j = (y_j − μ_j)/s_j − Σ_b<j N_jb z_b (`before` holds z_0..z_j−1), and its Gaussian
/// term subtracted from `l`. Kept out of line so that the diagonal loop stays as lean.
#[inline(never)]
fn full_z<R: Real>(
    head: &Head,
    c: usize,
    j: usize,
    nb: usize,
    raw: &[R],
    yj: &[R],
    mu: &[R],
    sr: &[R],
    before: &[R],
    zr: &mut [R],
    l: &mut [R],
) {
    let half = R::of(0.5);
    for i in 0..nb {
        zr[i] = (yj[i] - mu[i]) / sr[i];
    }
    for b in 0..j {
        let nab = rows(raw, head.off_row(c, j, b), nb);
        let zb = &before[b * BLOCK..b * BLOCK + nb];
        for i in 0..nb {
            zr[i] -= nab[i] * zb[i];
        }
    }
    for i in 0..nb {
        l[i] -= half * zr[i] * zr[i] + sr[i].ln();
    }
}

/// The gradient of a full-covariance component `c` with respect to its means, scales
/// s_a and off-diagonal entries N_ab: w = L⁻ᵀ z by back substitution, then the formulas
/// of the module comment. `l[i] * s[i]` is the responsibility r_k times the loss scale.
#[inline(never)]
fn full_gradient<R: Real>(
    head: &Head,
    c: usize,
    nb: usize,
    raw: &[R],
    l: &[R],
    s: &[R],
    z: &[R],
    sig: &[R],
    dsig: &[R],
    w: &mut [R],
    dz: &mut [R],
) {
    let d = head.d;
    // w_a = (z_a − Σ_b>a L_ba w_b) / s_a with L_ba = s_b N_ba.
    for a in (0..d).rev() {
        let (wa, after) = w[a * BLOCK..].split_at_mut(BLOCK);
        let wa = &mut wa[..nb];
        wa.copy_from_slice(rows(z, c * d + a, nb));
        for b in a + 1..d {
            let nba = rows(raw, head.off_row(c, b, a), nb);
            let sb = rows(sig, c * d + b, nb);
            let wb = &after[(b - a - 1) * BLOCK..(b - a - 1) * BLOCK + nb];
            for i in 0..nb {
                wa[i] -= sb[i] * nba[i] * wb[i];
            }
        }
        let sr = rows(sig, c * d + a, nb);
        for i in 0..nb {
            wa[i] = wa[i] / sr[i];
        }
    }
    for a in 0..d {
        let r = c * d + a;
        let (za, sr, dr, wa) = (
            rows(z, r, nb),
            rows(sig, r, nb),
            rows(dsig, r, nb),
            rows(w, a, nb),
        );
        let gm = &mut dz[head.mean_row(c, a) * BLOCK..][..nb];
        for i in 0..nb {
            gm[i] = (-(l[i] * s[i]) * wa[i]).flush();
        }
        // u_a = z_a + Σ_b<a N_ab z_b, accumulated in the scale row's gradient slot.
        let srow = head.scale_row(c, a) * BLOCK;
        dz[srow..srow + nb].copy_from_slice(za);
        for b in 0..a {
            let (zb, nab) = (rows(z, c * d + b, nb), rows(raw, head.off_row(c, a, b), nb));
            let orow = head.off_row(c, a, b) * BLOCK;
            for i in 0..nb {
                dz[srow + i] += nab[i] * zb[i];
                dz[orow + i] = (-(l[i] * s[i]) * sr[i] * wa[i] * zb[i]).flush();
            }
        }
        let gs = &mut dz[srow..srow + nb];
        for i in 0..nb {
            let rk = l[i] * s[i];
            gs[i] = (rk * (R::ONE - wa[i] * gs[i] * sr[i]) / sr[i] * dr[i]).flush();
        }
    }
}

/// Squared error of the first `nb` samples: `pred` and `y` have `d` rows. Adds each
/// dimension's sum of squared errors to `sse` and, if `dz` is given, writes
/// `scale × 2 (pred − y)` into it.
pub fn squared_error<R: Real>(
    pred: &[R],
    y: &[R],
    d: usize,
    nb: usize,
    scale: R,
    mut dz: Option<&mut [R]>,
    sse: &mut [f64],
    tmp: &mut [R],
) {
    for j in 0..d {
        let (p, t) = (rows(pred, j, nb), rows(y, j, nb));
        let e = &mut tmp[..nb];
        for i in 0..nb {
            e[i] = p[i] - t[i];
        }
        let two_scale = R::of(2.0) * scale;
        if let Some(dz) = dz.as_deref_mut() {
            let g = &mut dz[j * BLOCK..j * BLOCK + nb];
            for i in 0..nb {
                g[i] = two_scale * e[i];
            }
        }
        sse[j] += crate::mdn::kernels::dot(e, e).f64();
    }
}
