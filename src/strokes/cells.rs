//! The element-wise steps of the batched LSTM ([`super::batch`]) along a row's lanes —
//! the cell forwards, the gates' derivatives backwards, Graves' clipping — and the packing
//! of time-major rows for the weight gradients. Each loop runs over slices of one length,
//! so it vectorizes; none allocates.

use super::lanes::Lanes;

/// The gates' activations (in place), the new cell, its tanh and h, for H rows of `s`
/// lanes, the first `n` of them: i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o),
/// c = f c₋₁ + i g, h = o tanh(c).
#[inline(always)]
pub(super) fn cell_step<T: Lanes>(
    gates: &mut [T],
    c_prev: &[T],
    c: &mut [T],
    tc: &mut [T],
    h: &mut [T],
    (rows, s, n): (usize, usize, usize),
) {
    let hs = rows * s;
    let (gi, rest) = gates.split_at_mut(hs);
    let (gf, rest) = rest.split_at_mut(hs);
    let (gg, go) = rest.split_at_mut(hs);
    for r in 0..rows {
        let at = r * s..r * s + n;
        cell_row(
            [
                &mut gi[at.clone()],
                &mut gf[at.clone()],
                &mut gg[at.clone()],
                &mut go[at.clone()],
            ],
            &c_prev[at.clone()],
            [&mut c[at.clone()], &mut tc[at.clone()], &mut h[at]],
        );
    }
}

/// [`cell_step`] along one row's lanes (slices of one length, so the loop vectorizes).
#[inline(always)]
fn cell_row<T: Lanes>([gi, gf, gg, go]: [&mut [T]; 4], c_prev: &[T], [c, tc, h]: [&mut [T]; 3]) {
    let n = c.len();
    let (gi, gf, gg, go) = (&mut gi[..n], &mut gf[..n], &mut gg[..n], &mut go[..n]);
    let (c_prev, tc, h) = (&c_prev[..n], &mut tc[..n], &mut h[..n]);
    for j in 0..n {
        let i = gi[j].sigmoid();
        let f = gf[j].sigmoid();
        let g = gg[j].tanh();
        let o = go[j].sigmoid();
        gi[j] = i;
        gf[j] = f;
        gg[j] = g;
        go[j] = o;
        let cj = f * c_prev[j] + i * g;
        c[j] = cj;
        let t = cj.tanh();
        tc[j] = t;
        h[j] = o * t;
    }
}

/// `d` held in ±`bound` (0: not held).
#[inline(always)]
pub(super) fn hold<T: Lanes>(d: T, bound: T) -> T {
    if bound > T::ZERO {
        if d > bound {
            return bound;
        }
        if d < -bound {
            return -bound;
        }
    }
    d
}

/// Rows `0..rows` of a time-major buffer (move t's row r at `t·at + r·s`) packed
/// feature-major into `dst`: each row's active lanes of every move in turn, `act[t]` of
/// them at move t; the packed length, the same for every row. A weight gradient is then
/// one product over contiguous rows (the time-major rows lie a move's whole buffer apart,
/// which the caches and the page tables serve poorly); its sums keep their order, each
/// lane's chain over the moves in turn.
pub(super) fn pack<T: Copy>(
    src: &[T],
    at: usize,
    rows: usize,
    s: usize,
    act: &[usize],
    dst: &mut [T],
) -> usize {
    let lanes: usize = act.iter().sum();
    for r in 0..rows {
        let mut k = r * lanes;
        for (t, &n) in act.iter().enumerate() {
            dst[k..k + n].copy_from_slice(&src[t * at + r * s..t * at + r * s + n]);
            k += n;
        }
    }
    lanes
}

/// One move of one layer backwards: from what reaches h (from above, `dh_up`, and from the
/// next move, `dh_next`) and the cell (`dc_next`, replaced by what goes on to the move
/// before), the derivatives with respect to the gates' inputs `da`, held in ±`bound`.
#[inline(always)]
pub(super) fn gate_derivatives<T: Lanes>(
    (gates, tc, c_prev): (&[T], &[T], &[T]),
    (dh_up, dh_next): (&[T], &[T]),
    dc_next: &mut [T],
    da: &mut [T],
    bound: T,
    (rows, s, n): (usize, usize, usize),
) {
    let hs = rows * s;
    let one = T::ONE;
    let (da_i, rest) = da.split_at_mut(hs);
    let (da_f, rest) = rest.split_at_mut(hs);
    let (da_g, da_o) = rest.split_at_mut(hs);
    for r in 0..rows {
        let (a, b) = (r * s, r * s + n);
        let (gi, gf) = (&gates[a..b], &gates[hs + a..hs + b]);
        let (gg, go) = (
            &gates[2 * hs + a..2 * hs + b],
            &gates[3 * hs + a..3 * hs + b],
        );
        let (tc, c_prev, dh_up, dh_next) = (&tc[a..b], &c_prev[a..b], &dh_up[a..b], &dh_next[a..b]);
        let dc_next = &mut dc_next[a..b];
        let (da_i, da_f) = (&mut da_i[a..b], &mut da_f[a..b]);
        let (da_g, da_o) = (&mut da_g[a..b], &mut da_o[a..b]);
        for j in 0..n {
            let dhj = dh_up[j] + dh_next[j];
            let (i, f, g, o) = (gi[j], gf[j], gg[j], go[j]);
            let t = tc[j];
            let dc = (dhj * o * (one - t * t) + dc_next[j]).flush();
            da_i[j] = hold(dc * g * i * (one - i), bound).flush();
            da_f[j] = hold(dc * c_prev[j] * f * (one - f), bound).flush();
            da_g[j] = hold(dc * i * (one - g * g), bound).flush();
            da_o[j] = hold(dhj * t * o * (one - o), bound).flush();
            dc_next[j] = dc * f;
        }
    }
}
