//! Optimizers over a flat parameter vector: Adam (with bias correction) and SGD with
//! momentum, with optional gradient-norm clipping.

use crate::base::math::Real;
use crate::base::named::{named, Named};

/// Which update rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizerKind {
    Adam,
    Sgd,
}
named!(OptimizerKind { Adam => "adam", Sgd => "sgd" });

/// How the learning rate changes over the `steps` of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// The same rate throughout.
    Constant,
    /// Cosine decay from `lr` to `lr / 100` at step `steps`, then flat.
    Cosine,
}
named!(Schedule { Constant => "constant", Cosine => "cosine" });

impl Schedule {
    /// The learning rate at `step` of a run of `steps`.
    pub fn lr(self, lr: f64, step: u64, steps: u64) -> f64 {
        match self {
            Schedule::Constant => lr,
            Schedule::Cosine => {
                let f = if steps == 0 {
                    1.0
                } else {
                    (step.min(steps) as f64) / steps as f64
                };
                let c = 0.5 * (1.0 + libm::cos(std::f64::consts::PI * f));
                lr * (0.01 + 0.99 * c)
            }
        }
    }
}

/// An optimizer's settings (as candle's `ParamsAdamW` beside `AdamW`): what `opt`, `lr`,
/// `momentum`, `clip`, `weight_decay` and `schedule` set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OptimizerConfig {
    pub kind: OptimizerKind,
    pub lr: f64,
    /// Momentum of SGD (unused by Adam).
    pub momentum: f64,
    /// Clip the gradient's Euclidean norm to this; 0 = off.
    pub clip: f64,
    /// Decoupled weight decay (AdamW): each step, each parameter shrinks by lr × this.
    pub weight_decay: f64,
    /// How the learning rate changes over a run.
    pub schedule: Schedule,
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        OptimizerConfig {
            kind: OptimizerKind::Adam,
            lr: 0.01,
            momentum: 0.9,
            clip: 0.0,
            weight_decay: 0.0,
            schedule: Schedule::Cosine,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Optimizer {
    pub kind: OptimizerKind,
    pub lr: f64,
    pub momentum: f64,
    /// Clip the gradient's Euclidean norm to this; 0 = off.
    pub clip: f64,
    /// Decoupled weight decay (AdamW): p ← p − lr · weight_decay · p each step.
    pub weight_decay: f64,
    /// Steps taken.
    pub t: u64,
    /// β1^t and β2^t, kept as running products (portable, unlike `powi`).
    b1t: f64,
    b2t: f64,
    m: Vec<f64>,
    v: Vec<f64>,
}
// The optimizer's state (moments) is kept in f64 whatever the parameters' type, so that
// long runs do not lose small updates; parameters are rounded once per step.

pub const BETA1: f64 = 0.9;
pub const BETA2: f64 = 0.999;
pub const EPS: f64 = 1e-8;

impl Optimizer {
    /// The optimizer of `config`, over `n` parameters.
    pub fn new(config: &OptimizerConfig, n: usize) -> Self {
        let kind = config.kind;
        let v = match kind {
            OptimizerKind::Adam => vec![0.0; n],
            OptimizerKind::Sgd => Vec::new(),
        };
        Optimizer {
            kind,
            lr: config.lr,
            momentum: config.momentum,
            clip: config.clip,
            weight_decay: config.weight_decay,
            t: 0,
            b1t: 1.0,
            b2t: 1.0,
            m: vec![0.0; n],
            v,
        }
    }

    /// Applies one update (the gradient scaled down first if clipping applies).
    /// Returns the gradient norm before clipping.
    pub fn step<R: Real>(&mut self, params: &mut [R], grad: &[R]) -> f64 {
        let mut sq = 0.0;
        for g in grad {
            sq += g.f64() * g.f64();
        }
        let norm = sq.sqrt();
        let f = if self.clip > 0.0 && norm > self.clip {
            self.clip / norm
        } else {
            1.0
        };
        self.t += 1;
        if self.weight_decay > 0.0 {
            let keep = 1.0 - self.lr * self.weight_decay;
            for p in params.iter_mut() {
                *p = R::of(p.f64() * keep);
            }
        }
        match self.kind {
            OptimizerKind::Adam => {
                self.b1t *= BETA1;
                self.b2t *= BETA2;
                let bc1 = 1.0 - self.b1t;
                let bc2 = 1.0 - self.b2t;
                let step = self.lr / bc1;
                let inv_bc2 = 1.0 / bc2;
                for (((p, g), m), v) in params
                    .iter_mut()
                    .zip(grad.iter())
                    .zip(self.m.iter_mut())
                    .zip(self.v.iter_mut())
                {
                    let g = g.f64() * f;
                    *m = BETA1 * *m + (1.0 - BETA1) * g;
                    *v = BETA2 * *v + (1.0 - BETA2) * g * g;
                    *p = R::of(p.f64() - step * *m / ((*v * inv_bc2).sqrt() + EPS));
                }
            }
            OptimizerKind::Sgd => {
                for ((p, g), m) in params.iter_mut().zip(grad.iter()).zip(self.m.iter_mut()) {
                    *m = self.momentum * *m + g.f64() * f;
                    *p = R::of(p.f64() - self.lr * *m);
                }
            }
        }
        norm
    }
}

impl Optimizer {
    /// Writes what steps change (the rate, step count and moments).
    pub(crate) fn write_state(&self, w: &mut crate::base::bytes::Writer) {
        w.f64(self.lr);
        w.u64(self.t);
        w.f64(self.b1t);
        w.f64(self.b2t);
        w.f64s(&self.m);
        w.f64s(&self.v);
    }

    /// Takes the state [`Optimizer::write_state`] wrote; `None`, and nothing changed, if
    /// it is not one of an optimizer of this kind and size.
    pub(crate) fn read_state(&mut self, r: &mut crate::base::bytes::Bytes) -> Option<()> {
        let (lr, t, b1t, b2t) = (r.f64()?, r.u64()?, r.f64()?, r.f64()?);
        let (m, v) = (r.f64s()?, r.f64s()?);
        if m.len() != self.m.len() || v.len() != self.v.len() {
            return None;
        }
        (self.lr, self.t, self.b1t, self.b2t, self.m, self.v) = (lr, t, b1t, b2t, m, v);
        Some(())
    }

    /// Forgets the moments of the parameters `idx` (after they were set anew).
    pub fn reset(&mut self, idx: impl Iterator<Item = usize>) {
        for i in idx {
            self.m[i] = 0.0;
            if let Some(v) = self.v.get_mut(i) {
                *v = 0.0;
            }
        }
    }
}
