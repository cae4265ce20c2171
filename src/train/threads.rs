//! Training steps over several threads, natively, with the bits of one thread.
//!
//! A step's pass runs in three phases. (1) The blocks' inputs and targets are gathered in
//! order, drawing any noise from the one stream as the one-thread pass does. (2) Each
//! block's forward pass, loss and backward pass down to every layer's output run on any
//! thread, in buffers of its own: none of that reads another block. (3) The parameter
//! gradient, whose every element is one chain of additions over the samples in order,
//! is split by element, not by sample: each thread takes some rows of a layer (or its
//! biases) and runs their chains over all the blocks in order, exactly as one thread
//! would. The loss sums are added in block order. So no sum changes its order, and the
//! bits do not depend on the number of threads.

use crate::base::math::Real;
use crate::data::dataset::Dataset;
use crate::mdn::kernels::{Kernels, BLOCK};
use crate::mdn::loss::LossScratch;
use crate::mdn::model::Model;
use crate::mdn::network::{Network, Workspace};
use crate::train::pass::{baseline_block, mdn_block, BlockPass, BlockScratch, Noise, Scratch};
use rayon::prelude::*;

/// Rows of a layer's weight gradient one task takes.
pub(crate) const ROWS_PER_TASK: usize = 8;

/// A pool of `n` threads, or none for one.
pub fn pool(n: usize) -> Result<Option<std::sync::Arc<rayon::ThreadPool>>, String> {
    if n == 1 {
        return Ok(None);
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map(|p| Some(std::sync::Arc::new(p)))
        .map_err(|e| format!("threads: {e}"))
}

/// Whether a batch of `n` samples is worth spreading: at least two blocks, and enough
/// arithmetic per step that handing work to threads costs less than it saves.
pub fn worth_it<R: Real + Kernels>(model: &Model<R>, n: usize) -> bool {
    let params = model.mdn.params.len() + model.baseline.params.len();
    n > BLOCK && n * params >= WORTH_IT
}
/// Samples × parameters below which a step stays on one thread. Measured on 2 cores
/// with 2 threads: the small bench spec (1000 × 416) gains nothing (0.99–1.04× in
/// `make bench`, once the kernels got faster), the default spec (1000 × 1781) 26%,
/// 4000 × 32,32 55%, the medium bench spec 50–60%.
pub(crate) const WORTH_IT: usize = 1 << 19;

impl<R: Real + Kernels> BlockScratch<R> {
    pub(crate) fn new(model: &Model<R>) -> Self {
        BlockScratch {
            ws_mdn: Workspace::new(&model.mdn.sizes),
            ws_base: Workspace::new(&model.baseline.sizes),
            y: vec![R::ZERO; model.head.d * BLOCK],
            loss: LossScratch::new(&model.head),
            tmp: vec![R::ZERO; BLOCK],
            nll: 0.0,
            sse: vec![0.0; model.head.d],
            tr_mdn: transposes(&model.mdn),
            tr_base: transposes(&model.baseline),
        }
    }
}

pub(crate) fn transposes<R: Real + Kernels>(net: &Network<R>) -> Vec<Vec<R>> {
    net.sizes[1..]
        .iter()
        .map(|&d| vec![R::ZERO; d * BLOCK])
        .collect()
}

/// The gradients at each layer's output, transposed for (3).
pub(crate) fn transpose_all<R: Real + Kernels>(
    net: &Network<R>,
    ws: &Workspace<R>,
    tr: &mut [Vec<R>],
    nb: usize,
) {
    for (l, t) in tr.iter_mut().enumerate() {
        if R::reads_transpose(net.sizes[l + 1]) {
            crate::mdn::kernels::transpose(t, &ws.grads[l + 1], net.sizes[l + 1], nb);
        }
    }
}

/// A share of phase (3): rows `j0..j0 + rows` of layer `l`'s weight gradient, or (no
/// rows) its biases, of the MDN or the baseline.
pub(crate) struct Task<'a, R> {
    pub(crate) mdn: bool,
    pub(crate) l: usize,
    pub(crate) j0: usize,
    pub(crate) rows: usize,
    pub(crate) dout: usize,
    pub(crate) gw: &'a mut [R],
    pub(crate) gb: Option<&'a mut [R]>,
}

/// Splits a network's gradient into tasks.
pub(crate) fn tasks<'a, R: Real + Kernels>(
    net: &Network<R>,
    grad: &'a mut [R],
    mdn: bool,
    out: &mut Vec<Task<'a, R>>,
) {
    let mut rest = grad;
    for l in 0..net.layers() {
        let (din, dout) = (net.sizes[l], net.sizes[l + 1]);
        let (layer, after) = std::mem::take(&mut rest).split_at_mut(din * dout + dout);
        rest = after;
        let (gw, gb) = layer.split_at_mut(din * dout);
        out.push(Task {
            mdn,
            l,
            j0: 0,
            rows: 0,
            dout,
            gw: &mut [],
            gb: Some(gb),
        });
        for (c, chunk) in gw.chunks_mut(ROWS_PER_TASK * dout).enumerate() {
            let rows = chunk.len() / dout;
            out.push(Task {
                mdn,
                l,
                j0: c * ROWS_PER_TASK,
                rows,
                dout,
                gw: chunk,
                gb: None,
            });
        }
    }
}

impl BlockPass {
    /// A whole training pass over `idx` in the three phases above.
    pub(crate) fn blocks_threaded<R: Real + Kernels + Send + Sync>(
        &mut self,
        model: &Model<R>,
        data: &Dataset,
        idx: &[usize],
        mut noise: Option<Noise<'_>>,
        s: &mut Scratch<R>,
        pool: &rayon::ThreadPool,
    ) {
        let (do_mdn, do_base) = self.grads.map_or((true, true), |m| (m.mdn, m.baseline));
        let n = self.n;
        let nblocks = n.div_ceil(BLOCK);
        while s.blocks.len() < nblocks {
            s.blocks.push(BlockScratch::new(model));
        }
        // (1) Gather, in order.
        for (b, bs) in s.blocks[..nblocks].iter_mut().enumerate() {
            let ws = (&mut bs.ws_mdn, &mut bs.ws_base, &mut bs.y[..]);
            self.gather_block(model, data, idx, b * BLOCK, noise.as_mut(), ws);
        }
        // (2) Every block's passes down to its layers' outputs; the sums in block order.
        let blocks = &mut s.blocks[..nblocks];
        pool.install(|| outputs_threaded(model, blocks, n, do_mdn, do_base));
        for bs in blocks.iter() {
            if do_mdn {
                self.nll += bs.nll;
            }
            if do_base {
                for (t, v) in self.sse.iter_mut().zip(&bs.sse) {
                    *t += v;
                }
            }
        }
        // (3) The parameter gradient, split by element.
        let mut work = Vec::new();
        if do_mdn {
            tasks(&model.mdn, &mut s.grad_mdn, true, &mut work);
        }
        if do_base {
            tasks(&model.baseline, &mut s.grad_base, false, &mut work);
        }
        let blocks = &s.blocks[..nblocks];
        pool.install(|| {
            work.into_par_iter()
                .for_each(|t| gradient_task(t, blocks, n));
        });
        self.next = n;
    }
}

/// Phase (2): each block's forward pass, loss and backward pass to the layers' outputs,
/// on any thread, in the block's own buffers.
fn outputs_threaded<R: Real + Kernels + Send + Sync>(
    model: &Model<R>,
    blocks: &mut [BlockScratch<R>],
    n: usize,
    do_mdn: bool,
    do_base: bool,
) {
    let mdn_scale = R::of(1.0 / n as f64);
    let base_scale = R::of(1.0 / (n * model.dout()) as f64);
    blocks.par_iter_mut().enumerate().for_each(|(b, bs)| {
        let nb = BLOCK.min(n - b * BLOCK);
        if do_mdn {
            let (ws, y) = (&mut bs.ws_mdn, &bs.y);
            bs.nll = mdn_block(model, ws, y, nb, mdn_scale, true, &mut bs.loss);
            model.mdn.propagate(&mut bs.ws_mdn, nb);
            transpose_all(&model.mdn, &bs.ws_mdn, &mut bs.tr_mdn, nb);
        }
        if do_base {
            bs.sse.fill(0.0);
            let (ws, y) = (&mut bs.ws_base, &bs.y);
            let (sse, tmp) = (&mut bs.sse, &mut bs.tmp);
            baseline_block(model, ws, y, nb, base_scale, true, sse, tmp);
            model.baseline.propagate(&mut bs.ws_base, nb);
            transpose_all(&model.baseline, &bs.ws_base, &mut bs.tr_base, nb);
        }
    });
}

/// Phase (3) for one task: its chains of additions over all the blocks, in order.
fn gradient_task<R: Real + Kernels>(mut t: Task<'_, R>, blocks: &[BlockScratch<R>], n: usize) {
    for (b, bs) in blocks.iter().enumerate() {
        let (ws, trs) = if t.mdn {
            (&bs.ws_mdn, &bs.tr_mdn)
        } else {
            (&bs.ws_base, &bs.tr_base)
        };
        let a = &ws.acts[t.l][t.j0 * BLOCK..];
        let dz = &ws.grads[t.l + 1];
        let nb = BLOCK.min(n - b * BLOCK);
        let gb = t.gb.as_deref_mut();
        Network::accumulate(a, dz, nb, t.gw, gb, t.rows, t.dout, &trs[t.l]);
    }
}
