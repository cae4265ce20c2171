//! The web layer: the one module that talks to JavaScript. Two opaque handles, one role
//! each: a [`Trainer`] owns the experiment that trains (in the worker) and writes
//! [`Snapshot`]s; a [`Viewer`] owns what the page shows (the model of the latest
//! snapshot, the data's points, the view) and draws it. Links are read and written here,
//! by [`Link`]; the page only applies the result. No maths lives here: it calls the core
//! and the plot module.

use crate::experiment::Metrics;
use crate::history::History;
use crate::keys::Kind;
use crate::link::Link;
use crate::mixture::Temperature;
use crate::model::{Model, Precision};
use crate::plot::plane::{self, InputPlot, OutputPlot, Sampling, Scene};
use crate::plot::{self, Frame, LossPlot, MainPlot, View};
use crate::snapshot::Snapshot;
use crate::spec::{Data, Spec, KEYS};
use crate::Experiment;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

mod calibrate;
mod course;
mod figures;
mod split;
mod strokes;
pub use course::*;
pub use figures::*;
pub use split::BaselineTrainer;
pub use strokes::{HandTrainer, HandViewer};
use web_sys::HtmlCanvasElement;

/// The crate version, for the page's footer.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// One key of the form, as the page builds it: its kind decides the widget.
#[derive(Serialize)]
struct KeyRow {
    name: &'static str,
    /// `choice`, `int`, `float`, `widths`, `all-or-int`, `points`, ...
    kind: &'static str,
    /// The names of a choice.
    options: Vec<&'static str>,
    accepts: String,
    default: String,
    meaning: &'static str,
}

/// The spec's keys, one row each, to build the form (see [`crate::spec::KEYS`]).
#[wasm_bindgen]
pub fn spec_keys() -> Result<JsValue, JsValue> {
    let defaults = Spec::default();
    let rows: Vec<KeyRow> = KEYS
        .iter()
        .map(|k| KeyRow {
            name: k.name,
            kind: k.kind.name(),
            options: match k.kind {
                Kind::Choice(names) => names.to_vec(),
                _ => Vec::new(),
            },
            accepts: k.kind.accepts(),
            default: k.text(&defaults).unwrap_or_default(),
            meaning: k.meaning,
        })
        .collect();
    to_js(&rows)
}

/// The pathology lab as `[id, title, spec, shows, [fix label, fix spec]...]` rows.
#[wasm_bindgen]
pub fn presets() -> Result<JsValue, JsValue> {
    type Row<'a> = (&'a str, &'a str, &'a str, &'a str, Vec<[&'a str; 2]>);
    let rows: Vec<Row> = crate::lab::PRESETS
        .iter()
        .map(|p| {
            (
                p.id,
                p.title,
                p.spec,
                p.shows,
                p.fixes.iter().map(|f| [f.0, f.1]).collect(),
            )
        })
        .collect();
    to_js(&rows)
}

/// Reads points from CSV text (pasted or uploaded). Returns `{pts, count, cols,
/// skipped, skipped_count, dropped}` — `pts` is the link form for the spec — or throws a
/// message.
#[wasm_bindgen]
pub fn parse_points(text: &str) -> Result<JsValue, JsValue> {
    let p = crate::userdata::parse_csv(text).map_err(|e| JsValue::from_str(&e))?;
    if p.data.len() < crate::userdata::MIN_POINTS {
        let dropped = p.dropped();
        return Err(JsValue::from_str(&format!(
            "only {} usable point{}; at least {} are needed{}{dropped}",
            p.data.len(),
            if p.data.len() == 1 { "" } else { "s" },
            crate::userdata::MIN_POINTS,
            if dropped.is_empty() { "" } else { ". " },
        )));
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
        pts: crate::userdata::encode(&p.data),
        count: p.data.len(),
        cols: p.data.cols,
        dropped: p.dropped(),
        skipped: p.skipped,
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
    crate::userdata::LINK_LIMIT as u32
}

/// Draws a sweep report (as from `SweepRun::report_json`) on `canvas`.
#[wasm_bindgen]
pub fn draw_sweep(
    canvas: HtmlCanvasElement,
    scale: f64,
    report: &str,
    dark: bool,
) -> Result<(), JsValue> {
    let r: crate::sweep::Report = serde_json::from_str(report).map_err(js_err)?;
    let theme = plot::Theme { dark };
    on_canvas(canvas, Some(theme), |root| {
        plot::draw_sweep(root, &r, true, scale, theme)
    })
}

thread_local! {
    static PERFORMANCE: Option<web_sys::Performance> =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
            .ok()
            .and_then(|p| p.dyn_into::<web_sys::Performance>().ok());
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

/// The experiment that trains, in the worker.
#[wasm_bindgen]
pub struct Trainer {
    exp: Experiment,
    histories: [History; 3],
    metrics: Option<Metrics>,
    /// The lead's side when a helper worker trains the regressor (web/split.rs).
    lead: crate::split::Lead,
}

#[wasm_bindgen]
impl Trainer {
    /// The experiment of a link (its problems are the viewer's to show).
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str) -> Trainer {
        Trainer::of(Experiment::new(&Link::parse(hash).0.spec))
    }

    /// The experiment of a model file: its spec, with its parameters. Throws the reason
    /// when the file cannot be used.
    pub fn from_model(text: &str) -> Result<Trainer, JsValue> {
        let (spec, model) = model_file(text)?;
        Ok(Trainer::of(
            Experiment::with_model(&spec, model).map_err(js_err)?,
        ))
    }

    /// Trains for about `ms` milliseconds, at most `max_steps` steps; returns the steps
    /// completed. The time is checked after every block of samples, so a step longer than
    /// `ms` is split over several calls (0 steps completed in between).
    pub fn train_for(&mut self, ms: f64, max_steps: u32) -> u32 {
        let mut out_of_time = deadline(ms);
        let mut n = 0;
        while n < max_steps {
            if self.exp.train_within(1, &mut out_of_time) == 0 {
                break;
            }
            n += 1;
            self.histories[0].push(self.exp.step as f64, self.exp.last.nll);
            if out_of_time() {
                break;
            }
        }
        n
    }

    /// Runs `n` steps at once (for the benchmark); returns the last batch NLL.
    pub fn step(&mut self, n: u32) -> f64 {
        for _ in 0..n {
            self.exp.train_step();
        }
        self.exp.last.nll
    }

    /// Steps to train before the next scheduled measurement: a curve point
    /// ([`crate::history::curve_point`]) or a reading ([`Experiment::reading_at`]). The
    /// worker stops there and measures, so what the page shows depends on steps, not time.
    pub fn steps_to_due(&self) -> f64 {
        let (step, planned) = (self.exp.step, self.exp.spec.steps);
        let next = crate::history::next_curve_point(step, planned).min(self.exp.next_reading(step));
        (next - step) as f64
    }

    /// Whether this step is a scheduled measurement (the worker measures before going on).
    pub fn at_due(&self) -> bool {
        let (step, planned) = (self.exp.step, self.exp.spec.steps);
        crate::history::curve_point(step, planned) || self.exp.reading_at(step)
    }

    /// Works on the metrics for about `ms` milliseconds; true once they are fresh (they
    /// go into the next snapshot, and at a curve point into the validation histories).
    pub fn metrics_for(&mut self, ms: f64) -> bool {
        let Some(m) = self.exp.metrics_within(&mut deadline(ms)) else {
            return false;
        };
        let curve = crate::history::curve_point(m.step, self.exp.spec.steps);
        if curve
            && self.histories[1]
                .points
                .last()
                .is_none_or(|p| p.0 < m.step as f64)
        {
            self.histories[1].push(m.step as f64, m.val_nll);
            self.histories[2].push(m.step as f64, m.baseline_val_nll);
        }
        self.metrics = Some(m);
        true
    }

    /// Training stopped on a number that was not finite (the models were rolled back).
    pub fn halted(&self) -> bool {
        self.exp.halted.is_some()
    }

    /// Lets a halted run train again.
    pub fn resume(&mut self) {
        self.exp.resume();
    }

    /// The planned steps (`steps` of the spec) are done.
    pub fn done(&self) -> bool {
        self.exp.planned_done()
    }

    /// Steps still planned.
    pub fn steps_left(&self) -> f64 {
        self.exp.spec.steps.saturating_sub(self.exp.step) as f64
    }

    /// Train the MSE baseline alongside (default true). Off only to time the MDN alone,
    /// as the benchmark against TF.js does.
    pub fn set_train_baseline(&mut self, on: bool) {
        self.exp.train_baseline = on;
    }

    /// Where training stands, as bytes for the page's [`Viewer::apply`].
    pub fn snapshot(&self) -> Vec<u8> {
        let m = &self.exp.model;
        Snapshot {
            step: self.exp.step,
            planned: self.exp.spec.steps,
            halted: self.exp.halted.clone(),
            metrics: self.metrics.clone(),
            mdn: m.mdn.params.clone(),
            baseline: m.baseline.params.clone(),
            baseline_sigma: m.baseline_sigma.clone(),
            histories: self.histories.clone().map(|h| h.points),
        }
        .to_bytes()
    }
}

impl Trainer {
    fn of(exp: Experiment) -> Trainer {
        Trainer {
            exp,
            histories: Default::default(),
            metrics: None,
            lead: Default::default(),
        }
    }
}

/// A model file's spec and model, or the reason it cannot be shown by the page.
fn model_file(text: &str) -> Result<(Spec, Model<Precision>), JsValue> {
    let (model, spec_text) = Model::<Precision>::from_json(text).map_err(js_err)?;
    if model.din() > 2 || model.dout() > 2 {
        return Err(js_err(format!(
            "this model has {} input and {} output dimensions; the page shows models with \
             at most 2 of each (the command line takes any: mdn eval, mdn sample)",
            model.din(),
            model.dout()
        )));
    }
    Ok((Link::parse(&spec_text).0.spec, model))
}

/// What the page shows: the latest snapshot's models on the experiment's data, and the
/// view (the 2-D views' target, the sampling settings).
#[wasm_bindgen]
pub struct Viewer {
    link: Link,
    issues: Vec<String>,
    info: crate::dataset::DataInfo,
    model: Model<Precision>,
    /// The training points drawn (at most [`plot::MAX_POINTS`]).
    points: Vec<(f64, f64)>,
    /// Thinned training points of one input and one output (where drawing data starts
    /// from for a built-in set).
    train_points: Vec<(f64, f64)>,
    /// Every training point (one input and one output), for "Points as CSV".
    train_all: Vec<(f64, f64)>,
    snapshot: Snapshot,
    /// Colour range of the last heatmaps (main plot, output plane), for the colour bars.
    colour: (f64, f64),
    plane_colour: (f64, f64),
    sampling: Sampling,
    /// The input the 2-D views show (clamped to the data's input range).
    target: Vec<f64>,
    /// The scene at `target` for the current parameters, built on first use.
    scene: Option<Scene>,
    /// The system prefers dark colours (the page tells; a link's `theme=` overrides).
    system_dark: bool,
    /// The page is being printed: light paper whatever the theme.
    printing: bool,
    /// The calibration panel's work (one input and one output only).
    cal: calibrate::State,
    /// Snapshots taken (which parameters the main plot's intervals are brought to).
    params_seen: u64,
    /// The main plot's intervals, brought up to date a few columns per frame.
    track: plot::IntervalTrack,
}

/// The time the main plot's intervals may take in a frame: the rest follow in the next.
const INTERVALS_MS: f64 = 6.0;

#[wasm_bindgen]
impl Viewer {
    /// The view of a link. Never fails: problems in it are clamped or ignored and listed
    /// by `issues()` (plain text, for `textContent`).
    /// A link asking for `data=custom` without points takes `stored_csv` (the browser's
    /// kept set), so that a reload loses nothing; it is read only then.
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str, stored_csv: Option<String>) -> Viewer {
        let (link, issues) = Link::parse_with_points(hash, || stored_points(stored_csv));
        let exp = Experiment::new(&link.spec);
        Viewer::of(link, exp, issues.iter().map(|i| i.to_string()).collect())
    }

    /// Takes the view of a link to the same experiment (its target and sampling keys, its
    /// theme and tour step, checked and clamped); returns the problems found in it.
    pub fn apply_view(&mut self, hash: &str) -> Vec<String> {
        let (link, issues) = Link::parse(hash);
        self.link.theme = link.theme;
        self.link.tour = link.tour;
        let v = link.view;
        self.set_sampling(v.temp_pi, v.temp_sigma, v.samples as u32, v.mode);
        self.link.view.intervals = v.intervals;
        if let Some(t) = &v.target {
            self.set_target(t);
        }
        issues.iter().map(|i| i.to_string()).collect()
    }

    /// The view of a model file (its spec, its parameters); throws the reason when the
    /// file cannot be used.
    pub fn from_model(text: &str) -> Result<Viewer, JsValue> {
        let (spec, model) = model_file(text)?;
        let exp = Experiment::with_model(&spec, model).map_err(js_err)?;
        let link = Link {
            spec,
            ..Link::default()
        };
        Ok(Viewer::of(link, exp, Vec::new()))
    }

    /// Takes a snapshot from the trainer (bytes from [`Trainer::snapshot`]); false (and
    /// nothing changes) if it is not one for this experiment's shapes.
    pub fn apply(&mut self, bytes: &[u8]) -> bool {
        let Some(s) = Snapshot::from_bytes(bytes) else {
            return false;
        };
        let m = &mut self.model;
        if s.mdn.len() != m.mdn.params.len()
            || s.baseline.len() != m.baseline.params.len()
            || s.baseline_sigma.len() != m.baseline_sigma.len()
            || s.mdn.iter().chain(&s.baseline).any(|v| !v.is_finite())
        {
            return false;
        }
        m.mdn.params.copy_from_slice(&s.mdn);
        m.baseline.params.copy_from_slice(&s.baseline);
        m.baseline_sigma.clone_from(&s.baseline_sigma);
        self.snapshot = s;
        self.scene = None;
        self.params_seen += 1;
        true
    }

    /// Problems found in the link.
    pub fn issues(&self) -> Vec<String> {
        self.issues.clone()
    }

    /// The canonical spec.
    pub fn spec(&self) -> String {
        self.link.spec.format()
    }

    /// The link's text (after `#`): the spec, the view where it differs from the default,
    /// and with `page`, `play` and `embed` as the link had them.
    pub fn link(&self, page: bool) -> String {
        self.link.format(page)
    }

    /// The link of this experiment in an embed: the spec, `embed=1`, and how the link
    /// shapes the embed (`panels`, `controls`, `caption`, `lock`).
    pub fn embed_link(&self) -> String {
        let embed = Link {
            spec: self.link.spec.clone(),
            embed: true,
            panels: self.link.panels.clone(),
            controls: self.link.controls.clone(),
            caption: self.link.caption.clone(),
            lock: self.link.lock.clone(),
            theme: self.link.theme,
            tour: self.link.tour,
            ..Link::default()
        };
        embed.format(true)
    }

    /// The panels the embed shows, in order (`panels`; the main plot when none are given).
    pub fn panels(&self) -> Vec<String> {
        if self.link.panels.is_empty() {
            vec![crate::link::PANELS[0].to_string()]
        } else {
            self.link.panels.clone()
        }
    }

    /// The link chose the panels (an embed shaped by the link).
    pub fn shaped(&self) -> bool {
        !self.link.panels.is_empty() || self.link.controls.is_some()
    }

    /// The spec keys whose fields the embed shows (`controls`; none when not given).
    pub fn controls(&self) -> Vec<String> {
        self.link.controls.clone().unwrap_or_default()
    }

    /// The caption above the plot (plain text, for `textContent`).
    pub fn caption(&self) -> String {
        self.link.caption.clone()
    }

    /// The spec keys whose fields are greyed out (`lock`).
    pub fn locked(&self) -> Vec<String> {
        self.link.lock.clone()
    }

    /// The link asked to start training at once (`play`).
    pub fn play(&self) -> bool {
        self.link.play
    }

    /// The link asked for the embedded page (`embed`).
    pub fn embed(&self) -> bool {
        self.link.embed
    }

    /// The link of the spec with the form's `key=value` pairs in place of its keys. With
    /// `data=custom` and no points in the form, the points are this experiment's, else
    /// `stored_csv`'s (the browser's).
    pub fn link_from_form(&self, form: &str, stored_csv: Option<String>) -> String {
        let points = || {
            self.link
                .spec
                .points
                .clone()
                .or_else(|| stored_points(stored_csv))
        };
        let page = crate::link::page_keys();
        self.relink(Spec::parse_with_points(form, &page, points).0)
    }

    /// The link of this experiment on points `pts` (their link form) as `data=custom`.
    pub fn link_with_points(&self, pts: &str) -> String {
        let mut spec = self.link.spec.clone();
        spec.data = Data::Custom;
        spec.points = crate::userdata::decode(pts).ok();
        self.relink(Spec::parse_lenient(&spec.format(), &[]).0)
    }

    /// The link of this experiment with a fresh seed from the browser's cryptographic
    /// generator (getrandom), exact in JavaScript.
    pub fn link_with_new_seed(&self) -> Result<String, JsValue> {
        let mut b = [0u8; 8];
        getrandom::getrandom(&mut b).map_err(js_err)?;
        let mut spec = self.link.spec.clone();
        spec.seed = u64::from_le_bytes(b) % (crate::spec::SEED_MAX + 1);
        Ok(self.relink(spec))
    }

    /// The form's values: `[key, value]` for every key but the points.
    pub fn form(&self) -> Result<JsValue, JsValue> {
        let rows: Vec<[String; 2]> = KEYS
            .iter()
            .filter(|k| k.kind != Kind::Points)
            .map(|k| [k.name.to_string(), k.shown(&self.link.spec)])
            .collect();
        to_js(&rows)
    }

    /// The data set is the robot arm (its own views and labels).
    pub fn is_arm(&self) -> bool {
        self.link.spec.data == Data::Arm
    }

    /// What the components' family is for (plain text).
    pub fn family_note(&self) -> String {
        let note = crate::family::note(self.link.spec.family);
        match crate::dataset::angle_note(&self.link.spec) {
            Some(angles) => format!("{note} {angles}"),
            None => note.into(),
        }
    }

    /// The experiment trains on your own points.
    pub fn is_custom(&self) -> bool {
        self.link.spec.data == Data::Custom
    }

    /// The network's outputs: [mixing logits, means, scales (diagonal entries of the
    /// Cholesky factors), entries below the diagonal (full covariance), total].
    pub fn outputs(&self) -> Vec<u32> {
        let h = &self.model.head;
        let (k, kd) = (h.k as u32, (h.k * h.d) as u32);
        let off = (h.k * h.off_params()) as u32;
        vec![k, kd, kd, off, h.outputs() as u32]
    }

    /// [input dimensions, output dimensions].
    pub fn dims(&self) -> Vec<u32> {
        vec![self.info.din as u32, self.info.dout as u32]
    }

    /// What is special about the data set, in a sentence or two (plain text).
    pub fn data_note(&self) -> String {
        self.info.note.to_string()
    }

    /// Steps taken (of the latest snapshot), and planned.
    pub fn steps(&self) -> f64 {
        self.snapshot.step as f64
    }

    pub fn planned_steps(&self) -> f64 {
        self.link.spec.steps as f64
    }

    /// The planned steps are done.
    pub fn done(&self) -> bool {
        self.snapshot.done()
    }

    /// The latest metrics (the fields of `mdn train`'s final line), or `undefined`.
    pub fn metrics(&self) -> Result<JsValue, JsValue> {
        match &self.snapshot.metrics {
            Some(m) => to_js(m),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The diagnostics as the page shows them: `{summary, components, alarms}` (plain
    /// text), by the engine's own rule for a dead component.
    pub fn diagnostics(&self) -> Result<JsValue, JsValue> {
        let Some(m) = &self.snapshot.metrics else {
            return Ok(JsValue::UNDEFINED);
        };
        #[derive(Serialize)]
        struct Out {
            summary: String,
            components: String,
            alarms: Vec<String>,
        }
        let k = m.component_pi.len();
        let pis: Vec<String> = m
            .component_pi
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let dead = crate::experiment::is_dead(*p, &self.model.head);
                format!("{}: {p:.3}{}", i + 1, if dead { " dead" } else { "" })
            })
            .collect();
        let moved = if m.reinitialised > 0 {
            format!(" · {} dead components moved so far", m.reinitialised)
        } else {
            String::new()
        };
        to_js(&Out {
            summary: format!(
                "Components: {} of {k} alive · smallest σ in use {}{moved}",
                k - m.dead_components,
                significant(m.min_sigma, 3)
            ),
            components: format!("Average π per component: {}", pis.join(", ")),
            alarms: m.alarms.clone(),
        })
    }

    /// The model as JSON, in the CLI's model-file format.
    pub fn model_json(&self) -> String {
        self.model.to_json(&self.link.spec.format())
    }

    /// The loss histories as CSV: `step,series,nll` rows.
    pub fn history_csv(&self) -> String {
        let mut out = String::from("step,series,nll\n");
        let names = ["mdn_train_batch", "mdn_validation", "mse_validation"];
        for (name, v) in names.iter().zip(&self.snapshot.histories) {
            for (s, x) in v.iter() {
                out.push_str(&format!("{s},{name},{x}\n"));
            }
        }
        out
    }
}

/// `v` with `digits` significant digits, as JavaScript's `toPrecision` writes it.
fn significant(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let sci = format!("{:.*e}", digits - 1, v);
    let (mantissa, e) = sci.split_once('e').expect("exponent form");
    let e: i32 = e.parse().expect("an exponent");
    if e < -6 || e >= digits as i32 {
        return format!("{mantissa}e{}{}", if e < 0 { '-' } else { '+' }, e.abs());
    }
    let decimals = (digits as i32 - 1 - e).max(0) as usize;
    format!("{v:.decimals$}")
}

impl Viewer {
    fn of(link: Link, exp: Experiment, issues: Vec<String>) -> Viewer {
        let one = exp.info.din == 1 && exp.info.dout == 1;
        let exp_val = one.then(|| exp.val.clone());
        let (data, y_range, seed) = (exp.spec.data, exp.info.y_ranges[0], exp.spec.seed);
        let target = exp
            .info
            .clamp_input(link.view.target.as_deref().unwrap_or(&[]), &exp.info.target);
        let sampling = Sampling {
            temp: Temperature {
                pi: link.view.temp_pi,
                sigma: link.view.temp_sigma,
            },
            n: link.view.samples,
            mode: link.view.mode,
            ..Sampling::default()
        };
        let snapshot = Snapshot {
            planned: link.spec.steps,
            ..Snapshot::default()
        };
        Viewer {
            points: exp.train.view_points(plot::MAX_POINTS),
            train_points: if exp.info.din == 1 && exp.info.dout == 1 {
                exp.train.points(300)
            } else {
                Vec::new()
            },
            train_all: if exp.info.din == 1 && exp.info.dout == 1 {
                exp.train.points(exp.train.len())
            } else {
                Vec::new()
            },
            info: exp.info,
            model: exp.model,
            link,
            issues,
            snapshot,
            colour: (-8.0, 0.0),
            plane_colour: (-8.0, 0.0),
            sampling,
            target,
            scene: None,
            system_dark: false,
            printing: false,
            cal: calibrate::State::new(&exp_val, data, y_range, seed),
            params_seen: 0,
            track: Default::default(),
        }
    }

    /// The link of `spec` with this view.
    /// The slice's input (clamped to the plot's range; not a number: the middle), the
    /// mixture there and the MSE prediction.
    fn slice_at(&self, x0: f64) -> (f64, crate::mixture::Mixture, f64) {
        let v = self.view();
        let x0 = if x0.is_finite() {
            x0.clamp(v.x.0, v.x.1)
        } else {
            0.5 * (v.x.0 + v.x.1)
        };
        let mut ws = crate::network::Workspace::new(&self.model.mdn.sizes);
        let mixture = self.model.mixture(&[x0], &mut ws);
        let mut wsb = crate::network::Workspace::new(&self.model.baseline.sizes);
        let baseline = self.model.baseline_predict(&[x0], &mut wsb)[0];
        (x0, mixture, baseline)
    }

    /// The 90% intervals over x the main plot draws, when the toggle is on.
    fn intervals_shown(&self, curves: &plot::Curves) -> Option<plot::Intervals> {
        (self.link.view.intervals && self.info.dout == 1).then(|| plot::intervals(curves, 2))
    }

    /// The intervals the slice draws at its mixture, when the toggle is on.
    fn slice_intervals_shown(
        &self,
        mixture: &crate::mixture::Mixture,
    ) -> Option<plot::SliceIntervals> {
        self.link
            .view
            .intervals
            .then(|| plot::SliceIntervals::of(mixture))
            .flatten()
    }

    fn slice_plot<'a>(
        &'a self,
        x0: f64,
        mixture: &'a crate::mixture::Mixture,
        baseline: f64,
        scale: f64,
        intervals: Option<&'a plot::SliceIntervals>,
    ) -> plot::Slice<'a> {
        plot::Slice {
            x0,
            mixture,
            baseline,
            y: self.view().y,
            y_label: self.info.y_labels[0],
            text: true,
            scale,
            theme: self.theme(),
            intervals,
            circular: self.link.spec.data == Data::Wind,
        }
    }

    fn loss_plot(&self, scale: f64) -> LossPlot<'_> {
        let [train, val, baseline] = &self.snapshot.histories;
        LossPlot {
            train,
            val,
            baseline,
            bayes: self.info.bayes_nll,
            text: true,
            scale,
            theme: self.theme(),
        }
    }

    /// The plots' theme: the link's, else the system's.
    fn theme(&self) -> plot::Theme {
        plot::Theme {
            dark: !self.printing
                && match self.link.theme {
                    Some(t) => t == crate::link::Theme::Dark,
                    None => self.system_dark,
                },
        }
    }

    fn relink(&self, spec: Spec) -> String {
        Link {
            spec,
            ..self.link.clone()
        }
        .format(true)
    }

    fn view(&self) -> View {
        View::of(&self.info)
    }

    fn scene(&mut self) -> &Scene {
        if self.scene.is_none() {
            let arm = self.is_arm();
            self.scene = Some(Scene::new(&self.model, &self.target, self.sampling, arm));
        }
        self.scene.as_ref().expect("just built")
    }
}

/// Drawing: the main plot, its panels, the 2-D views.
#[wasm_bindgen]
impl Viewer {
    /// The p(y|x) heatmap at `w × h` cells over the main plot's view, as RGBA bytes.
    pub fn heatmap(&mut self, w: u32, h: u32) -> Vec<u8> {
        let (w, h) = (w.clamp(1, 1024) as usize, h.clamp(1, 1024) as usize);
        let grid = plot::log_density(&self.model, &self.view(), w, h);
        let (rgba, lo, hi) = plot::density_rgba(&grid);
        self.colour = (lo, hi);
        rgba
    }

    /// Draws one layer of the main plot on `canvas` (transparent): `live` = the curves and
    /// colour-scale numbers (every snapshot), otherwise the axes, labels, legend, data and
    /// colour bar (once per data set and size). Returns the plot area [x0, y0, x1, y1] in
    /// canvas pixels, where the heatmap goes.
    pub fn draw_main(
        &mut self,
        canvas: HtmlCanvasElement,
        scale: f64,
        legend: bool,
        live: bool,
    ) -> Result<Vec<i32>, JsValue> {
        let view = self.view();
        let curves = if live {
            plot::curves(&self.model, &view, 160)
        } else {
            plot::Curves {
                xs: Vec::new(),
                baseline: Vec::new(),
                mixtures: Vec::new(),
            }
        };
        let (samples, modes) = if live {
            plot::samples_and_modes(&self.model, &view, &curves, self.sampling)
        } else {
            (Vec::new(), Vec::new())
        };
        let shown = live && self.link.view.intervals && self.info.dout == 1;
        let intervals = shown.then(|| {
            let key = self.params_seen;
            self.track
                .update(key, &curves, 2, &mut deadline(INTERVALS_MS));
            self.track.intervals()
        });
        let p = MainPlot {
            intervals: intervals.as_ref(),
            frame: Frame::main(&self.info, legend, scale, plot::Layer::of(live))
                .themed(self.theme()),
            points: &self.points,
            curves: &curves,
            samples: &samples,
            modes: &modes,
            colour: self.colour,
        };
        let r = on_canvas(canvas, None, |root| plot::draw_main(root, &p))?;
        Ok(vec![r.0, r.1, r.2, r.3])
    }

    /// Whether the main plot's intervals are still being brought up to date (the page
    /// draws again in the next frame).
    pub fn intervals_pending(&self) -> bool {
        self.link.view.intervals && self.info.dout == 1 && !self.track.done()
    }

    /// The main plot's data range: [x0, x1, y0, y1].
    pub fn view_range(&self) -> Vec<f64> {
        let v = self.view();
        vec![v.x.0, v.x.1, v.y.0, v.y.1]
    }

    /// Draws π_k(x) and μ_k(x) ± σ_k(x) on `canvas`.
    pub fn draw_components(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<(), JsValue> {
        let curves = plot::curves(&self.model, &self.view(), 160);
        let theme = self.theme();
        on_canvas(canvas, Some(theme), |root| {
            plot::draw_components(root, &self.view(), &curves, true, scale, theme)
        })
    }

    /// Draws the slice p(y | x0) on `canvas` (x0 is clamped to the plot's range).
    pub fn draw_slice(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        x0: f64,
    ) -> Result<(), JsValue> {
        let (x0, mixture, baseline) = self.slice_at(x0);
        let iv = self.slice_intervals_shown(&mixture);
        let p = self.slice_plot(x0, &mixture, baseline, scale, iv.as_ref());
        on_canvas(canvas, Some(p.theme), |root| plot::draw_slice(root, &p))
    }

    /// Draws the loss panel on `canvas`.
    pub fn draw_loss(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<(), JsValue> {
        let p = self.loss_plot(scale);
        on_canvas(canvas, Some(p.theme), |root| plot::draw_loss(root, &p))
    }

    /// The output-plane heatmap (ln p(y1, y2 | target)) at `w × h` cells, as RGBA.
    pub fn plane_heatmap(&mut self, w: u32, h: u32) -> Vec<u8> {
        let (w, h) = (w.clamp(1, 1024) as usize, h.clamp(1, 1024) as usize);
        let view = View::outputs(&self.info);
        let intervals = self.link.view.intervals;
        let m = &self.scene().mixture;
        let (rgba, lo, hi) = if intervals {
            plane::density_rgba_hpd(m, &view, w, h, plot::INTERVAL_MASS)
        } else {
            plane::density_rgba(m, &view, w, h)
        };
        self.plane_colour = (lo, hi);
        rgba
    }

    /// Draws one layer of the input plane (static: axes and data; live: target, poses,
    /// legend). Returns [x0, y0, x1, y1] of the plot area in canvas pixels and the data
    /// range shown [vx0, vx1, vy0, vy1] (widened to keep the arm's proportions).
    pub fn draw_inputs(
        &mut self,
        canvas: HtmlCanvasElement,
        scale: f64,
        legend: bool,
        live: bool,
    ) -> Result<Vec<f64>, JsValue> {
        self.scene();
        let p = InputPlot {
            frame: Frame::inputs(&self.info, legend, scale, plot::Layer::of(live))
                .themed(self.theme()),
            equal_aspect: self.is_arm(),
            points: &self.points,
            scene: self.scene.as_ref().expect("built above"),
        };
        let (r, v) = on_canvas(canvas, None, |root| plane::draw_inputs(root, &p))?;
        Ok(vec![
            r.0 as f64, r.1 as f64, r.2 as f64, r.3 as f64, v.x.0, v.x.1, v.y.0, v.y.1,
        ])
    }

    /// Draws one layer of the output plane (static: axes and colour bar; live: ellipses,
    /// MSE prediction, samples, mode, colour-scale numbers). Returns the plot area.
    pub fn draw_outputs(
        &mut self,
        canvas: HtmlCanvasElement,
        scale: f64,
        legend: bool,
        live: bool,
    ) -> Result<Vec<i32>, JsValue> {
        self.scene();
        let p = OutputPlot {
            frame: Frame::outputs(&self.info, legend, scale, plot::Layer::of(live))
                .themed(self.theme()),
            scene: self.scene.as_ref().expect("built above"),
            colour: self.plane_colour,
        };
        let r = on_canvas(canvas, None, |root| plane::draw_outputs(root, &p))?;
        Ok(vec![r.0, r.1, r.2, r.3])
    }
}

/// The view: sampling, the 2-D views' target, your own points.
#[wasm_bindgen]
impl Viewer {
    /// Sets how the views sample the model: the temperatures of the mixing weights and
    /// of the scales (each clamped to [`Temperature::RANGE`]; not a number: 1), the number
    /// of samples (to the nearest the page offers) and whether to show the most probable
    /// point. The link's view follows.
    pub fn set_sampling(&mut self, temp_pi: f64, temp_sigma: f64, n: u32, mode: bool) {
        let text = format!(
            "tpi={temp_pi}&tsigma={temp_sigma}&samples={n}&mode={}",
            mode as u8
        );
        let view = Link::parse(&text).0.view;
        self.link.view = crate::link::View {
            target: self.link.view.target.take(),
            intervals: self.link.view.intervals,
            ..view
        };
        self.sampling.temp = Temperature {
            pi: view.temp_pi,
            sigma: view.temp_sigma,
        };
        self.sampling.n = view.samples;
        self.sampling.mode = view.mode;
        self.scene = None;
    }

    /// The sampling settings: [τ_π, τ_σ, samples, mode (0 or 1)].
    pub fn sampling(&self) -> Vec<f64> {
        let v = &self.link.view;
        vec![
            v.temp_pi,
            v.temp_sigma,
            v.samples as f64,
            v.mode as u8 as f64,
        ]
    }

    /// Moves the 2-D views' input to `x` (clamped to the data's input range; values that
    /// are not numbers keep the old ones) and returns where it went. The link's view
    /// follows.
    pub fn set_target(&mut self, x: &[f64]) -> Vec<f64> {
        self.target = self.info.clamp_input(x, &self.target);
        self.link.view.target = Some(self.target.iter().map(|t| round6(*t)).collect());
        self.scene = None;
        self.target.clone()
    }

    pub fn target(&self) -> Vec<f64> {
        self.target.clone()
    }

    /// What the 2-D views show at the target: π, means and covariances of the likely
    /// components, the MSE prediction, and for the arm each pose with its miss distance.
    pub fn target_report(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.scene().report())
    }

    /// `data=custom`: the points as CSV (empty for the built-in data sets).
    pub fn points_csv(&self) -> String {
        self.link
            .spec
            .points
            .as_ref()
            .map(|u| u.to_csv())
            .unwrap_or_default()
    }

    /// The points as CSV: your own, or the built-in set's training points.
    pub fn data_csv(&self) -> String {
        match self.points_csv() {
            own if !own.is_empty() => own,
            _ => {
                let mut out = String::from("x,y\n");
                for (x, y) in &self.train_all {
                    out.push_str(&format!("{x},{y}\n"));
                }
                out
            }
        }
    }

    /// Length of the `pts=` value in this experiment's link (0 without own points).
    pub fn pts_length(&self) -> u32 {
        self.link
            .spec
            .points
            .as_ref()
            .map_or(0, |u| crate::userdata::encode(u).len() as u32)
    }

    /// Where editing the data by hand starts from, as a flat [x, y, ...] array (one input
    /// and one output only; empty otherwise): with your own points, every one of them,
    /// the held-out fifth too, exactly; with a built-in data set, 300 of its training
    /// points, evenly thinned.
    pub fn edit_points(&self) -> Vec<f64> {
        match &self.link.spec.points {
            Some(u) if u.cols == 2 => u.values.clone(),
            Some(_) => Vec::new(),
            None => self.train_points.iter().flat_map(|p| [p.0, p.1]).collect(),
        }
    }
}

/// A target written in a link: 6 significant digits, as the page has always written it.
fn round6(v: f64) -> f64 {
    significant(v, 6).parse().unwrap_or(v)
}

/// The points of the browser's kept set (CSV), if it can be read.
fn stored_points(csv: Option<String>) -> Option<crate::userdata::UserData> {
    crate::userdata::parse_csv(&csv?).ok().map(|p| p.data)
}

/// A K sweep on the page: its runs go to a pool of sweep workers ([`SweepJob`]) and
/// their rows come back here (see [`crate::sweep`]).
#[wasm_bindgen]
pub struct SweepRun {
    sweep: crate::sweep::Sweep,
}

#[wasm_bindgen]
impl SweepRun {
    /// The sweep of the spec in `hash` over K = 1…k_max with `seeds` seeds (both
    /// clamped). Throws a message when it cannot be run (seeds beyond the largest seed).
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str, k_max: u32, seeds: u32) -> Result<SweepRun, JsValue> {
        let spec = Link::parse(hash).0.spec;
        Ok(SweepRun {
            sweep: crate::sweep::Sweep::new(&spec, 1, k_max as usize, seeds as u64)
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
        let row: crate::sweep::Row = serde_json::from_str(row).map_err(js_err)?;
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

/// One run of a K sweep, in a sweep worker (www/sweep-worker.js).
#[wasm_bindgen]
pub struct SweepJob {
    job: crate::sweep::Job,
    row: Option<crate::sweep::Row>,
}

#[wasm_bindgen]
impl SweepJob {
    /// The run of a link from [`SweepRun::job_links`].
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str) -> SweepJob {
        SweepJob {
            job: crate::sweep::Job::of(&Link::parse(link).0.spec),
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
