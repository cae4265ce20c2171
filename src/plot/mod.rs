//! The plots. Dense images (the p(y|x) heatmap) are computed here into RGBA buffers that
//! the page blits with `putImageData`; axes, lines, points and text are drawn with
//! plotters, generic over its `DrawingBackend`, so the same code draws on the page
//! (CanvasBackend) and natively (BitMapBackend, in the tests).

use crate::mixture::Mixture;
use crate::model::Model;

pub mod plane;
use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The data range a plot shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl View {
    /// A data set's plot range: the first input against the first output.
    pub fn of(info: &crate::dataset::DataInfo) -> View {
        View {
            x: info.x_ranges[0],
            y: info.y_ranges[0],
        }
    }

    /// The input plane of the 2-D views: two inputs, or the input against the first
    /// output; with the label of its vertical axis.
    pub fn inputs(info: &crate::dataset::DataInfo) -> (View, &'static str) {
        if info.din >= 2 {
            let v = View {
                x: info.x_ranges[0],
                y: info.x_ranges[1],
            };
            (v, info.x_labels[1])
        } else {
            (View::of(info), info.y_labels[0])
        }
    }

    /// The output plane of the 2-D views: the first two outputs.
    pub fn outputs(info: &crate::dataset::DataInfo) -> View {
        let r = &info.y_ranges;
        View {
            x: r[0],
            y: r.get(1).copied().unwrap_or(r[0]),
        }
    }
}

/// Training points a plot draws at most (more only hides the density under them).
pub const MAX_POINTS: usize = 2000;

/// Viridis, sampled at 9 points (matplotlib's values) and interpolated.
const VIRIDIS: [[f64; 3]; 9] = [
    [68.0, 1.0, 84.0],
    [71.0, 44.0, 122.0],
    [59.0, 81.0, 139.0],
    [44.0, 113.0, 142.0],
    [33.0, 144.0, 141.0],
    [39.0, 173.0, 129.0],
    [92.0, 200.0, 99.0],
    [170.0, 220.0, 50.0],
    [253.0, 231.0, 37.0],
];

/// The colour of `t` in [0, 1] (clamped; NaN is the bottom colour).
pub fn viridis(t: f64) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) } * 8.0;
    let i = (t.floor() as usize).min(7);
    let f = t - i as f64;
    let mut c = [0u8; 3];
    for (ch, out) in c.iter_mut().enumerate() {
        *out = (VIRIDIS[i][ch] * (1.0 - f) + VIRIDIS[i + 1][ch] * f).round() as u8;
    }
    c
}

/// How many nats of log density the colour scale spans below its top.
pub const COLOUR_SPAN: f64 = 8.0;

/// ln p(y|x) over a `w × h` grid covering `view`: pixel (col, row) is at the centre of
/// its cell, row 0 at the top (largest y). One input and one output dimension.
pub fn log_density(model: &Model, view: &View, w: usize, h: usize) -> Array2<f64> {
    let xs: Vec<f64> = (0..w)
        .map(|c| view.x.0 + (c as f64 + 0.5) / w as f64 * (view.x.1 - view.x.0))
        .collect();
    let ys: Vec<f64> = (0..h)
        .map(|r| view.y.1 - (r as f64 + 0.5) / h as f64 * (view.y.1 - view.y.0))
        .collect();
    model.log_density_grid(&xs, &ys)
}

/// The heatmap as RGBA pixels, and the colour scale's range (lo, hi) in ln p: the top
/// of the scale follows the densest cell (capped at 6), the bottom is COLOUR_SPAN lower.
/// Cells that are not finite get the bottom colour: never a NaN on screen.
pub fn density_rgba(grid: &Array2<f64>) -> (Vec<u8>, f64, f64) {
    let top = grid
        .iter()
        .cloned()
        .filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    let hi = if top.is_finite() { top.min(6.0) } else { 0.0 };
    let lo = hi - COLOUR_SPAN;
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
    (out, lo, hi)
}

/// The model as functions of x: the baseline's prediction and each component's π, μ, σ.
#[derive(Clone, Debug)]
pub struct Curves {
    pub xs: Vec<f64>,
    pub baseline: Vec<f64>,
    pub mixtures: Vec<Mixture>,
}

pub fn curves(model: &Model, view: &View, n: usize) -> Curves {
    let xs: Vec<f64> = (0..n)
        .map(|i| view.x.0 + i as f64 / (n - 1).max(1) as f64 * (view.x.1 - view.x.0))
        .collect();
    let grid = Array2::from_shape_fn((n, 1), |(i, _)| xs[i]);
    let mixtures = model.mixtures(&grid);
    let mut ws = crate::network::Workspace::new(&model.baseline.sizes);
    let baseline = xs
        .iter()
        .map(|x| model.baseline_predict(&[*x], &mut ws)[0])
        .collect();
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
    model: &Model,
    view: &View,
    curves: &Curves,
    sampling: plane::Sampling,
) -> (Points, Points) {
    if sampling.n == 0 && !sampling.mode {
        return (Vec::new(), Vec::new()); // every frame, usually: no work
    }
    let mut rng = crate::rng::Rng::new(sampling.seed, crate::rng::stream::SAMPLES);
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

/// Samples drawn from the model, and the mode (most probable y), in every view.
pub const SAMPLE_COLOUR: RGBColor = RGBColor(255, 160, 210);
pub const MODE_COLOUR: RGBColor = RGBColor(255, 215, 0);

/// Component colours (Tableau 10), for lines that sit on the dark heatmap.
pub const PALETTE: [(u8, u8, u8); 10] = [
    (255, 127, 14),
    (214, 39, 40),
    (148, 103, 189),
    (227, 119, 194),
    (188, 189, 34),
    (23, 190, 207),
    (140, 86, 75),
    (31, 119, 180),
    (44, 160, 44),
    (127, 127, 127),
];

pub fn component_colour(k: usize) -> RGBColor {
    let (r, g, b) = PALETTE[k % PALETTE.len()];
    RGBColor(r, g, b)
}

/// What every plot of the page's main area has: its data range, axis labels, and how to
/// draw (text, legend, pixel scale, layer).
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    pub view: View,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// Draw text (axis labels, legend, colour bar labels). Off where no font is at hand.
    pub text: bool,
    /// Draw the legend inside the plot (off on small screens: the caption explains).
    pub legend: bool,
    /// Pixel scale (devicePixelRatio): fonts and strokes are multiplied by it.
    pub scale: f64,
    /// Which layer to draw: the static one (axes, labels, legend, data, colour bar)
    /// changes only with the data and the canvas size; the live one (curves, colour
    /// scale numbers) with every snapshot.
    pub layer: Layer,
}

impl Frame<'static> {
    /// The main plot's frame for a data set (text on).
    pub fn main(info: &crate::dataset::DataInfo, legend: bool, scale: f64, layer: Layer) -> Self {
        Frame {
            view: View::of(info),
            x_label: info.x_labels[0],
            y_label: info.y_labels[0],
            text: true,
            legend,
            scale,
            layer,
        }
    }

    /// The input plane's frame (see [`View::inputs`]).
    pub fn inputs(info: &crate::dataset::DataInfo, legend: bool, scale: f64, layer: Layer) -> Self {
        let (view, y_label) = View::inputs(info);
        Frame {
            view,
            x_label: info.x_labels[0],
            y_label,
            ..Frame::main(info, legend, scale, layer)
        }
    }

    /// The output plane's frame (see [`View::outputs`]).
    pub fn outputs(
        info: &crate::dataset::DataInfo,
        legend: bool,
        scale: f64,
        layer: Layer,
    ) -> Self {
        Frame {
            view: View::outputs(info),
            x_label: info.y_labels[0],
            y_label: info.y_labels.get(1).copied().unwrap_or(""),
            ..Frame::main(info, legend, scale, layer)
        }
    }
}

/// What the main plot shows besides the heatmap.
pub struct MainPlot<'a> {
    pub frame: Frame<'a>,
    /// Training points (x, y), drawn small.
    pub points: &'a [(f64, f64)],
    pub curves: &'a Curves,
    /// Samples (x, y) drawn from the model (see [`plane::Sampling`]); may be empty.
    pub samples: &'a [(f64, f64)],
    /// The most probable y at each x (the highest mode of p(y|x)); may be empty.
    pub modes: &'a [(f64, f64)],
    /// The colour scale (ln p) of the heatmap underneath.
    pub colour: (f64, f64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Static,
    Live,
    /// Both, on one canvas (natively rendered images).
    All,
}

impl Layer {
    /// The live layer or the static one.
    pub fn of(live: bool) -> Layer {
        if live {
            Layer::Live
        } else {
            Layer::Static
        }
    }
}

/// The plot area's pixel rectangle (x0, y0, x1, y1), where the heatmap goes.
pub type Rect = (i32, i32, i32, i32);

/// Draws axes, data, the MSE regressor's curve, the component means (opacity π), a
/// legend and the colour bar onto a transparent `root`, and returns the plot area.
pub fn draw_main<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &MainPlot,
) -> Result<Rect, String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = p.frame.scale;
    let px = |v: f64| (v * s).round() as i32;
    let (w, _h) = root.dim_in_pixel();
    let bar_w = px(70.0).min(w as i32 / 5);
    let (main, bar) = root.split_horizontally(w as i32 - bar_w);
    let font = ("sans-serif", 13.0 * s).into_font();
    let mut b = ChartBuilder::on(&main);
    b.margin(px(8.0));
    if p.frame.text {
        b.x_label_area_size(px(36.0)).y_label_area_size(px(44.0));
    } else {
        b.x_label_area_size(px(4.0)).y_label_area_size(px(4.0));
    }
    let mut chart = b
        .build_cartesian_2d(
            p.frame.view.x.0..p.frame.view.x.1,
            p.frame.view.y.0..p.frame.view.y.1,
        )
        .map_err(e)?;
    let stat = p.frame.layer != Layer::Live;

    if p.frame.text && stat {
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(p.frame.x_label)
            .y_desc(p.frame.y_label)
            .label_style(font.clone().color(&BLACK))
            .axis_desc_style(font.clone().color(&BLACK))
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|v| format!("{v:.1}"))
            .y_label_formatter(&|v| format!("{v:.1}"))
            .draw()
            .map_err(e)?;
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let rect = (xr.start, yr.start, xr.end, yr.end);

    if stat && !p.points.is_empty() {
        // Data: small translucent white dots.
        let dot = px(1.5).max(1) as u32;
        chart
            .draw_series(
                p.points
                    .iter()
                    .map(|&(x, y)| Circle::new((x, y), dot, WHITE.mix(0.35).filled())),
            )
            .map_err(e)?;
    }

    // Component means, each segment as opaque as the component's weight there
    // (√π, so that a component with a quarter of the weight is still half visible).
    let c = p.curves;
    for k in 0..c.mixtures.first().map_or(0, |m| m.k) {
        let colour = component_colour(k);
        for i in 1..c.xs.len() {
            let (m0, m1) = (&c.mixtures[i - 1], &c.mixtures[i]);
            let pi = 0.5 * (m0.pi[k] + m1.pi[k]);
            if pi < 0.01 {
                continue;
            }
            let seg = [(c.xs[i - 1], m0.mu[k * m0.d]), (c.xs[i], m1.mu[k * m1.d])];
            chart
                .draw_series(std::iter::once(PathElement::new(
                    seg,
                    colour.mix(pi.sqrt().min(1.0)).stroke_width(px(2.5) as u32),
                )))
                .map_err(e)?;
        }
    }
    // Samples and the mode curve (on request): what a generator built on the model draws.
    let dot = px(2.0).max(1) as u32;
    chart
        .draw_series(
            p.samples
                .iter()
                .map(|&(x, y)| Circle::new((x, y), dot, SAMPLE_COLOUR.filled())),
        )
        .map_err(e)?;
    let jump = 0.1 * (p.frame.view.y.1 - p.frame.view.y.0);
    for (colour, width) in [(BLACK, 5.0), (MODE_COLOUR, 3.0)] {
        for w in p.modes.windows(2) {
            // Broken where the mode jumps from one branch to another.
            if (w[1].1 - w[0].1).abs() < jump {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![w[0], w[1]],
                        colour.stroke_width(px(width) as u32),
                    )))
                    .map_err(e)?;
            }
        }
    }
    // The MSE regressor: what it predicts is the conditional mean.
    let mse: Vec<(f64, f64)> =
        c.xs.iter()
            .cloned()
            .zip(c.baseline.iter().cloned())
            .collect();
    chart
        .draw_series(std::iter::once(PathElement::new(
            mse,
            WHITE.stroke_width(px(3.0) as u32),
        )))
        .map_err(e)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            c.xs.iter()
                .cloned()
                .zip(c.baseline.iter().cloned())
                .collect::<Vec<_>>(),
            BLACK.stroke_width(px(1.0) as u32),
        )))
        .map_err(e)?;

    if p.frame.text && p.frame.legend {
        // Legend, top left inside the plot.
        let (x0, y0) = (rect.0 + px(10.0), rect.1 + px(10.0));
        let mut items: Vec<(&str, RGBColor)> = vec![
            ("MSE regressor (conditional mean)", WHITE),
            (
                "component means μ_k(x), opacity π_k(x)",
                component_colour(0),
            ),
            ("training data", RGBColor(200, 200, 200)),
        ];
        if !p.samples.is_empty() {
            items.push(("samples from the model", SAMPLE_COLOUR));
        }
        if !p.modes.is_empty() {
            items.push(("most probable y (mode)", MODE_COLOUR));
        }
        legend_box(&main, (x0, y0), px(280.0), &items, true, s).map_err(e)?;
    }

    colour_bar(&bar, rect, p.colour, p.frame.layer, p.frame.text, s).map_err(e)?;
    Ok(rect)
}

/// A legend box with its top left at `at` (in `area`'s own pixels), `width` wide: one
/// line per item, a stroke of its colour and its label. `dark`: a translucent black box
/// with white text (over a heatmap), else a white one with black text.
fn legend_box<DB: DrawingBackend, S: AsRef<str>>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    width: i32,
    items: &[(S, RGBColor)],
    dark: bool,
    s: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * s).round() as i32;
    let font = ("sans-serif", 13.0 * s).into_font();
    let (x0, y0) = at;
    let lh = px(18.0);
    let (fill, text) = if dark {
        (BLACK.mix(0.55), WHITE)
    } else {
        (WHITE.mix(0.85), BLACK)
    };
    area.draw(&Rectangle::new(
        [
            (x0 - px(4.0), y0 - px(4.0)),
            (x0 + width, y0 + lh * items.len() as i32),
        ],
        fill.filled(),
    ))?;
    for (i, (label, colour)) in items.iter().enumerate() {
        let y = y0 + lh * i as i32 + lh / 2;
        area.draw(&PathElement::new(
            vec![(x0, y), (x0 + px(22.0), y)],
            colour.stroke_width(px(3.0) as u32),
        ))?;
        area.draw(&Text::new(
            label.as_ref().to_string(),
            (x0 + px(28.0), y - px(7.0)),
            font.clone().color(&text),
        ))?;
    }
    Ok(())
}

/// The colour bar of a heatmap, in `bar` beside the plot area `rect`: the colours with
/// the static layer, the ln p numbers (which move with the model) with the live one.
fn colour_bar<DB: DrawingBackend>(
    bar: &DrawingArea<DB, Shift>,
    rect: Rect,
    colour: (f64, f64),
    layer: Layer,
    text: bool,
    s: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * s).round() as i32;
    let font = ("sans-serif", 13.0 * s).into_font();
    // `rect` is in the backend's pixels, the drawing below in the bar's own.
    let rect = {
        let (bx, by) = bar.get_base_pixel();
        (rect.0 - bx, rect.1 - by, rect.2 - bx, rect.3 - by)
    };
    let bx = px(8.0);
    let bw = px(14.0);
    let steps = 64;
    let height = (rect.3 - rect.1).max(1);
    if layer != Layer::Live {
        for i in 0..steps {
            let t0 = rect.1 + height * i / steps;
            let t1 = rect.1 + height * (i + 1) / steps;
            let [r, g, bb] = viridis(1.0 - (i as f64 + 0.5) / steps as f64);
            bar.draw(&Rectangle::new(
                [(bx, t0), (bx + bw, t1)],
                RGBColor(r, g, bb).filled(),
            ))?;
        }
    }
    if text && layer != Layer::Static {
        let (lo, hi) = colour;
        for i in 0..=4 {
            let v = hi - (hi - lo) * i as f64 / 4.0;
            let y = rect.1 + height * i / 4;
            bar.draw(&Text::new(
                format!("{v:.1}"),
                (bx + bw + px(4.0), y - px(6.0)),
                font.clone().color(&BLACK),
            ))?;
        }
        bar.draw(&Text::new(
            "ln p",
            (bx, rect.3 + px(6.0)),
            font.clone().color(&BLACK),
        ))?;
    }
    Ok(())
}

/// The K sweep: validation NLL (each seed a dot, the mean a line) and BIC against K,
/// side by side, the chosen K of each marked.
pub fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &crate::sweep::Report,
    text: bool,
    scale: f64,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = scale;
    let px = |v: f64| (v * s).round() as i32;
    let font = ("sans-serif", 12.0 * s).into_font();
    let (left, right) = root.split_horizontally(root.dim_in_pixel().0 as i32 / 2);
    let k1 = r.k_max as f64 + 0.5;
    type Get = fn(&crate::sweep::Row) -> f64;
    type Mean = fn(&crate::sweep::Summary) -> f64;
    type Panel<'p, DB> = (
        &'p DrawingArea<DB, Shift>,
        &'p str,
        Get,
        Mean,
        Option<usize>,
    );
    let panels: [Panel<DB>; 2] = [
        (
            &left,
            "validation NLL (nats)",
            |r| r.val_nll,
            |m| m.val_nll_mean,
            r.chosen_by_val_nll,
        ),
        (&right, "BIC", |r| r.bic, |m| m.bic_mean, r.chosen_by_bic),
    ];
    let accent = RGBColor(214, 39, 40);
    for (area, label, get, mean, chosen) in panels {
        let vals: Vec<f64> = r.rows.iter().map(get).filter(|v| v.is_finite()).collect();
        let (mut lo, mut hi) = vals
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v), b.max(*v))
            });
        if !(lo.is_finite() && hi.is_finite()) {
            (lo, hi) = (0.0, 1.0);
        }
        let pad = 0.08 * (hi - lo).max(1e-6);
        let mut b = ChartBuilder::on(area);
        b.margin(px(8.0));
        if text {
            b.x_label_area_size(px(30.0)).y_label_area_size(px(56.0));
        }
        let mut chart = b
            .build_cartesian_2d(0.5..k1, (lo - pad)..(hi + pad))
            .map_err(e)?;
        if text {
            chart
                .configure_mesh()
                .light_line_style(BLACK.mix(0.05))
                .x_desc("K (components)")
                .y_desc(label)
                .x_labels(r.k_max.min(15))
                .x_label_formatter(&|v| format!("{v:.0}"))
                .label_style(font.clone())
                .axis_desc_style(font.clone())
                .draw()
                .map_err(e)?;
        }
        if let Some(k) = chosen {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(k as f64, lo - pad), (k as f64, hi + pad)],
                    accent.mix(0.6).stroke_width(px(2.0) as u32),
                )))
                .map_err(e)?;
            if text {
                // Beside the line, on the side with room.
                let right = (k as f64) < 0.5 * (0.5 + k1);
                let h = if right { HPos::Left } else { HPos::Right };
                let style = font.clone().color(&accent).pos(Pos::new(h, VPos::Top));
                let x = k as f64 + if right { 0.08 } else { -0.08 };
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("chosen: K = {k}"),
                        (x, hi + pad),
                        style,
                    )))
                    .map_err(e)?;
            }
        }
        chart
            .draw_series(r.rows.iter().filter(|q| get(q).is_finite()).map(|q| {
                Circle::new(
                    (q.k as f64, get(q)),
                    px(3.0) as u32,
                    RGBColor(31, 119, 180).mix(0.5).filled(),
                )
            }))
            .map_err(e)?;
        chart
            .draw_series(LineSeries::new(
                r.summary
                    .iter()
                    .map(|m| (m.k as f64, mean(m)))
                    .filter(|p| p.1.is_finite()),
                RGBColor(31, 119, 180).stroke_width(px(2.0) as u32),
            ))
            .map_err(e)?;
    }
    Ok(())
}

/// A loss history kept short: when it reaches `cap` points, neighbours are averaged in
/// pairs, so a long run costs the same to draw as a short one.
#[derive(Clone, Debug, Default)]
pub struct History {
    pub points: Vec<(f64, f64)>,
    pending: Option<(f64, f64, u32)>,
    stride: u32,
}

impl History {
    pub const CAP: usize = 1000;

    pub fn push(&mut self, step: f64, v: f64) {
        if !v.is_finite() {
            return;
        }
        if self.stride == 0 {
            self.stride = 1;
        }
        let (s, a, n) = self.pending.map_or((step, 0.0, 0), |p| p);
        let (s, a, n) = (s.max(step), a + v, n + 1);
        if n >= self.stride {
            self.points.push((s, a / n as f64));
            self.pending = None;
        } else {
            self.pending = Some((s, a, n));
        }
        if self.points.len() >= Self::CAP {
            self.points = self
                .points
                .chunks(2)
                .map(|c| {
                    (
                        c[c.len() - 1].0,
                        c.iter().map(|p| p.1).sum::<f64>() / c.len() as f64,
                    )
                })
                .collect();
            self.stride *= 2;
        }
    }
}

/// The legend of a panel's labelled series, top right on a light box.
fn series_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    font: FontDesc<'a>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.2))
        .label_font(font)
        .draw()
}

/// The loss panel: MDN training (batch) and validation NLL, the baseline's validation NLL,
/// and the Bayes-optimal line where known.
pub struct LossPlot<'a> {
    pub train: &'a [(f64, f64)],
    pub val: &'a [(f64, f64)],
    pub baseline: &'a [(f64, f64)],
    pub bayes: Option<f64>,
    pub text: bool,
    pub scale: f64,
}

pub fn draw_loss<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &LossPlot,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = p.scale;
    let px = |v: f64| (v * s).round() as i32;
    let all = p.train.iter().chain(p.val).chain(p.baseline);
    let x1 = all.clone().map(|q| q.0).fold(1.0, f64::max);
    let mut ylo = all.clone().map(|q| q.1).fold(f64::INFINITY, f64::min);
    let mut yhi = all.map(|q| q.1).fold(f64::NEG_INFINITY, f64::max);
    if let Some(b) = p.bayes {
        ylo = ylo.min(b);
    }
    if !(ylo.is_finite() && yhi.is_finite()) {
        ylo = -1.5;
        yhi = 1.0;
    }
    yhi = yhi.min(ylo + 4.0).max(ylo + 0.1); // the first steps' large losses would flatten the rest
    let pad = 0.05 * (yhi - ylo);
    let font = ("sans-serif", 12.0 * s).into_font();
    let mut b = ChartBuilder::on(root);
    b.margin(px(8.0));
    if p.text {
        b.x_label_area_size(px(30.0)).y_label_area_size(px(44.0));
    }
    let mut chart = b
        .build_cartesian_2d(0.0..x1, (ylo - pad)..(yhi + pad))
        .map_err(e)?;
    if p.text {
        chart
            .configure_mesh()
            .light_line_style(BLACK.mix(0.05))
            .x_desc("step")
            .y_desc("NLL (nats)")
            .x_label_formatter(&|v| format!("{v:.0}"))
            .label_style(font.clone())
            .axis_desc_style(font.clone())
            .x_labels(5)
            .y_labels(5)
            .draw()
            .map_err(e)?;
    }
    let w = px(2.0) as u32;
    type Series<'s> = (&'s [(f64, f64)], RGBColor, &'s str);
    let series: [Series; 3] = [
        (p.train, RGBColor(31, 119, 180), "MDN, training batch"),
        (p.val, RGBColor(255, 127, 14), "MDN, validation"),
        (
            p.baseline,
            RGBColor(120, 120, 120),
            "MSE regressor, validation",
        ),
    ];
    for (pts, colour, label) in series {
        let clipped: Vec<(f64, f64)> = pts.iter().map(|&(x, y)| (x, y.min(yhi + pad))).collect();
        let s = chart
            .draw_series(LineSeries::new(clipped, colour.stroke_width(w)))
            .map_err(e)?;
        if p.text {
            s.label(label).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2))
            });
        }
    }
    if let Some(bayes) = p.bayes {
        let s = chart
            .draw_series(LineSeries::new(
                vec![(0.0, bayes), (x1, bayes)],
                RGBColor(44, 160, 44).stroke_width(px(1.0) as u32),
            ))
            .map_err(e)?;
        if p.text {
            s.label("Bayes optimum").legend(|(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + 16, y)],
                    RGBColor(44, 160, 44).stroke_width(2),
                )
            });
        }
    }
    if p.text {
        series_legend(&mut chart, font).map_err(e)?;
    }
    Ok(())
}

fn light_chart_style(s: f64) -> FontDesc<'static> {
    ("sans-serif", 12.0 * s).into_font()
}

/// The mixture's parameters as functions of x: π_k(x) on top, μ_k(x) ± σ_k(x) below.
pub fn draw_components<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &View,
    c: &Curves,
    text: bool,
    scale: f64,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * scale).round() as i32;
    let font = light_chart_style(scale);
    let (top, bottom) = root.split_vertically(root.dim_in_pixel().1 as i32 * 2 / 5);
    let k = c.mixtures.first().map_or(0, |m| m.k);
    for (area, which) in [(&top, 0), (&bottom, 1)] {
        let yr = if which == 0 {
            0.0..1.0
        } else {
            view.y.0..view.y.1
        };
        let mut b = ChartBuilder::on(area);
        b.margin(px(6.0));
        if text {
            b.x_label_area_size(px(if which == 0 { 6.0 } else { 28.0 }))
                .y_label_area_size(px(44.0));
        }
        let mut chart = b.build_cartesian_2d(view.x.0..view.x.1, yr).map_err(e)?;
        if text {
            let mut mesh = chart.configure_mesh();
            mesh.light_line_style(BLACK.mix(0.04))
                .label_style(font.clone())
                .axis_desc_style(font.clone())
                .y_labels(3)
                .x_labels(6);
            mesh.y_label_formatter(&|v| format!("{v:.1}"))
                .x_label_formatter(&|v| format!("{v:.1}"));
            if which == 0 {
                mesh.y_desc("π_k(x)").x_labels(0);
            } else {
                mesh.y_desc("μ_k ± σ_k").x_desc("x");
            }
            mesh.draw().map_err(e)?;
        }
        for j in 0..k {
            let colour = component_colour(j);
            if which == 0 {
                let pts: Vec<(f64, f64)> =
                    c.xs.iter()
                        .zip(&c.mixtures)
                        .map(|(x, m)| (*x, m.pi[j]))
                        .collect();
                chart
                    .draw_series(LineSeries::new(pts, colour.stroke_width(px(2.0) as u32)))
                    .map_err(e)?;
            } else {
                // Band and mean only where the component carries weight (π > 0.05).
                // One test for both loops: with `<= 0.05` here and `> 0.05` below, a π that
                // is not a number passed neither and the loop never advanced.
                let carries = |i: usize| c.mixtures[i].pi[j] > 0.05;
                let mut i = 0;
                while i < c.xs.len() {
                    if !carries(i) {
                        i += 1;
                        continue;
                    }
                    let start = i;
                    while i < c.xs.len() && carries(i) {
                        i += 1;
                    }
                    let run = start..i;
                    let at = |t: usize, f: f64| {
                        let m = &c.mixtures[t];
                        (
                            c.xs[t],
                            (m.mu[j * m.d] + f * m.sigma[j * m.d]).clamp(view.y.0, view.y.1),
                        )
                    };
                    let poly: Vec<(f64, f64)> = run
                        .clone()
                        .map(|t| at(t, 1.0))
                        .chain(run.clone().rev().map(|t| at(t, -1.0)))
                        .collect();
                    chart
                        .draw_series(std::iter::once(Polygon::new(
                            poly,
                            colour.mix(0.25).filled(),
                        )))
                        .map_err(e)?;
                    let mean: Vec<(f64, f64)> = run.map(|t| at(t, 0.0)).collect();
                    chart
                        .draw_series(LineSeries::new(mean, colour.stroke_width(px(2.0) as u32)))
                        .map_err(e)?;
                }
            }
        }
    }
    Ok(())
}

/// The slice p(y | x0): the mixture density, each component's share π_k N(y; μ_k, σ_k),
/// the MSE regressor's prediction and the mixture mean marked.
pub struct Slice<'a> {
    pub x0: f64,
    pub mixture: &'a Mixture,
    pub baseline: f64,
    pub y: (f64, f64),
    pub y_label: &'a str,
    pub text: bool,
    pub scale: f64,
}

pub fn draw_slice<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Slice,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * p.scale).round() as i32;
    let font = light_chart_style(p.scale);
    let m = p.mixture;
    let n = 300;
    let ys: Vec<f64> = (0..n)
        .map(|i| p.y.0 + (p.y.1 - p.y.0) * i as f64 / (n - 1) as f64)
        .collect();
    let dens: Vec<f64> = ys
        .iter()
        .map(|y| crate::math::exp(m.log_prob(&[*y])))
        .collect();
    let top = dens
        .iter()
        .cloned()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(1e-3)
        * 1.08;
    let mut b = ChartBuilder::on(root);
    b.margin(px(6.0));
    if p.text {
        b.x_label_area_size(px(28.0))
            .y_label_area_size(px(44.0))
            .caption(format!("p(y | x = {:.2})", p.x0), font.clone());
    }
    let mut chart = b.build_cartesian_2d(p.y.0..p.y.1, 0.0..top).map_err(e)?;
    if p.text {
        chart
            .configure_mesh()
            .light_line_style(BLACK.mix(0.04))
            .label_style(font.clone())
            .axis_desc_style(font.clone())
            .x_desc(p.y_label)
            .y_desc("density")
            .x_labels(6)
            .y_labels(4)
            .x_label_formatter(&|v| format!("{v:.1}"))
            .y_label_formatter(&|v| format!("{v:.1}"))
            .draw()
            .map_err(e)?;
    }
    for k in 0..m.k {
        let (mu, s, pi) = (m.mu[k * m.d], m.sigma[k * m.d], m.pi[k]);
        if pi < 1e-3 {
            continue;
        }
        let part: Vec<(f64, f64)> = ys
            .iter()
            .map(|y| {
                let z = (y - mu) / s;
                (
                    *y,
                    (pi * crate::math::exp(-0.5 * z * z)
                        / (s * (2.0 * std::f64::consts::PI).sqrt()))
                    .min(top),
                )
            })
            .collect();
        chart
            .draw_series(LineSeries::new(
                part,
                component_colour(k).mix(0.8).stroke_width(px(1.0) as u32),
            ))
            .map_err(e)?;
    }
    let total: Vec<(f64, f64)> = ys
        .iter()
        .cloned()
        .zip(dens.iter().map(|v| v.min(top)))
        .collect();
    chart
        .draw_series(AreaSeries::new(
            total.clone(),
            0.0,
            RGBColor(31, 119, 180).mix(0.15),
        ))
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            total,
            RGBColor(31, 119, 180).stroke_width(px(2.0) as u32),
        ))
        .map_err(e)?;
    let mean = m.mean()[0];
    for (v, colour, label) in [
        (p.baseline, BLACK, "MSE prediction"),
        (mean, RGBColor(214, 39, 40), "mixture mean"),
    ] {
        if !(p.y.0..=p.y.1).contains(&v) {
            continue;
        }
        let s = chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(v, 0.0), (v, top)],
                colour.stroke_width(px(2.0) as u32),
            )))
            .map_err(e)?;
        if p.text {
            s.label(label).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(2))
            });
        }
    }
    if p.text {
        series_legend(&mut chart, font).map_err(e)?;
    }
    Ok(())
}

/// Native rendering of the main plot into an RGB image (`mdn render`), with the bundled
/// DejaVu Sans for text.
#[cfg(not(target_arch = "wasm32"))]
pub mod native {
    use super::*;
    use plotters::backend::BitMapBackend;

    static FONT: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");

    pub(crate) fn register_font() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // The bundled file is a valid TrueType font: registering it cannot fail.
            let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
        });
    }

    /// Draws the main plot (heatmap, data, curves, legend, colour bar) into an RGB
    /// buffer of `w × h` pixels. `view` and labels as on the page.
    pub fn main_plot_rgb(
        model: &Model,
        points: &[(f64, f64)],
        view: View,
        labels: (&str, &str),
        w: u32,
        h: u32,
    ) -> Result<Vec<u8>, String> {
        register_font();
        let curves = curves(model, &view, 300);
        let mut plot = MainPlot {
            frame: Frame {
                view,
                x_label: labels.0,
                y_label: labels.1,
                text: true,
                legend: w >= 560,
                scale: (w as f64 / 900.0).clamp(1.0, 3.0),
                layer: Layer::Static,
            },
            points,
            curves: &curves,
            samples: &[],
            modes: &[],
            colour: (-8.0, 0.0),
        };
        // Where the plot area falls (the layout does not depend on the data drawn).
        let mut scratch = vec![0u8; (w * h * 3) as usize];
        let rect = {
            let root = BitMapBackend::with_buffer(&mut scratch, (w, h)).into_drawing_area();
            draw_main(&root, &plot)?
        };
        let (x0, y0, x1, y1) = rect;
        let (cw, ch) = ((x1 - x0).max(1) as usize, (y1 - y0).max(1) as usize);
        let grid = log_density(model, &view, cw, ch);
        let (rgba, lo, hi) = density_rgba(&grid);
        plot.colour = (lo, hi);
        plot.frame.layer = Layer::All;
        let mut buf = vec![255u8; (w * h * 3) as usize];
        // The heatmap, one cell per pixel, straight into the image.
        blit(&mut buf, w, h, &rgba, cw, ch, x0, y0);
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            draw_main(&root, &plot)?;
            root.present().map_err(|e| e.to_string())?;
        }
        Ok(buf)
    }

    /// Writes the main plot as a PNG file.
    pub fn main_plot_png(
        path: &std::path::Path,
        model: &Model,
        points: &[(f64, f64)],
        view: View,
        labels: (&str, &str),
        w: u32,
        h: u32,
    ) -> Result<(), String> {
        write_png(
            path,
            &main_plot_rgb(model, points, view, labels, w, h)?,
            w,
            h,
        )
    }

    /// Writes an RGB buffer of `w × h` pixels as a PNG file.
    pub fn write_png(path: &std::path::Path, buf: &[u8], w: u32, h: u32) -> Result<(), String> {
        let img = plotters::backend::BitMapBackend::new(path, (w, h));
        let area = img.into_drawing_area();
        // Blit the finished pixels into the file backend.
        for y in 0..h {
            for x in 0..w {
                let i = ((y * w + x) * 3) as usize;
                area.draw_pixel(
                    (x as i32, y as i32),
                    &RGBColor(buf[i], buf[i + 1], buf[i + 2]),
                )
                .map_err(|e| e.to_string())?;
            }
        }
        area.present().map_err(|e| e.to_string())
    }

    /// Copies an RGBA heatmap of `cw × ch` cells, one cell per pixel, into the RGB
    /// buffer `buf` (`w` pixels wide) at (x0, y0).
    pub fn blit(
        buf: &mut [u8],
        w: u32,
        h: u32,
        rgba: &[u8],
        cw: usize,
        ch: usize,
        x0: i32,
        y0: i32,
    ) {
        for r in 0..ch {
            for c in 0..cw {
                let (px, py) = (x0 as usize + c, y0 as usize + r);
                if px < w as usize && py < h as usize {
                    let i = (py * w as usize + px) * 3;
                    let j = (r * cw + c) * 4;
                    buf[i..i + 3].copy_from_slice(&rgba[j..j + 3]);
                }
            }
        }
    }
}
