//! The panels under the main plot: the loss curves and the parameters as functions of x
//! (the slice is in [`super::slice`]).

use super::*;
use crate::plot::Chart;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The loss panel: MDN training (batch) and validation NLL, the baseline's validation NLL,
/// and a level to measure them against: the Bayes optimum where the truth is known, or on
/// a real set the kernel density estimate's validation NLL.
pub struct LossPlot<'a> {
    pub train: &'a [(f64, f64)],
    pub val: &'a [(f64, f64)],
    pub baseline: &'a [(f64, f64)],
    /// The level's NLL and its name in the legend.
    pub level: Option<(f64, &'static str)>,
    /// A second experiment's validation NLL (`compare=`) and its name in the legend: a
    /// plain line in the validation colour, where the first one's has its points marked.
    pub second: Option<(&'a [(f64, f64)], &'a str)>,
    pub text: bool,
    pub scale: f64,
    pub theme: Theme,
}

/// The loss axis: from the lowest value to the highest one measured after the first
/// twentieth of the run. The first steps' large losses would flatten the rest, but a
/// later climb (validation rising while training falls: overfitting, a collapse) is
/// what the panel is for, so it is never cut.
pub fn loss_range(series: &[&[(f64, f64)]], level: Option<f64>) -> (f64, f64) {
    let all = || {
        series
            .iter()
            .flat_map(|s| s.iter())
            .filter(|q| q.1.is_finite())
    };
    let x1 = all().map(|q| q.0).fold(1.0, f64::max);
    let mut lo = all().map(|q| q.1).fold(f64::INFINITY, f64::min);
    if let Some(b) = level {
        lo = lo.min(b);
    }
    let late = all()
        .filter(|q| q.0 >= 0.05 * x1)
        .map(|q| q.1)
        .fold(f64::NEG_INFINITY, f64::max);
    let early = all().map(|q| q.1).fold(f64::NEG_INFINITY, f64::max);
    if !(lo.is_finite() && early.is_finite()) {
        return (-1.5, 1.0);
    }
    // The first losses at most 4 nats above the lowest; anything later, whatever it is.
    let hi = late.max(early.min(lo + 4.0));
    (lo, hi.max(lo + 0.1))
}

/// The last step of any series (at least 1: the panel's x axis ends there).
fn last_step(series: &[&[(f64, f64)]]) -> f64 {
    series
        .iter()
        .flat_map(|s| s.iter())
        .map(|q| q.0)
        .fold(1.0, f64::max)
}

pub fn draw_loss<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &LossPlot,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = p.scale;
    let px = |v: f64| (v * s).round() as i32;
    let t = p.theme;
    let all = [p.train, p.val, p.baseline, p.second.map_or(&[], |s| s.0)];
    let x1 = last_step(&all);
    let (ylo, yhi) = loss_range(&all, p.level.map(|l| l.0));
    let pad = 0.05 * (yhi - ylo);
    let font = light_chart_style(s).color(&t.ink());
    type Series<'s> = (&'s [(f64, f64)], RGBColor, &'s str);
    let series: [Series; 3] = [
        (p.train, t.line(Line::Mdn), t.t("MDN, training batch")),
        (p.val, t.line(Line::Validation), t.t("MDN, validation")),
        (
            p.baseline,
            t.line(Line::Baseline),
            t.t("MSE regressor, validation"),
        ),
    ];
    let area = if p.text {
        let mut items: Vec<(&str, RGBColor, Marker)> = series
            .iter()
            .enumerate()
            .map(|(i, (_, c, l))| (*l, *c, if i > 0 { Marker::Dot } else { Marker::Line }))
            .collect();
        if let Some((_, name)) = p.second {
            items.push((name, t.line(Line::Second), Marker::Line));
        }
        if let Some((_, name)) = p.level {
            items.push((name, t.line(Line::Bayes), Marker::Line));
        }
        legend_row(root, &items, t, s).map_err(e)?
    } else {
        root.clone()
    };
    let mut b = ChartBuilder::on(&area);
    b.margin(px(8.0)).margin_top(px(2.0)).margin_right(px(18.0));
    if p.text {
        // Room for the tick labels and, below them, the axis title.
        b.x_label_area_size(px(40.0)).y_label_area_size(px(44.0));
    }
    let mut chart = b
        .build_cartesian_2d(0.0..x1, (ylo - pad)..(yhi + pad))
        .map_err(e)?;
    if p.text {
        loss_mesh(&mut chart, t, &font, "NLL (nats)").map_err(e)?;
    }
    let w = px(2.0) as u32;
    for (i, (pts, colour, _)) in series.into_iter().enumerate() {
        let marker = (i > 0).then(|| px(3.0));
        loss_curve(&mut chart, pts, colour, yhi + pad, w, marker).map_err(e)?;
    }
    if let Some((pts, _)) = p.second {
        loss_curve(&mut chart, pts, t.line(Line::Second), yhi + pad, w, None).map_err(e)?;
    }
    if let Some((level, _)) = p.level {
        chart
            .draw_series(LineSeries::new(
                vec![(0.0, level), (x1, level)],
                t.line(Line::Bayes).stroke_width(px(1.5) as u32),
            ))
            .map_err(e)?;
    }
    Ok(())
}

/// The loss panels' axes (the playground's and the handwriting page's): steps across,
/// `y_desc` up, the theme's grid and ink.
pub(crate) fn loss_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    t: Theme,
    font: &TextStyle,
    y_desc: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let y = chart.y_range();
    let decimals = tick_decimals(y.start, y.end, 5).max(1);
    chart
        .configure_mesh()
        .light_line_style(t.grid(0.05))
        .bold_line_style(t.grid(0.1))
        .axis_style(t.ink())
        .x_desc(t.t("step"))
        .y_desc(y_desc)
        .x_label_formatter(&|v| t.tick(*v, 0))
        .y_label_formatter(&|v| t.tick(*v, decimals))
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_labels(5)
        .y_labels(5)
        .draw()
}

/// One loss curve, held below `top`, `width` pixels wide. The validation curves are
/// measured about once a second: `marker` (a radius) puts a dot at each measurement, so
/// that a line between two far-apart ones is not read as data.
pub(crate) fn loss_curve<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    pts: &[(f64, f64)],
    colour: RGBColor,
    top: f64,
    width: u32,
    marker: Option<i32>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let clipped: Vec<(f64, f64)> = pts.iter().map(|&(x, y)| (x, y.min(top))).collect();
    if let Some(r) = marker {
        chart.draw_series(clipped.iter().map(|&q| Circle::new(q, r, colour.filled())))?;
    }
    chart.draw_series(LineSeries::new(clipped, colour.stroke_width(width)))?;
    Ok(())
}

/// The mixture's parameters as functions of x: π_k(x) on top, μ_k(x) ± σ_k(x) below.
pub fn draw_components<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &View,
    c: &Curves,
    text: bool,
    scale: f64,
    theme: Theme,
) -> Result<(), String> {
    let (top, bottom) = root.split_vertically(root.dim_in_pixel().1 as i32 * 2 / 5);
    let k = c.mixtures.first().map_or(0, |m| m.k);
    let look = PanelLook { text, scale, theme };
    let mut chart = component_chart(&top, view.x, (0.0, 1.0), true, look)?;
    let keys = weight_keys(c, k, view.x);
    for j in 0..k {
        draw_weight(&mut chart, c, j, keys[j], view.x, look)?;
    }
    let mut chart = component_chart(&bottom, view.x, view.y, false, look)?;
    for j in 0..k {
        draw_band(&mut chart, view, c, j, look)?;
    }
    Ok(())
}

/// How a panel is drawn: with text or not, at a scale, in a theme.
#[derive(Clone, Copy)]
struct PanelLook {
    text: bool,
    scale: f64,
    theme: Theme,
}

/// One of the components panel's two charts: the weights (`weights`: π from 0 to 1) or
/// the means and bands over the data's y.
fn component_chart<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    x: (f64, f64),
    y: (f64, f64),
    weights: bool,
    look: PanelLook,
) -> Result<Chart<'a, DB>, String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * look.scale).round() as i32;
    let font = light_chart_style(look.scale).color(&look.theme.ink());
    let mut b = ChartBuilder::on(area);
    b.margin(px(6.0));
    if look.text {
        b.x_label_area_size(px(if weights { 6.0 } else { 40.0 }))
            .y_label_area_size(px(44.0));
    }
    let mut chart = b.build_cartesian_2d(x.0..x.1, y.0..y.1).map_err(e)?;
    if look.text {
        let theme = look.theme;
        let mut mesh = chart.configure_mesh();
        mesh.light_line_style(theme.grid(0.04))
            .bold_line_style(theme.grid(0.1))
            .axis_style(theme.ink())
            .label_style(font.clone())
            .axis_desc_style(font.clone())
            .y_labels(3)
            .x_labels(6);
        let ticks = |v: &f64| theme.tick(*v, 1);
        mesh.y_label_formatter(&ticks).x_label_formatter(&ticks);
        if weights {
            mesh.y_desc("πₖ(x)").x_labels(0);
        } else {
            mesh.y_desc("μₖ ± σₖ").x_desc("x");
        }
        mesh.draw().map_err(e)?;
    }
    Ok(chart)
}

/// Where each component's number goes on its weight curve: as high on the curve as it
/// can be without landing on a number placed before it (the heavier components first),
/// so that components peaking at the same x (often the plot's edge) do not pile up.
/// None for a component that never carries weight (π ≤ 0.05).
fn weight_keys(c: &Curves, k: usize, x: (f64, f64)) -> Vec<Option<(f64, f64)>> {
    let (near_x, near_y) = (KEY_WIDTH * (x.1 - x.0), KEY_HEIGHT);
    let peak = |j: usize| c.mixtures.iter().map(|m| m.pi[j]).fold(0.0, f64::max);
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|a, b| peak(*b).total_cmp(&peak(*a)));
    let mut keys = vec![None; k];
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for j in order {
        let mut spots: Vec<(f64, f64)> =
            c.xs.iter()
                .zip(&c.mixtures)
                .map(|(x, m)| (*x, m.pi[j].min(0.9)))
                .filter(|s| s.1 > 0.05)
                .collect();
        spots.sort_by(|a, b| b.1.total_cmp(&a.1));
        let free = |s: &(f64, f64)| {
            placed
                .iter()
                .all(|p| (p.0 - s.0).abs() > near_x || (p.1 - s.1).abs() > near_y)
        };
        let spot = spots.iter().copied().find(free).or(spots.first().copied());
        if let Some(s) = spot {
            placed.push(s);
        }
        keys[j] = spot;
    }
    keys
}

/// A key's room on the weights chart: this share of the x range, this much of π.
const KEY_WIDTH: f64 = 0.05;
const KEY_HEIGHT: f64 = 0.18;

/// Component `j`'s weight π_j(x), with its number at `key` (see [`weight_keys`]).
fn draw_weight<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    c: &Curves,
    j: usize,
    key: Option<(f64, f64)>,
    x_range: (f64, f64),
    look: PanelLook,
) -> Result<(), String> {
    let px = |v: f64| (v * look.scale).round() as i32;
    let font = light_chart_style(look.scale).color(&look.theme.ink());
    let colour = component_colour(j);
    let pts: Vec<(f64, f64)> =
        c.xs.iter()
            .zip(&c.mixtures)
            .map(|(x, m)| (*x, m.pi[j]))
            .collect();
    cased_line(chart, pts, colour, look.theme, px(2.0))?;
    if let Some((x, y)) = key.filter(|_| look.text) {
        // The number in the ink (a light colour's digit would not read on paper), beside a
        // dot of the component's colour: to its left near the right edge, where it would
        // be clipped.
        let left = x > x_range.1 - KEY_WIDTH * (x_range.1 - x_range.0);
        let digits = if j + 1 < 10 { 1.0 } else { 2.0 };
        let dx = if left {
            -px(6.0 + 8.0 * digits)
        } else {
            px(6.0)
        };
        let label = EmptyElement::at((x, y))
            + Circle::new((0, 0), px(4.0), colour.filled())
            + Text::new(format!("{}", j + 1), (dx, -px(7.0)), font.clone());
        chart
            .draw_series(std::iter::once(label))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Component `j`'s mean with its ± σ band, only where it carries weight (π > 0.05).
fn draw_band<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    view: &View,
    c: &Curves,
    j: usize,
    look: PanelLook,
) -> Result<(), String> {
    let px = |v: f64| (v * look.scale).round() as i32;
    let colour = component_colour(j);
    // One test for both loops: with `<= 0.05` here and `> 0.05` below, a π that is not a
    // number passed neither and the loop never advanced.
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
            (c.xs[t], m.band(j, 0, f).clamp(view.y.0, view.y.1))
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
            .map_err(|e| e.to_string())?;
        let mean: Vec<(f64, f64)> = run.map(|t| at(t, 0.0)).collect();
        cased_line(chart, mean, colour, look.theme, px(2.0))?;
    }
    Ok(())
}

/// A component's line on its casing (see [`Theme::casing`]).
fn cased_line<DB: DrawingBackend, CT: CoordTranslate<From = (f64, f64)>>(
    chart: &mut ChartContext<DB, CT>,
    pts: Vec<(f64, f64)>,
    colour: RGBColor,
    theme: Theme,
    width: i32,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    if let Some(casing) = theme.casing() {
        chart
            .draw_series(std::iter::once(PathElement::new(
                pts.clone(),
                casing.stroke_width(width as u32 + 2),
            )))
            .map_err(e)?;
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            pts,
            colour.stroke_width(width as u32),
        )))
        .map_err(e)?;
    Ok(())
}
