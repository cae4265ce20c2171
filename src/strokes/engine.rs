//! Training steps and validation passes of several models over chunks of words, in f32.
//!
//! A batch's words are ordered longest first (ties keep their batch order) and cut into
//! chunks of [`CHUNK`], so that a chunk's words end close together and few lanes idle
//! past their word's end. Each (model, chunk) pair is a job with buffers of its own: its
//! forward pass, loss and backpropagation read no other job, so jobs may run on any
//! thread in any order. A model's gradient is then its chunks' gradients added in chunk
//! order, so the bits do not depend on how many threads ran the jobs.

use super::batch::{self, Weights, Work};
use super::lstm::{Clip, Shape};
use super::pen_loss::HeadSpec;
use super::Move;

/// Words per chunk: two vectors of eight lanes, so each weight read serves sixteen words.
pub const CHUNK: usize = 16;

/// `words` (indices into `seqs`) in chunks of [`CHUNK`]; with `grouped`, ordered longest
/// first (a stable sort: ties keep their order), so that a chunk's lanes finish together
/// and each move computes only the lanes of words still writing.
pub fn chunks(seqs: &[Vec<Move>], words: &[usize], grouped: bool) -> Vec<Vec<usize>> {
    let mut order = words.to_vec();
    if grouped {
        order.sort_by_key(|&i| std::cmp::Reverse(seqs[i].len()));
    }
    order.chunks(CHUNK).map(<[usize]>::to_vec).collect()
}

/// The words a pass reads: their moves and, for networks with a window, their texts
/// (empty for networks without).
#[derive(Clone, Copy, Debug)]
pub struct Words<'a> {
    pub moves: &'a [Vec<Move>],
    pub texts: &'a [Vec<u16>],
}

impl<'a> Words<'a> {
    /// Words without texts.
    pub fn bare(moves: &'a [Vec<Move>]) -> Words<'a> {
        Words { moves, texts: &[] }
    }

    /// The moves and texts of the words `chunk` names.
    pub fn pick(&self, chunk: &[usize]) -> (Vec<&'a [Move]>, Vec<&'a [u16]>) {
        let moves = chunk.iter().map(|&i| self.moves[i].as_slice()).collect();
        let texts = if self.texts.is_empty() {
            Vec::new()
        } else {
            chunk.iter().map(|&i| self.texts[i].as_slice()).collect()
        };
        (moves, texts)
    }
}

/// One model as the engine runs it: its f32 weights and its head.
#[derive(Clone, Debug)]
pub struct Net {
    pub weights: Weights<f32>,
    pub head: HeadSpec<f32>,
}

impl Net {
    pub fn new(shape: Shape, params: &[f32], m: usize, sigma_min: f64) -> Net {
        Net {
            weights: Weights::new(shape, params),
            head: HeadSpec::new(m, sigma_min),
        }
    }
}

/// One job's results.
#[derive(Clone, Debug, Default)]
pub(super) struct Slot {
    pub(super) grad: Vec<f32>,
    pub(super) total: f64,
    pub(super) done: bool,
}

/// A pass (a step's gradients, or a validation pass) of several models over the same
/// chunks, which may be taken a job at a time.
#[derive(Clone, Debug, Default)]
pub struct Pass {
    chunks: Vec<Vec<usize>>,
    /// Model-major: model i's chunk c is `i * chunks + c`.
    slots: Vec<Slot>,
    /// With gradients: the scale of each move's derivatives and the clipping.
    grad: Option<(f32, Clip)>,
}

/// The buffers of the jobs running at once: one per thread.
pub type Works = Vec<Work<f32>>;

impl Pass {
    /// Starts a pass of `nets` over `chunks` (reusing the buffers of the last pass).
    pub fn start(&mut self, nets: &[Net], chunks: Vec<Vec<usize>>, grad: Option<(f32, Clip)>) {
        let n = nets.len() * chunks.len();
        self.slots.resize_with(n, Slot::default);
        for (j, slot) in self.slots.iter_mut().enumerate() {
            let p = nets[j / chunks.len().max(1)].weights.params.len();
            slot.done = false;
            slot.total = 0.0;
            if grad.is_some() {
                slot.grad.resize(p, 0.0);
                slot.grad.fill(0.0);
            }
        }
        self.chunks = chunks;
        self.grad = grad;
    }

    pub fn done(&self) -> bool {
        self.slots.iter().all(|s| s.done)
    }

    /// Runs the jobs not yet done, one at a time in `work`, until all are (true) or
    /// `out_of_time()` says stop (asked after each job).
    pub fn run_within(
        &mut self,
        nets: &[Net],
        seqs: Words,
        work: &mut Work<f32>,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let per = self.chunks.len().max(1);
        for j in 0..self.slots.len() {
            if self.slots[j].done {
                continue;
            }
            let net = &nets[j / per];
            job(
                net,
                seqs,
                &self.chunks[j % per],
                self.grad,
                work,
                &mut self.slots[j],
            );
            if !self.done() && out_of_time() {
                return false;
            }
        }
        true
    }

    /// Runs every job not yet done on the threads of `pool`, each thread taking the next
    /// job in turn with buffers of its own (`works`, one per thread).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn run_on(
        &mut self,
        nets: &[Net],
        seqs: Words,
        pool: &rayon::ThreadPool,
        works: &mut Works,
    ) {
        use rayon::prelude::*;
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Mutex;
        let per = self.chunks.len().max(1);
        let (chunks, grad) = (&self.chunks, self.grad);
        let slots: Vec<Mutex<&mut Slot>> = self.slots.iter_mut().map(Mutex::new).collect();
        let next = AtomicUsize::new(0);
        works.resize_with(pool.current_num_threads(), Work::default);
        pool.install(|| {
            works.par_iter_mut().for_each(|work| loop {
                let j = next.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = slots.get(j) else { break };
                let mut slot = slot.lock().expect("no job panics");
                if !slot.done {
                    job(
                        &nets[j / per],
                        seqs,
                        &chunks[j % per],
                        grad,
                        work,
                        &mut slot,
                    );
                }
            })
        });
    }

    /// Model i's NLL summed over the pass's words (chunk by chunk).
    pub fn total(&self, i: usize) -> f64 {
        let per = self.chunks.len();
        self.slots[i * per..(i + 1) * per]
            .iter()
            .map(|s| s.total)
            .sum()
    }

    /// Model i's gradient: its chunks' gradients added in chunk order, into `out`.
    pub fn gradient(&self, i: usize, out: &mut Vec<f32>) {
        let per = self.chunks.len();
        let slots = &self.slots[i * per..(i + 1) * per];
        out.clear();
        out.extend_from_slice(&slots[0].grad);
        for s in &slots[1..] {
            for (a, b) in out.iter_mut().zip(&s.grad) {
                *a += *b;
            }
        }
    }
}

/// One model over one chunk, in `work`: its NLL sum and, with a gradient, the gradient
/// added to the slot's (which holds zeros, sized to the parameters, beforehand).
pub(super) fn job(
    net: &Net,
    seqs: Words,
    chunk: &[usize],
    grad: Option<(f32, Clip)>,
    work: &mut Work<f32>,
    slot: &mut Slot,
) {
    let (words, texts) = seqs.pick(chunk);
    let g = grad.map(|(scale, clip)| batch::Grad {
        scale,
        clip,
        out: slot.grad.as_mut_slice(),
    });
    slot.total = batch::chunk(&net.weights, &net.head, &words, &texts, work, g);
    slot.done = true;
}
