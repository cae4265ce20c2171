//! Handwriting drawn, generic over plotters' DrawingBackend (the CLI's PNG and SVG, and
//! the page's canvas): panels of pen strokes, each with its caption, the prompt in grey,
//! and optionally at every pen step the predicted mixture as 1σ ellipses (as opaque as
//! their weight) and the end-of-stroke probability as a ring round the point.

use super::style::{component_colour, Theme};
use crate::strokes::pen::Pen;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One panel: its caption, the written strokes (absolute points, y up), the prompt's
/// strokes, and the pen's distribution at each written point (in the same units).
pub struct Writing {
    pub caption: String,
    pub strokes: Vec<Vec<[f64; 2]>>,
    pub prompt: Vec<Vec<[f64; 2]>>,
    /// (where the pen stands, the distribution of its next move scaled to these units).
    pub pens: Vec<([f64; 2], Pen)>,
    /// The pen's tip while the writing is revealed: its place and the distribution of
    /// its next move, drawn bold.
    pub tip: Option<([f64; 2], Pen)>,
    /// A fixed view (x0, x1, y0, y1) filling the panel, no margin (the page's pad, where
    /// a pointer's pixel maps to a point); `None`: the points' box, kept even.
    pub view: Option<(f64, f64, f64, f64)>,
}

/// The points' bounding box, with a margin of 5% (at least 1 unit).
fn bounds(w: &Writing) -> (f64, f64, f64, f64) {
    let all = w.strokes.iter().chain(w.prompt.iter()).flatten();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in all.filter(|p| p[0].is_finite() && p[1].is_finite()) {
        (x0, x1, y0, y1) = (x0.min(p[0]), x1.max(p[0]), y0.min(p[1]), y1.max(p[1]));
    }
    if x0 > x1 {
        return (-1.0, 1.0, -1.0, 1.0);
    }
    let m = (0.05 * (x1 - x0).max(y1 - y0)).max(1.0);
    (x0 - m, x1 + m, y0 - m, y1 + m)
}

/// The box widened along one axis so that a unit is as long across as up, in an area of
/// `(w, h)` pixels less `top` for the caption.
fn even(
    (x0, x1, y0, y1): (f64, f64, f64, f64),
    (w, h): (u32, u32),
    top: u32,
) -> (f64, f64, f64, f64) {
    let (w, h) = (w.max(1) as f64, h.saturating_sub(top).max(1) as f64);
    let (dx, dy) = (x1 - x0, y1 - y0);
    if dx / dy > w / h {
        let grow = 0.5 * (dx * h / w - dy);
        (x0, x1, y0 - grow, y1 + grow)
    } else {
        let grow = 0.5 * (dy * w / h - dx);
        (x0 - grow, x1 + grow, y0, y1)
    }
}

/// The 1σ ellipse of a bivariate Gaussian, as 40 points.
pub fn ellipse(mu: [f64; 2], sigma: [f64; 2], rho: f64) -> Vec<[f64; 2]> {
    let r = libm::sqrt((1.0 - rho) * (1.0 + rho));
    (0..=40)
        .map(|i| {
            let t = i as f64 * std::f64::consts::TAU / 40.0;
            let (c, s) = (libm::cos(t), libm::sin(t));
            [mu[0] + sigma[0] * c, mu[1] + sigma[1] * (rho * c + r * s)]
        })
        .collect()
}

/// The view that shows `w`'s strokes and prompt whole on an area of `dims` pixels, the
/// same scale in x and y.
pub fn fitted(w: &Writing, dims: (u32, u32)) -> (f64, f64, f64, f64) {
    even(bounds(w), dims, 0)
}

/// Draws `panels` in a grid of `cols` columns on `root`.
pub fn draw_writing<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    panels: &[Writing],
    cols: usize,
    theme: Theme,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&theme.paper()).map_err(err)?;
    let cols = cols.max(1);
    let rows = panels.len().div_ceil(cols).max(1);
    let areas = root.split_evenly((rows, cols));
    for (area, w) in areas.iter().zip(panels) {
        let (x0, x1, y0, y1) = w
            .view
            .unwrap_or_else(|| even(bounds(w), area.dim_in_pixel(), 30));
        let mut b = ChartBuilder::on(area);
        if w.view.is_none() {
            b.margin(8);
        }
        if !w.caption.is_empty() {
            b.caption(
                &w.caption,
                ("sans-serif", 16).into_font().color(&theme.ink()),
            );
        }
        let mut chart = b.build_cartesian_2d(x0..x1, y0..y1).map_err(err)?;
        let grey = theme.ink().mix(0.35);
        for s in &w.prompt {
            chart
                .draw_series(LineSeries::new(
                    s.iter().map(|p| (p[0], p[1])),
                    grey.stroke_width(2),
                ))
                .map_err(err)?;
        }
        for (at, pen) in &w.pens {
            draw_pen(&mut chart, *at, pen, 2).map_err(err)?;
        }
        if let Some((at, pen)) = &w.tip {
            draw_pen(&mut chart, *at, pen, 4).map_err(err)?;
        }
        for s in &w.strokes {
            chart
                .draw_series(LineSeries::new(
                    s.iter().map(|p| (p[0], p[1])),
                    theme.ink().stroke_width(2),
                ))
                .map_err(err)?;
        }
    }
    root.present().map_err(err)
}

/// The panels as an SVG of `w × h`.
pub fn writing_svg(
    panels: &[Writing],
    cols: usize,
    (w, h): (u32, u32),
    theme: Theme,
) -> Result<String, String> {
    #[cfg(not(target_arch = "wasm32"))]
    super::font::register_font();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
        draw_writing(&root, panels, cols, theme)?;
    }
    Ok(s)
}

/// One pen step's prediction at `at`: a 1σ ellipse per component with π ≥ 0.02, as opaque
/// as its weight, and a ring as large as the end-of-stroke probability (none below 5%).
fn draw_pen<DB: DrawingBackend>(
    chart: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    at: [f64; 2],
    pen: &Pen,
    width: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for k in 0..pen.k() {
        let pi = crate::base::math::exp(pen.log_pi[k]);
        if pi < 0.02 {
            continue;
        }
        let mu = [at[0] + pen.mu[k][0], at[1] + pen.mu[k][1]];
        let e = ellipse(mu, pen.sigma[k], pen.rho[k]);
        let c = component_colour(k).mix(0.25 + 0.75 * pi);
        chart.draw_series(LineSeries::new(
            e.iter().map(|p| (p[0], p[1])),
            c.stroke_width(width),
        ))?;
    }
    if pen.eos >= 0.05 {
        let ring = (3.0 + 12.0 * pen.eos) as i32;
        let c = component_colour(4).mix(0.3 + 0.7 * pen.eos);
        chart.draw_series(std::iter::once(Circle::new(
            (at[0], at[1]),
            ring,
            c.stroke_width(width),
        )))?;
    }
    Ok(())
}

/// The handwriting run's loss curves: the LSTM-MDN's training batches and validation,
/// and the validation NLL of both baselines (NLL per pen move).
pub struct HandLosses<'a> {
    pub train: &'a [(f64, f64)],
    /// The three models' validation NLL (the LSTM-MDN's first).
    pub val: [&'a [(f64, f64)]; 3],
    /// The three models' names.
    pub names: [&'a str; 3],
    pub theme: Theme,
}

pub fn draw_hand_losses<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &HandLosses,
) -> Result<(), String> {
    use super::style::{legend_row, light_chart_style, Line, Marker};
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let t = p.theme;
    root.fill(&t.paper()).map_err(e)?;
    let all = [p.train, p.val[0], p.val[1], p.val[2]];
    let x1 = all
        .iter()
        .flat_map(|s| s.iter())
        .map(|q| q.0)
        .fold(1.0, f64::max);
    let (lo, hi) = super::loss_range(&all, None);
    let pad = 0.05 * (hi - lo);
    let colours = [
        t.line(Line::Mdn),
        t.line(Line::Validation),
        t.line(Line::Bayes),
        t.line(Line::Baseline),
    ];
    let (train, val) = (
        format!("{}, training batch", p.names[0]),
        format!("{}, validation", p.names[0]),
    );
    let labels = [train.as_str(), val.as_str(), p.names[1], p.names[2]];
    let items: Vec<(&str, RGBColor, Marker)> = (0..4)
        .map(|i| {
            (
                labels[i],
                colours[i],
                if i > 0 { Marker::Dot } else { Marker::Line },
            )
        })
        .collect();
    let area = legend_row(root, &items, t, 1.0).map_err(e)?;
    let font = light_chart_style(1.0).color(&t.ink());
    let mut chart = ChartBuilder::on(&area)
        .margin(8)
        .margin_right(18)
        .x_label_area_size(40)
        .y_label_area_size(44)
        .build_cartesian_2d(0.0..x1, (lo - pad)..(hi + pad))
        .map_err(e)?;
    super::panels::loss_mesh(&mut chart, t, &font, t.t("NLL per pen move")).map_err(e)?;
    for (i, pts) in all.iter().enumerate() {
        let marker = (i > 0).then_some(3);
        super::panels::loss_curve(&mut chart, pts, colours[i], hi + pad, 2, marker).map_err(e)?;
    }
    root.present().map_err(e)
}
