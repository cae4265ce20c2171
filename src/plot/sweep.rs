//! The sweep plot: validation NLL and BIC against K.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The K sweep: validation NLL (each seed a dot, the mean a line) and BIC against K,
/// side by side, the chosen K of each marked.
pub fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: &crate::sweep::Report,
    text: bool,
    scale: f64,
    theme: super::Theme,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = scale;
    let px = |v: f64| (v * s).round() as i32;
    let font = ("sans-serif", 12.0 * s).into_font().color(&theme.ink());
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
    let accent = theme.line(super::Line::Validation);
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
                    theme.line(super::Line::Mdn).mix(0.5).filled(),
                )
            }))
            .map_err(e)?;
        chart
            .draw_series(LineSeries::new(
                r.summary
                    .iter()
                    .map(|m| (m.k as f64, mean(m)))
                    .filter(|p| p.1.is_finite()),
                theme.line(super::Line::Mdn).stroke_width(px(2.0) as u32),
            ))
            .map_err(e)?;
    }
    Ok(())
}
