//! One pass over data in blocks of [`BLOCK`] samples: both networks' forward passes, the
//! losses and, for a training step, the gradients. A pass can stop after any block and go
//! on later with the same bits.

use crate::base::math::Real;
use crate::base::rng::Rng;
use crate::data::dataset::Dataset;
use crate::mdn::kernels::{Kernels, BLOCK};
use crate::mdn::loss::{self, LossScratch};
use crate::mdn::model::Model;
use crate::mdn::network::Workspace;
use serde::Serialize;

/// What one pass over some data measured.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub nll: f64,
    /// Mean squared error per output dimension.
    pub mse: Vec<f64>,
    /// Each component's π averaged over the data (evaluation passes only).
    pub component_pi: Vec<f64>,
    /// The smallest σ of a component with π ≥ [`LIVE_PI`] (evaluation passes only).
    pub min_sigma: f64,
}

/// σ is watched only where its component carries at least this much weight.
pub const LIVE_PI: f64 = 0.01;

/// The losses of one training step, on its batch (before the update).
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct StepLoss {
    /// Mean mixture NLL, nats per point.
    pub nll: f64,
    /// Mean squared error of the baseline, averaged over output dimensions.
    pub mse: f64,
}

/// Metrics under way: the pass over the training set, then the one over the validation set.
pub(crate) struct PendingMetrics {
    pub(crate) train: BlockPass,
    pub(crate) val: BlockPass,
}

#[cfg(not(target_arch = "wasm32"))]
/// One block's own buffers.
#[derive(Clone)]
pub struct BlockScratch<R: Real> {
    pub(crate) ws_mdn: Workspace<R>,
    pub(crate) ws_base: Workspace<R>,
    pub(crate) y: Vec<R>,
    pub(crate) loss: LossScratch<R>,
    pub(crate) tmp: Vec<R>,
    pub(crate) nll: f64,
    pub(crate) sse: Vec<f64>,
    /// Per layer, the gradient at its output transposed (sample-major), for (3).
    pub(crate) tr_mdn: Vec<Vec<R>>,
    pub(crate) tr_base: Vec<Vec<R>>,
}

#[derive(Clone)]
pub(crate) struct Scratch<R: Real> {
    pub(crate) ws_mdn: Workspace<R>,
    pub(crate) ws_base: Workspace<R>,
    pub(crate) y: Vec<R>,
    pub(crate) loss: LossScratch<R>,
    pub(crate) grad_mdn: Vec<R>,
    pub(crate) grad_base: Vec<R>,
    pub(crate) tmp: Vec<R>,
    /// A threaded pass's blocks, each with its own buffers (grown on first use).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) blocks: Vec<BlockScratch<R>>,
}

impl<R: Real> Scratch<R> {
    pub(crate) fn new(model: &Model<R>) -> Self {
        Scratch {
            #[cfg(not(target_arch = "wasm32"))]
            blocks: Vec::new(),
            ws_mdn: Workspace::new(&model.mdn.sizes),
            ws_base: Workspace::new(&model.baseline.sizes),
            y: vec![R::ZERO; model.head.d * BLOCK],
            loss: LossScratch::new(&model.head),
            grad_mdn: vec![R::ZERO; model.mdn.params.len()],
            grad_base: vec![R::ZERO; model.baseline.params.len()],
            tmp: vec![R::ZERO; BLOCK],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subset {
    Train,
    Val,
}

/// Noise regularization for one training pass: standard deviations on the standardised
/// inputs and on the targets, and the generator.
pub(crate) struct Noise<'a> {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) rng: &'a mut Rng,
}

/// Subset models a training pass computes gradients for.
#[derive(Clone, Copy)]
pub(crate) struct Models {
    pub(crate) mdn: bool,
    pub(crate) baseline: bool,
}

/// One pass over `data` (the points `idx`, or all of them in order when `gather` is false):
/// mean NLL and MSE; with `grads`, the gradients of the chosen models' mean losses are
/// accumulated (a model left out is not evaluated either). A pass can stop after any
/// block of [`BLOCK`] samples and go on later: the sums run in the same order either way,
/// so the result has the same bits.
pub(crate) struct BlockPass {
    pub(crate) n: usize,
    /// The first sample of the next block.
    pub(crate) next: usize,
    pub(crate) grads: Option<Models>,
    pub(crate) gather: bool,
    pub(crate) nll: f64,
    pub(crate) sse: Vec<f64>,
    pub(crate) pi_sum: Vec<f64>,
    pub(crate) min_sigma: f64,
}

impl BlockPass {
    pub(crate) fn new(
        n: usize,
        gather: bool,
        grads: Option<Models>,
        k: usize,
        dout: usize,
    ) -> BlockPass {
        BlockPass {
            n,
            next: 0,
            grads,
            gather,
            nll: 0.0,
            sse: vec![0.0; dout],
            pi_sum: vec![0.0; if grads.is_some() { 0 } else { k }],
            min_sigma: f64::INFINITY,
        }
    }

    /// Gathers the block of this pass that starts at its `start`-th sample (in the pass's
    /// order: `idx` when it gathers, the data's own otherwise) into the two networks'
    /// inputs and the targets; returns the block's size.
    pub(crate) fn gather_block<R: Real + Kernels>(
        &self,
        model: &Model<R>,
        data: &Dataset,
        idx: &[usize],
        start: usize,
        noise: Option<&mut Noise<'_>>,
        (ws_mdn, ws_base, y): (&mut Workspace<R>, &mut Workspace<R>, &mut [R]),
    ) -> usize {
        let nb = BLOCK.min(self.n - start);
        let p = |i: usize| {
            if self.gather {
                idx[start + i]
            } else {
                start + i
            }
        };
        gather(model, data, nb, p, noise, ws_mdn, ws_base, y);
        nb
    }

    /// Runs blocks until the pass is done (true) or `out_of_time()` says stop after one.
    pub(crate) fn blocks<R: Real + Kernels>(
        &mut self,
        model: &Model<R>,
        data: &Dataset,
        idx: &[usize],
        mut noise: Option<Noise<'_>>,
        s: &mut Scratch<R>,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let n = self.n;
        while self.next < n {
            let ws = (&mut s.ws_mdn, &mut s.ws_base, &mut s.y[..]);
            let nb = self.gather_block(model, data, idx, self.next, noise.as_mut(), ws);
            self.block(model, nb, s);
            self.next += nb;
            if self.next < n && out_of_time() {
                return false;
            }
        }
        true
    }

    /// One gathered block of `nb` samples: losses added, gradients accumulated (or, in an
    /// evaluation, the components' statistics).
    fn block<R: Real + Kernels>(&mut self, model: &Model<R>, nb: usize, s: &mut Scratch<R>) {
        let (do_mdn, do_base) = self.grads.map_or((true, true), |m| (m.mdn, m.baseline));
        let grads = self.grads.is_some();
        let mdn_scale = R::of(1.0 / self.n as f64);
        let base_scale = R::of(1.0 / (self.n * model.dout()) as f64);
        if do_mdn {
            let (ws, loss) = (&mut s.ws_mdn, &mut s.loss);
            self.nll += mdn_block(model, ws, &s.y, nb, mdn_scale, grads, loss);
            if grads {
                model.mdn.backward(&mut s.ws_mdn, nb, &mut s.grad_mdn);
            } else {
                let (pi_sum, min_sigma) = (&mut self.pi_sum, &mut self.min_sigma);
                s.loss
                    .component_stats(&model.head, nb, LIVE_PI, pi_sum, min_sigma);
            }
        }
        if do_base {
            let (ws, sse, tmp) = (&mut s.ws_base, &mut self.sse, &mut s.tmp);
            baseline_block(model, ws, &s.y, nb, base_scale, grads, sse, tmp);
            if grads {
                model
                    .baseline
                    .backward(&mut s.ws_base, nb, &mut s.grad_base);
            }
        }
    }

    pub(crate) fn result(&self) -> Evaluation {
        let n = self.n as f64;
        Evaluation {
            nll: self.nll / n,
            mse: self.sse.iter().map(|v| v / n).collect(),
            component_pi: self.pi_sum.iter().map(|v| v / n).collect(),
            min_sigma: self.min_sigma,
        }
    }
}

/// Gathers a block of `nb` points (`p(i)`: the data index of the block's i-th sample),
/// standardised and feature-major, into both networks' inputs and the targets, with any
/// noise drawn in sample order: x's dimensions, then y's.
#[allow(clippy::too_many_arguments)]
pub(crate) fn gather<R: Real + Kernels>(
    model: &Model<R>,
    data: &Dataset,
    nb: usize,
    p: impl Fn(usize) -> usize,
    mut noise: Option<&mut Noise<'_>>,
    ws_mdn: &mut Workspace<R>,
    ws_base: &mut Workspace<R>,
    y: &mut [R],
) {
    let (din, dout) = (model.din(), model.dout());
    for i in 0..nb {
        let p = p(i);
        for j in 0..din {
            let mut v = model.standardize(j, data.x[[j, p]]);
            if let Some(nz) = noise.as_mut().filter(|nz| nz.x > 0.0) {
                v += nz.x * nz.rng.normal();
            }
            let v = R::of(v);
            ws_mdn.acts[0][j * BLOCK + i] = v;
            ws_base.acts[0][j * BLOCK + i] = v;
        }
        for j in 0..dout {
            let mut t = data.y[[j, p]];
            if let Some(nz) = noise.as_mut().filter(|nz| nz.y > 0.0) {
                t += nz.y * nz.rng.normal();
            }
            y[j * BLOCK + i] = R::of(t);
        }
    }
}

/// The MDN's forward pass and loss on a gathered block: returns the block's summed NLL
/// and, with `grads`, leaves the loss's gradient at the network's output.
pub(crate) fn mdn_block<R: Real + Kernels>(
    model: &Model<R>,
    ws: &mut Workspace<R>,
    y: &[R],
    nb: usize,
    scale: R,
    grads: bool,
    sc: &mut LossScratch<R>,
) -> f64 {
    model.mdn.forward(ws, nb);
    let last = ws.acts.len() - 1;
    let (acts, dz) = (&ws.acts[last], &mut ws.grads[last]);
    loss::mixture_nll::<R>(
        &model.head,
        acts,
        y,
        nb,
        scale,
        grads.then_some(&mut dz[..]),
        sc,
    )
    .f64()
}

/// The same for the MSE regressor: adds each output's squared errors to `sse`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn baseline_block<R: Real + Kernels>(
    model: &Model<R>,
    ws: &mut Workspace<R>,
    y: &[R],
    nb: usize,
    scale: R,
    grads: bool,
    sse: &mut [f64],
    tmp: &mut [R],
) {
    model.baseline.forward(ws, nb);
    let last = ws.acts.len() - 1;
    let (acts, dz) = (&ws.acts[last], &mut ws.grads[last]);
    let dout = model.dout();
    loss::squared_error(
        acts,
        y,
        dout,
        nb,
        scale,
        grads.then_some(&mut dz[..]),
        sse,
        tmp,
    );
}

/// A whole pass at once (see [`BlockPass`]).
pub(crate) fn run<R: Real + Kernels>(
    model: &Model<R>,
    data: &Dataset,
    idx: &[usize],
    gather: bool,
    grads: Option<Models>,
    noise: Option<Noise<'_>>,
    s: &mut Scratch<R>,
) -> Evaluation {
    let n = if gather { idx.len() } else { data.len() };
    let mut p = BlockPass::new(n, gather, grads, model.head.k, model.dout());
    p.blocks(model, data, idx, noise, s, &mut || false);
    p.result()
}

/// Mean losses of both models on all of `data` and their exact gradients
/// (MDN NLL, its gradient, baseline MSE, its gradient). Used by the gradient checks.
pub fn loss_and_gradients<R: Real + Kernels>(
    model: &Model<R>,
    data: &Dataset,
) -> (f64, Vec<R>, f64, Vec<R>) {
    let mut s = Scratch::new(model);
    let ev = run(
        model,
        data,
        &[],
        false,
        Some(Models {
            mdn: true,
            baseline: true,
        }),
        None,
        &mut s,
    );
    let mse = ev.mse.iter().sum::<f64>() / ev.mse.len() as f64;
    (ev.nll, s.grad_mdn, mse, s.grad_base)
}
