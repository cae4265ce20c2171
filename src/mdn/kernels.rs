//! The block kernels under the network: matrix products over a block of samples held
//! feature-major, the weight gradient as an outer product, transposes, and sums in a
//! fixed order. Each element's sum runs in the same order whatever the vector width or
//! tiling, so these tune speed only, never the bits.

use crate::base::math::Real;
use crate::base::simd::V8;

/// Samples per block.
pub const BLOCK: usize = 128;

/// Vector width of the block kernels: 8 values natively (AVX2: one 256-bit register of
/// f32, two of f64), 4 in wasm (128-bit SIMD). Tiles are ROWS_F32 or ROWS_F64 rows by
/// LANES, so that eight independent accumulators stay in registers. Each element's sum
/// runs in the same order whatever the tiling, so this tunes speed only, never the bits.
#[cfg(not(target_arch = "wasm32"))]
const LANES: usize = 8;
#[cfg(target_arch = "wasm32")]
const LANES: usize = 4;
const ROWS_F32: usize = 4;
const ROWS_F64: usize = 4;

/// The block kernels, instantiated with the vector width that suits each float type.
pub trait Kernels: Real {
    #[allow(clippy::too_many_arguments)]
    fn mat_block(
        out: &mut [Self],
        init: Option<&[Self]>,
        w: &[Self],
        rs: usize,
        cs: usize,
        rows: usize,
        cols: usize,
        inp: &[Self],
        n: usize,
    );
    /// `t[i * dout + o] = dz[o][i]` for `i < nb`: see [`transpose`].
    fn transpose(t: &mut [Self], dz: &[Self], dout: usize, nb: usize);
    /// Whether [`Kernels::outer_transposed`] reads `t` for a layer of `dout` outputs
    /// (else the transpose can be skipped).
    fn reads_transpose(dout: usize) -> bool;
    /// `g[j][o] += Σ_i a[j][i] dz[o][i]`, with `t` holding `dz` transposed ([`transpose`]).
    fn outer_transposed(
        g: &mut [Self],
        a: &[Self],
        dz: &[Self],
        t: &[Self],
        din: usize,
        dout: usize,
        nb: usize,
    );
}

impl Kernels for f64 {
    #[inline(always)]
    fn transpose(t: &mut [f64], dz: &[f64], dout: usize, nb: usize) {
        transpose_scalar(t, dz, dout, 0..nb, 0..dout)
    }
    #[inline(always)]
    fn reads_transpose(_: usize) -> bool {
        true
    }
    #[inline(always)]
    fn mat_block(
        out: &mut [f64],
        init: Option<&[f64]>,
        w: &[f64],
        rs: usize,
        cs: usize,
        rows: usize,
        cols: usize,
        inp: &[f64],
        n: usize,
    ) {
        mat_block::<f64, ROWS_F64, LANES>(out, init, w, rs, cs, rows, cols, inp, n)
    }
    #[inline(always)]
    fn outer_transposed(
        g: &mut [f64],
        a: &[f64],
        _dz: &[f64],
        t: &[f64],
        din: usize,
        dout: usize,
        nb: usize,
    ) {
        outer_block::<f64, ROWS_F64, LANES>(g, a, t, din, dout, nb)
    }
}

/// f32, the training type, has explicit 16-wide kernels (two [`V8`] per row).
impl Kernels for f32 {
    #[inline(always)]
    fn transpose(t: &mut [f32], dz: &[f32], dout: usize, nb: usize) {
        transpose_f32(t, dz, dout, nb)
    }
    #[inline(always)]
    fn reads_transpose(dout: usize) -> bool {
        dout >= WIDE
    }
    #[inline(always)]
    fn mat_block(
        out: &mut [f32],
        init: Option<&[f32]>,
        w: &[f32],
        rs: usize,
        cs: usize,
        rows: usize,
        cols: usize,
        inp: &[f32],
        n: usize,
    ) {
        let mut r0 = 0;
        while r0 + V_ROWS <= rows {
            mat_tile_v::<V_ROWS>(out, init, w, rs, cs, r0, cols, inp, n);
            r0 += V_ROWS;
        }
        while r0 < rows {
            mat_tile_v::<1>(out, init, w, rs, cs, r0, cols, inp, n);
            r0 += 1;
        }
    }
    #[inline(always)]
    fn outer_transposed(
        g: &mut [f32],
        a: &[f32],
        dz: &[f32],
        t: &[f32],
        din: usize,
        dout: usize,
        nb: usize,
    ) {
        if Self::reads_transpose(dout) {
            // Wide layers: lanes along o, each sum over the samples in ascending order.
            let o1 = outer_cols_v(g, a, t, din, dout, nb);
            let o2 = outer_cols::<f32, ROWS_F32, 8>(g, a, t, o1, din, dout, nb);
            let o3 = outer_cols::<f32, ROWS_F32, 4>(g, a, t, o2, din, dout, nb);
            let o4 = outer_cols::<f32, ROWS_F32, 2>(g, a, t, o3, din, dout, nb);
            outer_cols::<f32, ROWS_F32, 1>(g, a, t, o4, din, dout, nb);
        } else {
            // Narrow layers: lanes along the samples, then a fixed tree.
            outer_dot_v(g, a, dz, din, dout, nb, 0);
        }
    }
}

/// `g[j][o] += Σ_i a[j][i] dz[o][i]` for columns `o1..dout`, as dot products across the
/// samples: eight lane sums, added in a fixed tree ([`V8::sum`]). The lanes past `nb` must
/// hold zero in `dz` (see `Network::backward`).
#[inline(always)]
fn outer_dot_v(
    g: &mut [f32],
    a: &[f32],
    dz: &[f32],
    din: usize,
    dout: usize,
    nb: usize,
    o1: usize,
) {
    let n8 = nb.div_ceil(8) * 8;
    assert!(
        n8 <= BLOCK && a.len() >= din * BLOCK && dz.len() >= dout * BLOCK && g.len() >= din * dout
    );
    // dz has zero rows up to a multiple of 4 (Workspace::new); their sums are not stored.
    assert!(dz.len() >= dout.div_ceil(4) * 4 * BLOCK);
    let mut j0 = 0;
    // Two rows at a time natively (16 registers of 8 lanes); wasm's 128-bit registers
    // hold half as much, so one row there. The sums are the same either way.
    while DOT_ROWS == 2 && j0 + 2 <= din {
        for o0 in (o1..dout).step_by(4) {
            dot_tile::<2, 4>(g, a, dz, j0, o0, dout, n8);
        }
        j0 += 2;
    }
    while j0 < din {
        for o0 in (o1..dout).step_by(4) {
            dot_tile::<1, 4>(g, a, dz, j0, o0, dout, n8);
        }
        j0 += 1;
    }
}

#[inline(always)]
fn dot_tile<const RJ: usize, const RO: usize>(
    g: &mut [f32],
    a: &[f32],
    dz: &[f32],
    j0: usize,
    o0: usize,
    dout: usize,
    n8: usize,
) {
    let mut acc = [[V8::splat(0.0); RO]; RJ];
    for i0 in (0..n8).step_by(8) {
        // SAFETY: rows j0 + RJ <= din and o0 + RO <= dout, i0 + 8 <= n8 <= BLOCK
        // (asserted by the caller against the buffers' lengths).
        unsafe {
            let av: [V8; RJ] =
                std::array::from_fn(|r| V8::load(a.as_ptr().add((j0 + r) * BLOCK + i0)));
            let dv: [V8; RO] =
                std::array::from_fn(|c| V8::load(dz.as_ptr().add((o0 + c) * BLOCK + i0)));
            for r in 0..RJ {
                for c in 0..RO {
                    acc[r][c] = acc[r][c].add_mul(av[r], dv[c]);
                }
            }
        }
    }
    for r in 0..RJ {
        for c in 0..RO.min(dout - o0) {
            g[(j0 + r) * dout + o0 + c] += acc[r][c].sum();
        }
    }
}

/// Layers of at least this many outputs take the f32 gradient kernel that reads the
/// transposed gradients (lanes along the outputs); narrower ones, dot products across the
/// samples.
const WIDE: usize = 16;

/// Rows of the narrow-layer dot-product tiles (see `outer_dot_v`).
#[cfg(not(target_arch = "wasm32"))]
const DOT_ROWS: usize = 2;
#[cfg(target_arch = "wasm32")]
const DOT_ROWS: usize = 1;

/// Rows per explicit-vector tile: 4 × 2 registers natively, 2 × 4 in wasm (eight in all).
#[cfg(not(target_arch = "wasm32"))]
const V_ROWS: usize = 4;
#[cfg(target_arch = "wasm32")]
const V_ROWS: usize = 2;

/// [`mat_tile`] for f32 with explicit vectors: rows `r0 .. r0 + R`, 16 samples at a time.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn mat_tile_v<const R: usize>(
    out: &mut [f32],
    init: Option<&[f32]>,
    w: &[f32],
    rs: usize,
    cs: usize,
    r0: usize,
    cols: usize,
    inp: &[f32],
    n16: usize,
) {
    // Every access below stays inside these bounds.
    assert!(
        n16 % 16 == 0 && n16 <= BLOCK && inp.len() >= cols * BLOCK && out.len() >= (r0 + R) * BLOCK
    );
    assert!(cols == 0 || (r0 + R - 1) * rs + (cols - 1) * cs < w.len());
    for i0 in (0..n16).step_by(16) {
        let mut acc = [[V8::splat(0.0); 2]; R];
        if let Some(b) = init {
            for t in 0..R {
                acc[t] = [V8::splat(b[r0 + t]); 2];
            }
        }
        for c in 0..cols {
            // SAFETY: c * BLOCK + i0 + 16 <= cols * BLOCK <= inp.len() (asserted above).
            let (a0, a1) = unsafe {
                let p = inp.as_ptr().add(c * BLOCK + i0);
                (V8::load(p), V8::load(p.add(8)))
            };
            for t in 0..R {
                // SAFETY: index bounded by the assert on w above.
                let m = V8::splat(unsafe { *w.get_unchecked((r0 + t) * rs + c * cs) });
                acc[t][0] = acc[t][0].add_mul(m, a0);
                acc[t][1] = acc[t][1].add_mul(m, a1);
            }
        }
        for t in 0..R {
            // SAFETY: (r0 + t) * BLOCK + i0 + 16 <= (r0 + R) * BLOCK <= out.len().
            unsafe {
                let p = out.as_mut_ptr().add((r0 + t) * BLOCK + i0);
                acc[t][0].store(p);
                acc[t][1].store(p.add(8));
            }
        }
    }
}

/// [`outer_cols`] for f32 with explicit vectors, 16 columns at a time; returns where it
/// stopped (the narrower generic tiles finish the rest).
#[inline(always)]
fn outer_cols_v(g: &mut [f32], a: &[f32], t: &[f32], din: usize, dout: usize, nb: usize) -> usize {
    assert!(nb <= BLOCK && a.len() >= din * BLOCK && t.len() >= nb * dout && g.len() >= din * dout);
    let mut o0 = 0;
    while o0 + 16 <= dout {
        let mut j0 = 0;
        while j0 < din {
            let rows = V_ROWS.min(din - j0);
            let mut acc = [[V8::splat(0.0); 2]; V_ROWS];
            // SAFETY: (j0 + r) * dout + o0 + 16 <= din * dout <= g.len() for r < rows.
            unsafe {
                for r in 0..rows {
                    let p = g.as_ptr().add((j0 + r) * dout + o0);
                    acc[r] = [V8::load(p), V8::load(p.add(8))];
                }
            }
            for i in 0..nb {
                // SAFETY: i * dout + o0 + 16 <= nb * dout <= t.len().
                let (d0, d1) = unsafe {
                    let p = t.as_ptr().add(i * dout + o0);
                    (V8::load(p), V8::load(p.add(8)))
                };
                for r in 0..V_ROWS {
                    if r < rows {
                        // SAFETY: (j0 + r) * BLOCK + i < din * BLOCK <= a.len().
                        let av = V8::splat(unsafe { *a.get_unchecked((j0 + r) * BLOCK + i) });
                        acc[r][0] = acc[r][0].add_mul(av, d0);
                        acc[r][1] = acc[r][1].add_mul(av, d1);
                    }
                }
            }
            // SAFETY: as for the loads.
            unsafe {
                for r in 0..rows {
                    let p = g.as_mut_ptr().add((j0 + r) * dout + o0);
                    acc[r][0].store(p);
                    acc[r][1].store(p.add(8));
                }
            }
            j0 += rows;
        }
        o0 += 16;
    }
    o0
}

/// `t[i * dout + o] = dz[o][i]`: a block's gradients, sample-major.
#[inline(always)]
pub fn transpose<T: Kernels>(t: &mut [T], dz: &[T], dout: usize, nb: usize) {
    T::transpose(t, dz, dout, nb)
}

/// [`transpose`] for the samples `is` and the outputs `os`, one value at a time.
#[inline(always)]
fn transpose_scalar<T: Real>(
    t: &mut [T],
    dz: &[T],
    dout: usize,
    is: std::ops::Range<usize>,
    os: std::ops::Range<usize>,
) {
    for o in os {
        for i in is.clone() {
            t[i * dout + o] = dz[o * BLOCK + i];
        }
    }
}

/// [`transpose`] for f32 in 8 × 8 tiles of vector shuffles (values moved, never changed),
/// the edges one value at a time. A profile of the medium network had the scalar loop at
/// 11% of a threaded step.
#[inline(always)]
fn transpose_f32(t: &mut [f32], dz: &[f32], dout: usize, nb: usize) {
    assert!(nb <= BLOCK && t.len() >= nb * dout && dz.len() >= dout * BLOCK);
    let (i8, o8) = (nb / 8 * 8, dout / 8 * 8);
    for o0 in (0..o8).step_by(8) {
        for i0 in (0..i8).step_by(8) {
            // SAFETY: rows o0..o0 + 8 <= dout of dz, samples i0..i0 + 8 <= nb <= BLOCK;
            // rows i0..i0 + 8 <= nb of t, columns o0..o0 + 8 <= dout (asserted above).
            unsafe {
                crate::base::simd::transpose8(
                    dz.as_ptr().add(o0 * BLOCK + i0),
                    BLOCK,
                    t.as_mut_ptr().add(i0 * dout + o0),
                    dout,
                )
            };
        }
    }
    transpose_scalar(t, dz, dout, i8..nb, 0..dout);
    transpose_scalar(t, dz, dout, 0..i8, o8..dout);
}

/// `nb` rounded up to 16 (the widest tile). Blocks are BLOCK long, so the padding always
/// exists; padded lanes compute on stale but finite values and are never summed.
#[inline(always)]
pub(crate) fn round_up(nb: usize) -> usize {
    nb.div_ceil(16) * 16
}

/// `out[r][i] = init[r] + Σ_c m(r, c) · inp[c][i]` for `r < rows`, `c < cols`, `i < n4`,
/// with `m(r, c) = w[r * rs + c * cs]`. Each element's sum runs over c in ascending order,
/// whatever the tiling, so the result does not depend on the vector width.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn mat_block<T: Real, const RT: usize, const L: usize>(
    out: &mut [T],
    init: Option<&[T]>,
    w: &[T],
    rs: usize,
    cs: usize,
    rows: usize,
    cols: usize,
    inp: &[T],
    n4: usize,
) {
    let mut r0 = 0;
    while r0 + RT <= rows {
        mat_tile::<T, RT, L>(out, init, w, rs, cs, r0, cols, inp, n4);
        r0 += RT;
    }
    while r0 + 2 <= rows {
        mat_tile::<T, 2, L>(out, init, w, rs, cs, r0, cols, inp, n4);
        r0 += 2;
    }
    if r0 < rows {
        mat_tile::<T, 1, L>(out, init, w, rs, cs, r0, cols, inp, n4);
    }
}

/// Rows `r0 .. r0 + R` of [`mat_block`], `R × LANES` accumulators held in registers.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn mat_tile<T: Real, const R: usize, const L: usize>(
    out: &mut [T],
    init: Option<&[T]>,
    w: &[T],
    rs: usize,
    cs: usize,
    r0: usize,
    cols: usize,
    inp: &[T],
    n4: usize,
) {
    let inp = &inp[..cols * BLOCK];
    for i0 in (0..n4).step_by(L) {
        let mut acc = [[T::ZERO; L]; R];
        if let Some(b) = init {
            for t in 0..R {
                acc[t] = [b[r0 + t]; L];
            }
        }
        for c in 0..cols {
            let a: &[T; L] = inp[c * BLOCK + i0..c * BLOCK + i0 + L].try_into().unwrap();
            for t in 0..R {
                let m = w[(r0 + t) * rs + c * cs];
                for l in 0..L {
                    acc[t][l] += m * a[l];
                }
            }
        }
        for t in 0..R {
            out[(r0 + t) * BLOCK + i0..(r0 + t) * BLOCK + i0 + L].copy_from_slice(&acc[t]);
        }
    }
}

/// `g[j * dout + o] += Σ_{i < nb} a[j][i] · dz[o][i]`. `dz` is first transposed into `t`
/// (sample-major), so that the vector lanes run along o and every element's sum runs
/// over the samples in ascending order: no horizontal sums, and the order is fixed.
#[inline(always)]
fn outer_block<T: Real, const RT: usize, const L: usize>(
    g: &mut [T],
    a: &[T],
    t: &[T],
    din: usize,
    dout: usize,
    nb: usize,
) {
    // Full-width tiles, then narrower ones for the remaining columns.
    let o1 = outer_cols::<T, RT, L>(g, a, t, 0, din, dout, nb);
    let o2 = outer_cols::<T, RT, 4>(g, a, t, o1, din, dout, nb);
    let o3 = outer_cols::<T, RT, 2>(g, a, t, o2, din, dout, nb);
    outer_cols::<T, RT, 1>(g, a, t, o3, din, dout, nb);
}

/// The columns `o0..` of [`outer_block`] in tiles `W` wide, as many as fit; returns
/// where it stopped.
#[inline(always)]
fn outer_cols<T: Real, const RT: usize, const W: usize>(
    g: &mut [T],
    a: &[T],
    t: &[T],
    o_start: usize,
    din: usize,
    dout: usize,
    nb: usize,
) -> usize {
    let mut o0 = o_start;
    while o0 + W <= dout {
        let mut j0 = 0;
        while j0 + RT <= din {
            let mut acc = [[T::ZERO; W]; RT];
            for r in 0..RT {
                acc[r].copy_from_slice(&g[(j0 + r) * dout + o0..(j0 + r) * dout + o0 + W]);
            }
            for i in 0..nb {
                let d: &[T; W] = t[i * dout + o0..i * dout + o0 + W].try_into().unwrap();
                for r in 0..RT {
                    let av = a[(j0 + r) * BLOCK + i];
                    for l in 0..W {
                        acc[r][l] += av * d[l];
                    }
                }
            }
            for r in 0..RT {
                g[(j0 + r) * dout + o0..(j0 + r) * dout + o0 + W].copy_from_slice(&acc[r]);
            }
            j0 += RT;
        }
        for j in j0..din {
            let mut acc = [T::ZERO; W];
            acc.copy_from_slice(&g[j * dout + o0..j * dout + o0 + W]);
            for i in 0..nb {
                let d: &[T; W] = t[i * dout + o0..i * dout + o0 + W].try_into().unwrap();
                let av = a[j * BLOCK + i];
                for l in 0..W {
                    acc[l] += av * d[l];
                }
            }
            g[j * dout + o0..j * dout + o0 + W].copy_from_slice(&acc);
        }
        o0 += W;
    }
    o0
}

/// Sum of `a[i] * b[i]` in a fixed order: eight interleaved partial sums, then a fixed tree.
#[inline(always)]
pub fn dot<T: Real>(a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [T::ZERO; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    for (l, (x, y)) in ra.iter().zip(rb).enumerate() {
        acc[l] += *x * *y;
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))
}

/// Sum of `a[i]` in the same fixed order as [`dot`].
#[inline(always)]
pub fn sum<T: Real>(a: &[T]) -> T {
    let mut acc = [T::ZERO; 8];
    let c = a.chunks_exact(8);
    let r = c.remainder();
    for x in c {
        for l in 0..8 {
            acc[l] += x[l];
        }
    }
    for (l, x) in r.iter().enumerate() {
        acc[l] += *x;
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))
}
