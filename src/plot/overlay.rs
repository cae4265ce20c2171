//! What the main plot draws over an ensemble's heatmap: each member's mean E[y | x] as a
//! faint line (where they part, the members disagree: epistemic uncertainty), and the
//! gap left out of the training data, shaded.

use super::*;
use plotters::prelude::*;

/// An ensemble's members and the data's gap, for the main plot.
#[derive(Clone, Debug, Default)]
pub struct Overlay {
    /// Each member's mean (x, E[y | x]).
    pub members: Vec<Vec<(f64, f64)>>,
    /// The interval of x with no training point.
    pub gap: Option<(f64, f64)>,
}

impl Overlay {
    /// The members' means over the curves' x, from their mixtures at those x.
    pub fn of(
        xs: &[f64],
        members: &[Vec<crate::mdn::mixture::Mixture>],
        gap: Option<(f64, f64)>,
    ) -> Overlay {
        Overlay {
            members: members
                .iter()
                .map(|ms| xs.iter().zip(ms).map(|(x, m)| (*x, m.mean()[0])).collect())
                .collect(),
            gap,
        }
    }
}

/// The gap as a hatched band over the whole height (static layer), under the rest.
pub(crate) fn draw_gap<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    o: &Overlay,
    view: View,
    s: f64,
) -> Result<(), String> {
    let Some((a, b)) = o.gap else {
        return Ok(());
    };
    let (a, b) = (a.max(view.x.0), b.min(view.x.1));
    if a >= b {
        return Ok(());
    }
    let px = |v: f64| (v * s).round().max(1.0) as u32;
    chart
        .draw_series(std::iter::once(Rectangle::new(
            [(a, view.y.0), (b, view.y.1)],
            WHITE.mix(0.12).filled(),
        )))
        .map_err(|e| e.to_string())?;
    for x in [a, b] {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x, view.y.0), (x, view.y.1)],
                WHITE.mix(0.6).stroke_width(px(1.0)),
            )))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Each member's mean as a thin, faint line (live layer).
pub(crate) fn draw_members<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    o: &Overlay,
    s: f64,
) -> Result<(), String> {
    let px = |v: f64| (v * s).round().max(1.0) as u32;
    chart
        .draw_series(
            o.members
                .iter()
                .map(|m| PathElement::new(m.clone(), WHITE.mix(0.55).stroke_width(px(1.0)))),
        )
        .map_err(|e| e.to_string())?;
    Ok(())
}
