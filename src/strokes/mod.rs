//! Sequences of pen moves: a Graves-style handwriting MDN (Graves 2013, §4).
//!
//! A drawing is a sequence of pen moves (dx, dy, end): the offset from the last point,
//! and whether the pen lifts after it. An LSTM ([`lstm`]) reads the moves so far and
//! outputs, for the next one, a mixture of bivariate Gaussians and an end-of-stroke
//! probability ([`pen`]). The loss is the NLL per pen move, by log-sum-exp.
//!
//! Every sequence starts from the move (0, 0, end) — "the pen was just lifted" — so the
//! first real move is predicted too.
//!
//! The words are in [`data`] (the Hershey strokes, their jitter and normalisation) and
//! [`drawn`] (words you draw); [`train`] holds the spec and the run with its two
//! baselines (one component; the previous move only); [`file`] the model file. Training
//! runs in f32 over chunks of words at once: [`engine`] (jobs, threads), [`batch`] (the
//! LSTM-MDN over a chunk, forward and back), [`lanes`] (its kernels) and [`pen_loss`]
//! (the head's loss).

pub mod alphabet;
pub mod batch;
mod cells;
pub mod data;
pub mod drawn;
pub mod engine;
pub mod file;
pub mod lanes;
pub mod lines;
pub mod lstm;
pub mod pen;
pub mod pen_loss;
#[cfg(not(target_arch = "wasm32"))]
pub mod pipeline;
pub mod train;
pub mod window;
pub mod write;

use crate::base::rng::Rng;
use lstm::{Clip, Lstm, Shape};
use pen::Pen;
use window::Window;

/// One pen move: the offset, and whether the pen lifts after it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Move {
    pub dx: f64,
    pub dy: f64,
    pub end: bool,
}

impl Move {
    fn input(&self) -> Vec<f64> {
        vec![self.dx, self.dy, if self.end { 1.0 } else { 0.0 }]
    }
}

/// The move every sequence starts from.
pub const START: Move = Move {
    dx: 0.0,
    dy: 0.0,
    end: true,
};

/// The pen moves in `seqs`.
pub fn moves_in(seqs: &[&[Move]]) -> usize {
    seqs.iter().map(|s| s.len()).sum()
}

/// An LSTM with a pen head of `m` components.
#[derive(Clone, Debug, PartialEq)]
pub struct PenModel {
    pub net: Lstm,
    pub m: usize,
    pub sigma_min: f64,
}

impl PenModel {
    pub fn new(
        hidden: usize,
        layers: usize,
        skip: bool,
        m: usize,
        sigma_min: f64,
        rng: &mut Rng,
    ) -> PenModel {
        PenModel::of(hidden, layers, skip, true, m, sigma_min, rng)
    }

    /// As [`PenModel::new`]; `memory` false cuts the LSTM's memory (the feed-forward
    /// baseline).
    pub fn of(
        hidden: usize,
        layers: usize,
        skip: bool,
        memory: bool,
        m: usize,
        sigma_min: f64,
        rng: &mut Rng,
    ) -> PenModel {
        PenModel::shaped(hidden, layers, (skip, memory), None, m, sigma_min, rng)
    }

    /// A synthesis network (Graves §5): as [`PenModel::new`], with a soft window over the
    /// text being written.
    pub fn writer(
        hidden: usize,
        layers: usize,
        skip: bool,
        window: Window,
        m: usize,
        sigma_min: f64,
        rng: &mut Rng,
    ) -> PenModel {
        PenModel::shaped(
            hidden,
            layers,
            (skip, true),
            Some(window),
            m,
            sigma_min,
            rng,
        )
    }

    fn shaped(
        hidden: usize,
        layers: usize,
        (skip, memory): (bool, bool),
        window: Option<Window>,
        m: usize,
        sigma_min: f64,
        rng: &mut Rng,
    ) -> PenModel {
        let shape = Shape {
            input: 3,
            hidden,
            layers,
            skip,
            memory,
            output: pen::outputs(m),
            window,
        };
        PenModel {
            net: Lstm::new(shape, rng),
            m,
            sigma_min,
        }
    }

    /// Whether the network's outputs are finite numbers on a short probe of moves (the
    /// start, moves of a few units each way, a pen lift): a model file or snapshot whose
    /// parameters overflow them would write nothing sensible, and is refused.
    pub fn check_outputs(&self) -> Result<(), String> {
        let probe = [
            Move {
                dx: 1.0,
                dy: 0.0,
                end: false,
            },
            Move {
                dx: 0.0,
                dy: -2.0,
                end: false,
            },
            Move {
                dx: -3.0,
                dy: 1.5,
                end: true,
            },
            Move {
                dx: 0.5,
                dy: 0.5,
                end: false,
            },
        ];
        let mut state = self.net.start();
        for mv in std::iter::once(&START).chain(probe.iter()) {
            if self
                .net
                .step(&mut state, &mv.input())
                .iter()
                .any(|v| !v.is_finite())
            {
                return Err(
                    "its network's outputs are not finite numbers (parameters too large for a \
                     trained model)"
                        .into(),
                );
            }
        }
        Ok(())
    }

    /// The mean NLL per pen move over `seqs`, and its gradient (one value per parameter),
    /// clipped as `clip` says: the training engine's code ([`batch`]) run in f64, a
    /// chunk of [`engine::CHUNK`] words at a time (for the gradient checks).
    pub fn loss_and_grad(&self, seqs: &[&[Move]], clip: Clip) -> (f64, Vec<f64>) {
        self.loss_and_grad_on(seqs, &[], clip)
    }

    /// As [`PenModel::loss_and_grad`], each sequence written from its text in `texts`
    /// (for a network with a window; empty for one without).
    pub fn loss_and_grad_on(
        &self,
        seqs: &[&[Move]],
        texts: &[&[u16]],
        clip: Clip,
    ) -> (f64, Vec<f64>) {
        let mut grad = vec![0.0; self.net.params.len()];
        let scale = 1.0 / moves_in(seqs).max(1) as f64;
        let total = self.pass_f64(seqs, texts, Some((scale, clip, &mut grad)));
        (total * scale, grad)
    }

    /// The mean NLL per pen move over `seqs` (in f64).
    pub fn nll(&self, seqs: &[&[Move]]) -> f64 {
        self.nll_on(seqs, &[])
    }

    /// As [`PenModel::nll`], each sequence written from its text in `texts`.
    pub fn nll_on(&self, seqs: &[&[Move]], texts: &[&[u16]]) -> f64 {
        self.pass_f64(seqs, texts, None) / moves_in(seqs).max(1) as f64
    }

    /// The NLL summed over `seqs`; with a scale, clipping and a gradient, the gradient too.
    fn pass_f64(
        &self,
        seqs: &[&[Move]],
        texts: &[&[u16]],
        mut grad: Option<(f64, Clip, &mut Vec<f64>)>,
    ) -> f64 {
        let w = batch::Weights::new(self.net.shape, &self.net.params);
        let head = pen_loss::HeadSpec::new(self.m, self.sigma_min);
        let mut work = batch::Work::default();
        let n = engine::CHUNK;
        seqs.chunks(n)
            .enumerate()
            .map(|(i, c)| {
                let g = grad.as_mut().map(|(scale, clip, out)| batch::Grad {
                    scale: *scale,
                    clip: *clip,
                    out: out.as_mut_slice(),
                });
                let t = if texts.is_empty() {
                    &[]
                } else {
                    &texts[i * n..i * n + c.len()]
                };
                batch::chunk(&w, &head, c, t, &mut work, g)
            })
            .sum()
    }

    /// The pen's distribution after each move of `seq` (the first before any move), read
    /// with the sampling bias `bias`: what the page draws as ellipses.
    pub fn pens(&self, seq: &[Move], bias: f64) -> Vec<Pen> {
        let mut state = self.net.start();
        std::iter::once(&START)
            .chain(seq.iter())
            .map(|mv| {
                Pen::new(
                    &self.net.step(&mut state, &mv.input()),
                    self.m,
                    self.sigma_min,
                    bias,
                )
            })
            .collect()
    }

    /// Writes on from `prompt` (which may be empty) for `moves` moves, drawing each move
    /// from the pen's distribution with Graves' bias `bias` and temperature `t`.
    pub fn write(
        &self,
        prompt: &[Move],
        moves: usize,
        bias: f64,
        t: f64,
        rng: &mut Rng,
    ) -> Vec<Move> {
        let mut state = self.net.start();
        let mut y = self.net.step(&mut state, &START.input());
        for mv in prompt {
            y = self.net.step(&mut state, &mv.input());
        }
        let mut out = Vec::with_capacity(moves);
        for _ in 0..moves {
            let pen = Pen::new(&y, self.m, self.sigma_min, bias);
            let ([dx, dy], end) = pen.draw(t, rng);
            let mv = Move { dx, dy, end };
            out.push(mv);
            y = self.net.step(&mut state, &mv.input());
        }
        out
    }
}
