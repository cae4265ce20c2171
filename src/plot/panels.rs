//! The panels under the main plot: the loss curves, the parameters as functions of x,
//! and the slice p(y | x0).

use super::*;
use crate::mdn::mixture::Mixture;
use crate::plot::Chart;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The loss panel: MDN training (batch) and validation NLL, the baseline's validation NLL,
/// and the Bayes-optimal line where known.
pub struct LossPlot<'a> {
    pub train: &'a [(f64, f64)],
    pub val: &'a [(f64, f64)],
    pub baseline: &'a [(f64, f64)],
    pub bayes: Option<f64>,
    pub text: bool,
    pub scale: f64,
    pub theme: Theme,
}

/// The loss axis: from the lowest value to the highest one measured after the first
/// twentieth of the run. The first steps' large losses would flatten the rest, but a
/// later climb (validation rising while training falls: overfitting, a collapse) is
/// what the panel is for, so it is never cut.
pub fn loss_range(series: &[&[(f64, f64)]], bayes: Option<f64>) -> (f64, f64) {
    let all = || {
        series
            .iter()
            .flat_map(|s| s.iter())
            .filter(|q| q.1.is_finite())
    };
    let x1 = all().map(|q| q.0).fold(1.0, f64::max);
    let mut lo = all().map(|q| q.1).fold(f64::INFINITY, f64::min);
    if let Some(b) = bayes {
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

pub fn draw_loss<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &LossPlot,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = p.scale;
    let px = |v: f64| (v * s).round() as i32;
    let t = p.theme;
    let x1 = [p.train, p.val, p.baseline]
        .iter()
        .flat_map(|s| s.iter())
        .map(|q| q.0)
        .fold(1.0, f64::max);
    let (ylo, yhi) = loss_range(&[p.train, p.val, p.baseline], p.bayes);
    let pad = 0.05 * (yhi - ylo);
    let font = light_chart_style(s).color(&t.ink());
    type Series<'s> = (&'s [(f64, f64)], RGBColor, &'s str);
    let series: [Series; 3] = [
        (p.train, t.line(Line::Mdn), "MDN, training batch"),
        (p.val, t.line(Line::Validation), "MDN, validation"),
        (
            p.baseline,
            t.line(Line::Baseline),
            "MSE regressor, validation",
        ),
    ];
    let area = if p.text {
        let mut items: Vec<(&str, RGBColor, Marker)> = series
            .iter()
            .enumerate()
            .map(|(i, (_, c, l))| (*l, *c, if i > 0 { Marker::Dot } else { Marker::Line }))
            .collect();
        if p.bayes.is_some() {
            items.push(("Bayes optimum", t.line(Line::Bayes), Marker::Line));
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
    if let Some(bayes) = p.bayes {
        chart
            .draw_series(LineSeries::new(
                vec![(0.0, bayes), (x1, bayes)],
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
        .x_desc("step")
        .y_desc(y_desc)
        .x_label_formatter(&|v| tick(*v, 0))
        .y_label_formatter(&|v| tick(*v, decimals))
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
        mesh.y_label_formatter(&|v| tick(*v, 1))
            .x_label_formatter(&|v| tick(*v, 1));
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
    pub theme: Theme,
    /// The 90% central interval and HPD region at x0, when asked for.
    pub intervals: Option<&'a SliceIntervals>,
    /// The outputs are angles (the wind): also draw the slice on a circle.
    pub circular: bool,
    /// The true p(y | x0), where it is known and asked for.
    pub truth: Option<super::truth::SliceTruth>,
}

/// The intervals the slice draws: exact (see [`crate::forecast`]).
#[derive(Clone, Debug)]
pub struct SliceIntervals {
    pub central: (f64, f64),
    pub hpd: crate::forecast::Hpd,
}

impl SliceIntervals {
    /// A Gaussian mixture's from its closed forms; another family's from its table
    /// ([`crate::forecast::Table`]: its exact CDF costs a series or an incomplete beta
    /// function per component, too slow for a panel drawn while training), the ends
    /// placed on it to the last bits.
    pub fn of(m: &Mixture) -> Option<SliceIntervals> {
        use crate::forecast::{central, hpd_on, LevelGrid, Mixture1, Table};
        if m.d != 1 || m.check().is_err() {
            return None;
        }
        if m.family == crate::mdn::family::Family::Gaussian {
            let f = Mixture1::new(m);
            return Some(SliceIntervals {
                central: central(&f, INTERVAL_MASS),
                hpd: hpd_on(&f, &LevelGrid::new(&f, 512), INTERVAL_MASS, 60),
            });
        }
        let t = Table::new(m);
        Some(SliceIntervals {
            central: central(&t, INTERVAL_MASS),
            hpd: hpd_on(&t, &LevelGrid::new(&t, 512), INTERVAL_MASS, 60),
        })
    }

    /// What they are, in words (plain text).
    pub fn describe(&self) -> String {
        let (a, b) = self.central;
        let n = self.hpd.intervals.len();
        let atom = match self.hpd.atom {
            Some((at, p)) => format!(" and the point mass at {at} (probability {p:.3})"),
            None => String::new(),
        };
        format!(
            "90% central interval [{a:.3}, {b:.3}]: length {:.3}. 90% HPD region: {n} piece{} of total length {:.3}{atom} (mass {:.3}).",
            b - a,
            if n == 1 { "" } else { "s" },
            self.hpd.length(),
            self.hpd.mass
        )
    }
}

pub fn draw_slice<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Slice,
) -> Result<(), String> {
    if p.mixture.circular() || p.circular {
        // Angles: the slice as usual on the left, on a circle on the right.
        let w = root.dim_in_pixel().0;
        let (left, right) = root.split_horizontally((w as f64 * 0.6) as u32);
        draw_slice_line(&left, p)?;
        return draw_circle(&right, p.mixture, p).map_err(|e| e.to_string());
    }
    draw_slice_line(root, p)
}

fn draw_slice_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Slice,
) -> Result<(), String> {
    let m = p.mixture;
    let n = 300;
    let ys: Vec<f64> = (0..n)
        .map(|i| p.y.0 + (p.y.1 - p.y.0) * i as f64 / (n - 1) as f64)
        .collect();
    let dens: Vec<f64> = ys
        .iter()
        .map(|y| crate::base::math::exp(m.log_density(&[*y])))
        .collect();
    let truth_top = p
        .truth
        .iter()
        .flat_map(|t| &t.curve)
        .map(|v| v.1)
        .fold(0.0, f64::max);
    let top = dens
        .iter()
        .cloned()
        .filter(|v| v.is_finite())
        .fold(truth_top, f64::max)
        .max(1e-3)
        * headroom(p, legend_room(root, p.scale));
    let mut chart = slice_chart(root, p, top)?;
    draw_slice_density(&mut chart, p, &ys, &dens, top)?;
    if let Some(truth) = &p.truth {
        draw_slice_truth(&mut chart, p, truth, top)?;
    }
    if let Some(iv) = p.intervals {
        draw_slice_intervals(&mut chart, p, iv, &ys, &dens, top)?;
    }
    draw_slice_marks(&mut chart, p, top)?;
    if p.text && p.intervals.is_some() {
        draw_slice_interval_keys(&mut chart, p.theme)?;
    }
    if m.p_zero > 0.0 && (p.y.0..=p.y.1).contains(&0.0) {
        draw_slice_point_mass(&mut chart, p, top)?;
    }
    if p.text && legend_room(root, p.scale) {
        let font = light_chart_style(p.scale).color(&p.theme.ink());
        series_legend(&mut chart, font, p.theme).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Whether the slice is large enough for its legend (at least [`LEGEND_ROOM`] CSS pixels
/// each way): in a small embed the legend's box would cover the density it names (the
/// page's caption names the lines there).
fn legend_room<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scale: f64) -> bool {
    let (w, h) = root.dim_in_pixel();
    w as f64 >= LEGEND_ROOM.0 * scale && h as f64 >= LEGEND_ROOM.1 * scale
}

/// See [`legend_room`].
const LEGEND_ROOM: (f64, f64) = (260.0, 180.0);

/// How far above the highest density the slice's axis goes: with text, enough that the
/// legend's box in the upper right (a line per entry) stays above the peaks.
fn headroom(p: &Slice, legend: bool) -> f64 {
    if !p.text || !legend {
        return 1.08;
    }
    let atoms = p.mixture.p_zero > 0.0 || p.truth.as_ref().is_some_and(|t| t.atom.is_some());
    let entries =
        2 + p.truth.is_some() as usize + 2 * p.intervals.is_some() as usize + atoms as usize;
    1.1 + 0.15 * entries as f64
}

/// The slice's chart: y across, the density up to `top`, its axes and title with text.
fn slice_chart<'a, DB: DrawingBackend + 'a>(
    root: &DrawingArea<DB, Shift>,
    p: &Slice,
    top: f64,
) -> Result<Chart<'a, DB>, String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * p.scale).round() as i32;
    let t = p.theme;
    let font = light_chart_style(p.scale).color(&t.ink());
    let mut b = ChartBuilder::on(root);
    b.margin(px(6.0));
    if p.text {
        b.x_label_area_size(px(40.0))
            .y_label_area_size(px(44.0))
            .caption(format!("p(y | x₀ = {:.3})", p.x0), font.clone());
    }
    let mut chart = b.build_cartesian_2d(p.y.0..p.y.1, 0.0..top).map_err(e)?;
    if p.text {
        chart
            .configure_mesh()
            .light_line_style(t.grid(0.04))
            .bold_line_style(t.grid(0.1))
            .axis_style(t.ink())
            .label_style(font.clone())
            .axis_desc_style(font.clone())
            .x_desc(p.y_label)
            .y_desc("density")
            .x_labels(6)
            .y_labels(4)
            .x_label_formatter(&|v| tick(*v, 1))
            .y_label_formatter(&|v| tick(*v, 1))
            .draw()
            .map_err(e)?;
    }
    Ok(chart)
}

/// Each component's share π_k f_k(y), then the mixture's density, filled and outlined.
fn draw_slice_density<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &Slice,
    ys: &[f64],
    dens: &[f64],
    top: f64,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * p.scale).round() as i32;
    let (t, m) = (p.theme, p.mixture);
    for k in 0..m.k {
        if m.pi[k] < 1e-3 {
            continue;
        }
        let part: Vec<(f64, f64)> = ys
            .iter()
            .map(|y| (*y, m.component_density(k, &[*y]).min(top)))
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
            t.line(Line::Mdn).mix(0.15),
        ))
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            total,
            t.line(Line::Mdn).stroke_width(px(2.0) as u32),
        ))
        .map_err(e)?;
    Ok(())
}

/// The true density, dashed, with its legend entry; its point mass as a dashed bar on
/// the point-mass scale (full height at probability 1).
fn draw_slice_truth<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &Slice,
    truth: &super::truth::SliceTruth,
    top: f64,
) -> Result<(), String> {
    let px = |v: f64| (v * p.scale).round() as i32;
    let colour = p.theme.line(Line::Bayes);
    let style = colour.stroke_width(px(2.0) as u32);
    let dashed =
        |pts: Vec<(f64, f64)>| DashedLineSeries::new(pts, px(6.0) as u32, px(4.0) as u32, style);
    let curve = truth.curve.iter().map(|&(y, d)| (y, d.min(top))).collect();
    chart
        .draw_series(dashed(curve))
        .map_err(|e| e.to_string())?
        .label("true density")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    if let Some((at, prob)) = truth.atom {
        let w = 0.012 * (p.y.1 - p.y.0);
        let h = prob * top;
        let outline = vec![(at - w, 0.0), (at - w, h), (at + w, h), (at + w, 0.0)];
        let s = chart
            .draw_series(dashed(outline))
            .map_err(|e| e.to_string())?;
        if p.text {
            s.label(format!("true P(y = {}) = {}", tick(at, 0), tick(prob, 2)))
                .legend(move |(x, y)| {
                    PathElement::new(
                        vec![
                            (x + 3, y + 6),
                            (x + 3, y - 6),
                            (x + 11, y - 6),
                            (x + 11, y + 6),
                        ],
                        style,
                    )
                });
        }
    }
    Ok(())
}

/// The HPD pieces shaded under the density; the central interval as a bar below.
fn draw_slice_intervals<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &Slice,
    iv: &SliceIntervals,
    ys: &[f64],
    dens: &[f64],
    top: f64,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * p.scale).round() as i32;
    let t = p.theme;
    for &(a, b) in &iv.hpd.intervals {
        let piece: Vec<(f64, f64)> = ys
            .iter()
            .zip(dens)
            .filter(|(y, _)| **y >= a && **y <= b)
            .map(|(y, d)| (*y, d.min(top)))
            .collect();
        chart
            .draw_series(AreaSeries::new(piece, 0.0, t.line(Line::Bayes).mix(0.35)))
            .map_err(e)?;
    }
    let (a, b) = iv.central;
    let h = 0.03 * top;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(a, 2.0 * h), (a, h), (b, h), (b, 2.0 * h)],
            CENTRAL_COLOUR.stroke_width(px(3.0) as u32),
        )))
        .map_err(e)?;
    Ok(())
}

/// The MSE prediction and the mixture mean as vertical lines, with their legend entries.
fn draw_slice_marks<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &Slice,
    top: f64,
) -> Result<(), String> {
    let px = |v: f64| (v * p.scale).round() as i32;
    let t = p.theme;
    let mean = p.mixture.mean()[0];
    for (v, colour, label) in [
        (p.baseline, t.ink(), "MSE prediction"),
        (mean, t.line(Line::Validation), "mixture mean"),
    ] {
        if !(p.y.0..=p.y.1).contains(&v) {
            continue;
        }
        let s = chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(v, 0.0), (v, top)],
                colour.stroke_width(px(2.0) as u32),
            )))
            .map_err(|e| e.to_string())?;
        if p.text {
            s.label(label).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(2))
            });
        }
    }
    Ok(())
}

/// The legend's entries of the HPD region and the central interval.
fn draw_slice_interval_keys<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    t: Theme,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let bayes = t.line(Line::Bayes);
    chart
        .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
        .map_err(e)?
        .label("90% HPD region")
        .legend(move |(x, y)| {
            Rectangle::new([(x, y - 4), (x + 14, y + 4)], bayes.mix(0.5).filled())
        });
    chart
        .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
        .map_err(e)?
        .label("90% central interval")
        .legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + 14, y)], CENTRAL_COLOUR.stroke_width(3))
        });
    Ok(())
}

/// The point mass: a bar on its own scale (a probability, not a density), said in the
/// legend, where it cannot cover the density.
fn draw_slice_point_mass<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &Slice,
    top: f64,
) -> Result<(), String> {
    let m = p.mixture;
    let colour = p.theme.line(Line::Validation);
    let bar = chart
        .draw_series(std::iter::once(Rectangle::new(
            [
                (0.0 - 0.006 * (p.y.1 - p.y.0), 0.0),
                (0.006 * (p.y.1 - p.y.0), m.p_zero * top),
            ],
            colour.filled(),
        )))
        .map_err(|e| e.to_string())?;
    if p.text {
        bar.label(format!("P(y = 0) = {:.2} (a probability)", m.p_zero))
            .legend(move |(x, y)| {
                Rectangle::new([(x + 5, y - 6), (x + 9, y + 6)], colour.filled())
            });
    }
    Ok(())
}

/// The slice on a circular axis: the density of each angle θ ∈ [0, 2π) drawn outward
/// from a circle (0 to the right, counter-clockwise).
/// Von Mises components join smoothly where 0 ≡ 2π; a Gaussian mixture's density jumps
/// there, and what it puts outside [0, 2π) is lost.
fn draw_circle<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mixture,
    p: &Slice,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, h) = root.dim_in_pixel();
    let r0 = (0.19 * w.min(h) as f64).max(8.0);
    let (cx, cy) = (0.5 * w as f64, 0.5 * h as f64);
    let n = 360;
    let dens: Vec<f64> = (0..=n)
        .map(|i| {
            crate::base::math::exp(
                m.log_density(&[crate::mdn::family::TWO_PI * i as f64 / n as f64]),
            )
        })
        .collect();
    let top = dens
        .iter()
        .cloned()
        .filter(|v| v.is_finite())
        .fold(1e-9, f64::max);
    let at = |i: usize, r: f64| {
        let a = crate::mdn::family::TWO_PI * i as f64 / n as f64;
        ((cx + r * a.cos()) as i32, (cy - r * a.sin()) as i32)
    };
    let t = p.theme;
    let ring: Vec<(i32, i32)> = (0..=n).map(|i| at(i, r0)).collect();
    root.draw(&PathElement::new(ring, t.grid(0.4).stroke_width(1)))?;
    root.draw(&PathElement::new(
        vec![at(0, r0 * 0.9), at(0, r0 * 2.3)],
        t.grid(0.5).stroke_width(1),
    ))?;
    let curve: Vec<(i32, i32)> = (0..=n)
        .map(|i| at(i, r0 * (1.0 + 1.2 * (dens[i] / top).min(1.0))))
        .collect();
    root.draw(&PathElement::new(
        curve,
        t.line(Line::Mdn).stroke_width((2.0 * p.scale) as u32),
    ))?;
    let font = light_chart_style(p.scale).color(&t.ink());
    if p.text {
        let (x, y) = at(0, r0 * 1.05);
        root.draw(&Text::new(
            "0 ≡ 2π",
            (x, y - (14.0 * p.scale) as i32),
            font.clone(),
        ))?;
        root.draw(&Text::new(
            "p(θ | x) on the circle",
            ((0.08 * w as f64) as i32, (6.0 * p.scale) as i32),
            font,
        ))?;
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
