//! The main plot: p(y|x) with the data, the MSE regressor and the component means.

use super::frame::Rect;
use super::*;
use crate::plot::Chart;
use plotters::coord::Shift;
use plotters::prelude::*;

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
    pub colour: ColourScale,
    /// The 90% central interval and HPD region as functions of x, when asked for.
    pub intervals: Option<&'a Intervals>,
    /// The boundary of the true 90% region (see [`super::truth`]), when known and asked
    /// for: drawn on the static layer.
    pub truth: Option<&'a [super::truth::Segment]>,
    /// An ensemble's members and the data's gap, when there are.
    pub overlay: Option<&'a super::overlay::Overlay>,
}

/// The main plot's chart: its drawing area and its data coordinates.
/// Draws axes, data, the MSE regressor's curve, the component means (opacity π), a
/// legend and the colour bar onto a transparent `root`, and returns the plot area.
pub fn draw_main<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &MainPlot,
) -> Result<Rect, String> {
    let s = p.frame.scale;
    let px = |v: f64| (v * s).round() as i32;
    let (w, _h) = root.dim_in_pixel();
    let bar_w = px(70.0).min(w as i32 / 5);
    let (main, bar) = root.split_horizontally(w as i32 - bar_w);
    let mut chart = main_chart(&main, p)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let rect = (xr.start, yr.start, xr.end, yr.end);
    let stat = p.frame.layer != Layer::Live;
    if let Some(o) = p.overlay.filter(|_| stat) {
        super::overlay::draw_gap(&mut chart, o, p.frame.view, s)?;
    }
    if stat && !p.points.is_empty() {
        draw_data(&mut chart, p.points, s)?;
    }
    if let Some(segments) = p.truth.filter(|_| stat) {
        draw_truth(&mut chart, segments, p.frame.view, s)?;
    }
    draw_point_mass(&mut chart, p)?;
    draw_means(&mut chart, p.curves, s)?;
    draw_samples_and_modes(&mut chart, p)?;
    if let Some(iv) = p.intervals {
        draw_intervals(&mut chart, iv, p.frame.view, s).map_err(|e| e.to_string())?;
    }
    if let Some(o) = p.overlay {
        super::overlay::draw_members(&mut chart, o, s)?;
    }
    draw_regressor(&mut chart, p.curves, s)?;
    if p.frame.text && p.frame.legend {
        draw_legend(&main, rect, p)?;
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
    .map_err(|e| e.to_string())?;
    Ok(rect)
}

/// The chart over the view, with its axes and their labels on the static layer.
fn main_chart<'a, DB: DrawingBackend + 'a>(
    main: &DrawingArea<DB, Shift>,
    p: &MainPlot,
) -> Result<Chart<'a, DB>, String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = p.frame.scale;
    let px = |v: f64| (v * s).round() as i32;
    let font = ("sans-serif", 13.0 * s).into_font();
    let mut b = ChartBuilder::on(main);
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
    if p.frame.text && p.frame.layer != Layer::Live {
        let (dx, dy) = axis_decimals(&p.frame.view);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(p.frame.x_label)
            .y_desc(p.frame.y_label)
            .axis_style(p.frame.theme.ink())
            .label_style(font.clone().color(&p.frame.theme.ink()))
            .axis_desc_style(font.clone().color(&p.frame.theme.ink()))
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|v| p.frame.theme.tick(*v, dx))
            .y_label_formatter(&|v| p.frame.theme.tick(*v, dy))
            .draw()
            .map_err(e)?;
    }
    Ok(chart)
}

/// The training data: small translucent white dots, or, for fewer than [`FEW_POINTS`]
/// (often your own), larger and nearly opaque ones that each can be seen.
fn draw_data<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    points: &[(f64, f64)],
    s: f64,
) -> Result<(), String> {
    let (r, alpha) = if points.len() < FEW_POINTS {
        (3.0, 0.85)
    } else {
        (1.5, 0.35)
    };
    let dot = ((r * s).round() as i32).max(1) as u32;
    chart
        .draw_series(
            points
                .iter()
                .map(|&(x, y)| Circle::new((x, y), dot, WHITE.mix(alpha).filled())),
        )
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The true region's boundary: thin dashes in the truth's colour (dashed, as on the
/// slice) on a dark casing, which keeps them apart from the heatmap's own greens. The
/// dashes are the segments in every other square of a checkerboard over the view, which
/// any line crosses square by square.
fn draw_truth<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    segments: &[super::truth::Segment],
    view: View,
    s: f64,
) -> Result<(), String> {
    let px = |v: f64| (v * s).round().max(1.0) as u32;
    let square = |v: f64, (lo, hi): (f64, f64)| (DASHES * (v - lo) / (hi - lo)).floor() as i64;
    let dashes: Vec<&super::truth::Segment> = segments
        .iter()
        .filter(|[a, b]| {
            let mid = (0.5 * (a.0 + b.0), 0.5 * (a.1 + b.1));
            (square(mid.0, view.x) + square(mid.1, view.y)) % 2 == 0
        })
        .collect();
    for style in [
        BLACK.mix(0.7).stroke_width(px(3.5)),
        TRUTH_COLOUR.stroke_width(px(1.5)),
    ] {
        chart
            .draw_series(
                dashes
                    .iter()
                    .map(|seg| PathElement::new(seg.to_vec(), style)),
            )
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Squares of the truth's dash checkerboard across the view, each way.
const DASHES: f64 = 70.0;

/// The hurdle's point mass: P(y = 0 | x) as a bar per x in the strip below zero (full
/// strip height at probability 1).
fn draw_point_mass<DB: DrawingBackend>(chart: &mut Chart<DB>, p: &MainPlot) -> Result<(), String> {
    let c = p.curves;
    let (lo, hi) = (p.frame.view.y.0, p.frame.view.y.1);
    let hurdle = c
        .mixtures
        .first()
        .is_some_and(|m| m.family == crate::mdn::family::Family::Hurdle);
    if !hurdle || lo >= 0.0 {
        return Ok(());
    }
    let strip = -lo.max(-(hi - lo) * 0.1);
    let w = (p.frame.view.x.1 - p.frame.view.x.0) / c.xs.len().max(1) as f64;
    let colour = p.frame.theme.line(crate::plot::style::Line::Validation);
    chart
        .draw_series(c.xs.iter().zip(&c.mixtures).map(|(x, m)| {
            Rectangle::new(
                [
                    (x - 0.5 * w, -strip),
                    (x + 0.5 * w, -strip + strip * m.p_zero),
                ],
                colour.mix(0.85).filled(),
            )
        }))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Component means, each segment the more opaque the more weight the component has there
/// (1.6 √π, at most 1), on a dark casing that keeps them apart from the heatmap's bright
/// ridges.
fn draw_means<DB: DrawingBackend>(chart: &mut Chart<DB>, c: &Curves, s: f64) -> Result<(), String> {
    let px = |v: f64| (v * s).round() as i32;
    for k in 0..c.mixtures.first().map_or(0, |m| m.k) {
        let colour = component_colour(k);
        for (alpha, pts) in opacity_runs(c, k) {
            for (style, width) in [(BLACK.mix(0.6 * alpha), 5.0), (colour.mix(alpha), 3.0)] {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        pts.clone(),
                        style.stroke_width(px(width) as u32),
                    )))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(())
}

/// Component `k`'s mean curve as runs of segments of one opacity (in eighths), each drawn
/// as one line: a few strokes per component rather than one per segment.
fn opacity_runs(c: &Curves, k: usize) -> Vec<(f64, Vec<(f64, f64)>)> {
    let mut runs: Vec<(f64, Vec<(f64, f64)>)> = Vec::new();
    for i in 1..c.xs.len() {
        let (m0, m1) = (&c.mixtures[i - 1], &c.mixtures[i]);
        let pi = 0.5 * (m0.pi[k] + m1.pi[k]);
        if pi.is_nan() || pi < 0.01 {
            continue;
        }
        // Opaque from π = 0.4 on, half so at π = 0.1.
        let alpha = ((1.6 * pi.sqrt()).min(1.0) * 8.0).ceil() / 8.0;
        let (a, b) = (
            (c.xs[i - 1], m0.location(k, 0)),
            (c.xs[i], m1.location(k, 0)),
        );
        // A location that wraps round the circle (0 ≡ 2π) jumps: no segment across.
        if m0.circular() && (a.1 - b.1).abs() > std::f64::consts::PI {
            continue;
        }
        match runs.last_mut() {
            Some((al, pts)) if *al == alpha && pts.last() == Some(&a) => pts.push(b),
            _ => runs.push((alpha, vec![a, b])),
        }
    }
    runs
}

/// Samples and the mode curve (on request): what a generator built on the model draws.
fn draw_samples_and_modes<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &MainPlot,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * p.frame.scale).round() as i32;
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
    Ok(())
}

/// The MSE regressor: what it predicts is the conditional mean (white, a black core).
fn draw_regressor<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    c: &Curves,
    s: f64,
) -> Result<(), String> {
    let px = |v: f64| (v * s).round() as i32;
    let mse: Vec<(f64, f64)> =
        c.xs.iter()
            .cloned()
            .zip(c.baseline.iter().cloned())
            .collect();
    for (colour, width) in [(WHITE, 3.0), (BLACK, 1.0)] {
        chart
            .draw_series(std::iter::once(PathElement::new(
                mse.clone(),
                colour.stroke_width(px(width) as u32),
            )))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The legend, top left inside the plot.
fn draw_legend<DB: DrawingBackend>(
    main: &DrawingArea<DB, Shift>,
    rect: Rect,
    p: &MainPlot,
) -> Result<(), String> {
    let s = p.frame.scale;
    let px = |v: f64| (v * s).round() as i32;
    let (x0, y0) = (rect.0 + px(10.0), rect.1 + px(10.0));
    let t = p.frame.theme;
    let mut items: Vec<(&str, RGBColor, Marker)> = vec![
        (t.t("MSE regressor (conditional mean)"), WHITE, Marker::Line),
        (
            t.t("component means μₖ(x), opacity πₖ(x)"),
            component_colour(0),
            Marker::Line,
        ),
        (t.t("training data"), RGBColor(200, 200, 200), Marker::Point),
    ];
    if p.truth.is_some() {
        items.push((t.t("true 90% region"), TRUTH_COLOUR, Marker::Line));
    }
    if p.intervals.is_some() {
        items.push(("90% HPD region (hatched)", HPD_COLOUR, Marker::Line));
        items.push((
            "90% central interval (dashed)",
            CENTRAL_COLOUR,
            Marker::Line,
        ));
    }
    if !p.samples.is_empty() {
        items.push((t.t("samples from the model"), SAMPLE_COLOUR, Marker::Point));
    }
    if !p.modes.is_empty() {
        items.push((t.t("most probable y (mode)"), MODE_COLOUR, Marker::Point));
    }
    legend_box(main, (x0, y0), px(280.0), &items, Paper::Heatmap, s).map_err(|e| e.to_string())
}

/// Fewer data points than this are drawn large (see [`draw_data`]).
pub const FEW_POINTS: usize = 500;
/// The truth's colour over the heatmap: its green on paper, lightened to show on dark
/// cells.
pub const TRUTH_COLOUR: RGBColor = RGBColor(100, 206, 167);
/// The HPD region's colour over the heatmap, and the central interval's.
pub const HPD_COLOUR: RGBColor = RGBColor(255, 255, 255);
pub const CENTRAL_COLOUR: RGBColor = RGBColor(255, 110, 199);

/// The HPD region as thin vertical strokes at each x (a hatching that lets the heatmap
/// show through, and splits where the region splits), and the central interval's ends
/// as dashed lines.
fn draw_intervals<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<DB, CT>,
    iv: &Intervals,
    view: View,
    s: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * s).round().max(1.0) as u32;
    let clamp = |y: f64| y.clamp(view.y.0, view.y.1);
    for (x, pieces) in iv.xs.iter().zip(&iv.hpd) {
        for &(a, b) in pieces {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(*x, clamp(a)), (*x, clamp(b))],
                HPD_COLOUR.mix(0.45).stroke_width(px(1.5)),
            )))?;
        }
    }
    for end in [0, 1] {
        let pts: Vec<(f64, f64)> = iv
            .xs
            .iter()
            .zip(&iv.central)
            .map(|(x, c)| (*x, clamp(if end == 0 { c.0 } else { c.1 })))
            .collect();
        // Dashes: every other pair of points.
        for w in pts.chunks(2).step_by(2) {
            if w.len() == 2 {
                chart.draw_series(std::iter::once(PathElement::new(
                    w.to_vec(),
                    CENTRAL_COLOUR.stroke_width(px(2.5)),
                )))?;
            }
        }
    }
    Ok(())
}
