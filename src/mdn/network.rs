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

use crate::base::math::Real;
use crate::base::rng::Rng;
use crate::mdn::kernels::{round_up, sum, transpose, Kernels, BLOCK};

use crate::base::named::{named, Named};

/// The hidden layers' activation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Tanh,
    Relu,
}

named!(Activation { Tanh => "tanh", Relu => "relu" });

/// The most hidden layers, and the narrowest and widest.
pub const LAYERS_MAX: usize = 4;
pub const WIDTH_RANGE: (usize, usize) = (1, 256);

#[derive(Clone, Debug, PartialEq)]
pub struct Network<R: Real> {
    /// Layer widths, input first, output last: `[din, h1, ..., dout]`.
    pub sizes: Vec<usize>,
    pub act: Activation,
    pub params: Vec<R>,
}

/// Per-block activations (kept for the backward pass) and their gradients.
#[derive(Clone, Debug)]
pub struct Workspace<R: Real> {
    /// `acts[0]` is the input block, `acts[l]` the output of layer l (after the activation,
    /// except the last, which is linear).
    pub acts: Vec<Vec<R>>,
    /// Gradient of the loss with respect to `acts[l]`; the loss writes the last one.
    pub grads: Vec<Vec<R>>,
    /// Scratch for transposing a block (sample-major).
    t: Vec<R>,
}

impl<R: Real> Workspace<R> {
    pub fn new(sizes: &[usize]) -> Self {
        let v = |pad: usize| {
            sizes
                .iter()
                .map(|&s| vec![R::ZERO; s.div_ceil(pad) * pad * BLOCK])
                .collect::<Vec<_>>()
        };
        let widest = sizes.iter().copied().max().unwrap_or(0);
        // Gradient rows are padded to a multiple of 4 with rows that stay zero, so that
        // the narrow outer products can always work four columns at a time.
        Workspace {
            acts: v(1),
            grads: v(4),
            t: vec![R::ZERO; widest * BLOCK],
        }
    }

    pub fn output(&self) -> &[R] {
        self.acts.last().unwrap()
    }
}

impl<R: Real + Kernels> Network<R> {
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
                params.push(R::of(rng.range(-limit, limit)));
            }
            params.extend(std::iter::repeat_n(R::ZERO, w[1]));
        }
        Network {
            sizes: sizes.to_vec(),
            act,
            params,
        }
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

    /// Where output `r` of the last layer lives in `params`: the indices of its incoming
    /// weights (one per unit of the layer below), and of its bias.
    pub fn output_row(&self, r: usize) -> (std::iter::StepBy<std::ops::Range<usize>>, usize) {
        let last = self.offset(self.layers() - 1);
        let (fan_in, outs) = (self.sizes[self.layers() - 1], self.dout());
        (
            (last + r..last + fan_in * outs + r).step_by(outs),
            last + fan_in * outs + r,
        )
    }

    /// Offset of layer l's weights in `params`; its biases follow them.
    pub fn offset(&self, l: usize) -> usize {
        self.sizes
            .windows(2)
            .take(l)
            .map(|w| w[0] * w[1] + w[1])
            .sum()
    }

    /// Forward pass over the first `nb` samples of `ws.acts[0]`.
    pub fn forward(&self, ws: &mut Workspace<R>, nb: usize) {
        let n4 = round_up(nb);
        let last = self.layers() - 1;
        for l in 0..self.layers() {
            let (din, dout) = (self.sizes[l], self.sizes[l + 1]);
            let off = self.offset(l);
            let (w, b) = self.params[off..off + din * dout + dout].split_at(din * dout);
            let (before, after) = ws.acts.split_at_mut(l + 1);
            // z[o] = b[o] + Σ_j w[j][o] a[j]
            R::mat_block(
                &mut after[0],
                Some(b),
                w,
                1,
                dout,
                dout,
                din,
                &before[l],
                n4,
            );
            if l < last {
                let z = &mut after[0];
                for o in 0..dout {
                    let zo = &mut z[o * BLOCK..o * BLOCK + n4];
                    match self.act {
                        Activation::Tanh => zo.iter_mut().for_each(|v| *v = v.tanh()),
                        Activation::Relu => zo.iter_mut().for_each(|v| *v = v.max(R::ZERO)),
                    }
                }
            }
        }
    }

    /// Backward pass: from `ws.grads[last]` (set by the loss) accumulate the parameter
    /// gradient into `grad`, for the first `nb` samples of the block.
    pub fn backward(&self, ws: &mut Workspace<R>, nb: usize, grad: &mut [R]) {
        self.propagate(ws, nb);
        for l in (0..self.layers()).rev() {
            let (din, dout) = (self.sizes[l], self.sizes[l + 1]);
            let off = self.offset(l);
            let (gw, gb) = grad[off..off + din * dout + dout].split_at_mut(din * dout);
            let Workspace { acts, grads, t } = ws;
            if R::reads_transpose(dout) {
                transpose(t, &grads[l + 1], dout, nb);
            }
            Self::accumulate(&acts[l], &grads[l + 1], nb, gw, Some(gb), din, dout, t);
        }
    }

    /// One layer's share of the parameter gradient from one block: `gb[o] += Σ_i dz[o][i]`
    /// (if given) and `gw[j][o] += Σ_i a[j][i] dz[o][i]` for the `rows` input rows that
    /// `a` and `gw` start at. Each element's sum runs over the block's samples in order,
    /// whichever rows are taken together, so rows may be split between threads. `t`: `dz`
    /// transposed ([`transpose`]).
    #[allow(clippy::too_many_arguments)]
    pub fn accumulate(
        a: &[R],
        dz: &[R],
        nb: usize,
        gw: &mut [R],
        gb: Option<&mut [R]>,
        rows: usize,
        dout: usize,
        t: &[R],
    ) {
        if let Some(gb) = gb {
            for o in 0..dout {
                gb[o] += sum(&dz[o * BLOCK..o * BLOCK + nb]);
            }
        }
        if rows > 0 {
            R::outer_transposed(gw, a, dz, t, rows, dout, nb);
        }
    }

    /// The backward pass without the parameter gradient: from `ws.grads[last]` (set by
    /// the loss), the gradient with respect to every hidden layer's output, into
    /// `ws.grads`. [`Network::accumulate`] then takes the parameters' share from it.
    pub fn propagate(&self, ws: &mut Workspace<R>, nb: usize) {
        let n4 = round_up(nb);
        // Lanes past nb take part in whole-vector sums over samples: make them zero. (The
        // gradients of earlier layers then come out zero there too.)
        let last = self.layers();
        let dout = self.sizes[last];
        for o in 0..dout {
            ws.grads[last][o * BLOCK + nb..o * BLOCK + n4].fill(R::ZERO);
        }
        for l in (1..self.layers()).rev() {
            let (din, dout) = (self.sizes[l], self.sizes[l + 1]);
            let off = self.offset(l);
            let w = &self.params[off..off + din * dout];
            let (gbefore, gafter) = ws.grads.split_at_mut(l + 1);
            let dz = &gafter[0];
            let a = &ws.acts[l];
            // Gradient with respect to this layer's input: da[j] = Σ_o w[j][o] dz[o],
            // then through the activation.
            let da = &mut gbefore[l];
            R::mat_block(da, None, w, dout, 1, din, dout, dz, n4);
            for j in 0..din {
                let daj = &mut da[j * BLOCK..j * BLOCK + n4];
                let aj = &a[j * BLOCK..j * BLOCK + n4];
                match self.act {
                    Activation::Tanh => {
                        for (d, h) in daj.iter_mut().zip(aj) {
                            *d = (*d * (R::ONE - *h * *h)).flush();
                        }
                    }
                    Activation::Relu => {
                        for (d, h) in daj.iter_mut().zip(aj) {
                            *d = if *h > R::ZERO { *d } else { R::ZERO };
                        }
                    }
                }
            }
        }
    }

    /// Outputs for a single input (queries; not the training path).
    pub fn predict(&self, x: &[f64], ws: &mut Workspace<R>) -> Vec<f64> {
        for (j, v) in x.iter().enumerate() {
            ws.acts[0][j * BLOCK] = R::of(*v);
        }
        self.forward(ws, 1);
        (0..self.dout())
            .map(|o| ws.output()[o * BLOCK].f64())
            .collect()
    }
}
