//! Data sets: pairs (x, y) with x of `din` and y of `dout` dimensions.
//!
//! Stored feature-major (`x[[d, i]]`, one row per dimension), so training loops read
//! each dimension of a batch as one contiguous run.

use crate::base::math::mean_sd;
use crate::base::rng::{stream, Rng};
use crate::lang::Lang;

use crate::base::named::{named, Named};
use crate::data::real;
use crate::data::userdata::UserData;
use ndarray::Array2;

/// Which data set an experiment trains on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Data {
    /// Bishop (1994): t ~ U(0,1), x = t + 0.3 sin(2πt) + U(-0.1, 0.1); predict t from x.
    BishopInverse,
    /// The same curve, forward: predict x from t (one mode).
    BishopForward,
    /// Bishop's two-joint robot arm, inverse kinematics: predict the joint angles
    /// (θ1, θ2) from the end effector's position (x1, x2). Elbow up or elbow down.
    Arm,
    /// A ring: y = ±√(1 − x²) plus noise, two branches that meet at x = ±1.
    Ring,
    /// Returns from a bull or a bear regime, whose probability depends on a market feature.
    Regimes,
    /// Rain: zero with a probability that depends on the humidity, otherwise a skewed
    /// positive amount. A point mass a Gaussian mixture cannot represent.
    Rain,
    /// Wind direction (radians, [0, 2π)) over the season: a prevailing wind that turns
    /// once around the compass in a year, and a weaker second wind. An angle that wraps.
    Wind,
    /// Your own points (`pts`).
    Custom,
    /// Old Faithful: waiting time → eruption duration, 272 eruptions ([`super::real`]).
    Faithful,
    /// A motorcycle crash test: time after impact → head acceleration, 133 readings.
    Mcycle,
}

named!(Data {
    BishopInverse => "bishop-inverse",
    BishopForward => "bishop-forward",
    Arm => "arm",
    Ring => "ring",
    Regimes => "regimes",
    Rain => "rain",
    Wind => "wind",
    Custom => "custom",
    Faithful => "faithful",
    Mcycle => "mcycle",
});

impl Data {
    /// The real measurements of a real set (`None` for the drawn sets and your own).
    pub fn real(self) -> Option<&'static real::RealSet> {
        match self {
            Data::Faithful => Some(&real::FAITHFUL),
            Data::Mcycle => Some(&real::MCYCLE),
            _ => None,
        }
    }
}

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
    pub x_ranges: Vec<(f64, f64)>,
    pub y_ranges: Vec<(f64, f64)>,
    /// Validation NLL of the true conditional density (nats per point), where known.
    pub bayes_nll: Option<f64>,
    /// The input the page's views start at.
    pub target: Vec<f64>,
    /// What is special about the data, for the page (plain text).
    pub note: &'static str,
}

impl DataInfo {
    /// An input for the views moved to `x`: each dimension clamped to its plot range;
    /// a value that is not a number (or missing) keeps the one in `from`.
    pub fn clamp_input(&self, x: &[f64], from: &[f64]) -> Vec<f64> {
        from.iter()
            .enumerate()
            .map(|(j, old)| match x.get(j).filter(|v| !v.is_nan()) {
                Some(v) => v.clamp(self.x_ranges[j].0, self.x_ranges[j].1),
                None => *old,
            })
            .collect()
    }
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

    /// The points a view of the data draws: the input plane for two inputs, otherwise
    /// (x, first output).
    pub fn view_points(&self, max: usize) -> Vec<(f64, f64)> {
        if self.x.nrows() >= 2 {
            self.input_points(max)
        } else {
            self.points(max)
        }
    }

    /// The points whose (first) input lies outside [a, b], in their order.
    pub fn without(&self, a: f64, b: f64) -> Dataset {
        let keep: Vec<usize> = (0..self.len())
            .filter(|&i| !(a..=b).contains(&self.x[[0, i]]))
            .collect();
        Dataset {
            x: self.x.select(ndarray::Axis(1), &keep),
            y: self.y.select(ndarray::Axis(1), &keep),
        }
    }

    /// Mean and standard deviation of each input dimension.
    pub fn input_spread(&self) -> Vec<(f64, f64)> {
        self.x
            .rows()
            .into_iter()
            .map(|r| mean_sd(&r.to_vec()))
            .collect()
    }

    /// Mean and standard deviation of each target dimension.
    pub fn target_spread(&self) -> Vec<(f64, f64)> {
        self.y
            .rows()
            .into_iter()
            .map(|r| mean_sd(&r.to_vec()))
            .collect()
    }

    /// At most `max` points of the first two input dimensions (the input plane).
    pub fn input_points(&self, max: usize) -> Vec<(f64, f64)> {
        let j = 1.min(self.x.nrows() - 1);
        self.thinned(max, |i| (self.x[[0, i]], self.x[[j, i]]))
    }

    fn thinned(&self, max: usize, f: impl Fn(usize) -> (f64, f64)) -> Vec<(f64, f64)> {
        let every = self.len().div_ceil(max.max(1)).max(1);
        (0..self.len()).step_by(every).map(f).collect()
    }

    /// The training and validation sets of a data set for `seed`.
    pub fn generate(data: Data, n: usize, seed: u64) -> (Dataset, Dataset) {
        let val = sample(data, N_VAL, &mut Rng::new(seed, stream::VAL_DATA));
        (Dataset::training(data, n, seed), val)
    }

    /// The training set of a data set for `seed` (that of [`Dataset::generate`]).
    pub fn training(data: Data, n: usize, seed: u64) -> Dataset {
        sample(data, n, &mut Rng::new(seed, stream::TRAIN_DATA))
    }
}

/// Points split by the seed: shuffled, then one fold of `fold.1` held out for validation
/// (fold 0 of 5 by default: a fifth).
fn hold_out(u: &UserData, seed: u64, fold: (usize, usize)) -> (Dataset, Dataset) {
    let mut order: Vec<usize> = (0..u.len()).collect();
    Rng::new(seed, stream::TRAIN_DATA).shuffle(&mut order);
    let folds = fold.1.max(2);
    let f = fold.0.min(folds - 1);
    // Fold f is order[start..end]; the default (0 of 5) is the first fifth, at least one.
    let start = u.len() * f / folds;
    let end = (u.len() * (f + 1) / folds).max(start + 1);
    let make = |idx: &[usize]| Dataset {
        x: Array2::from_shape_fn((1, idx.len()), |(_, i)| u.row(idx[i])[0]),
        y: Array2::from_shape_fn((u.cols - 1, idx.len()), |(j, i)| u.row(idx[i])[j + 1]),
    };
    let train: Vec<usize> = order[..start]
        .iter()
        .chain(&order[end..])
        .copied()
        .collect();
    (make(&train), make(&order[start..end]))
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

/// Noise of the ring's branches.
pub const RING_NOISE: f64 = 0.05;

/// The regimes at market feature m: P(bull), and (mean, sd) of the bull and the bear.
pub fn regimes(m: f64) -> (f64, (f64, f64), (f64, f64)) {
    let p = 1.0 / (1.0 + libm::exp(-1.5 * m));
    (p, (0.6 + 0.2 * m, 0.35), (-0.9 + 0.1 * m, 0.8))
}

/// Rain at humidity h: P(wet), and the log-normal amount's (μ, σ) of ln(amount).
pub fn rain(h: f64) -> (f64, f64, f64) {
    let p = 1.0 / (1.0 + libm::exp(-8.0 * (h - 0.55)));
    (p, -0.3 + 1.8 * h, 0.5)
}

/// The wind at season s ∈ [0, 1): P(second wind), and the (mean direction, κ) of the
/// prevailing wind and of the second one. The prevailing wind turns once around the
/// compass over the year, so its direction crosses 2π ≡ 0 at s ≈ 0.84.
pub fn wind(s: f64) -> (f64, (f64, f64), (f64, f64)) {
    let q = 0.25 + 0.15 * libm::cos(crate::mdn::family::TWO_PI * s);
    let m1 = crate::mdn::family::wrap(1.0 + crate::mdn::family::TWO_PI * s);
    (q, (m1, 6.0), (crate::mdn::family::wrap(m1 + 2.5), 2.0))
}

/// Where an experiment's points come from: a data set with its size and seed, or your
/// own points (`data=custom`).
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub data: Data,
    /// Training points drawn (a built-in set).
    pub n: usize,
    pub seed: u64,
    /// `data=custom`: the points.
    pub points: Option<&'a UserData>,
    /// Training points with x in this interval are left out (one-input data).
    pub gap: Option<(f64, f64)>,
    /// Points split, not drawn (your own, a real set): the fold held out for validation,
    /// of how many ([`HELD_OUT`] by default).
    pub fold: (usize, usize),
}

/// The fold of points held out by default: the first fifth, by the seed's order.
pub const HELD_OUT: (usize, usize) = (0, 5);

impl Source<'_> {
    /// The training and validation sets: drawn for the seed, or, for points of your own
    /// or a real set, the points shuffled by the seed and a fold held out ([`HELD_OUT`]:
    /// one in five). Training points in the gap are left out; the validation set keeps
    /// them.
    pub fn datasets(&self) -> (Dataset, Dataset) {
        let (train, val) = match self.split_points() {
            Some(u) => hold_out(&u, self.seed, self.fold),
            None => Dataset::generate(self.drawn(), self.n, self.seed),
        };
        match self.gap {
            Some((a, b)) if train.x.nrows() == 1 => (train.without(a, b), val),
            _ => (train, val),
        }
    }

    /// The training set with the gap's points still in, and without drawing the
    /// validation set: what a gap is checked against.
    pub fn ungapped_training(&self) -> Dataset {
        match self.split_points() {
            Some(u) => hold_out(&u, self.seed, self.fold).0,
            None => Dataset::training(self.drawn(), self.n, self.seed),
        }
    }

    /// The points that are split, not drawn: your own, or a real set's.
    fn split_points(&self) -> Option<std::borrow::Cow<'_, UserData>> {
        match (self.data, self.points) {
            (Data::Custom, Some(u)) => Some(std::borrow::Cow::Borrowed(u)),
            (d, _) => d.real().map(|r| std::borrow::Cow::Borrowed(r.points())),
        }
    }

    /// The set drawn when no points are split (custom data without points: Bishop's).
    fn drawn(&self) -> Data {
        match self.data {
            Data::Custom => Data::BishopInverse,
            d => d,
        }
    }

    /// What is known about the data (its own points' ranges for `data=custom`).
    pub fn info(&self) -> DataInfo {
        if let (Data::Custom, Some(u)) = (self.data, self.points) {
            return custom_info(u);
        }
        builtin_info(self.data)
    }

    /// Whether `family=hurdle` fits: one output, never negative.
    pub fn hurdle_fits(&self) -> bool {
        match (self.data, self.points) {
            (Data::Custom, Some(u)) => u.cols == 2 && (0..u.len()).all(|i| u.row(i)[1] >= 0.0),
            (Data::Rain | Data::BishopInverse | Data::Wind, _) => true,
            _ => false,
        }
    }

    /// The true conditional density's NLL on `val` (nats per point), where it has one
    /// and the data set has no constant for it. Rain's is on the mixed measure (a
    /// probability for the dry days, a density for the wet ones): comparable only with a
    /// model that gives its dry days a probability too (`hurdle`); for the others there
    /// is none.
    pub fn bayes_nll(&self, hurdle: bool, val: &Dataset) -> Option<f64> {
        if self.data == Data::Rain && !hurdle {
            return None;
        }
        let mut sum = 0.0;
        for i in 0..val.len() {
            sum -= true_log_density(self.data, val.x[[0, i]], val.y[[0, i]])?;
        }
        Some(sum / val.len() as f64)
    }
}

/// With `family=vonmises` the outputs are angles in radians, and an angle outside
/// [0, 2π) is the same angle taken modulo 2π. For your own points: a sentence saying how
/// many of them lie outside (none for the built-in sets, whose angles are in range).
pub fn angle_note(points: Option<&UserData>, lang: Lang) -> Option<String> {
    let u = points.filter(|u| u.cols == 2)?;
    let outside = (0..u.len())
        .filter(|&i| !(0.0..crate::mdn::family::TWO_PI).contains(&u.row(i)[1]))
        .count();
    (outside > 0).then(|| {
        lang.fill(
            "family=vonmises reads the outputs as angles in radians: {0} of your {1} points \
             have y outside [0, 2π), read as the same angle modulo 2π (intervals, PIT and \
             CRPS are of the angle in [0, 2π)).",
            &[&outside.to_string(), &u.len().to_string()],
        )
    })
}

fn ln_normal(y: f64, mu: f64, sd: f64) -> f64 {
    let z = (y - mu) / sd;
    -0.5 * z * z - libm::log(sd) - crate::base::math::HALF_LN_2PI
}

/// ln p(y | x) of the true conditional density, where it has one in closed form (the
/// forward problem, ring, regimes, wind; rain's is mixed: ln P(dry) at y = 0,
/// ln P(wet) + ln p(y | wet) above, see [`bayes_nll`]). The inverse problem's is uniform
/// over a set found numerically ([`super::truth::column`]).
pub fn true_log_density(data: Data, x: f64, y: f64) -> Option<f64> {
    match data {
        Data::BishopForward => {
            // x + 0.3 sin 2πx plus noise uniform on [−0.1, 0.1]: density 5 within 0.1.
            let g = x + 0.3 * libm::sin(2.0 * std::f64::consts::PI * x);
            Some(if (y - g).abs() <= 0.1 {
                libm::log(5.0)
            } else {
                f64::NEG_INFINITY
            })
        }
        Data::Rain => {
            let (p, mu, sd) = rain(x);
            Some(if y <= 0.0 {
                libm::log(1.0 - p)
            } else {
                let u = libm::log(y);
                libm::log(p) + ln_normal(u, mu, sd) - u
            })
        }
        Data::Wind => {
            let (q, a, b) = wind(x);
            let vm = |(m, kappa): (f64, f64)| {
                let h = libm::sin(0.5 * (y - m));
                -2.0 * kappa * h * h
                    - 2.0 * crate::base::math::HALF_LN_2PI
                    - crate::mdn::family::bessel(kappa).0
            };
            let (a, b) = (libm::log(1.0 - q) + vm(a), libm::log(q) + vm(b));
            let m = a.max(b);
            Some(m + libm::log(libm::exp(a - m) + libm::exp(b - m)))
        }
        Data::Ring => {
            let r = libm::sqrt((1.0 - x * x).max(0.0));
            let (a, b) = (ln_normal(y, r, RING_NOISE), ln_normal(y, -r, RING_NOISE));
            let m = a.max(b);
            Some(m + libm::log(0.5 * libm::exp(a - m) + 0.5 * libm::exp(b - m)))
        }
        Data::Regimes => {
            let (p, bull, bear) = regimes(x);
            let (a, b) = (
                libm::log(p) + ln_normal(y, bull.0, bull.1),
                libm::log(1.0 - p) + ln_normal(y, bear.0, bear.1),
            );
            let m = a.max(b);
            Some(m + libm::log(libm::exp(a - m) + libm::exp(b - m)))
        }
        _ => None,
    }
}

fn sample(data: Data, n: usize, rng: &mut Rng) -> Dataset {
    let info = builtin_info(data);
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
            Data::Ring => {
                let x0 = rng.range(-1.0, 1.0);
                let sign = if rng.uniform() < 0.5 { 1.0 } else { -1.0 };
                x[[0, i]] = x0;
                y[[0, i]] = sign * libm::sqrt(1.0 - x0 * x0) + RING_NOISE * rng.normal();
            }
            Data::Regimes => {
                let m = rng.range(-2.0, 2.0);
                let (p, bull, bear) = regimes(m);
                let (mu, sd) = if rng.uniform() < p { bull } else { bear };
                x[[0, i]] = m;
                y[[0, i]] = mu + sd * rng.normal();
            }
            Data::Rain => {
                let h = rng.uniform();
                let (p_wet, mu, sd) = rain(h);
                let wet = rng.uniform() < p_wet;
                let z = rng.normal();
                x[[0, i]] = h;
                y[[0, i]] = if wet { libm::exp(mu + sd * z) } else { 0.0 };
            }
            Data::Wind => {
                let season = rng.uniform();
                let (q, a, b) = wind(season);
                let (m, kappa) = if rng.uniform() < q { b } else { a };
                x[[0, i]] = season;
                y[[0, i]] =
                    crate::mdn::family::wrap(m + crate::mdn::family::von_mises_draw(kappa, rng));
            }
            // Custom data and real sets are split (`Source::datasets`), not sampled:
            // Bishop's if asked.
            Data::Custom | Data::Faithful | Data::Mcycle => {
                let (t, s) = bishop(rng);
                x[[0, i]] = s;
                y[[0, i]] = t;
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

/// Your own points: ranges padded by 5% around them, labels by column.
fn custom_info(u: &UserData) -> DataInfo {
    let y_labels: &'static [&'static str] = if u.cols == 2 { &["y"] } else { &["y1", "y2"] };
    DataInfo {
        x_labels: &["x"],
        y_labels,
        note: crate::lang::english(
            "Your own points: 80% train the models, a fifth (chosen by the seed) is held out \
             for validation.",
        ),
        ..points_info(u)
    }
}

/// A real set: its points' ranges, its labels and its story.
fn real_info(r: &'static real::RealSet) -> DataInfo {
    DataInfo {
        x_labels: std::slice::from_ref(&r.x_label),
        y_labels: std::slice::from_ref(&r.y_label),
        note: r.note,
        ..points_info(r.points())
    }
}

/// What points tell of themselves: ranges padded by 5% around them, no known truth.
fn points_info(u: &UserData) -> DataInfo {
    let range = |j: usize| {
        let (lo, hi) = (0..u.len())
            .map(|i| u.row(i)[j])
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        let pad = 0.05 * (hi - lo).max(1e-6);
        (lo - pad, hi + pad)
    };
    let x = range(0);
    DataInfo {
        din: 1,
        dout: u.cols - 1,
        x_labels: &[],
        y_labels: &[],
        x_ranges: vec![x],
        y_ranges: (1..u.cols).map(range).collect(),
        bayes_nll: None,
        target: vec![0.5 * (x.0 + x.1)],
        note: "",
    }
}

fn builtin_info(data: Data) -> DataInfo {
    match data {
        // Without points (the parser never gives that) custom data fall back to Bishop's.
        Data::Custom => builtin_info(Data::BishopInverse),
        Data::BishopInverse => DataInfo {
            din: 1,
            dout: 1,
            x_labels: &["x = t + 0.3 sin 2πt + noise"],
            y_labels: &["t"],
            x_ranges: vec![(-0.2, 1.2)],
            y_ranges: vec![(-0.1, 1.1)],
            bayes_nll: Some(-1.280),
            target: vec![0.5],
            note: "Bishop's inverted sine: up to three valid t for one x.",
        },
        Data::BishopForward => DataInfo {
            din: 1,
            dout: 1,
            x_labels: &["t"],
            y_labels: &["x = t + 0.3 sin 2πt + noise"],
            x_ranges: vec![(-0.05, 1.05)],
            y_ranges: vec![(-0.2, 1.2)],
            // Uniform noise of width 0.2: -ln 5.
            bayes_nll: Some(-1.609),
            target: vec![0.5],
            note: "The forward problem: one x for each t, so one component is enough.",
        },
        Data::Arm => DataInfo {
            din: 2,
            dout: 2,
            x_labels: &["x1 (end effector)", "x2 (end effector)"],
            y_labels: &["θ1 (shoulder)", "θ2 (elbow)"],
            // The workspace with the arm's base at the origin.
            x_ranges: vec![(-0.1, 1.1), (-0.1, 1.1)],
            y_ranges: vec![(0.0, 1.5), (1.2, 5.1)],
            // Without noise the true conditional is two points: its NLL is −∞.
            bayes_nll: None,
            // Reached with the elbow either way: θ ≈ (0.758, 2.284) or (0.436, 3.999).
            target: vec![0.78, 0.53],
            note: "Inverse kinematics: most targets are reached with the elbow up or down.",
        },
        Data::Ring => DataInfo {
            din: 1,
            dout: 1,
            x_labels: &["x"],
            y_labels: &["y = ±√(1 − x²) + noise"],
            x_ranges: vec![(-1.1, 1.1)],
            y_ranges: vec![(-1.3, 1.3)],
            // The true density is known: measured on each validation set (bayes_nll()).
            bayes_nll: None,
            target: vec![0.0],
            note: "A ring: two branches, ±√(1 − x²) with noise of σ = 0.05, that merge at x = ±1.",
        },
        Data::Regimes | Data::Rain | Data::Wind => story_info(data),
        Data::Faithful | Data::Mcycle => real_info(data.real().expect("a real set")),
    }
}

/// The data sets that tell a story of their own: markets, rain and wind.
fn story_info(data: Data) -> DataInfo {
    match data {
        Data::Regimes => DataInfo {
            din: 1,
            dout: 1,
            x_labels: &["market feature m"],
            y_labels: &["return"],
            x_ranges: vec![(-2.1, 2.1)],
            y_ranges: vec![(-3.5, 2.5)],
            bayes_nll: None,
            target: vec![0.0],
            note: "Returns from a bull regime N(0.6 + 0.2m, 0.35²) with probability \
                   1/(1 + e^(−1.5m)), otherwise from a bear regime N(−0.9 + 0.1m, 0.8²): two \
                   components whose weights move with m.",
        },
        Data::Rain => DataInfo {
            din: 1,
            dout: 1,
            x_labels: &["humidity"],
            y_labels: &["rain (mm)"],
            x_ranges: vec![(-0.02, 1.02)],
            y_ranges: vec![(-0.5, 8.0)],
            // A point mass at zero has no density: no finite Bayes NLL.
            bayes_nll: None,
            target: vec![0.7],
            note: "Rain is exactly zero on dry days (more often when the humidity is low) and a \
                   skewed positive amount otherwise. A Gaussian mixture has no point mass: it can \
                   only squeeze one component onto zero until its σ hits the floor, so the \
                   likelihood of the dry days — and the NLL — is set by sigma_min, not by the \
                   data, and the amounts' component leaks below zero. family=hurdle models it \
                   properly: P(dry) from the network and log-normal amounts (like Cannon 2008's \
                   Bernoulli–gamma). Its NLL is on a mixed measure (−ln P(dry) for a dry day), \
                   so the page compares every model on P(dry) and on the wet days' density \
                   separately.",
        },
        Data::Wind => DataInfo {
            din: 1,
            dout: 1,
            x_labels: &["season (0 = 1 Jan, 1 = 31 Dec)"],
            y_labels: &["wind direction (radians)"],
            x_ranges: vec![(0.0, 1.0)],
            y_ranges: vec![(0.0, crate::mdn::family::TWO_PI)],
            // The true density is known: measured on each validation set (bayes_nll());
            // its expectation by quadrature is in tests/reference/families_reference.py.
            bayes_nll: None,
            target: vec![0.84],
            note: "Wind directions are angles: 0 and 2π are the same direction. The prevailing \
                   wind (von Mises, κ = 6) turns once around the compass over the year and \
                   crosses 2π ≡ 0 in early November; a second wind (κ = 2) blows 2.5 radians \
                   away, more often in winter. A Gaussian mixture sees 0.1 and 6.2 as far apart \
                   and must cut the prevailing wind in two at the seam; family=vonmises wraps.",
        },
        other => builtin_info(other),
    }
}
