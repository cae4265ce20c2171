//! The sweep plot: validation NLL and BIC against K.

use crate::train::sweep::{Report, Row, Summary};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One of the sweep plot's two panels: what it reads of each run and of each K's mean,
/// and the K it chose.
struct Panel {
    label: &'static str,
    get: fn(&Row) -> f64,
    mean: fn(&Summary) -> f64,
    chosen: Option<usize>,
}

/// The K sweep: validation NLL (each seed a dot, the mean a line) and BIC against K,
/// side by side, the K where each is lowest marked ("lowest: K = …", as the sweep's line
/// of text says it).
pub fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &Report,
    text: bool,
    scale: f64,
    theme: super::Theme,
) -> Result<(), String> {
    let (left, right) = root.split_horizontally(root.dim_in_pixel().0 as i32 / 2);
    let nll = Panel {
        label: crate::lang::english("validation NLL (nats)"),
        get: |r| r.val_nll,
        mean: |m| m.val_nll_mean,
        chosen: r.chosen_by_val_nll,
    };
    let bic = Panel {
        label: "BIC",
        get: |r| r.bic,
        mean: |m| m.bic_mean,
        chosen: r.chosen_by_bic,
    };
    sweep_panel(&left, r, &nll, text, scale, theme)?;
    sweep_panel(&right, r, &bic, text, scale, theme)
}

fn sweep_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    r: &Report,
    panel: &Panel,
    text: bool,
    s: f64,
    theme: super::Theme,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * s).round() as i32;
    let font = ("sans-serif", 12.0 * s).into_font().color(&theme.ink());
    let k1 = r.k_max as f64 + 0.5;
    let get = panel.get;
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
    // As many decimals as a fifth of the range needs: "−4000", not "−4000.0"; "−1.12".
    let step = (hi - lo + 2.0 * pad) / 5.0;
    let decimals = if step >= 1.0 {
        0
    } else {
        (-libm::log10(step)).ceil().clamp(0.0, 4.0) as usize
    };
    let mut b = ChartBuilder::on(area);
    b.margin(px(8.0));
    if text {
        b.x_label_area_size(px(40.0)).y_label_area_size(px(56.0));
    }
    let mut chart = b
        .build_cartesian_2d(0.5..k1, (lo - pad)..(hi + pad))
        .map_err(e)?;
    if text {
        chart
            .configure_mesh()
            .light_line_style(theme.grid(0.05))
            .bold_line_style(theme.grid(0.1))
            .axis_style(theme.ink())
            .x_desc(theme.t("K (components)"))
            .y_desc(theme.t(panel.label))
            .x_labels(r.k_max.min(15))
            .x_label_formatter(&|v| theme.tick(*v, 0))
            .y_labels(5)
            .y_label_formatter(&|v| theme.tick(*v, decimals))
            .label_style(font.clone())
            .axis_desc_style(font.clone())
            .draw()
            .map_err(e)?;
    }
    let accent = theme.line(super::Line::Validation);
    if let Some(k) = panel.chosen {
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
            let label = Text::new(
                theme.lang.fill("lowest: K = {0}", &[&k.to_string()]),
                (x, hi + pad),
                style,
            );
            chart.draw_series(std::iter::once(label)).map_err(e)?;
        }
    }
    draw_runs(&mut chart, r, panel, theme.line(super::Line::Mdn), s)
}

/// Each run's value (a dot) and the mean over seeds at each K (a line).
fn draw_runs<DB: DrawingBackend>(
    chart: &mut crate::plot::Chart<DB>,
    r: &Report,
    panel: &Panel,
    mdn: RGBColor,
    s: f64,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * s).round() as i32;
    let get = panel.get;
    chart
        .draw_series(
            r.rows
                .iter()
                .filter(|q| get(q).is_finite())
                .map(|q| Circle::new((q.k as f64, get(q)), px(3.0) as u32, mdn.mix(0.5).filled())),
        )
        .map_err(e)?;
    let means = r.summary.iter().map(|m| (m.k as f64, (panel.mean)(m)));
    chart
        .draw_series(LineSeries::new(
            means.filter(|p| p.1.is_finite()),
            mdn.stroke_width(px(2.0) as u32),
        ))
        .map_err(e)?;
    Ok(())
}
