//! The kernels under the batched LSTM: a chunk's words are the vector lanes. Every
//! matrix is held feature-major with `s` lanes per feature (`s` a multiple of 8), so a
//! row of weights meets eight words at once. Each element's sum runs in one fixed order,
//! whatever the tiling or vector width, so these tune speed only, never the bits: f32
//! runs on [`V8`] (AVX natively, simd128 in wasm, an array elsewhere), f64 (the gradient
//! checks) on plain loops in the same order.

use crate::base::math::Real;
use crate::base::simd::V8;

/// The three products of the batched LSTM.
pub trait Lanes: Real {
    /// `out[r·s + i] = init[r] + Σ_{c < cols} w[r·rs + c] · inp[c·s + i]` for `r < rows`
    /// and the first `n` lanes `i < n` of `s` (0 for `init` when it is `None`); the sum
    /// runs over c in ascending order.
    #[allow(clippy::too_many_arguments)]
    fn gemm(
        out: &mut [Self],
        init: Option<&[Self]>,
        w: &[Self],
        rs: usize,
        rows: usize,
        cols: usize,
        inp: &[Self],
        s: usize,
        n: usize,
    );

    /// `g[r·gs + c] += Σ_{i < n} a[r·n + i] · b[c·n + i]` for `r < rows`, `c < cols`
    /// (`n` a multiple of 8; rows of `n` lanes, packed): per lane a chain over i in
    /// ascending order, then the eight lanes' chains added in a fixed tree ([`V8::sum`]).
    #[allow(clippy::too_many_arguments)]
    fn outer(g: &mut [Self], gs: usize, a: &[Self], rows: usize, b: &[Self], cols: usize, n: usize);

    /// `g[r] += Σ_{i < n} a[r·n + i]`, in the order of [`Lanes::outer`].
    fn row_sums(g: &mut [Self], a: &[Self], rows: usize, n: usize) {
        if n == 0 {
            return;
        }
        for (gr, row) in g.iter_mut().zip(a.chunks_exact(n)).take(rows) {
            let mut acc = [Self::ZERO; 8];
            for lane in row.chunks_exact(8) {
                for l in 0..8 {
                    acc[l] += lane[l];
                }
            }
            *gr += tree(&acc);
        }
    }
}

/// Eight lane sums added as [`V8::sum`] adds them.
#[inline(always)]
fn tree<T: Real>(a: &[T; 8]) -> T {
    ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]))
}

impl Lanes for f64 {
    fn gemm(
        out: &mut [f64],
        init: Option<&[f64]>,
        w: &[f64],
        rs: usize,
        rows: usize,
        cols: usize,
        inp: &[f64],
        s: usize,
        n: usize,
    ) {
        for r in 0..rows {
            let row = &mut out[r * s..r * s + n];
            row.fill(init.map_or(0.0, |b| b[r]));
            for c in 0..cols {
                let m = w[r * rs + c];
                for (o, x) in row.iter_mut().zip(&inp[c * s..c * s + n]) {
                    *o += m * x;
                }
            }
        }
    }

    fn outer(g: &mut [f64], gs: usize, a: &[f64], rows: usize, b: &[f64], cols: usize, n: usize) {
        for r in 0..rows {
            for c in 0..cols {
                let mut acc = [0.0; 8];
                let (ar, bc) = (&a[r * n..(r + 1) * n], &b[c * n..(c + 1) * n]);
                for (x, y) in ar.chunks_exact(8).zip(bc.chunks_exact(8)) {
                    for l in 0..8 {
                        acc[l] += x[l] * y[l];
                    }
                }
                g[r * gs + c] += tree(&acc);
            }
        }
    }
}

impl Lanes for f32 {
    fn gemm(
        out: &mut [f32],
        init: Option<&[f32]>,
        w: &[f32],
        rs: usize,
        rows: usize,
        cols: usize,
        inp: &[f32],
        s: usize,
        n: usize,
    ) {
        assert!(n % 8 == 0 && n <= s && inp.len() >= cols * s && out.len() >= rows * s);
        assert!(rows == 0 || cols == 0 || (rows - 1) * rs + cols <= w.len());
        assert!(init.is_none_or(|b| b.len() >= rows));
        let mut r0 = 0;
        if n % 16 == 0 {
            while r0 + WIDE_ROWS <= rows {
                gemm_tile::<WIDE_ROWS, 2>(out, init, w, rs, r0, cols, inp, s, n);
                r0 += WIDE_ROWS;
            }
            while r0 < rows {
                gemm_tile::<1, 2>(out, init, w, rs, r0, cols, inp, s, n);
                r0 += 1;
            }
        } else {
            while r0 + NARROW_ROWS <= rows {
                gemm_tile::<NARROW_ROWS, 1>(out, init, w, rs, r0, cols, inp, s, n);
                r0 += NARROW_ROWS;
            }
            while r0 < rows {
                gemm_tile::<1, 1>(out, init, w, rs, r0, cols, inp, s, n);
                r0 += 1;
            }
        }
    }

    fn outer(g: &mut [f32], gs: usize, a: &[f32], rows: usize, b: &[f32], cols: usize, n: usize) {
        assert!(n % 8 == 0 && a.len() >= rows * n && b.len() >= cols * n);
        assert!(rows == 0 || cols == 0 || (rows - 1) * gs + cols <= g.len());
        // Columns in blocks whose lanes stay in the core's cache while every row passes
        // over them.
        let block = (OUTER_CACHE / (4 * n.max(1))).max(4) / 4 * 4;
        let mut c0 = 0;
        while c0 < cols {
            let c1 = (c0 + block).min(cols);
            let mut r0 = 0;
            while r0 < rows {
                let wide = r0 + OUTER_ROWS <= rows;
                let mut c = c0;
                while c + OUTER_COLS <= c1 {
                    if wide {
                        outer_tile::<OUTER_ROWS, OUTER_COLS>(g, gs, a, b, r0, c, n)
                    } else {
                        outer_tile::<1, OUTER_COLS>(g, gs, a, b, r0, c, n)
                    }
                    c += OUTER_COLS;
                }
                while c < c1 {
                    if wide {
                        outer_tile::<OUTER_ROWS, 1>(g, gs, a, b, r0, c, n)
                    } else {
                        outer_tile::<1, 1>(g, gs, a, b, r0, c, n)
                    }
                    c += 1;
                }
                r0 += if wide { OUTER_ROWS } else { 1 };
            }
            c0 = c1;
        }
    }
}

/// Rows per tile of the f32 kernels, so that the accumulators (rows × vectors) stay in
/// registers with room for the loads: natively sixteen 8-lane AVX registers; in wasm
/// sixteen 128-bit ones, each half a [`V8`]. The sums are the same whatever the tiling.
#[cfg(not(target_arch = "wasm32"))]
const WIDE_ROWS: usize = 6;
#[cfg(target_arch = "wasm32")]
const WIDE_ROWS: usize = 2;
#[cfg(not(target_arch = "wasm32"))]
const NARROW_ROWS: usize = 8;
#[cfg(target_arch = "wasm32")]
const NARROW_ROWS: usize = 4;
/// [`Lanes::outer`]'s tiles: more rows than columns, because the columns' lanes come
/// from the second-level cache (a block of them serves every row) and the rows' from the
/// first: two columns per four rows halve the traffic of four columns per two.
#[cfg(not(target_arch = "wasm32"))]
const OUTER_ROWS: usize = 4;
#[cfg(target_arch = "wasm32")]
const OUTER_ROWS: usize = 2;
const OUTER_COLS: usize = 2;

/// Bytes of the right-hand lanes [`Lanes::outer`] keeps hot at once (half a typical
/// 512 KiB second-level cache).
const OUTER_CACHE: usize = 256 * 1024;

/// Rows `r0 .. r0 + R` of [`Lanes::gemm`] for f32, `V` vectors of 8 lanes at a time
/// (`n` a multiple of 8V):
/// `R × V` accumulators in registers, each weight read once per `8V` words.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn gemm_tile<const R: usize, const V: usize>(
    out: &mut [f32],
    init: Option<&[f32]>,
    w: &[f32],
    rs: usize,
    r0: usize,
    cols: usize,
    inp: &[f32],
    s: usize,
    n: usize,
) {
    for i0 in (0..n).step_by(8 * V) {
        let mut acc = [[V8::splat(0.0); V]; R];
        if let Some(b) = init {
            for t in 0..R {
                acc[t] = [V8::splat(b[r0 + t]); V];
            }
        }
        for c in 0..cols {
            // SAFETY: c·s + i0 + 8V <= cols·s <= inp.len() (asserted by the caller).
            let x: [V8; V] =
                std::array::from_fn(|v| unsafe { V8::load(inp.as_ptr().add(c * s + i0 + 8 * v)) });
            for t in 0..R {
                // SAFETY: (r0 + t)·rs + c < rows·rs... bounded by the caller's assert on w.
                let m = V8::splat(unsafe { *w.get_unchecked((r0 + t) * rs + c) });
                for v in 0..V {
                    acc[t][v] = acc[t][v].add_mul(m, x[v]);
                }
            }
        }
        for t in 0..R {
            for v in 0..V {
                // SAFETY: (r0 + t)·s + i0 + 8(v + 1) <= rows·s <= out.len().
                unsafe { acc[t][v].store(out.as_mut_ptr().add((r0 + t) * s + i0 + 8 * v)) };
            }
        }
    }
}

/// Rows `r0 .. r0 + RJ` by columns `c0 .. c0 + RO` of [`Lanes::outer`] for f32.
#[inline(always)]
fn outer_tile<const RJ: usize, const RO: usize>(
    g: &mut [f32],
    gs: usize,
    a: &[f32],
    b: &[f32],
    r0: usize,
    c0: usize,
    n: usize,
) {
    let mut acc = [[V8::splat(0.0); RO]; RJ];
    for i0 in (0..n).step_by(8) {
        // SAFETY: (r0 + r)·n + i0 + 8 <= rows·n <= a.len(), and likewise for b (asserted
        // by the caller).
        unsafe {
            let av: [V8; RJ] = std::array::from_fn(|r| V8::load(a.as_ptr().add((r0 + r) * n + i0)));
            let bv: [V8; RO] = std::array::from_fn(|c| V8::load(b.as_ptr().add((c0 + c) * n + i0)));
            for r in 0..RJ {
                for c in 0..RO {
                    acc[r][c] = acc[r][c].add_mul(av[r], bv[c]);
                }
            }
        }
    }
    for r in 0..RJ {
        for c in 0..RO {
            g[(r0 + r) * gs + c0 + c] += acc[r][c].sum();
        }
    }
}
