//! The views of a model with a two-dimensional output: pick an input on the **input
//! plane**, see p(y | x) over the **output plane**. For the robot arm the input plane is
//! the arm's workspace: the arm is drawn for the MSE prediction and for each likely
//! component, each with how far its end effector lands from the target.
//!
//! [`Scene`] gathers what both views show for one input; the page (src/web/) and
//! `mdn render` build it the same way and draw it with [`draw_inputs`] and
//! [`draw_outputs`], generic over plotters' backends like the rest of [`crate::plot`].

use super::{
    colour_bar, component_colour, legend_box, Frame, Layer, Paper, Rect, View, MODE_COLOUR,
};
use crate::dataset::{arm_forward, arm_miss};
use crate::mixture::{Mixture, Temperature};
use crate::model::Model;
use crate::network::Workspace;
use crate::rng::{stream, Rng};
use ndarray::Array2;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
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
        let mut ws = Workspace::new(&model.mdn.sizes);
        let mixture = model.mixture(target, &mut ws);
        let mut wsb = Workspace::new(&model.baseline.sizes);
        let baseline = model.baseline_predict(target, &mut wsb);
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

/// The input plane: the data's inputs, the target, and (robot arm) the poses. Layers:
/// static, the axes and data; live, the target and poses.
pub struct InputPlot<'a> {
    pub frame: Frame<'a>,
    /// Keep one unit the same length on both axes (the arm's workspace).
    pub equal_aspect: bool,
    /// Points to show: the inputs (two input dimensions) or (x, y1) (one input).
    pub points: &'a [(f64, f64)],
    pub scene: &'a Scene,
}

/// `view` widened along one axis so that its units have the same length on screen in
/// a `w × h` pixel area.
fn equal_aspect(view: View, w: f64, h: f64) -> View {
    let (dx, dy) = (view.x.1 - view.x.0, view.y.1 - view.y.0);
    if w <= 0.0 || h <= 0.0 {
        return view;
    }
    if dx / w > dy / h {
        let grow = (dx * h / w - dy) / 2.0;
        View {
            x: view.x,
            y: (view.y.0 - grow, view.y.1 + grow),
        }
    } else {
        let grow = (dy * w / h - dx) / 2.0;
        View {
            x: (view.x.0 - grow, view.x.1 + grow),
            y: view.y,
        }
    }
}

fn chart_on<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    view: View,
    text: bool,
    s: f64,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, String> {
    let px = |v: f64| (v * s).round() as i32;
    let mut b = ChartBuilder::on(area);
    b.margin(px(8.0));
    if text {
        b.x_label_area_size(px(36.0)).y_label_area_size(px(44.0));
    } else {
        b.x_label_area_size(px(4.0)).y_label_area_size(px(4.0));
    }
    b.build_cartesian_2d(view.x.0..view.x.1, view.y.0..view.y.1)
        .map_err(|e| e.to_string())
}

/// Axes with labels; `grid` lines too (not over a heatmap).
fn mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    frame: &Frame,
    grid: bool,
) -> Result<(), String> {
    let (s, ink) = (frame.scale, frame.theme.ink());
    let font = ("sans-serif", 13.0 * s).into_font();
    let mut m = chart.configure_mesh();
    if grid {
        m.light_line_style(frame.theme.grid(0.05))
            .bold_line_style(frame.theme.grid(0.1));
    } else {
        m.disable_mesh();
    }
    m.x_desc(frame.x_label)
        .y_desc(frame.y_label)
        .axis_style(ink)
        .label_style(font.clone().color(&ink))
        .axis_desc_style(font.color(&ink))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()
        .map_err(|e| e.to_string())
}

/// The MSE prediction's colour in both views (on the output plane's heatmap, a white dot
/// ringed in it).
const MSE_COLOUR: RGBColor = RGBColor(20, 20, 20);

/// The MSE arm on the input plane: the theme's ink.
fn mse_colour(theme: super::Theme) -> RGBColor {
    if theme.dark {
        theme.ink()
    } else {
        MSE_COLOUR
    }
}

/// Draws the input plane and returns its plot area and the data range actually shown
/// (widened for an equal aspect), to map the pointer back to data.
pub fn draw_inputs<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &InputPlot,
) -> Result<(Rect, View), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = p.frame.scale;
    let px = |v: f64| (v * s).round() as i32;
    let mut view = p.frame.view;
    if p.equal_aspect {
        // The plot area's size does not depend on the range: measure it, then widen.
        let probe = chart_on(root, view, p.frame.text, s)?;
        let (xr, yr) = probe.plotting_area().get_pixel_range();
        view = equal_aspect(view, (xr.end - xr.start) as f64, (yr.end - yr.start) as f64);
    }
    let mut chart = chart_on(root, view, p.frame.text, s)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let rect = (xr.start, yr.start, xr.end, yr.end);
    let scene = p.scene;
    if p.frame.layer != Layer::Live {
        if p.frame.text {
            mesh(&mut chart, &p.frame, true)?;
        }
        let dot = px(1.5).max(1) as u32;
        let grey = if p.frame.theme.dark {
            RGBColor(150, 170, 215)
        } else {
            RGBColor(90, 110, 160)
        };
        chart
            .draw_series(
                p.points
                    .iter()
                    .map(|&(x, y)| Circle::new((x, y), dot, grey.mix(0.35).filled())),
            )
            .map_err(e)?;
    }
    if p.frame.layer == Layer::Static {
        return Ok((rect, view));
    }
    // The target: a crosshair on the plane, or a vertical line for one input dimension.
    let red = RGBColor(220, 30, 30);
    if scene.target.len() >= 2 {
        let (tx, ty) = (scene.target[0], scene.target[1]);
        chart
            .draw_series(std::iter::once(Circle::new(
                (tx, ty),
                px(7.0) as u32,
                red.stroke_width(px(2.0) as u32),
            )))
            .map_err(e)?;
    } else if let Some(&x0) = scene.target.first() {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x0, view.y.0), (x0, view.y.1)],
                red.stroke_width(px(2.0) as u32),
            )))
            .map_err(e)?;
    }
    // Sampled poses, faint; then the MSE pose and each likely component's.
    let thin = px(1.0).max(1) as u32;
    for a in &scene.sampled_arms {
        let colour = a.component.map_or(RGBColor(200, 30, 30), component_colour);
        chart
            .draw_series(std::iter::once(PathElement::new(
                a.joints.to_vec(),
                colour.mix(0.25).stroke_width(thin),
            )))
            .map_err(e)?;
    }
    for a in &scene.arms {
        let (colour, alpha) = match (a.component, a.pi) {
            (Some(c), Some(pi)) => (component_colour(c), pi.sqrt().clamp(0.35, 1.0)),
            _ => (mse_colour(p.frame.theme), 1.0),
        };
        let style = colour.mix(alpha).stroke_width(px(4.0) as u32);
        // A component's arm on the theme's casing (a light colour on white paper).
        if let (Some(casing), Some(_)) = (p.frame.theme.casing(), a.component) {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    a.joints.to_vec(),
                    casing.stroke_width(px(6.0) as u32),
                )))
                .map_err(e)?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(a.joints.to_vec(), style)))
            .map_err(e)?;
        chart
            .draw_series(
                a.joints
                    .iter()
                    .map(|&j| Circle::new(j, px(3.5) as u32, colour.mix(alpha).filled())),
            )
            .map_err(e)?;
    }
    if let Some(a) = &scene.mode_arm {
        for (colour, width) in [(BLACK, 4.0), (MODE_COLOUR, 2.0)] {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    a.joints.to_vec(),
                    colour.stroke_width(px(width) as u32),
                )))
                .map_err(e)?;
        }
    }
    if p.frame.text && p.frame.legend && !scene.arms.is_empty() {
        // Legend with each pose's miss distance, bottom right inside the plot.
        let lines: Vec<(String, RGBColor)> = scene
            .arms
            .iter()
            .map(|a| match (a.component, a.pi) {
                (Some(c), Some(pi)) => (
                    format!("component {} (π {:.2}): misses by {:.3}", c + 1, pi, a.miss),
                    component_colour(c),
                ),
                _ => (
                    format!("MSE regressor: misses by {:.3}", a.miss),
                    mse_colour(p.frame.theme),
                ),
            })
            .collect();
        let (lh, bw) = (px(18.0), px(300.0));
        let base = root.get_base_pixel();
        let at = (
            rect.2 - base.0 - px(6.0) - bw,
            rect.3 - base.1 - px(6.0) - lh * lines.len() as i32,
        );
        legend_box(root, at, bw, &lines, Paper::Page(p.frame.theme), s).map_err(e)?;
    }
    Ok((rect, view))
}

/// The output plane: p(y | x) for the scene's input (the heatmap is blitted underneath),
/// each component's 1σ and 2σ ellipse, the MSE prediction, samples and the mode. Layers:
/// static, the axes and colour bar; live, the rest and the colour-scale numbers.
pub struct OutputPlot<'a> {
    pub frame: Frame<'a>,
    pub scene: &'a Scene,
    /// The colour scale (ln p) of the heatmap underneath.
    pub colour: (f64, f64),
}

/// Points of the ellipse (y − μ)ᵀ Σ⁻¹ (y − μ) = r²: μ + r L (cos t, sin t).
fn ellipse(m: &Mixture, c: usize, r: f64) -> Vec<(f64, f64)> {
    let (l00, l10, l11) = (m.chol(c, 0, 0), m.chol(c, 1, 0), m.chol(c, 1, 1));
    let (mx, my) = (m.mu[c * 2], m.mu[c * 2 + 1]);
    (0..=64)
        .map(|i| {
            let t = i as f64 / 64.0 * std::f64::consts::TAU;
            let (u, v) = (r * libm::cos(t), r * libm::sin(t));
            (mx + l00 * u, my + l10 * u + l11 * v)
        })
        .collect()
}

pub fn draw_outputs<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &OutputPlot,
) -> Result<Rect, String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = p.frame.scale;
    let px = |v: f64| (v * s).round() as i32;
    let (w, _) = root.dim_in_pixel();
    let bar_w = px(70.0).min(w as i32 / 5);
    let (main, bar) = root.split_horizontally(w as i32 - bar_w);
    let mut chart = chart_on(&main, p.frame.view, p.frame.text, s)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let rect = (xr.start, yr.start, xr.end, yr.end);
    if p.frame.layer != Layer::Live && p.frame.text {
        mesh(&mut chart, &p.frame, false)?;
    }
    colour_bar(
        &bar,
        rect,
        p.colour,
        p.frame.layer,
        p.frame.text,
        p.frame.theme,
        s,
    )
    .map_err(e)?;
    if p.frame.layer == Layer::Static {
        return Ok(rect);
    }
    let m = &p.scene.mixture;
    if m.d == 2 {
        // Samples under the ellipses.
        let dot = px(2.0).max(1) as u32;
        chart
            .draw_series(p.scene.samples.iter().map(|(c, y)| {
                Circle::new((y[0], y[1]), dot, component_colour(*c).mix(0.8).filled())
            }))
            .map_err(e)?;
        for c in (0..m.k).filter(|&c| m.pi[c] >= PI_MIN) {
            let colour = component_colour(c);
            let alpha = m.pi[c].sqrt().clamp(0.4, 1.0);
            for (r, width) in [(1.0, 2.0), (2.0, 1.0)] {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        ellipse(m, c, r),
                        colour.mix(alpha).stroke_width(px(width).max(1) as u32),
                    )))
                    .map_err(e)?;
            }
            chart
                .draw_series(std::iter::once(Cross::new(
                    (m.mu[c * 2], m.mu[c * 2 + 1]),
                    px(5.0) as u32,
                    colour.mix(alpha).stroke_width(px(2.0) as u32),
                )))
                .map_err(e)?;
        }
        let b = &p.scene.baseline;
        chart
            .draw_series([
                Circle::new((b[0], b[1]), px(6.0) as u32, WHITE.filled()),
                Circle::new(
                    (b[0], b[1]),
                    px(6.0) as u32,
                    MSE_COLOUR.stroke_width(px(2.0) as u32),
                ),
            ])
            .map_err(e)?;
        if let Some(md) = &p.scene.mode {
            chart
                .draw_series([
                    TriangleMarker::new((md[0], md[1]), px(10.0) as u32, BLACK.filled()),
                    TriangleMarker::new((md[0], md[1]), px(7.0) as u32, MODE_COLOUR.filled()),
                ])
                .map_err(e)?;
        }
    }
    if p.frame.text && p.frame.legend {
        let mut items: Vec<(&str, RGBColor)> = vec![
            ("MSE prediction (between the modes)", WHITE),
            ("components: mean, 1σ and 2σ ellipses", component_colour(0)),
        ];
        if !p.scene.samples.is_empty() {
            items.push(("samples (colour: component)", component_colour(1)));
        }
        if p.scene.mode.is_some() {
            items.push(("most probable point (mode)", MODE_COLOUR));
        }
        // In the area's own coordinates (the plot area's are the backend's).
        let base = main.get_base_pixel();
        let at = (rect.0 - base.0 + px(10.0), rect.1 - base.1 + px(10.0));
        legend_box(&main, at, px(270.0), &items, Paper::Heatmap, s).map_err(e)?;
    }
    Ok(rect)
}

/// The heatmap of ln p over the output plane as RGBA, and its colour range, as
/// [`super::density_rgba`] does for the main plot.
pub fn density_rgba(mixture: &Mixture, view: &View, w: usize, h: usize) -> (Vec<u8>, f64, f64) {
    super::density_rgba(&log_density(mixture, view, w, h))
}

/// Samples that estimate the level of a two-dimensional HPD region.
pub const HPD_SAMPLES: usize = 4000;

/// The density level c of the HPD region of mass `mass` of a mixture in any dimension,
/// from samples: the region {y : p(y) ≥ c} holds `mass` of the probability when c is the
/// (1 − mass) quantile of p(Y), Y ~ p; estimated from [`HPD_SAMPLES`] draws (a fixed
/// stream, so the same everywhere). Its standard error in mass is about
/// √(m(1 − m)/4000) ≈ 0.005 at m = 0.9. Returns ln c.
pub fn hpd_log_level(mixture: &Mixture, mass: f64) -> f64 {
    let mut rng = Rng::new(0, crate::rng::stream::PIT + 1);
    let mut lp: Vec<f64> = mixture
        .samples(HPD_SAMPLES, Temperature::ONE, &mut rng)
        .iter()
        .map(|(_, y)| mixture.log_prob(y))
        .collect();
    lp.sort_by(f64::total_cmp);
    let i = (((1.0 - mass) * HPD_SAMPLES as f64) as usize).min(HPD_SAMPLES - 1);
    lp[i]
}

/// [`density_rgba`] with the contour of the HPD region of mass `mass` drawn in white: the
/// cells inside whose neighbour (right or below) is outside.
pub fn density_rgba_hpd(
    mixture: &Mixture,
    view: &View,
    w: usize,
    h: usize,
    mass: f64,
) -> (Vec<u8>, f64, f64) {
    let grid = log_density(mixture, view, w, h);
    let (mut rgba, lo, hi) = super::density_rgba(&grid);
    let level = hpd_log_level(mixture, mass);
    let inside = |r: usize, c: usize| grid[[r, c]] >= level;
    for r in 0..h {
        for c in 0..w {
            let edge = (c + 1 < w && inside(r, c) != inside(r, c + 1))
                || (r + 1 < h && inside(r, c) != inside(r + 1, c));
            if edge {
                rgba[(r * w + c) * 4..(r * w + c) * 4 + 3].copy_from_slice(&[255, 255, 255]);
            }
        }
    }
    (rgba, lo, hi)
}

/// Native rendering of both 2-D views side by side into an RGB image (`mdn render` of
/// a data set with two outputs), with the bundled font.
#[cfg(not(target_arch = "wasm32"))]
pub mod native {
    use super::*;
    use crate::dataset::DataInfo;
    use crate::plot::native::{blit, register_font as font};
    use plotters::backend::BitMapBackend;

    /// The input plane (left) and the output plane at `target` (right), `w × h` pixels.
    pub fn planes_rgb(
        model: &Model,
        info: &DataInfo,
        points: &[(f64, f64)],
        target: &[f64],
        sampling: Sampling,
        arm: bool,
        w: u32,
        h: u32,
    ) -> Result<Vec<u8>, String> {
        font();
        let scene = Scene::new(model, target, sampling, arm);
        let scale = (w as f64 / 1200.0).clamp(1.0, 3.0);
        let half = w / 2;
        let mut out = OutputPlot {
            frame: Frame::outputs(info, true, scale, Layer::Static),
            scene: &scene,
            colour: (-8.0, 0.0),
        };
        // Where the output plot's area falls (it does not depend on the data drawn).
        let mut scratch = vec![0u8; (w * h * 3) as usize];
        let rect = {
            let root = BitMapBackend::with_buffer(&mut scratch, (w, h)).into_drawing_area();
            let (_, right) = root.split_horizontally(half as i32);
            draw_outputs(&right, &out)?
        };
        let (cw, ch) = (
            (rect.2 - rect.0).max(1) as usize,
            (rect.3 - rect.1).max(1) as usize,
        );
        let (rgba, lo, hi) = density_rgba(&scene.mixture, &out.frame.view, cw, ch);
        out.colour = (lo, hi);
        out.frame.layer = Layer::All;
        let mut buf = vec![255u8; (w * h * 3) as usize];
        blit(&mut buf, w, h, &rgba, cw, ch, rect.0, rect.1);
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            let (left, right) = root.split_horizontally(half as i32);
            let inp = InputPlot {
                frame: Frame::inputs(info, true, scale, Layer::All),
                equal_aspect: arm,
                points,
                scene: &scene,
            };
            draw_inputs(&left, &inp)?;
            draw_outputs(&right, &out)?;
            root.present().map_err(|e| e.to_string())?;
        }
        Ok(buf)
    }
}

/// The two views side by side as SVG (see [`crate::plot::svg`]), in `theme`.
#[allow(clippy::too_many_arguments)]
pub fn planes_svg(
    model: &crate::model::Model,
    info: &crate::dataset::DataInfo,
    points: &[(f64, f64)],
    target: &[f64],
    sampling: Sampling,
    arm: bool,
    (w, h): (u32, u32),
    theme: crate::plot::Theme,
) -> Result<String, String> {
    #[cfg(not(target_arch = "wasm32"))]
    crate::plot::native::register_font();
    let scene = Scene::new(model, target, sampling, arm);
    let scale = (w as f64 / 1200.0).clamp(1.0, 3.0);
    let half = w / 2;
    let frame = Frame::outputs(info, true, scale, Layer::All).themed(theme);
    let (cw, ch) = ((half as usize / 3).max(1), (h as usize / 3).max(1));
    let (rgba, lo, hi) = density_rgba(&scene.mixture, &frame.view, cw, ch);
    let out = OutputPlot {
        frame,
        scene: &scene,
        colour: (lo, hi),
    };
    let inp = InputPlot {
        frame: Frame::inputs(info, true, scale, Layer::All).themed(theme),
        equal_aspect: arm,
        points,
        scene: &scene,
    };
    crate::plot::svg::figure(
        w,
        h,
        theme,
        |root| {
            let (left, right) = root.split_horizontally(half as i32);
            draw_inputs(&left, &inp)?;
            draw_outputs(&right, &out)
        },
        |rect| Some((*rect, rgba, cw, ch)),
    )
}
