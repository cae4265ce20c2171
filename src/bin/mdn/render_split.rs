//! `mdn render` of an ensemble (`ensemble=M`) or with `--split FILE`: the members trained
//! on threads, the main plot of their even mixture with each member's mean as a faint
//! line and the gap shaded, and the panel of the aleatoric and epistemic variance
//! against x.

use crate::out::*;
use crate::render::Format;
use crate::train::rate;
use mdn_playground::config::spec::Spec;
use mdn_playground::plot::native::{self, Overlay};
use mdn_playground::plot::uncertainty::{SplitCurves, SplitPlot};
use mdn_playground::plot::{self, Even, View};
use mdn_playground::train::ensemble::Ensemble;
use std::time::Instant;

#[derive(serde::Serialize)]
struct Final<'a> {
    spec: String,
    #[serde(flatten)]
    metrics: &'a mdn_playground::Metrics,
    ensemble_val_nll: f64,
    seconds: f64,
    steps_per_s: f64,
}

pub(crate) fn render(
    spec: &Spec,
    threads: usize,
    f: &Format,
    split: Option<&str>,
) -> Result<(), Fail> {
    let mut ens = Ensemble::new(spec);
    let info = ens.members[0].info.clone();
    if info.din != 1 || info.dout != 1 {
        return fail(format!(
            "an ensemble's picture and --split are drawn for one input and one output; data={} has {} and {}",
            spec.data.name(),
            info.din,
            info.dout
        ));
    }
    if let Some(path) = split {
        split_format(path)?;
        crate::args::check_writable(path, "the panel")?;
    }
    crate::args::check_writable(f.out, "the picture")?;
    let started = Instant::now();
    ens.train_to(spec.steps, threads);
    let seconds = started.elapsed().as_secs_f64();
    let view = View::of(&info);
    let even = Even {
        members: ens.members.iter().map(|m| &m.model).collect(),
    };
    let xs: Vec<f64> = (0..300)
        .map(|i| view.x.0 + i as f64 / 299.0 * (view.x.1 - view.x.0))
        .collect();
    let per = ens.mixtures(&mdn_playground::mdn::pooled::column(&xs));
    let shown: &[Vec<_>] = if ens.members.len() > 1 { &per } else { &[] };
    let overlay = Overlay::of(&xs, shown, spec.gap);
    let points = ens.members[0].train.points(plot::MAX_POINTS);
    let labels = (info.x_labels[0], info.y_labels[0]);
    let path = std::path::Path::new(f.out);
    let written = if f.svg {
        native::main_plot_svg(
            &even,
            Some(&overlay),
            &points,
            view,
            labels,
            (f.w, f.h),
            f.theme,
        )
        .and_then(|t| std::fs::write(path, t).map_err(|e| e.to_string()))
    } else {
        native::main_plot_png(path, &even, Some(&overlay), &points, view, labels, f.w, f.h)
    };
    written.map_err(|e| Fail(format!("cannot write {}: {e}", f.out), 1))?;
    if let Some(out) = split {
        let curves = SplitCurves::of(&xs, &per, 0).ok_or_else(|| {
            Fail(
                format!(
                    "--split: family={} has no variance to split",
                    spec.family.name()
                ),
                2,
            )
        })?;
        let p = SplitPlot {
            curves: &curves,
            gap: spec.gap,
            x_range: view.x,
            x_label: info.x_labels[0],
            theme: f.theme,
            scale: (f.w as f64 / 900.0).clamp(1.0, 3.0),
        };
        native::split_figure(out, (f.w, f.h / 2), &p)
            .map_err(|e| Fail(format!("cannot write {out}: {e}"), 1))?;
    }
    let metrics = ens.members[0].metrics();
    emit(&Final {
        spec: spec.format(),
        metrics: &metrics,
        ensemble_val_nll: ens.val_nll(),
        seconds,
        steps_per_s: rate(ens.step(), seconds),
    })?;
    unless_halted(ens.halted().as_deref())
}

/// `--split FILE` must be a PNG or an SVG.
fn split_format(path: &str) -> Result<(), Fail> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".png") || lower.ends_with(".svg") {
        Ok(())
    } else {
        fail(format!("--split: {path:?} must end in .png or .svg"))
    }
}
