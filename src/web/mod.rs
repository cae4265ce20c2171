//! The web layer: the one module that talks to JavaScript. Two opaque handles, one role
//! each: a [`Trainer`] owns the experiment that trains (in the worker) and writes
//! [`Snapshot`]s; a [`Viewer`] owns what the page shows (the model of the latest
//! snapshot, the data's points, the view) and draws it. Links are read and written here,
//! by [`Link`]; the page only applies the result. No maths lives here: it calls the core
//! and the plot module.
//!
//! `trainer` holds the Trainer; `viewer` the Viewer (its link and state; drawing;
//! the view and your points), with what course pages need of it in `course`, every plot
//! as SVG in `figures`, the calibration panel's work in `calibrate`, each figure in
//! words in `words` and as a table in `tables`, the pages' languages in `lang`; `sweep` the
//! K sweep's handles; `helper` the regressor's worker and the Trainer's side of it;
//! `strokes` the handwriting page's HandTrainer and HandViewer; `writer` its
//! TextWriter (a synthesis network writes a typed text).

use crate::config::keys::Kind;
use crate::config::spec::{Spec, KEYS};
use crate::plot;
use crate::share::link::Link;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

mod calibrate;
mod course;
mod ensemble;
mod figures;
mod helper;
mod lang;
mod strokes;
mod sweep;
mod tables;
mod trainer;
mod viewer;
mod words;
mod writer;
pub use course::*;
pub use ensemble::MemberJob;
pub use figures::*;
pub use helper::BaselineTrainer;
pub use lang::*;
pub use strokes::{HandTrainer, HandViewer};
pub use sweep::{draw_sweep, SweepJob, SweepRun};
pub(crate) use sweep::{spec_link, spec_links};
pub use trainer::Trainer;
pub use viewer::Viewer;
pub use writer::TextWriter;

/// The crate version, for the page's footer.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}
/// One key of the form, as the page builds it: its kind decides the widget.
#[derive(Serialize)]
struct KeyRow {
    name: &'static str,
    /// What the form calls it, in plain words.
    label: &'static str,
    /// `choice`, `int`, `float`, `widths`, `all-or-int`, `points`, ...
    kind: &'static str,
    /// The names of a choice.
    options: Vec<&'static str>,
    accepts: String,
    default: String,
    meaning: &'static str,
}
/// The spec's keys, one row each, to build the form (see [`crate::config::spec::KEYS`]),
/// their words in language `lang` (`en`, `es`).
#[wasm_bindgen]
pub fn spec_keys(lang: &str) -> Result<JsValue, JsValue> {
    let lang = crate::lang::Lang::from_tags([lang]);
    let defaults = Spec::default();
    let rows: Vec<KeyRow> = KEYS
        .iter()
        .map(|k| KeyRow {
            name: k.name,
            label: lang.t(k.label()),
            kind: k.kind.name(),
            options: match k.kind {
                Kind::Choice(names) => names.to_vec(),
                _ => Vec::new(),
            },
            accepts: k.kind.accepts_in(lang),
            default: k.text(&defaults).unwrap_or_default(),
            meaning: lang.t(k.meaning),
        })
        .collect();
    to_js(&rows)
}
/// The pathology lab as `[id, title, spec, shows, [fix label, fix spec]...]` rows, its
/// words in language `lang`.
#[wasm_bindgen]
pub fn presets(lang: &str) -> Result<JsValue, JsValue> {
    let lang = crate::lang::Lang::from_tags([lang]);
    type Row<'a> = (&'a str, &'a str, &'a str, &'a str, Vec<[&'a str; 2]>);
    let rows: Vec<Row> = crate::share::lab::PRESETS
        .iter()
        .map(|p| {
            (
                p.id,
                lang.t(p.title),
                p.spec,
                lang.t(p.shows),
                p.fixes.iter().map(|f| [lang.t(f.0), f.1]).collect(),
            )
        })
        .collect();
    to_js(&rows)
}
/// Reads points from CSV text (pasted or uploaded). Returns `{pts, count, cols,
/// skipped, skipped_count, dropped}` — `pts` is the link form for the spec — or throws a
/// message.
/// Its messages are in language `lang` (`en`, `es`).
#[wasm_bindgen]
pub fn parse_points(text: &str, lang: &str) -> Result<JsValue, JsValue> {
    use crate::data::userdata::{parse_csv, MIN_POINTS, SAID};
    let lang = crate::lang::Lang::from_tags([lang]);
    let p = parse_csv(text).map_err(|e| JsValue::from_str(&lang.retell(&e, &[SAID])))?;
    if p.data.len() < MIN_POINTS {
        let least = MIN_POINTS.to_string();
        let mut said = match p.data.len() {
            1 => lang.fill("only 1 usable point; at least {0} are needed", &[&least]),
            n => lang.fill(
                "only {0} usable points; at least {1} are needed",
                &[&n.to_string(), &least],
            ),
        };
        let dropped = p.dropped_in(lang);
        if !dropped.is_empty() {
            said = format!("{said}. {dropped}");
        }
        return Err(JsValue::from_str(&said));
    }
    #[derive(Serialize)]
    struct Out {
        pts: String,
        count: usize,
        cols: usize,
        skipped: Vec<String>,
        skipped_count: usize,
        /// How many lines were dropped and why, in a sentence ("" if none were).
        dropped: String,
    }
    to_js(&Out {
        pts: crate::data::userdata::encode(&p.data),
        count: p.data.len(),
        cols: p.data.cols,
        dropped: p.dropped_in(lang),
        skipped: p.skipped.iter().map(|s| lang.retell(s, &[SAID])).collect(),
        skipped_count: p.skipped_count,
    })
}
/// Makes the engine trap, as a bug in it would: for the test that the page recovers
/// (a fresh engine, the experiment rebuilt from the link) instead of staying dead.
#[wasm_bindgen]
pub fn debug_trap() {
    panic!("debug_trap: a trap asked for by a test");
}
/// The canonical spec of a link (to tell whether a new link is another experiment).
#[wasm_bindgen]
pub fn link_spec(hash: &str) -> String {
    Link::parse(hash).0.spec.format()
}
/// The longest `pts=` a link the page offers may carry.
#[wasm_bindgen]
pub fn link_limit() -> u32 {
    crate::data::userdata::LINK_LIMIT as u32
}
/// Milliseconds from `performance.now()`, on the page or in a worker.
fn now_ms() -> f64 {
    PERFORMANCE.with(|p| p.as_ref().map_or_else(js_sys::Date::now, |p| p.now()))
}
/// A deadline `ms` from now, as the core's "out of time?" question.
fn deadline(ms: f64) -> impl FnMut() -> bool {
    let end = now_ms() + ms;
    move || now_ms() >= end
}
/// Draws on `canvas` with plotters (on the theme's paper first when `paper` is given, else
/// on what is there), then shows it: the one way the page's canvases are drawn.
fn on_canvas<R>(
    canvas: HtmlCanvasElement,
    paper: Option<plot::Theme>,
    draw: impl FnOnce(&DrawingArea<CanvasBackend, Shift>) -> Result<R, String>,
) -> Result<R, JsValue> {
    let root = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| js_err("no 2d context"))?
        .into_drawing_area();
    if let Some(theme) = paper {
        root.fill(&theme.paper()).map_err(js_err)?;
    }
    let r = draw(&root).map_err(js_err)?;
    root.present().map_err(js_err)?;
    Ok(r)
}
fn js_err(e: impl ToString) -> JsValue {
    JsValue::from_str(&e.to_string())
}
fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    serde_wasm_bindgen::to_value(v).map_err(js_err)
}

thread_local! {
    static PERFORMANCE: Option<web_sys::Performance> =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
            .ok()
            .and_then(|p| p.dyn_into::<web_sys::Performance>().ok());
}
