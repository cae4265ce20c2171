//! Data sets: pairs (x, y) with x of `din` and y of `dout` dimensions.
//!
//! Stored feature-major (`x[[d, i]]`, one row per dimension), so training loops read
//! each dimension of a batch as one contiguous run.

use crate::rng::{stream, Rng};
use crate::spec::Data;
use ndarray::Array2;

/// Size of every validation set.
pub const N_VAL: usize = 10_000;

#[derive(Clone, Debug)]
pub struct Dataset {
    /// Inputs, shape (din, n).
    pub x: Array2<f64>,
    /// Targets, shape (dout, n).
    pub y: Array2<f64>,
}

/// What is known about a data set beyond its points.
#[derive(Clone, Debug)]
pub struct DataInfo {
    pub din: usize,
    pub dout: usize,
    pub x_label: &'static str,
    pub y_label: &'static str,
    /// Plot range of the input and output (first dimension).
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    /// Validation NLL of the true conditional density (nats per point), where known.
    pub bayes_nll: Option<f64>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.x.ncols()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// At most `max` points (x, y) of the first input and output dimension, evenly
    /// thinned: what a plot draws.
    pub fn points(&self, max: usize) -> Vec<(f64, f64)> {
        let every = self.len().div_ceil(max.max(1)).max(1);
        (0..self.len())
            .step_by(every)
            .map(|i| (self.x[[0, i]], self.y[[0, i]]))
            .collect()
    }

    /// The training and validation sets of a data set for `seed`.
    pub fn generate(data: Data, n: usize, seed: u64) -> (Dataset, Dataset) {
        let train = sample(data, n, &mut Rng::new(seed, stream::TRAIN_DATA));
        let val = sample(data, N_VAL, &mut Rng::new(seed, stream::VAL_DATA));
        (train, val)
    }
}

/// Bishop's curve: x = t + 0.3 sin(2πt) + U(-0.1, 0.1) for t ~ U(0, 1).
fn bishop(rng: &mut Rng) -> (f64, f64) {
    let t = rng.uniform();
    let noise = rng.range(-0.1, 0.1);
    let x = t + 0.3 * libm::sin(2.0 * std::f64::consts::PI * t) + noise;
    (t, x)
}

fn sample(data: Data, n: usize, rng: &mut Rng) -> Dataset {
    let info = info(data);
    let mut x = Array2::zeros((info.din, n));
    let mut y = Array2::zeros((info.dout, n));
    for i in 0..n {
        let (t, s) = bishop(rng);
        let (input, output) = match data {
            Data::BishopInverse => (s, t),
            Data::BishopForward => (t, s),
        };
        x[[0, i]] = input;
        y[[0, i]] = output;
    }
    Dataset { x, y }
}

pub fn info(data: Data) -> DataInfo {
    match data {
        Data::BishopInverse => DataInfo {
            din: 1,
            dout: 1,
            x_label: "x = t + 0.3 sin 2πt + noise",
            y_label: "t",
            x_range: (-0.2, 1.2),
            y_range: (-0.1, 1.1),
            bayes_nll: Some(-1.280),
        },
        Data::BishopForward => DataInfo {
            din: 1,
            dout: 1,
            x_label: "t",
            y_label: "x = t + 0.3 sin 2πt + noise",
            x_range: (-0.05, 1.05),
            y_range: (-0.2, 1.2),
            // Uniform noise of width 0.2: -ln 5.
            bayes_nll: Some(-1.609),
        },
    }
}
