//! The views of a model with a two-dimensional output: pick an input on the **input
//! plane**, see p(y | x) over the **output plane**. For the robot arm the input plane is
//! the arm's workspace: the arm is drawn for the MSE prediction and for each likely
//! component, each with how far its end effector lands from the target.
//!
//! [`Scene`] (`scene`) gathers what both views show for one input; the page (src/web/) and
//! `mdn render` build it the same way and draw it with [`draw_inputs`] and
//! [`draw_outputs`] (`inputs`, `outputs`), generic over plotters' backends like the rest
//! of [`crate::plot`]; natively, `native` draws both into one image.

mod inputs;
mod outputs;
mod scene;

pub use inputs::draw_inputs;
pub use outputs::draw_outputs;
pub use scene::{
    hex, log_density, Arm, ComponentReport, Sampling, Scene, SceneReport, PI_MIN, SAMPLES_MAX,
};

use super::{ColourScale, Frame, Layer, View};
use crate::base::rng::Rng;
use crate::mdn::mixture::{Mixture, Temperature};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

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
    let (dx, dy) = crate::plot::axis_decimals(&frame.view);
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
        .x_label_formatter(&|v| frame.theme.tick(*v, dx))
        .y_label_formatter(&|v| frame.theme.tick(*v, dy))
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
/// The output plane: p(y | x) for the scene's input (the heatmap is blitted underneath),
/// each component's 1σ and 2σ ellipse, the MSE prediction, samples and the mode. Layers:
/// static, the axes and colour bar; live, the rest and the colour-scale numbers.
pub struct OutputPlot<'a> {
    pub frame: Frame<'a>,
    pub scene: &'a Scene,
    /// The colour scale (ln p) of the heatmap underneath.
    pub colour: ColourScale,
    /// The true p(y | x) where it is a few points (the arm's exact poses), when asked for.
    pub truth: &'a [[f64; 2]],
}
/// The output plane's heatmap shows p(y | x) smoothed by a Gaussian of this share of
/// each axis: a mode sharper than that (the arm's, whose data have no noise, end at the
/// σ floor) shows as a spot a few cells wide rather than one cell. The ellipses, the HPD
/// contour and every number are the model's own, unsmoothed.
pub const SMOOTHING: f64 = 0.015;

/// What the heatmap shows of `mixture` (see [`SMOOTHING`]).
pub fn smoothed(mixture: &Mixture, view: &View) -> Mixture {
    if mixture.d != 2 {
        return mixture.clone();
    }
    let w = [
        SMOOTHING * (view.x.1 - view.x.0),
        SMOOTHING * (view.y.1 - view.y.0),
    ];
    mixture.smoothed(&w)
}

/// The heatmap of ln p over the output plane (smoothed, see [`SMOOTHING`]) as RGBA, and
/// its colour range, as [`super::density_rgba`] does for the main plot.
pub fn density_rgba(
    mixture: &Mixture,
    view: &View,
    w: usize,
    h: usize,
    fixed: Option<ColourScale>,
) -> (Vec<u8>, ColourScale) {
    super::density_rgba(&log_density(&smoothed(mixture, view), view, w, h), fixed)
}

/// The output plane's fixed colour scale (see [`ColourScale::fixed`]).
pub fn fixed_scale(view: &View) -> ColourScale {
    ColourScale::fixed(&[view.x.1 - view.x.0, view.y.1 - view.y.0])
}
/// Samples that estimate the level of a two-dimensional HPD region.
pub const HPD_SAMPLES: usize = 4000;
/// The density level c of the HPD region of mass `mass` of a mixture in any dimension,
/// from samples: the region {y : p(y) ≥ c} holds `mass` of the probability when c is the
/// (1 − mass) quantile of p(Y), Y ~ p; estimated from [`HPD_SAMPLES`] draws (a fixed
/// stream, so the same everywhere). Its standard error in mass is about
/// √(m(1 − m)/4000) ≈ 0.005 at m = 0.9. Returns ln c.
pub fn hpd_log_level(mixture: &Mixture, mass: f64) -> f64 {
    let mut rng = Rng::new(0, crate::base::rng::stream::PIT + 1);
    let mut lp: Vec<f64> = mixture
        .samples(HPD_SAMPLES, Temperature::ONE, &mut rng)
        .iter()
        .map(|(_, y)| mixture.log_prob(y))
        .collect();
    lp.sort_by(f64::total_cmp);
    let i = (((1.0 - mass) * HPD_SAMPLES as f64) as usize).min(HPD_SAMPLES - 1);
    lp[i]
}
/// [`density_rgba`] with the contour of the model's own (unsmoothed) HPD region of mass
/// `mass` drawn in white: the cells inside whose neighbour (right or below) is outside.
pub fn density_rgba_hpd(
    mixture: &Mixture,
    view: &View,
    w: usize,
    h: usize,
    mass: f64,
    fixed: Option<ColourScale>,
) -> (Vec<u8>, ColourScale) {
    let (mut rgba, scale) = density_rgba(mixture, view, w, h, fixed);
    let grid = log_density(mixture, view, w, h);
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
    (rgba, scale)
}
/// Native rendering of both 2-D views side by side into an RGB image (`mdn render` of
/// a data set with two outputs), with the bundled font.
#[cfg(not(target_arch = "wasm32"))]
pub mod native {
    use super::*;
    use crate::data::dataset::DataInfo;
    use crate::mdn::model::Model;
    use crate::plot::font::register_font as font;
    use crate::plot::native::blit;
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
            colour: ColourScale::NONE,
            truth: &[],
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
        let fixed = fixed_scale(&out.frame.view);
        let (rgba, colour) = density_rgba(&scene.mixture, &out.frame.view, cw, ch, Some(fixed));
        out.colour = colour;
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
    model: &crate::mdn::model::Model,
    info: &crate::data::dataset::DataInfo,
    points: &[(f64, f64)],
    target: &[f64],
    sampling: Sampling,
    arm: bool,
    truth: &[[f64; 2]],
    (w, h): (u32, u32),
    theme: crate::plot::Theme,
) -> Result<String, String> {
    #[cfg(not(target_arch = "wasm32"))]
    crate::plot::font::register_font();
    let scene = Scene::new(model, target, sampling, arm);
    let scale = (w as f64 / 1200.0).clamp(1.0, 3.0);
    let half = w / 2;
    let frame = Frame::outputs(info, true, scale, Layer::All).themed(theme);
    let (cw, ch) = ((half as usize / 3).max(1), (h as usize / 3).max(1));
    let fixed = fixed_scale(&frame.view);
    let (rgba, colour) = density_rgba(&scene.mixture, &frame.view, cw, ch, Some(fixed));
    let out = OutputPlot {
        frame,
        scene: &scene,
        colour,
        truth,
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
