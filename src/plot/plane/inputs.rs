//! The input plane: the data, the target, and for the robot arm its poses.

use super::{chart_on, mesh, mse_colour, InputPlot};
use crate::plot::{
    component_colour, legend_box, Chart, Layer, Marker, Paper, Rect, View, MODE_COLOUR,
};
use plotters::coord::Shift;
use plotters::prelude::*;

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
    draw_target(&mut chart, &scene.target, view, s)?;
    draw_arms(&mut chart, p)?;
    if p.frame.text && p.frame.legend && !scene.arms.is_empty() {
        arm_legend(root, p, rect)?;
    }
    Ok((rect, view))
}

/// The target: a crosshair on the plane, or a vertical line for one input dimension.
fn draw_target<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    target: &[f64],
    view: View,
    s: f64,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * s).round() as i32;
    let red = RGBColor(220, 30, 30);
    if target.len() >= 2 {
        let (tx, ty) = (target[0], target[1]);
        chart
            .draw_series(std::iter::once(Circle::new(
                (tx, ty),
                px(7.0) as u32,
                red.stroke_width(px(2.0) as u32),
            )))
            .map_err(e)?;
    } else if let Some(&x0) = target.first() {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x0, view.y.0), (x0, view.y.1)],
                red.stroke_width(px(2.0) as u32),
            )))
            .map_err(e)?;
    }
    Ok(())
}

/// The arm's poses: sampled ones faint, then the MSE pose and each likely component's,
/// then the mode's.
fn draw_arms<DB: DrawingBackend>(chart: &mut Chart<DB>, p: &InputPlot) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * p.frame.scale).round() as i32;
    let scene = p.scene;
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
    Ok(())
}

/// The legend with each pose's miss distance, bottom right inside the plot.
fn arm_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &InputPlot,
    rect: Rect,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = p.frame.scale;
    let px = |v: f64| (v * s).round() as i32;
    let scene = p.scene;
    let t = p.frame.theme;
    let lines: Vec<(String, RGBColor, Marker)> = scene
        .arms
        .iter()
        .map(|a| match (a.component, a.pi) {
            (Some(c), Some(pi)) => (
                t.lang.fill(
                    "component {0} (π {1}): misses by {2}",
                    &[
                        &(c + 1).to_string(),
                        &t.lang.signed(pi, 2),
                        &t.lang.signed(a.miss, 3),
                    ],
                ),
                component_colour(c),
                Marker::Line,
            ),
            _ => (
                t.lang
                    .fill("MSE regressor: misses by {0}", &[&t.lang.signed(a.miss, 3)]),
                mse_colour(p.frame.theme),
                Marker::Line,
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
    Ok(())
}
