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
    /// Name of each input and output dimension.
    pub x_labels: &'static [&'static str],
    pub y_labels: &'static [&'static str],
    /// Plot range of each input and output dimension.
    pub x_ranges: &'static [(f64, f64)],
    pub y_ranges: &'static [(f64, f64)],
    /// Validation NLL of the true conditional density (nats per point), where known.
    pub bayes_nll: Option<f64>,
    /// The input the page's views start at.
    pub target: &'static [f64],
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
        self.thinned(max, |i| (self.x[[0, i]], self.y[[0, i]]))
    }

    /// At most `max` points of the first two input dimensions (the input plane).
    pub fn input_points(&self, max: usize) -> Vec<(f64, f64)> {
        let j = 1.min(self.x.nrows() - 1);
        self.thinned(max, |i| (self.x[[0, i]], self.x[[j, i]]))
    }

    /// At most `max` points of the first two output dimensions (the output plane).
    pub fn output_points(&self, max: usize) -> Vec<(f64, f64)> {
        let j = 1.min(self.y.nrows() - 1);
        self.thinned(max, |i| (self.y[[0, i]], self.y[[j, i]]))
    }

    fn thinned(&self, max: usize, f: impl Fn(usize) -> (f64, f64)) -> Vec<(f64, f64)> {
        let every = self.len().div_ceil(max.max(1)).max(1);
        (0..self.len()).step_by(every).map(f).collect()
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

/// Link lengths of Bishop's two-joint arm.
pub const ARM_L1: f64 = 0.8;
pub const ARM_L2: f64 = 0.2;
/// The ranges the arm's joint angles are drawn from.
pub const ARM_THETA1: (f64, f64) = (0.3, 1.2);
pub const ARM_THETA2: (f64, f64) = (
    std::f64::consts::FRAC_PI_2,
    3.0 * std::f64::consts::FRAC_PI_2,
);

/// Forward kinematics of the arm: the elbow and the end effector for joint angles
/// (θ1, θ2). The base is at the origin; x1 = L1 cos θ1 − L2 cos(θ1 + θ2),
/// x2 = L1 sin θ1 − L2 sin(θ1 + θ2) (Bishop 1994).
pub fn arm_forward(theta1: f64, theta2: f64) -> ((f64, f64), (f64, f64)) {
    let elbow = (ARM_L1 * libm::cos(theta1), ARM_L1 * libm::sin(theta1));
    let hand = (
        elbow.0 - ARM_L2 * libm::cos(theta1 + theta2),
        elbow.1 - ARM_L2 * libm::sin(theta1 + theta2),
    );
    (elbow, hand)
}

/// Distance between a target and where the arm's end effector lands for `theta`.
pub fn arm_miss(target: &[f64], theta: &[f64]) -> f64 {
    let (_, hand) = arm_forward(theta[0], theta[1]);
    libm::hypot(hand.0 - target[0], hand.1 - target[1])
}

fn sample(data: Data, n: usize, rng: &mut Rng) -> Dataset {
    let info = info(data);
    let mut x = Array2::zeros((info.din, n));
    let mut y = Array2::zeros((info.dout, n));
    for i in 0..n {
        match data {
            Data::BishopInverse | Data::BishopForward => {
                let (t, s) = bishop(rng);
                let (input, output) = if data == Data::BishopInverse {
                    (s, t)
                } else {
                    (t, s)
                };
                x[[0, i]] = input;
                y[[0, i]] = output;
            }
            Data::Arm => {
                let t1 = rng.range(ARM_THETA1.0, ARM_THETA1.1);
                let t2 = rng.range(ARM_THETA2.0, ARM_THETA2.1);
                let (_, hand) = arm_forward(t1, t2);
                x[[0, i]] = hand.0;
                x[[1, i]] = hand.1;
                y[[0, i]] = t1;
                y[[1, i]] = t2;
            }
        }
    }
    Dataset { x, y }
}

pub fn info(data: Data) -> DataInfo {
    match data {
        Data::BishopInverse => DataInfo {
            din: 1,
            dout: 1,
            x_labels: &["x = t + 0.3 sin 2πt + noise"],
            y_labels: &["t"],
            x_ranges: &[(-0.2, 1.2)],
            y_ranges: &[(-0.1, 1.1)],
            bayes_nll: Some(-1.280),
            target: &[0.5],
        },
        Data::BishopForward => DataInfo {
            din: 1,
            dout: 1,
            x_labels: &["t"],
            y_labels: &["x = t + 0.3 sin 2πt + noise"],
            x_ranges: &[(-0.05, 1.05)],
            y_ranges: &[(-0.2, 1.2)],
            // Uniform noise of width 0.2: -ln 5.
            bayes_nll: Some(-1.609),
            target: &[0.5],
        },
        Data::Arm => DataInfo {
            din: 2,
            dout: 2,
            x_labels: &["x1 (end effector)", "x2 (end effector)"],
            y_labels: &["θ1 (shoulder)", "θ2 (elbow)"],
            // The workspace with the arm's base at the origin.
            x_ranges: &[(-0.1, 1.1), (-0.1, 1.1)],
            y_ranges: &[(0.0, 1.5), (1.2, 5.1)],
            // Without noise the true conditional is two points: its NLL is −∞.
            bayes_nll: None,
            // Reached with the elbow either way: θ = (0.75, 2.30) or about (0.43, 3.98).
            target: &[0.78, 0.53],
        },
    }
}
