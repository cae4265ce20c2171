//! What the 2-D views show for one input: the mixture there, the MSE prediction,
//! samples and the mode, and for the robot arm each pose with how far its hand lands from
//! the target. Queries only; the drawing is in [`super::inputs`] and [`super::outputs`].

use super::MSE_COLOUR;
use crate::base::rng::{stream, Rng};
use crate::data::dataset::{arm_forward, arm_miss};
use crate::lang::{english, Lang};
use crate::mdn::mixture::{Mixture, Temperature};
use crate::mdn::model::Model;
use crate::plot::{component_colour, View};
use ndarray::Array2;
use plotters::style::RGBColor;
use serde::Serialize;

/// Components lighter than this are left out of the arm drawing and the ellipses.
pub const PI_MIN: f64 = 0.05;
/// How the views sample the model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sampling {
    pub temp: Temperature,
    /// Samples to draw (0: none).
    pub n: usize,
    /// Show the most probable point of p(y|x) (its highest mode).
    pub mode: bool,
    /// Seed of the sampler: the same seed, the same samples.
    pub seed: u64,
}
impl Default for Sampling {
    fn default() -> Self {
        Sampling {
            temp: Temperature::ONE,
            n: 0,
            mode: false,
            seed: 1,
        }
    }
}
/// The most samples a view draws.
pub const SAMPLES_MAX: usize = 2000;
/// A pose of the robot arm: base, elbow, end effector.
#[derive(Clone, Debug, Serialize)]
pub struct Arm {
    pub theta: [f64; 2],
    pub joints: [(f64, f64); 3],
    /// Distance from the end effector to the target.
    pub miss: f64,
    /// The component it comes from (None: the MSE prediction or a sample).
    pub component: Option<usize>,
    pub pi: Option<f64>,
    /// The colour it is drawn in, as #rrggbb.
    pub colour: String,
}
/// `#rrggbb` of a colour, for the page's text beside a drawing.
pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}
impl Arm {
    fn new(theta: [f64; 2], target: &[f64], component: Option<usize>, pi: Option<f64>) -> Arm {
        let (elbow, hand) = arm_forward(theta[0], theta[1]);
        Arm {
            theta,
            joints: [(0.0, 0.0), elbow, hand],
            miss: arm_miss(target, &theta),
            component,
            pi,
            colour: hex(component.map_or(MSE_COLOUR, component_colour)),
        }
    }
}
/// What the 2-D views show for one input.
#[derive(Clone, Debug)]
pub struct Scene {
    pub target: Vec<f64>,
    pub mixture: Mixture,
    /// The MSE regressor's prediction (its estimate of E[y | x]).
    pub baseline: Vec<f64>,
    /// Samples of y | x with their components.
    pub samples: Vec<(usize, Vec<f64>)>,
    /// The highest mode of p(y | x), if asked for.
    pub mode: Option<Vec<f64>>,
    /// Robot arm only: the MSE prediction's pose, then each component with π ≥ PI_MIN,
    /// most probable first.
    pub arms: Vec<Arm>,
    /// Robot arm only: the poses of the samples.
    pub sampled_arms: Vec<Arm>,
    /// Robot arm only: the pose of the mode.
    pub mode_arm: Option<Arm>,
}
impl Scene {
    /// The scene at input `target`; `arm` draws the robot arm's poses.
    pub fn new(model: &Model, target: &[f64], sampling: Sampling, arm: bool) -> Scene {
        let mut q = model.queries();
        let mixture = q.mixture(target);
        let baseline = q.baseline(target);
        let mut rng = Rng::new(sampling.seed, stream::SAMPLES);
        let samples = mixture.samples(sampling.n.min(SAMPLES_MAX), sampling.temp, &mut rng);
        let mode = sampling.mode.then(|| mixture.mode());
        let (mut arms, mut sampled_arms) = (Vec::new(), Vec::new());
        if arm && mixture.d == 2 && target.len() == 2 {
            arms.push(Arm::new([baseline[0], baseline[1]], target, None, None));
            let mut order: Vec<usize> = (0..mixture.k)
                .filter(|&c| mixture.pi[c] >= PI_MIN)
                .collect();
            order.sort_by(|a, b| mixture.pi[*b].total_cmp(&mixture.pi[*a]));
            for c in order {
                let mu = mixture.component_mean(c);
                arms.push(Arm::new(
                    [mu[0], mu[1]],
                    target,
                    Some(c),
                    Some(mixture.pi[c]),
                ));
            }
            for (c, y) in &samples {
                sampled_arms.push(Arm::new([y[0], y[1]], target, Some(*c), None));
            }
        }
        let mode_arm = match &mode {
            Some(m) if !arms.is_empty() => Some(Arm::new([m[0], m[1]], target, None, None)),
            _ => None,
        };
        Scene {
            target: target.to_vec(),
            mixture,
            baseline,
            samples,
            mode,
            arms,
            sampled_arms,
            mode_arm,
        }
    }

    /// The numbers behind the drawing, for the page's text and its tests.
    pub fn report(&self) -> SceneReport {
        let m = &self.mixture;
        SceneReport {
            target: self.target.clone(),
            baseline: self.baseline.clone(),
            components: (0..m.k)
                .filter(|&c| m.pi[c] >= PI_MIN)
                .map(|c| ComponentReport {
                    k: c,
                    pi: m.pi[c],
                    mean: m.component_mean(c),
                    covariance: m.covariance(c),
                    colour: hex(component_colour(c)),
                })
                .collect(),
            arms: self.arms.clone(),
            samples: self.samples.len(),
            mode: self.mode.clone(),
        }
    }
}
#[derive(Clone, Debug, Serialize)]
pub struct SceneReport {
    pub target: Vec<f64>,
    pub baseline: Vec<f64>,
    /// Components with π ≥ PI_MIN.
    pub components: Vec<ComponentReport>,
    pub arms: Vec<Arm>,
    pub samples: usize,
    pub mode: Option<Vec<f64>>,
}
#[derive(Clone, Debug, Serialize)]
pub struct ComponentReport {
    pub k: usize,
    pub pi: f64,
    pub mean: Vec<f64>,
    /// Σ_k, row-major.
    pub covariance: Vec<f64>,
    pub colour: String,
}
/// ln p(y1, y2 | x) over a `w × h` grid covering `view` (row 0 at the top).
pub fn log_density(mixture: &Mixture, view: &View, w: usize, h: usize) -> Array2<f64> {
    let mut y = vec![0.0; mixture.d];
    Array2::from_shape_fn((h, w), |(r, c)| {
        y[0] = view.x.0 + (c as f64 + 0.5) / w as f64 * (view.x.1 - view.x.0);
        if mixture.d > 1 {
            y[1] = view.y.1 - (r as f64 + 0.5) / h as f64 * (view.y.1 - view.y.0);
        }
        mixture.log_density(&y)
    })
}

impl Arm {
    /// Whether the elbow is above the line from the base to the hand (left of it, going
    /// out from the base): elbow up; else elbow down.
    pub fn elbow_up(&self) -> bool {
        let [(bx, by), (ex, ey), (hx, hy)] = self.joints;
        (hx - bx) * (ey - by) - (hy - by) * (ex - bx) > 0.0
    }

    /// The pose in words: "elbow up", "elbow down", or "arm almost straight" when the
    /// second link bends less than 0.1 rad from the first's line (θ2 near π).
    pub fn bend(&self) -> &'static str {
        let tau = std::f64::consts::TAU;
        let off = (self.theta[1] - std::f64::consts::PI).rem_euclid(tau);
        if off.min(tau - off) < 0.1 {
            english("arm almost straight")
        } else if self.elbow_up() {
            english("elbow up")
        } else {
            english("elbow down")
        }
    }
}

impl SceneReport {
    /// The 2-D views in words (plain text, in `lang`): the target, then for the arm each
    /// pose of a likely component (elbow up or down, its weight, where the hand lands) and
    /// the MSE regressor's; for other data each likely component's mean and the MSE
    /// prediction.
    pub fn describe(&self, lang: Lang) -> String {
        let n = |v: f64, d: usize| lang.signed(v, d);
        let list = |v: &[f64]| {
            v.iter()
                .map(|&x| n(x, 3))
                .collect::<Vec<_>>()
                .join(lang.list_sep())
        };
        let target = lang.fill("Target ({0}).", &[&list(&self.target)]);
        // "2 likely poses: a; b" (one item: "1 likely pose: a").
        let likely = |[none, one, many]: [&'static str; 3], items: Vec<String>| match items.len() {
            0 => lang.fill(none, &[&PI_MIN.to_string()]),
            1 => lang.fill(one, &[&items[0]]),
            k => lang.fill(many, &[&k.to_string(), &items.join("; ")]),
        };
        if !self.arms.is_empty() {
            let mut poses: Vec<&Arm> = self.arms.iter().filter(|a| a.component.is_some()).collect();
            poses.sort_by(|a, b| b.pi.unwrap_or(0.0).total_cmp(&a.pi.unwrap_or(0.0)));
            let items = poses
                .iter()
                .map(|a| {
                    lang.fill(
                        "{0}, component {1} with weight {2}, θ = ({3}), its hand {4} from the \
                         target",
                        &[
                            lang.t(a.bend()),
                            &a.component.map_or(0, |c| c + 1).to_string(),
                            &n(a.pi.unwrap_or(0.0), 2),
                            &list(&a.theta),
                            &n(a.miss, 3),
                        ],
                    )
                })
                .collect();
            let mse = self
                .arms
                .iter()
                .find(|a| a.component.is_none())
                .map_or(String::new(), |m| {
                    lang.fill(
                        " The MSE regressor's angles θ = ({0}) put the hand {1} from it, with \
                         the {2}.",
                        &[&list(&m.theta), &n(m.miss, 3), lang.t(m.bend())],
                    )
                });
            let poses = likely(
                [
                    "No pose has a weight of {0} or more",
                    "1 likely pose: {0}",
                    "{0} likely poses: {1}",
                ],
                items,
            );
            return format!("{target} {poses}.{mse}");
        }
        let mut comps: Vec<&ComponentReport> = self.components.iter().collect();
        comps.sort_by(|a, b| b.pi.total_cmp(&a.pi));
        let items = comps
            .iter()
            .map(|c| {
                lang.fill(
                    "component {0} with weight {1}, mean ({2})",
                    &[&(c.k + 1).to_string(), &n(c.pi, 2), &list(&c.mean)],
                )
            })
            .collect();
        let components = likely(
            [
                "No component has a weight of {0} or more",
                "1 likely component: {0}",
                "{0} likely components: {1}",
            ],
            items,
        );
        let mse = lang.fill(" The MSE prediction ({0}).", &[&list(&self.baseline)]);
        format!("{target} {components}.{mse}")
    }
}
