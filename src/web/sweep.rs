//! Choosing K on the page: a sweep whose runs go to a pool of sweep workers, each training
//! one run ([`SweepJob`]), and its plot.

use super::{deadline, js_err, on_canvas};
use crate::plot;
use crate::share::link::Link;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// A sweep report (as from `SweepRun::report_json`) as a table `{caption, columns, rows}`:
/// for each K, the network's parameters, the validation NLL (mean, lowest and highest over
/// the seeds) and the mean BIC, the chosen K marked.
#[wasm_bindgen]
pub fn sweep_table(report: &str, lang: &str) -> Result<JsValue, JsValue> {
    let lang = crate::lang::Lang::from_tags([lang]);
    let signed = |v: f64, d: usize| lang.signed(v, d);
    let r: crate::train::sweep::Report = serde_json::from_str(report).map_err(js_err)?;
    let mark = |k: usize, by: Option<usize>| {
        if by == Some(k) {
            lang.t(" (lowest)")
        } else {
            ""
        }
    };
    let rows = r
        .summary
        .iter()
        .map(|s| {
            vec![
                s.k.to_string(),
                s.params.to_string(),
                format!(
                    "{}{}",
                    signed(s.val_nll_mean, 3),
                    mark(s.k, r.chosen_by_val_nll)
                ),
                lang.fill(
                    "{0} to {1}",
                    &[&signed(s.val_nll_range.0, 3), &signed(s.val_nll_range.1, 3)],
                ),
                format!("{}{}", signed(s.bic_mean, 0), mark(s.k, r.chosen_by_bic)),
            ]
        })
        .collect();
    super::to_js(&super::tables::Table {
        caption: lang.fill(
            if r.seeds == 1 {
                "The sweep: each K trained with {0} seed, scored on the validation set"
            } else {
                "The sweep: each K trained with {0} seeds, scored on the validation set"
            },
            &[&r.seeds.to_string()],
        ),
        columns: super::tables::heads(
            lang,
            &[
                "K",
                "parameters P",
                "validation NLL, mean",
                "over the seeds",
                "BIC, mean",
            ],
        ),
        rows,
    })
}

/// Draws a sweep report (as from `SweepRun::report_json`) on `canvas`.
#[wasm_bindgen]
pub fn draw_sweep(
    canvas: HtmlCanvasElement,
    scale: f64,
    report: &str,
    dark: bool,
    lang: &str,
) -> Result<(), JsValue> {
    let r: crate::train::sweep::Report = serde_json::from_str(report).map_err(js_err)?;
    let lang = crate::lang::Lang::from_tags([lang]);
    let theme = plot::Theme { dark, lang };
    on_canvas(canvas, Some(theme), |root| {
        plot::draw_sweep(root, &r, true, scale, theme)
    })
}

/// A K sweep on the page: its runs go to a pool of sweep workers ([`SweepJob`]) and
/// their rows come back here (see [`crate::train::sweep`]).
#[wasm_bindgen]
pub struct SweepRun {
    sweep: crate::train::sweep::Sweep,
}
#[wasm_bindgen]
impl SweepRun {
    /// The sweep of the spec in `hash` over K = 1…k_max with `seeds` seeds (both
    /// clamped). Throws a message when it cannot be run (seeds beyond the largest seed).
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str, k_max: u32, seeds: u32) -> Result<SweepRun, JsValue> {
        let spec = Link::parse(hash).0.spec;
        Ok(SweepRun {
            sweep: crate::train::sweep::Sweep::new(&spec, 1, k_max as usize, seeds as u64)
                .map_err(js_err)?,
        })
    }

    /// The links of the runs still to train, in the sweep's order: each is a whole spec
    /// with its K and seed, for a [`SweepJob`] in one of the page's sweep workers.
    pub fn job_links(&self) -> Vec<String> {
        spec_links(&self.sweep.job_specs())
    }

    /// Takes a run's row (JSON, from [`SweepJob::row_json`]); throws the reason when it is
    /// not a row of a run this sweep waits for.
    pub fn add_row(&mut self, row: &str) -> Result<(), JsValue> {
        let row: crate::train::sweep::Row = serde_json::from_str(row).map_err(js_err)?;
        self.sweep.add_row(row).map_err(js_err)
    }

    /// [experiments done, experiments in all].
    pub fn progress(&self) -> Vec<u32> {
        let (a, b) = self.sweep.progress();
        vec![a as u32, b as u32]
    }

    /// The report so far (rows, means per K, chosen K) as JSON.
    pub fn report_json(&self) -> String {
        serde_json::to_string(&self.sweep.report()).unwrap_or_default()
    }
}
/// The links of specs (`#` and the spec's keys), as the page's workers take them.
pub(crate) fn spec_links(specs: &[crate::Spec]) -> Vec<String> {
    specs.iter().map(spec_link).collect()
}
/// The link of a spec, for a worker to build its experiment from (`Link::parse`).
pub(crate) fn spec_link(spec: &crate::Spec) -> String {
    format!("#{}", spec.format())
}
/// One run of a K sweep, in a sweep worker (www/workers/sweep-worker.js).
#[wasm_bindgen]
pub struct SweepJob {
    job: crate::train::sweep::Job,
    row: Option<crate::train::sweep::Row>,
}
#[wasm_bindgen]
impl SweepJob {
    /// The run of a link from [`SweepRun::job_links`].
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str) -> SweepJob {
        SweepJob {
            job: crate::train::sweep::Job::of(&Link::parse(link).0.spec),
            row: None,
        }
    }

    /// Trains for about `ms` milliseconds (checked after every block of samples, so even
    /// a run of a large network returns in time); returns true when the run is scored.
    pub fn advance_for(&mut self, ms: f64) -> bool {
        if self.row.is_none() {
            self.row = self.job.advance_within(u64::MAX, &mut deadline(ms));
        }
        self.row.is_some()
    }

    /// How far the run is, from 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.row.is_some() {
            1.0
        } else {
            self.job.fraction()
        }
    }

    /// The run's row as JSON, once [`SweepJob::advance_for`] said it is done.
    pub fn row_json(&self) -> Option<String> {
        self.row
            .as_ref()
            .and_then(|r| serde_json::to_string(r).ok())
    }
}
