//! The output plane: p(y | x) at the scene's input, each likely component's 1σ and 2σ
//! ellipse, the MSE prediction, samples and the mode.

use super::scene::PI_MIN;
use super::{chart_on, mesh, OutputPlot, MSE_COLOUR};
use crate::mdn::mixture::Mixture;
use crate::plot::{
    colour_bar, component_colour, legend_box, Chart, Layer, Marker, Paper, Rect, MODE_COLOUR,
    TRUTH_COLOUR,
};
use plotters::coord::Shift;
use plotters::prelude::*;

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
/// Draws the output plane and returns its plot area.
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
        draw_ellipses(&mut chart, p)?;
    }
    draw_truth(&mut chart, p)?;
    if p.frame.text && p.frame.legend {
        let t = p.frame.theme;
        let mut items: Vec<(&str, RGBColor, Marker)> = vec![
            (
                t.t("MSE prediction (between the modes)"),
                WHITE,
                Marker::Point,
            ),
            (
                t.t("components: mean, 1σ and 2σ ellipses"),
                component_colour(0),
                Marker::Line,
            ),
        ];
        if !p.scene.samples.is_empty() {
            items.push((
                t.t("samples (colour: component)"),
                component_colour(1),
                Marker::Point,
            ));
        }
        if p.scene.mode.is_some() {
            items.push((
                t.t("most probable point (mode)"),
                MODE_COLOUR,
                Marker::Point,
            ));
        }
        if !p.truth.is_empty() {
            items.push((
                t.t("true poses (exact, no noise)"),
                TRUTH_COLOUR,
                Marker::Point,
            ));
        }
        // In the area's own coordinates (the plot area's are the backend's).
        let base = main.get_base_pixel();
        let at = (rect.0 - base.0 + px(10.0), rect.1 - base.1 + px(10.0));
        legend_box(&main, at, px(270.0), &items, Paper::Heatmap, s).map_err(e)?;
    }
    Ok(rect)
}

/// The true poses as rings (on a dark casing) that a component's mean should sit in.
fn draw_truth<DB: DrawingBackend>(chart: &mut Chart<DB>, p: &OutputPlot) -> Result<(), String> {
    let px = |v: f64| (v * p.frame.scale).round().max(1.0) as u32;
    for (colour, width) in [(BLACK.mix(0.6), 4.0), (TRUTH_COLOUR.mix(1.0), 2.0)] {
        chart
            .draw_series(
                p.truth
                    .iter()
                    .map(|t| Circle::new((t[0], t[1]), px(9.0), colour.stroke_width(px(width)))),
            )
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Samples, each likely component's mean with its 1σ and 2σ ellipses, the MSE prediction
/// and the mode, on a two-dimensional output plane.
fn draw_ellipses<DB: DrawingBackend>(chart: &mut Chart<DB>, p: &OutputPlot) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * p.frame.scale).round() as i32;
    let m = &p.scene.mixture;
    // Samples under the ellipses.
    let dot = px(2.0).max(1) as u32;
    chart
        .draw_series(
            p.scene.samples.iter().map(|(c, y)| {
                Circle::new((y[0], y[1]), dot, component_colour(*c).mix(0.8).filled())
            }),
        )
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
    Ok(())
}
