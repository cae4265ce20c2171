//! The calibration panel: the PIT histogram and the coverage of central and HPD regions
//! against their nominal mass, for the MDN, the MSE regressor and the truth.

use super::*;
use crate::forecast::calibration::{Calibration, Report};
use crate::plot::Chart;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A line of text in the middle of a panel that has nothing to draw yet (a calibration
/// not yet scored), so that the panel says what it is waiting for instead of being blank.
pub fn draw_waiting<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    theme: Theme,
    s: f64,
) -> Result<(), String> {
    let (w, h) = root.dim_in_pixel();
    let font = ("sans-serif", 14.0 * s)
        .into_font()
        .color(&theme.ink().mix(0.7))
        .pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ));
    root.draw(&Text::new(text, (w as i32 / 2, h as i32 / 2), font))
        .map_err(|e| e.to_string())
}

/// Draws `r` on `root`: PIT histograms on the left, the reliability diagram on the right.
pub fn draw_calibration<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &Report,
    theme: Theme,
    s: f64,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let t = theme;
    let who: Vec<Who> = [
        Some((&r.mdn, t.line(Line::Mdn), "MDN")),
        Some((&r.baseline, t.line(Line::Baseline), t.t("MSE regressor"))),
        r.truth
            .as_ref()
            .map(|c| (c, t.line(Line::Bayes), t.t("truth"))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut items: Vec<(&str, RGBColor, Marker)> =
        who.iter().map(|(_, c, n)| (*n, *c, Marker::Line)).collect();
    items.push((t.t("central (●)"), t.ink(), Marker::Dot));
    items.push(("HPD (▲)", t.ink(), Marker::Line));
    let area = legend_row(root, &items, t, s).map_err(e)?;
    let (w, _) = area.dim_in_pixel();
    let (left, right) = area.split_horizontally(w as i32 / 2);
    pit_chart(&left, &who, t, s)?;
    reliability_chart(&right, &who, t, s)
}

/// A calibration, its colour and its name.
type Who<'r> = (&'r Calibration, RGBColor, &'static str);

/// The PIT histograms, as densities (1 = uniform); the MDN's filled.
fn pit_chart<DB: DrawingBackend>(
    left: &DrawingArea<DB, Shift>,
    who: &[Who],
    t: Theme,
    s: f64,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * s).round() as i32;
    let top = who
        .iter()
        .flat_map(|(c, _, _)| c.pit_hist.iter())
        .fold(1.5f64, |a, v| a.max(v * 10.0 * 1.1));
    let mut chart = axes(
        &left,
        (0.0, 1.0),
        (0.0, top),
        (t.t("PIT value u = F(y | x)"), t.t("density of u")),
        (6, 4),
        t,
        s,
    )?;
    reference(&mut chart, vec![(0.0, 1.0), (1.0, 1.0)], t, s)?;
    for (i, (c, colour, _)) in who.iter().enumerate() {
        let n = c.pit_hist.len().max(1) as f64;
        if i == 0 {
            chart
                .draw_series(c.pit_hist.iter().enumerate().map(|(b, v)| {
                    Rectangle::new(
                        [(b as f64 / n, 0.0), ((b + 1) as f64 / n, v * n)],
                        colour.mix(0.35).filled(),
                    )
                }))
                .map_err(e)?;
        }
        let steps: Vec<(f64, f64)> = c
            .pit_hist
            .iter()
            .enumerate()
            .flat_map(|(b, v)| [(b as f64 / n, v * n), ((b + 1) as f64 / n, v * n)])
            .collect();
        chart
            .draw_series(std::iter::once(PathElement::new(
                steps,
                colour.stroke_width(px(2.0) as u32),
            )))
            .map_err(e)?;
    }
    Ok(())
}

/// Reliability: each region's empirical coverage against its nominal mass.
fn reliability_chart<DB: DrawingBackend>(
    right: &DrawingArea<DB, Shift>,
    who: &[Who],
    t: Theme,
    s: f64,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * s).round() as i32;
    let mut chart = axes(
        &right,
        (0.4, 1.0),
        (0.0, 1.0),
        (t.t("nominal mass"), t.t("share of outcomes inside")),
        (4, 6),
        t,
        s,
    )?;
    reference(&mut chart, vec![(0.4, 0.4), (1.0, 1.0)], t, s)?;
    let r3 = px(3.5);
    for (c, colour, _) in who {
        for (hpd, pts) in [(false, &c.central), (true, &c.hpd)] {
            let line: Vec<(f64, f64)> = pts.iter().map(|p| (p[0], p[1])).collect();
            chart
                .draw_series(std::iter::once(PathElement::new(
                    line.clone(),
                    colour.stroke_width(px(1.5) as u32),
                )))
                .map_err(e)?;
            if hpd {
                chart
                    .draw_series(
                        line.iter()
                            .map(|&q| TriangleMarker::new(q, r3 + 1, colour.filled())),
                    )
                    .map_err(e)?;
            } else {
                chart
                    .draw_series(line.iter().map(|&q| Circle::new(q, r3, colour.filled())))
                    .map_err(e)?;
            }
        }
    }
    Ok(())
}

/// One of the panel's two charts on `area`: its ranges, its axis titles and tick counts,
/// in the theme's ink and grid.
fn axes<'a, DB: DrawingBackend + 'a>(
    area: &DrawingArea<DB, Shift>,
    x: (f64, f64),
    y: (f64, f64),
    (x_desc, y_desc): (&str, &str),
    (nx, ny): (usize, usize),
    t: Theme,
    s: f64,
) -> Result<Chart<'a, DB>, String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * s).round() as i32;
    let font = light_chart_style(s).color(&t.ink());
    let mut chart = ChartBuilder::on(area)
        .margin(px(6.0))
        .margin_right(px(14.0))
        .x_label_area_size(px(40.0))
        .y_label_area_size(px(44.0))
        .build_cartesian_2d(x.0..x.1, y.0..y.1)
        .map_err(e)?;
    chart
        .configure_mesh()
        .light_line_style(t.grid(0.04))
        .bold_line_style(t.grid(0.1))
        .axis_style(t.ink())
        .label_style(font.clone())
        .axis_desc_style(font)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_labels(nx)
        .y_labels(ny)
        .x_label_formatter(&|v| t.tick(*v, 1))
        .y_label_formatter(&|v| t.tick(*v, 1))
        .draw()
        .map_err(e)?;
    Ok(chart)
}

/// The line a calibrated forecast would follow (uniform PIT; the diagonal).
fn reference<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    pts: Vec<(f64, f64)>,
    t: Theme,
    s: f64,
) -> Result<(), String> {
    chart
        .draw_series(std::iter::once(PathElement::new(
            pts,
            t.grid(0.5).stroke_width((s.round() as u32).max(1)),
        )))
        .map(|_| ())
        .map_err(|e| e.to_string())
}
