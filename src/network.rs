//! The network: a multilayer perceptron with a linear last layer, trained by
//! hand-written backpropagation.
//!
//! Parameters live in one flat vector (the optimizer sees one slice). For each layer,
//! in order: the weights, `in x out` row-major (`w[j * out + o]` connects input j to
//! output o), then the `out` biases. The model file stores exactly this.
//!
//! Work happens in blocks of up to [`BLOCK`] samples held feature-major (`a[f * BLOCK + i]`),
//! so every inner loop runs across samples: it vectorizes, and the order of every sum is
//! fixed by the code, never by the CPU, so results are the same bits everywhere.

use crate::math;
use crate::rng::Rng;
use crate::spec::Activation;

/// Samples per block.
pub const BLOCK: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    /// Layer widths, input first, output last: `[din, h1, ..., dout]`.
    pub sizes: Vec<usize>,
    pub act: Activation,
    pub params: Vec<f64>,
}

/// Per-block activations (kept for the backward pass) and their gradients.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// `acts[0]` is the input block, `acts[l]` the output of layer l (after the activation,
    /// except the last, which is linear).
    pub acts: Vec<Vec<f64>>,
    /// Gradient of the loss with respect to `acts[l]`; the loss writes the last one.
    pub grads: Vec<Vec<f64>>,
    /// Scratch for transposing a block (sample-major).
    t: Vec<f64>,
}

impl Workspace {
    pub fn new(sizes: &[usize]) -> Self {
        let v = || sizes.iter().map(|&s| vec![0.0; s * BLOCK]).collect::<Vec<_>>();
        let widest = sizes.iter().copied().max().unwrap_or(0);
        Workspace { acts: v(), grads: v(), t: vec![0.0; widest * BLOCK] }
    }

    pub fn input_mut(&mut self) -> &mut [f64] {
        &mut self.acts[0]
    }

    pub fn output(&self) -> &[f64] {
        self.acts.last().unwrap()
    }

    pub fn output_grad_mut(&mut self) -> &mut [f64] {
        self.grads.last_mut().unwrap()
    }
}

/// Vector width of the block kernels (samples per register tile). Each element's sum runs
/// in the same order whatever the width, so this tunes speed only, never the bits:
/// 8 keeps eight independent accumulators in flight with AVX2's 16 registers; wasm's
/// 128-bit SIMD has room for fewer.
#[cfg(not(target_arch = "wasm32"))]
const LANES: usize = 8;
#[cfg(target_arch = "wasm32")]
const LANES: usize = 4;
/// Rows per register tile.
const ROWS: usize = 4;

/// `nb` rounded up to whole lanes. Blocks are BLOCK long, so the padding always exists;
/// the padded lanes compute on stale but finite values and are never summed.
#[inline(always)]
fn round_up(nb: usize) -> usize {
    nb.div_ceil(LANES) * LANES
}

/// `out[r][i] = init[r] + Σ_c m(r, c) · inp[c][i]` for `r < rows`, `c < cols`, `i < n4`,
/// with `m(r, c) = w[r * rs + c * cs]`. Each element's sum runs over c in ascending order,
/// whatever the tiling, so the result does not depend on the vector width.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn mat_block(out: &mut [f64], init: Option<&[f64]>, w: &[f64], rs: usize, cs: usize, rows: usize, cols: usize, inp: &[f64], n4: usize) {
    let mut r0 = 0;
    while r0 + ROWS <= rows {
        mat_tile::<ROWS>(out, init, w, rs, cs, r0, cols, inp, n4);
        r0 += ROWS;
    }
    for r in r0..rows {
        mat_tile::<1>(out, init, w, rs, cs, r, cols, inp, n4);
    }
}

/// Rows `r0 .. r0 + R` of [`mat_block`], `R × LANES` accumulators held in registers.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn mat_tile<const R: usize>(out: &mut [f64], init: Option<&[f64]>, w: &[f64], rs: usize, cs: usize, r0: usize, cols: usize, inp: &[f64], n4: usize) {
    let inp = &inp[..cols * BLOCK];
    for i0 in (0..n4).step_by(LANES) {
        let mut acc = [[0.0f64; LANES]; R];
        if let Some(b) = init {
            for t in 0..R {
                acc[t] = [b[r0 + t]; LANES];
            }
        }
        for c in 0..cols {
            let a: &[f64; LANES] = inp[c * BLOCK + i0..c * BLOCK + i0 + LANES].try_into().unwrap();
            for t in 0..R {
                let m = w[(r0 + t) * rs + c * cs];
                for l in 0..LANES {
                    acc[t][l] += m * a[l];
                }
            }
        }
        for t in 0..R {
            out[(r0 + t) * BLOCK + i0..(r0 + t) * BLOCK + i0 + LANES].copy_from_slice(&acc[t]);
        }
    }
}

/// `g[j * dout + o] += Σ_{i < nb} a[j][i] · dz[o][i]`. `dz` is first transposed into `t`
/// (sample-major), so that the vector lanes run along o and every element's sum runs
/// over the samples in ascending order: no horizontal sums, and the order is fixed.
#[inline(always)]
fn outer_block(g: &mut [f64], a: &[f64], dz: &[f64], din: usize, dout: usize, nb: usize, t: &mut [f64]) {
    for o in 0..dout {
        for i in 0..nb {
            t[i * dout + o] = dz[o * BLOCK + i];
        }
    }
    // Full-width tiles, then narrower ones for the remaining columns.
    let o1 = outer_cols::<LANES>(g, a, t, 0, din, dout, nb);
    let o2 = outer_cols::<2>(g, a, t, o1, din, dout, nb);
    outer_cols::<1>(g, a, t, o2, din, dout, nb);
}

/// The columns `o0..` of [`outer_block`] in tiles `W` wide, as many as fit; returns
/// where it stopped.
#[inline(always)]
fn outer_cols<const W: usize>(g: &mut [f64], a: &[f64], t: &[f64], o_start: usize, din: usize, dout: usize, nb: usize) -> usize {
    let mut o0 = o_start;
    while o0 + W <= dout {
        let mut j0 = 0;
        while j0 + ROWS <= din {
            let mut acc = [[0.0f64; W]; ROWS];
            for r in 0..ROWS {
                acc[r].copy_from_slice(&g[(j0 + r) * dout + o0..(j0 + r) * dout + o0 + W]);
            }
            for i in 0..nb {
                let d: &[f64; W] = t[i * dout + o0..i * dout + o0 + W].try_into().unwrap();
                for r in 0..ROWS {
                    let av = a[(j0 + r) * BLOCK + i];
                    for l in 0..W {
                        acc[r][l] += av * d[l];
                    }
                }
            }
            for r in 0..ROWS {
                g[(j0 + r) * dout + o0..(j0 + r) * dout + o0 + W].copy_from_slice(&acc[r]);
            }
            j0 += ROWS;
        }
        for j in j0..din {
            let mut acc = [0.0f64; W];
            acc.copy_from_slice(&g[j * dout + o0..j * dout + o0 + W]);
            for i in 0..nb {
                let d: &[f64; W] = t[i * dout + o0..i * dout + o0 + W].try_into().unwrap();
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
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    for (l, (x, y)) in ra.iter().zip(rb).enumerate() {
        acc[l] += x * y;
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))
}

/// Sum of `a[i]` in the same fixed order as [`dot`].
#[inline(always)]
pub fn sum(a: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let c = a.chunks_exact(8);
    let r = c.remainder();
    for x in c {
        for l in 0..8 {
            acc[l] += x[l];
        }
    }
    for (l, x) in r.iter().enumerate() {
        acc[l] += x;
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]))
}

impl Network {
    /// A network with seeded initialisation: Glorot-uniform weights for tanh,
    /// He-uniform for relu, zero biases. The last layer is scaled by `last_scale`.
    pub fn new(sizes: &[usize], act: Activation, rng: &mut Rng, last_scale: f64) -> Self {
        assert!(sizes.len() >= 2);
        let count: usize = sizes.windows(2).map(|w| w[0] * w[1] + w[1]).sum();
        let mut params = Vec::with_capacity(count);
        let layers = sizes.len() - 1;
        for (l, w) in sizes.windows(2).enumerate() {
            let (fan_in, fan_out) = (w[0] as f64, w[1] as f64);
            let mut limit = match act {
                Activation::Tanh => (6.0 / (fan_in + fan_out)).sqrt(),
                Activation::Relu => (6.0 / fan_in).sqrt(),
            };
            if l + 1 == layers {
                limit = (6.0 / (fan_in + fan_out)).sqrt() * last_scale;
            }
            for _ in 0..w[0] * w[1] {
                params.push(rng.range(-limit, limit));
            }
            params.extend(std::iter::repeat(0.0).take(w[1]));
        }
        Network { sizes: sizes.to_vec(), act, params }
    }

    pub fn din(&self) -> usize {
        self.sizes[0]
    }

    pub fn dout(&self) -> usize {
        *self.sizes.last().unwrap()
    }

    pub fn layers(&self) -> usize {
        self.sizes.len() - 1
    }

    /// Offset of layer l's weights in `params`; its biases follow them.
    pub fn offset(&self, l: usize) -> usize {
        self.sizes.windows(2).take(l).map(|w| w[0] * w[1] + w[1]).sum()
    }

    /// Forward pass over the first `nb` samples of `ws.acts[0]`.
    pub fn forward(&self, ws: &mut Workspace, nb: usize) {
        let n4 = round_up(nb);
        let last = self.layers() - 1;
        for l in 0..self.layers() {
            let (din, dout) = (self.sizes[l], self.sizes[l + 1]);
            let off = self.offset(l);
            let (w, b) = self.params[off..off + din * dout + dout].split_at(din * dout);
            let (before, after) = ws.acts.split_at_mut(l + 1);
            // z[o] = b[o] + Σ_j w[j][o] a[j]
            mat_block(&mut after[0], Some(b), w, 1, dout, dout, din, &before[l], n4);
            if l < last {
                let z = &mut after[0];
                for o in 0..dout {
                    let zo = &mut z[o * BLOCK..o * BLOCK + n4];
                    match self.act {
                        Activation::Tanh => zo.iter_mut().for_each(|v| *v = math::tanh(*v)),
                        Activation::Relu => zo.iter_mut().for_each(|v| *v = v.max(0.0)),
                    }
                }
            }
        }
    }

    /// Backward pass: from `ws.grads[last]` (set by the loss) accumulate the parameter
    /// gradient into `grad`, for the first `nb` samples of the block.
    pub fn backward(&self, ws: &mut Workspace, nb: usize, grad: &mut [f64]) {
        let n4 = round_up(nb);
        for l in (0..self.layers()).rev() {
            let (din, dout) = (self.sizes[l], self.sizes[l + 1]);
            let off = self.offset(l);
            let w = &self.params[off..off + din * dout];
            let (gw, gb) = grad[off..off + din * dout + dout].split_at_mut(din * dout);
            let (gbefore, gafter) = ws.grads.split_at_mut(l + 1);
            let dz = &gafter[0];
            let a = &ws.acts[l];
            for o in 0..dout {
                gb[o] += sum(&dz[o * BLOCK..o * BLOCK + nb]);
            }
            // gw[j][o] += Σ_i a[j][i] dz[o][i]
            outer_block(gw, a, dz, din, dout, nb, &mut ws.t);
            if l == 0 {
                break;
            }
            // Gradient with respect to this layer's input: da[j] = Σ_o w[j][o] dz[o],
            // then through the activation.
            let da = &mut gbefore[l];
            mat_block(da, None, w, dout, 1, din, dout, dz, n4);
            for j in 0..din {
                let daj = &mut da[j * BLOCK..j * BLOCK + n4];
                let aj = &a[j * BLOCK..j * BLOCK + n4];
                match self.act {
                    Activation::Tanh => {
                        for (d, h) in daj.iter_mut().zip(aj) {
                            *d *= 1.0 - h * h;
                        }
                    }
                    Activation::Relu => {
                        for (d, h) in daj.iter_mut().zip(aj) {
                            *d = if *h > 0.0 { *d } else { 0.0 };
                        }
                    }
                }
            }
        }
    }

    /// Outputs for a single input (queries; not the training path).
    pub fn predict(&self, x: &[f64], ws: &mut Workspace) -> Vec<f64> {
        for (j, v) in x.iter().enumerate() {
            ws.acts[0][j * BLOCK] = *v;
        }
        self.forward(ws, 1);
        (0..self.dout()).map(|o| ws.output()[o * BLOCK]).collect()
    }
}
