//! The two kinds of uncertainty as functions of x: an ensemble's aleatoric variance (its
//! members' mean variance) and epistemic variance (the variance of their means), with
//! one member's own split after Choi et al. (2018) — within its components and
//! between them — and the gap in the training data shaded. A log scale: the epistemic
//! part is often a hundredth of the other.

use super::*;
use crate::mdn::mixture::Mixture;
use crate::mdn::pooled::{at_input, uncertainty};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The curves, at each x.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SplitCurves {
    pub xs: Vec<f64>,
    pub aleatoric: Vec<f64>,
    pub epistemic: Vec<f64>,
    /// One member's Σπσ² and Σπ(μ − μ̄)² (Choi's split; see [`SplitCurves::of`]).
    pub within: Vec<f64>,
    pub between: Vec<f64>,
    /// Which member that is (0: the first).
    pub member: usize,
}

impl SplitCurves {
    /// From every member's mixtures at `xs` (`per_member[j][i]` at xs[i]), with member
    /// `member`'s Choi split (clamped to the members there are); `None` when a member's
    /// family has no variance (angles, Student-t with ν ≤ 2).
    pub fn of(xs: &[f64], per_member: &[Vec<Mixture>], member: usize) -> Option<SplitCurves> {
        let member = member.min(per_member.len().saturating_sub(1));
        let mut c = SplitCurves {
            xs: xs.to_vec(),
            member,
            ..SplitCurves::default()
        };
        for i in 0..xs.len() {
            let at = at_input(per_member, i);
            let u = uncertainty(&at)?;
            let own = at.get(member)?.spread()?;
            c.aleatoric.push(u.aleatoric);
            c.epistemic.push(u.epistemic);
            c.within.push(own.within);
            c.between.push(own.between);
        }
        Some(c)
    }
}

/// The panel's curves and how it is drawn.
pub struct SplitPlot<'a> {
    pub curves: &'a SplitCurves,
    pub gap: Option<(f64, f64)>,
    pub x_range: (f64, f64),
    pub x_label: &'a str,
    pub theme: Theme,
    pub scale: f64,
}

/// The smallest variance drawn (the log scale's floor).
const FLOOR: f64 = 1e-7;

/// One curve of the panel: its values, colour, legend and whether it is dashed (a
/// member's own split, beside the ensemble's).
type Series<'s> = (&'s [f64], RGBColor, String, bool);

fn series(c: &SplitCurves, t: Theme) -> [Series<'_>; 4] {
    [
        (
            &c.aleatoric,
            t.line(Line::Mdn),
            t.t("aleatoric: members' mean variance").into(),
            false,
        ),
        (
            &c.epistemic,
            t.line(Line::Validation),
            t.t("epistemic: variance of members' means").into(),
            false,
        ),
        (
            &c.within,
            t.line(Line::Baseline),
            t.lang.fill(
                "member {0}: within components (Choi)",
                &[&(c.member + 1).to_string()],
            ),
            true,
        ),
        (
            &c.between,
            t.line(Line::Bayes),
            t.lang.fill(
                "member {0}: between components (Choi)",
                &[&(c.member + 1).to_string()],
            ),
            true,
        ),
    ]
}

/// A variance on the panel's axis: log10, floored at [`FLOOR`].
fn lg(v: f64) -> f64 {
    v.max(FLOOR).log10()
}

/// The panel: a legend row, log-scaled axes, the gap shaded, the four curves.
pub fn draw_split<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &SplitPlot,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (s, t, c) = (p.scale, p.theme, p.curves);
    let px = |v: f64| (v * s).round() as i32;
    root.fill(&t.paper()).map_err(e)?;
    let top = [&c.aleatoric, &c.epistemic, &c.within, &c.between]
        .iter()
        .flat_map(|v| v.iter())
        .cloned()
        .filter(|v| v.is_finite())
        .fold(FLOOR, f64::max);
    let (ylo, yhi) = (lg(FLOOR), lg(top).ceil().max(lg(FLOOR) + 1.0));
    let curves = series(c, t);
    let items: Vec<(&str, RGBColor, Marker)> = curves
        .iter()
        .map(|(_, col, label, _)| (label.as_str(), *col, Marker::Line))
        .collect();
    let area = legend_row(root, &items, t, s).map_err(e)?;
    let font = light_chart_style(s).color(&t.ink());
    let mut chart = ChartBuilder::on(&area)
        .margin(px(8.0))
        .margin_right(px(18.0))
        .x_label_area_size(px(40.0))
        .y_label_area_size(px(52.0))
        .build_cartesian_2d(p.x_range.0..p.x_range.1, ylo..yhi)
        .map_err(e)?;
    chart
        .configure_mesh()
        .light_line_style(t.grid(0.05))
        .bold_line_style(t.grid(0.1))
        .axis_style(t.ink())
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_desc(p.x_label)
        .y_desc(t.t("variance of y"))
        .y_labels((yhi - ylo).round() as usize + 1)
        .y_label_formatter(&|v| format!("1e{:.0}", v.round()))
        .x_label_formatter(&|v| t.tick(*v, 1))
        .draw()
        .map_err(e)?;
    if let Some((a, b)) = p.gap {
        let (a, b) = (a.max(p.x_range.0), b.min(p.x_range.1));
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(a, ylo), (b, yhi)],
                t.grid(0.12).filled(),
            )))
            .map_err(e)?;
    }
    for (values, colour, _, dashed) in curves {
        let pts: Vec<(f64, f64)> = c.xs.iter().zip(values).map(|(x, v)| (*x, lg(*v))).collect();
        let style = colour.stroke_width(px(if dashed { 1.5 } else { 2.5 }) as u32);
        let (on, off) = (px(6.0) as u32, px(4.0) as u32);
        if dashed {
            chart
                .draw_series(DashedLineSeries::new(pts, on, off, style))
                .map_err(e)?;
        } else {
            chart.draw_series(LineSeries::new(pts, style)).map_err(e)?;
        }
    }
    Ok(())
}
