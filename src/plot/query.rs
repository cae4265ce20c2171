//! What the plots ask of a model: the density on a grid (as an RGBA image), the
//! parameters as functions of x, samples and modes.

use super::*;
use crate::mdn::mixture::Mixture;
use crate::mdn::model::Model;
use crate::mdn::pooled;
use ndarray::Array2;

/// What the plots read of a forecaster: its mixtures at inputs (one per row of `xs`) and
/// its MSE regressor's prediction. A trained model is one; so is an ensemble's even
/// mixture ([`Even`]).
pub trait Forecasts {
    fn mixtures(&self, xs: &Array2<f64>) -> Vec<Mixture>;
    /// The MSE regressor's prediction (first output) at each x of one input.
    fn regressor(&self, xs: &[f64]) -> Vec<f64>;
}

impl Forecasts for Model {
    fn mixtures(&self, xs: &Array2<f64>) -> Vec<Mixture> {
        Model::mixtures(self, xs)
    }

    fn regressor(&self, xs: &[f64]) -> Vec<f64> {
        let mut q = self.queries();
        xs.iter().map(|x| q.baseline(&[*x])[0]).collect()
    }
}

/// A deep ensemble's predictive: the even mixture of its members' mixtures, with the
/// first member's MSE regressor.
pub struct Even<'a> {
    pub members: Vec<&'a Model>,
}

impl Forecasts for Even<'_> {
    fn mixtures(&self, xs: &Array2<f64>) -> Vec<Mixture> {
        pooled::even_each(&pooled::member_mixtures(self.members.iter().copied(), xs))
    }

    fn regressor(&self, xs: &[f64]) -> Vec<f64> {
        self.members[0].regressor(xs)
    }
}

/// One model, or an ensemble's even mixture: what the page's plots show.
pub enum Shown<'a> {
    One(&'a Model),
    Even(Even<'a>),
}

impl Forecasts for Shown<'_> {
    fn mixtures(&self, xs: &Array2<f64>) -> Vec<Mixture> {
        match self {
            Shown::One(m) => Forecasts::mixtures(*m, xs),
            Shown::Even(e) => e.mixtures(xs),
        }
    }

    fn regressor(&self, xs: &[f64]) -> Vec<f64> {
        match self {
            Shown::One(m) => m.regressor(xs),
            Shown::Even(e) => e.regressor(xs),
        }
    }
}

/// ln p(y|x) over a `w × h` grid covering `view`: pixel (col, row) is at the centre of
/// its cell, row 0 at the top (largest y). One input and one output dimension.
pub fn log_density(model: &impl Forecasts, view: &View, w: usize, h: usize) -> Array2<f64> {
    let xs = Array2::from_shape_fn((w, 1), |(c, _)| {
        view.x.0 + (c as f64 + 0.5) / w as f64 * (view.x.1 - view.x.0)
    });
    let ys: Vec<f64> = (0..h)
        .map(|r| view.y.1 - (r as f64 + 0.5) / h as f64 * (view.y.1 - view.y.0))
        .collect();
    let mix = model.mixtures(&xs);
    Array2::from_shape_fn((h, w), |(iy, ix)| mix[ix].log_density(&[ys[iy]]))
}

/// A heatmap's colour scale in ln p, from `lo` (darkest) to `hi` (brightest),
/// [`COLOUR_SPAN`] apart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ColourScale {
    pub lo: f64,
    pub hi: f64,
    /// The same at every step (`scale=fixed`, the default), rather than following the
    /// densest cell of each frame (`scale=auto`).
    pub fixed: bool,
}

impl ColourScale {
    /// Before anything is drawn.
    pub const NONE: ColourScale = ColourScale {
        lo: -COLOUR_SPAN,
        hi: 0.0,
        fixed: false,
    };

    /// The fixed scale of a density over output axes spanning `spans` (the data's range):
    /// its top is the peak density of a component whose σ is 1% of each span, rounded up to
    /// a whole number, which a sharp branch reaches; the ticks fall on whole numbers. The
    /// same at every step, so that brightness means the same density over time.
    pub fn fixed(spans: &[f64]) -> ColourScale {
        let peak: f64 = spans
            .iter()
            .map(|s| {
                -crate::base::math::ln(
                    0.01 * s.abs().max(1e-9) * (2.0 * std::f64::consts::PI).sqrt(),
                )
            })
            .sum();
        let hi = if peak.is_finite() {
            peak.ceil().clamp(-10.0, 20.0)
        } else {
            0.0
        };
        ColourScale {
            lo: hi - COLOUR_SPAN,
            hi,
            fixed: true,
        }
    }

    /// The scale that follows a grid's densest cell (capped at 6).
    pub fn auto(grid: &Array2<f64>) -> ColourScale {
        let top = grid
            .iter()
            .cloned()
            .filter(|v| v.is_finite())
            .fold(f64::NEG_INFINITY, f64::max);
        let hi = if top.is_finite() { top.min(6.0) } else { 0.0 };
        ColourScale {
            lo: hi - COLOUR_SPAN,
            hi,
            fixed: false,
        }
    }
}

/// The main plot's fixed colour scale: over its y axis (see [`ColourScale::fixed`]).
pub fn main_scale(view: &View) -> ColourScale {
    ColourScale::fixed(&[view.y.1 - view.y.0])
}

/// The heatmap as RGBA pixels on the `fixed` scale (`None`: one that follows the densest
/// cell), and the scale used. Cells outside the scale take its end colours; cells that
/// are not finite the bottom colour: never a NaN on screen.
pub fn density_rgba(grid: &Array2<f64>, fixed: Option<ColourScale>) -> (Vec<u8>, ColourScale) {
    let scale = fixed.unwrap_or_else(|| ColourScale::auto(grid));
    let lo = scale.lo;
    let mut out = Vec::with_capacity(grid.len() * 4);
    for v in grid.iter() {
        let t = if v.is_finite() {
            (v - lo) / COLOUR_SPAN
        } else {
            0.0
        };
        let [r, g, b] = viridis(t);
        out.extend_from_slice(&[r, g, b, 255]);
    }
    (out, scale)
}

/// The model as functions of x: the baseline's prediction and each component's π, μ, σ.
#[derive(Clone, Debug)]
pub struct Curves {
    pub xs: Vec<f64>,
    pub baseline: Vec<f64>,
    pub mixtures: Vec<Mixture>,
}

pub fn curves(model: &impl Forecasts, view: &View, n: usize) -> Curves {
    let xs: Vec<f64> = (0..n)
        .map(|i| view.x.0 + i as f64 / (n - 1).max(1) as f64 * (view.x.1 - view.x.0))
        .collect();
    let grid = Array2::from_shape_fn((n, 1), |(i, _)| xs[i]);
    let mixtures = model.mixtures(&grid);
    let baseline = model.regressor(&xs);
    Curves {
        xs,
        baseline,
        mixtures,
    }
}

/// Points (x, y) in data units.
pub type Points = Vec<(f64, f64)>;

/// Samples for the main plot (one per x, the x drawn uniformly over the view) and the
/// most probable y at each of the curves' x, as asked by `sampling`.
pub fn samples_and_modes(
    model: &impl Forecasts,
    view: &View,
    curves: &Curves,
    sampling: plane::Sampling,
) -> (Points, Points) {
    if sampling.n == 0 && !sampling.mode {
        return (Vec::new(), Vec::new()); // every frame, usually: no work
    }
    let mut rng = crate::base::rng::Rng::new(sampling.seed, crate::base::rng::stream::SAMPLES);
    let n = sampling.n.min(plane::SAMPLES_MAX);
    let xs = Array2::from_shape_fn((n, 1), |_| rng.range(view.x.0, view.x.1));
    let samples = model
        .mixtures(&xs)
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let w = m.tempered_weights(sampling.temp.pi);
            (
                xs[[i, 0]],
                m.sample_tempered(&w, sampling.temp.sigma, &mut rng).1[0],
            )
        })
        .collect();
    let modes = if sampling.mode {
        // Every other x of the curves: the mode is an iteration per start, not a formula.
        curves
            .xs
            .iter()
            .zip(&curves.mixtures)
            .step_by(2)
            .map(|(x, m)| (*x, m.mode()[0]))
            .collect()
    } else {
        Vec::new()
    };
    (samples, modes)
}

/// The mass of the intervals the plots draw.
pub const INTERVAL_MASS: f64 = 0.9;

/// The central interval and the HPD region of mass [`INTERVAL_MASS`] at each of the
/// curves' x (every `stride`-th), for drawing: the HPD ends placed by interpolation on a
/// 128-point grid (the CLI and the slice place them exactly).
#[derive(Clone, Debug, Default)]
pub struct Intervals {
    pub xs: Vec<f64>,
    pub central: Vec<(f64, f64)>,
    pub hpd: Vec<Vec<(f64, f64)>>,
}

pub fn intervals(curves: &Curves, stride: usize) -> Intervals {
    let mut track = IntervalTrack::default();
    track.update(0, curves, stride, &mut || false);
    track.intervals()
}

/// The columns the intervals are drawn at: every `stride`-th of the curves' x, every
/// third of those for the other families (their intervals come from a table per x, see
/// forecast::Table, a few times a Gaussian's cost).
fn interval_stride(curves: &Curves, stride: usize) -> usize {
    let other = curves
        .mixtures
        .first()
        .is_some_and(|m| m.family != crate::mdn::family::Family::Gaussian);
    stride.max(1) * if other { 3 } else { 1 }
}

/// One column's intervals, if its mixture is a valid one-dimensional one.
fn interval_column(m: &crate::mdn::mixture::Mixture) -> Option<((f64, f64), Vec<(f64, f64)>)> {
    use crate::forecast::{central, hpd_on, LevelGrid, Prepared};
    if m.d != 1 || m.check().is_err() {
        return None;
    }
    let f = Prepared::new(m);
    let g = LevelGrid::new(&f, 128);
    Some((
        central(&f, INTERVAL_MASS),
        hpd_on(&f, &g, INTERVAL_MASS, 0).intervals,
    ))
}

/// The main plot's intervals, brought up to date a few columns at a time: while a model
/// trains, each frame computes what its time allows, and the columns not yet done show
/// the last parameters' intervals (a model with many components of another family would
/// otherwise hold up every frame).
#[derive(Clone, Debug, Default)]
pub struct IntervalTrack {
    /// Which parameters the columns are being brought to.
    key: u64,
    stride: usize,
    xs: Vec<f64>,
    columns: Vec<Option<((f64, f64), Vec<(f64, f64)>)>>,
    /// Columns done for `key`, and the next one to do.
    fresh: usize,
    next: usize,
}

impl IntervalTrack {
    /// Works on the columns of `curves` (the parameters `key`) until all are done for
    /// them (true) or `out_of_time()` says stop (asked after each column; at least one is
    /// done per call).
    pub fn update(
        &mut self,
        key: u64,
        curves: &Curves,
        stride: usize,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let stride = interval_stride(curves, stride);
        let xs: Vec<f64> = curves.xs.iter().step_by(stride).copied().collect();
        if stride != self.stride || xs != self.xs {
            *self = IntervalTrack {
                key,
                stride,
                columns: vec![None; xs.len()],
                xs,
                fresh: 0,
                next: 0,
            };
        } else if key != self.key {
            self.key = key;
            self.fresh = 0;
        }
        let n = self.xs.len();
        while self.fresh < n {
            let i = self.next % n;
            self.columns[i] = curves.mixtures.get(i * stride).and_then(interval_column);
            self.next = (i + 1) % n;
            self.fresh += 1;
            if self.fresh < n && out_of_time() {
                break;
            }
        }
        self.fresh >= n
    }

    /// Every column is of the parameters last given.
    pub fn done(&self) -> bool {
        self.fresh >= self.xs.len()
    }

    /// The columns computed so far.
    pub fn intervals(&self) -> Intervals {
        let mut out = Intervals::default();
        for (x, c) in self.xs.iter().zip(&self.columns) {
            if let Some((central, hpd)) = c {
                out.xs.push(*x);
                out.central.push(*central);
                out.hpd.push(hpd.clone());
            }
        }
        out
    }
}
