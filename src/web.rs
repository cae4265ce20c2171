//! The web layer: the one module that talks to JavaScript. An opaque handle owns the
//! experiment; the page calls it to train and to draw. No maths lives here: it calls the
//! core and the plot module.

use crate::mixture::Temperature;
use crate::plot::plane::{self, InputPlot, OutputPlot, Sampling, Scene};
use crate::plot::{self, Frame, History, LossPlot, MainPlot, View};
use crate::spec::{Spec, KEYS, PAGE_KEYS};
use crate::Experiment;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

/// The crate version, for the page's footer.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// The spec keys as `[key, accepts, default, meaning]` rows, to build the form.
#[wasm_bindgen]
pub fn spec_keys() -> Result<JsValue, JsValue> {
    let rows: Vec<[&str; 4]> = KEYS
        .iter()
        .map(|k| [k.key, k.accepts, k.default, k.meaning])
        .collect();
    serde_wasm_bindgen::to_value(&rows).map_err(|e| JsValue::from_str(&e.to_string()))
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
    serde_wasm_bindgen::to_value(&rows).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Reads points from CSV text (pasted or uploaded). Returns `{pts, count, cols,
/// skipped, skipped_count, dropped}` — `pts` is the link form for the spec — or throws a message.
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
    #[derive(serde::Serialize)]
    struct Out {
        pts: String,
        count: usize,
        cols: usize,
        skipped: Vec<String>,
        skipped_count: usize,
        /// How many lines were dropped and why, in a sentence ("" if none were).
        dropped: String,
    }
    serde_wasm_bindgen::to_value(&Out {
        pts: crate::userdata::encode(&p.data),
        count: p.data.len(),
        cols: p.data.cols,
        dropped: p.dropped(),
        skipped: p.skipped,
        skipped_count: p.skipped_count,
    })
    .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Makes the engine trap, as a bug in it would: for the test that the page recovers
/// (a fresh engine, the experiment rebuilt from the link) instead of staying dead.
#[wasm_bindgen]
pub fn debug_trap() {
    panic!("debug_trap: a trap asked for by a test");
}

/// The longest `pts=` a link the page offers may carry.
#[wasm_bindgen]
pub fn link_limit() -> u32 {
    crate::userdata::LINK_LIMIT as u32
}

/// A fresh random seed from the browser's cryptographic generator (getrandom), within
/// the spec's range and exact in JavaScript.
#[wasm_bindgen]
pub fn new_seed() -> Result<f64, JsValue> {
    let mut b = [0u8; 8];
    getrandom::getrandom(&mut b).map_err(js_err)?;
    Ok((u64::from_le_bytes(b) % (crate::spec::SEED_MAX + 1)) as f64)
}

/// Keys of the URL hash that belong to the page, not to the experiment.
#[wasm_bindgen]
pub fn page_keys() -> Vec<String> {
    PAGE_KEYS.iter().map(|k| k.to_string()).collect()
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

/// A plotters drawing area on a canvas element.
fn area(
    canvas: HtmlCanvasElement,
) -> Result<DrawingArea<CanvasBackend, plotters::coord::Shift>, JsValue> {
    Ok(CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| js_err("no 2d context"))?
        .into_drawing_area())
}

fn js_err(e: impl ToString) -> JsValue {
    JsValue::from_str(&e.to_string())
}

/// An experiment owned by the page.
#[wasm_bindgen]
pub struct Playground {
    exp: Experiment,
    issues: Vec<String>,
    /// Training points to draw (x, y), at most 2000.
    points: Vec<(f64, f64)>,
    train_hist: History,
    val_hist: History,
    base_hist: History,
    /// Colour range of the last heatmap, for the colour bar.
    colour: (f64, f64),
    /// The step of the last snapshot shown (on the page's drawing copy).
    shown_step: f64,
    /// How the views sample the model.
    sampling: Sampling,
    /// The input the 2-D views show (clamped to the data's input range).
    target: Vec<f64>,
    /// The scene at `target` for the current parameters, built on first use.
    scene: Option<Scene>,
    /// Colour range of the last output-plane heatmap.
    plane_colour: (f64, f64),
}

#[wasm_bindgen]
impl Playground {
    /// Builds the experiment of a share-link hash. Never fails: problems in the hash are
    /// clamped or ignored and listed by `issues()` (plain text, for `textContent`).
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str) -> Playground {
        let (spec, issues) = Spec::parse_lenient(hash, PAGE_KEYS);
        Playground::with_spec(&spec, issues.iter().map(|i| i.to_string()).collect())
    }

    /// An experiment from a model file (the CLI's format): the file's spec, with the
    /// file's parameters in place of fresh ones. The error says what is wrong with the file.
    pub fn from_model(text: &str) -> Result<Playground, JsValue> {
        let (model, spec_text) = crate::model::Model::<f32>::from_json(text).map_err(js_err)?;
        if model.din() > 2 || model.dout() > 2 {
            return Err(js_err(format!(
                "this model has {} input and {} output dimensions; the page shows models with \
                 at most 2 of each (the command line takes any: mdn eval, mdn sample)",
                model.din(),
                model.dout()
            )));
        }
        let (spec, issues) = Spec::parse_lenient(&spec_text, PAGE_KEYS);
        let mut pg = Playground::with_spec(
            &spec,
            issues.iter().map(|i| format!("model file: {i}")).collect(),
        );
        let m = &pg.exp.model;
        if model.mdn.sizes != m.mdn.sizes
            || model.baseline.sizes != m.baseline.sizes
            || model.head != m.head
            || model.mdn.act != m.mdn.act
        {
            return Err(js_err(
                "the model's layers do not match the spec stored in the file",
            ));
        }
        pg.exp.model = model;
        let m = pg.exp.metrics();
        if pg.exp.halted.is_some() || !(m.train_nll.is_finite() && m.val_nll.is_finite()) {
            return Err(js_err(
                "the model's loss on the data of its spec is not a finite number: its \
                 numbers do not fit that data",
            ));
        }
        Ok(pg)
    }

    /// The model as JSON, in the CLI's model-file format.
    pub fn model_json(&self) -> String {
        self.exp.model.to_json(&self.exp.spec.format())
    }

    /// The loss histories as CSV: `step,series,nll` rows.
    pub fn history_csv(&self) -> String {
        let mut out = String::from("step,series,nll\n");
        for (name, v) in [
            ("mdn_train_batch", &self.train_hist.points),
            ("mdn_validation", &self.val_hist.points),
            ("mse_validation", &self.base_hist.points),
        ] {
            for (s, x) in v.iter() {
                out.push_str(&format!("{s},{name},{x}\n"));
            }
        }
        out
    }
}

impl Playground {
    fn with_spec(spec: &Spec, issues: Vec<String>) -> Playground {
        let exp = Experiment::new(spec);
        let points = exp.train.view_points(plot::MAX_POINTS);
        let target = exp.info.target.to_vec();
        Playground {
            sampling: Sampling::default(),
            target,
            scene: None,
            plane_colour: (-8.0, 0.0),
            exp,
            issues,
            points,
            train_hist: History::default(),
            val_hist: History::default(),
            base_hist: History::default(),
            colour: (-8.0, 0.0),
            shown_step: 0.0,
        }
    }
}

#[wasm_bindgen]
impl Playground {
    /// Problems found in the hash.
    pub fn issues(&self) -> Vec<String> {
        self.issues.clone()
    }

    /// The canonical spec (for the URL hash).
    pub fn spec(&self) -> String {
        self.exp.spec.format()
    }

    /// The steps a run is planned for (`steps` in the spec).
    pub fn planned_steps(&self) -> f64 {
        self.exp.spec.steps as f64
    }

    /// The network's outputs: [mixing logits, means, scales (diagonal entries of the
    /// Cholesky factors), entries below the diagonal (full covariance), total].
    pub fn outputs(&self) -> Vec<u32> {
        let h = &self.exp.model.head;
        let (k, kd) = (h.k as u32, (h.k * h.d) as u32);
        let off = (h.k * h.off_params()) as u32;
        vec![k, kd, kd, off, h.outputs() as u32]
    }

    /// Runs `n` training steps; returns the last step's batch NLL.
    pub fn step(&mut self, n: u32) -> f64 {
        for _ in 0..n {
            self.one_step();
        }
        self.exp.last.nll
    }

    /// Trains for about `ms` milliseconds, at most `max_steps` steps; returns the number
    /// of steps completed. The time is checked after every block of samples, so a step
    /// longer than `ms` is split over several calls (0 steps completed in between): the
    /// caller gets control back within about `ms` whatever the network's size.
    pub fn train_for(&mut self, ms: f64, max_steps: u32) -> u32 {
        let mut out_of_time = deadline(ms);
        let mut n = 0;
        while n < max_steps {
            if self.exp.train_within(1, &mut out_of_time) == 0 {
                break;
            }
            n += 1;
            self.scene = None;
            self.train_hist
                .push(self.exp.step as f64, self.exp.last.nll);
            if out_of_time() {
                break;
            }
        }
        n
    }

    fn one_step(&mut self) {
        self.scene = None;
        let l = self.exp.train_step();
        self.train_hist.push(self.exp.step as f64, l.nll);
    }

    /// The metrics, computed for about `ms` milliseconds at a time: `undefined` until
    /// they are done (call again), then as [`Playground::metrics`].
    pub fn metrics_for(&mut self, ms: f64) -> Result<JsValue, JsValue> {
        match self.exp.metrics_within(&mut deadline(ms)) {
            Some(m) => self.record_metrics(m),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Why training stopped, if a step gave a number that is not finite (the models were
    /// rolled back to the step before); empty otherwise.
    pub fn halted(&self) -> String {
        self.exp.halted.clone().unwrap_or_default()
    }

    /// Lets a halted run train again.
    pub fn resume(&mut self) {
        self.exp.resume();
    }

    /// Train the MSE baseline alongside (default true). Off only to time the MDN alone,
    /// as the benchmark against TF.js does.
    pub fn set_train_baseline(&mut self, on: bool) {
        self.exp.train_baseline = on;
    }

    /// Steps taken so far (on a drawing copy: the step of the last snapshot).
    pub fn steps(&self) -> f64 {
        (self.exp.step as f64).max(self.shown_step)
    }

    /// The metrics, with the same fields as the CLI's final line (also recorded for the
    /// loss panel).
    pub fn metrics(&mut self) -> Result<JsValue, JsValue> {
        let m = self.exp.metrics();
        self.record_metrics(m)
    }
}

impl Playground {
    fn record_metrics(&mut self, m: crate::Metrics) -> Result<JsValue, JsValue> {
        if self
            .val_hist
            .points
            .last()
            .is_none_or(|p| p.0 < m.step as f64)
        {
            self.val_hist.push(m.step as f64, m.val_nll);
            self.base_hist.push(m.step as f64, m.baseline_val_nll);
        }
        serde_wasm_bindgen::to_value(&m).map_err(js_err)
    }
}

#[wasm_bindgen]
impl Playground {
    /// The MDN's parameters (to send a snapshot from the training worker to the page).
    pub fn mdn_params(&self) -> Vec<f32> {
        self.exp.model.mdn.params.clone()
    }

    /// The baseline's parameters, and its fitted noise scale last.
    pub fn baseline_params(&self) -> Vec<f32> {
        let mut v = self.exp.model.baseline.params.clone();
        v.extend(self.exp.model.baseline_sigma.iter().map(|s| *s as f32));
        v
    }

    /// Takes a snapshot from the training worker: both models' parameters (as from
    /// `mdn_params` and `baseline_params` of an experiment with the same spec), the step,
    /// and the loss histories as flat [step, value, ...] arrays. Ignored if the shapes differ.
    pub fn set_snapshot(
        &mut self,
        mdn: &[f32],
        baseline: &[f32],
        step: f64,
        train: &[f64],
        val: &[f64],
        base: &[f64],
    ) -> bool {
        let m = &mut self.exp.model;
        let nb = m.baseline.params.len();
        if mdn.len() != m.mdn.params.len()
            || baseline.len() != nb + m.baseline_sigma.len()
            || mdn.iter().chain(baseline).any(|v| !v.is_finite())
        {
            return false;
        }
        m.mdn.params.copy_from_slice(mdn);
        m.baseline.params.copy_from_slice(&baseline[..nb]);
        m.baseline_sigma = baseline[nb..].iter().map(|v| *v as f64).collect();
        self.shown_step = step;
        self.scene = None;
        let pairs = |v: &[f64]| {
            v.chunks_exact(2)
                .map(|c| (c[0], c[1]))
                .filter(|p| p.1.is_finite())
                .collect::<Vec<_>>()
        };
        self.train_hist.points = pairs(train);
        self.val_hist.points = pairs(val);
        self.base_hist.points = pairs(base);
        true
    }

    /// The loss histories as flat [step, value, ...] arrays: training batches, validation,
    /// baseline validation (index 0, 1, 2).
    pub fn history(&self, which: u32) -> Vec<f64> {
        let v: &[(f64, f64)] = match which {
            0 => &self.train_hist.points,
            1 => &self.val_hist.points,
            _ => &self.base_hist.points,
        };
        v.iter().flat_map(|p| [p.0, p.1]).collect()
    }

    /// The p(y|x) heatmap at `w × h` cells over the main plot's view, as RGBA bytes.
    pub fn heatmap(&mut self, w: u32, h: u32) -> Vec<u8> {
        let (w, h) = (w.clamp(1, 1024) as usize, h.clamp(1, 1024) as usize);
        let grid = plot::log_density(&self.exp.model, &self.view(), w, h);
        let (rgba, lo, hi) = plot::density_rgba(&grid);
        self.colour = (lo, hi);
        rgba
    }

    fn main_plot<'a>(
        &'a self,
        curves: &'a plot::Curves,
        samples: &'a [(f64, f64)],
        modes: &'a [(f64, f64)],
        points: &'a [(f64, f64)],
        scale: f64,
        legend: bool,
        layer: plot::Layer,
    ) -> MainPlot<'a> {
        MainPlot {
            frame: Frame::main(&self.exp.info, legend, scale, layer),
            points,
            curves,
            samples,
            modes,
            colour: self.colour,
        }
    }

    fn view(&self) -> View {
        View::of(&self.exp.info)
    }

    /// Draws one layer of the main plot on `canvas` (transparent): `live` = the curves and
    /// colour-scale numbers (every snapshot), otherwise the axes, labels, legend, data and
    /// colour bar (once per data set and size). Returns the plot area [x0, y0, x1, y1] in
    /// canvas pixels, where the heatmap goes.
    pub fn draw_main(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        legend: bool,
        live: bool,
    ) -> Result<Vec<i32>, JsValue> {
        let root = area(canvas)?;
        let curves = if live {
            plot::curves(&self.exp.model, &self.view(), 160)
        } else {
            plot::Curves {
                xs: Vec::new(),
                baseline: Vec::new(),
                mixtures: Vec::new(),
            }
        };
        let layer = plot::Layer::of(live);
        let (samples, modes) = if live {
            plot::samples_and_modes(&self.exp.model, &self.view(), &curves, self.sampling)
        } else {
            (Vec::new(), Vec::new())
        };
        let p = self.main_plot(
            &curves,
            &samples,
            &modes,
            &self.points,
            scale,
            legend,
            layer,
        );
        let r = plot::draw_main(&root, &p).map_err(js_err)?;
        root.present().map_err(js_err)?;
        Ok(vec![r.0, r.1, r.2, r.3])
    }

    /// The main plot's data range: [x0, x1, y0, y1].
    pub fn view_range(&self) -> Vec<f64> {
        let v = self.view();
        vec![v.x.0, v.x.1, v.y.0, v.y.1]
    }

    /// Draws π_k(x) and μ_k(x) ± σ_k(x) on `canvas`.
    pub fn draw_components(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<(), JsValue> {
        let root = area(canvas)?;
        root.fill(&WHITE).map_err(js_err)?;
        let curves = plot::curves(&self.exp.model, &self.view(), 160);
        plot::draw_components(&root, &self.view(), &curves, true, scale).map_err(js_err)?;
        root.present().map_err(js_err)?;
        Ok(())
    }

    /// Draws the slice p(y | x0) on `canvas` (x0 is clamped to the plot's range).
    pub fn draw_slice(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        x0: f64,
    ) -> Result<(), JsValue> {
        let v = self.view();
        let x0 = if x0.is_finite() {
            x0.clamp(v.x.0, v.x.1)
        } else {
            0.5 * (v.x.0 + v.x.1)
        };
        let root = area(canvas)?;
        root.fill(&WHITE).map_err(js_err)?;
        let mut ws = crate::network::Workspace::new(&self.exp.model.mdn.sizes);
        let mixture = self.exp.model.mixture(&[x0], &mut ws);
        let mut wsb = crate::network::Workspace::new(&self.exp.model.baseline.sizes);
        let baseline = self.exp.model.baseline_predict(&[x0], &mut wsb)[0];
        let p = plot::Slice {
            x0,
            mixture: &mixture,
            baseline,
            y: v.y,
            y_label: self.exp.info.y_labels[0],
            text: true,
            scale,
        };
        plot::draw_slice(&root, &p).map_err(js_err)?;
        root.present().map_err(js_err)?;
        Ok(())
    }

    /// Draws the loss panel on `canvas`.
    pub fn draw_loss(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<(), JsValue> {
        let root = area(canvas)?;
        root.fill(&WHITE).map_err(js_err)?;
        let p = LossPlot {
            train: &self.train_hist.points,
            val: &self.val_hist.points,
            baseline: &self.base_hist.points,
            bayes: self.exp.info.bayes_nll,
            text: true,
            scale,
        };
        plot::draw_loss(&root, &p).map_err(js_err)?;
        root.present().map_err(js_err)?;
        Ok(())
    }
}

/// The sampling controls and the views of two-dimensional outputs.
#[wasm_bindgen]
impl Playground {
    /// `data=custom`: the points as CSV (empty for the built-in data sets).
    pub fn points_csv(&self) -> String {
        self.exp
            .spec
            .points
            .as_ref()
            .map(|u| u.to_csv())
            .unwrap_or_default()
    }

    /// Length of the `pts=` value in this experiment's link (0 without own points).
    pub fn pts_length(&self) -> u32 {
        self.exp
            .spec
            .points
            .as_ref()
            .map_or(0, |u| crate::userdata::encode(u).len() as u32)
    }

    /// Where editing the data by hand starts from, as a flat [x, y, ...] array (one input
    /// and one output only; empty otherwise): with your own points, every one of them,
    /// the held-out fifth too, exactly; with a built-in data set, up to `max` of its
    /// training points, evenly thinned.
    pub fn edit_points(&self, max: u32) -> Vec<f64> {
        match &self.exp.spec.points {
            Some(u) if u.cols == 2 => u.values.clone(),
            Some(_) => Vec::new(),
            None => self.train_points(max),
        }
    }

    /// Up to `max` training points (x, y) as a flat array, evenly thinned (one input and
    /// one output only; empty otherwise).
    pub fn train_points(&self, max: u32) -> Vec<f64> {
        if self.exp.info.din != 1 || self.exp.info.dout != 1 {
            return Vec::new();
        }
        self.exp
            .train
            .points(max as usize)
            .into_iter()
            .flat_map(|(x, y)| [x, y])
            .collect()
    }

    /// What is special about the data set, in a sentence or two (plain text).
    pub fn data_note(&self) -> String {
        self.exp.info.note.to_string()
    }

    /// [input dimensions, output dimensions].
    pub fn dims(&self) -> Vec<u32> {
        vec![self.exp.info.din as u32, self.exp.info.dout as u32]
    }

    /// Sets how the views sample the model: the temperatures of the mixing weights and
    /// of the scales (each clamped to 0..10; not a number: 1), the number of samples
    /// (at most 2000; 0: none) and whether to show the most probable point.
    pub fn set_sampling(&mut self, temp_pi: f64, temp_sigma: f64, n: u32, mode: bool) {
        let t = |v: f64| {
            if v.is_finite() {
                v.clamp(Temperature::RANGE.0, Temperature::RANGE.1)
            } else {
                1.0
            }
        };
        self.sampling = Sampling {
            temp: Temperature {
                pi: t(temp_pi),
                sigma: t(temp_sigma),
            },
            n: (n as usize).min(plane::SAMPLES_MAX),
            mode,
            seed: self.sampling.seed,
        };
        self.scene = None;
    }

    /// Moves the 2-D views' input to `x` (clamped to the data's input range; values that
    /// are not numbers keep the old ones) and returns where it went.
    pub fn set_target(&mut self, x: &[f64]) -> Vec<f64> {
        self.target = self.exp.info.clamp_input(x, &self.target);
        self.scene = None;
        self.target.clone()
    }

    pub fn target(&self) -> Vec<f64> {
        self.target.clone()
    }

    /// What the 2-D views show at the target: π, means and covariances of the likely
    /// components, the MSE prediction, and for the arm each pose with its miss distance.
    pub fn target_report(&mut self) -> Result<JsValue, JsValue> {
        serde_wasm_bindgen::to_value(&self.scene().report()).map_err(js_err)
    }

    /// The output-plane heatmap (ln p(y1, y2 | target)) at `w × h` cells, as RGBA.
    pub fn plane_heatmap(&mut self, w: u32, h: u32) -> Vec<u8> {
        let (w, h) = (w.clamp(1, 1024) as usize, h.clamp(1, 1024) as usize);
        let view = self.out_view();
        let (rgba, lo, hi) = plane::density_rgba(&self.scene().mixture, &view, w, h);
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
        let root = area(canvas)?;
        self.scene();
        let p = InputPlot {
            frame: Frame::inputs(&self.exp.info, legend, scale, plot::Layer::of(live)),
            equal_aspect: self.exp.spec.data == crate::spec::Data::Arm,
            points: &self.points,
            scene: self.scene.as_ref().expect("built above"),
        };
        let (r, v) = plane::draw_inputs(&root, &p).map_err(js_err)?;
        root.present().map_err(js_err)?;
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
        let root = area(canvas)?;
        self.scene();
        let p = OutputPlot {
            frame: Frame::outputs(&self.exp.info, legend, scale, plot::Layer::of(live)),
            scene: self.scene.as_ref().expect("built above"),
            colour: self.plane_colour,
        };
        let r = plane::draw_outputs(&root, &p).map_err(js_err)?;
        root.present().map_err(js_err)?;
        Ok(vec![r.0, r.1, r.2, r.3])
    }
}

impl Playground {
    fn scene(&mut self) -> &Scene {
        if self.scene.is_none() {
            let arm = self.exp.spec.data == crate::spec::Data::Arm;
            self.scene = Some(Scene::new(
                &self.exp.model,
                &self.target,
                self.sampling,
                arm,
            ));
        }
        self.scene.as_ref().expect("just built")
    }

    fn out_view(&self) -> View {
        View::outputs(&self.exp.info)
    }
}

/// A K sweep, run by the training worker in slices (see [`crate::sweep`]).
#[wasm_bindgen]
pub struct SweepRun {
    sweep: crate::sweep::Sweep,
}

#[wasm_bindgen]
impl SweepRun {
    /// The sweep of the spec in `hash` over K = 1…k_max with `seeds` seeds (both clamped).
    /// Throws a message when the sweep cannot be run (seeds beyond the largest seed).
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str, k_max: u32, seeds: u32) -> Result<SweepRun, JsValue> {
        let (spec, _) = Spec::parse_lenient(hash, PAGE_KEYS);
        Ok(SweepRun {
            sweep: crate::sweep::Sweep::new(&spec, 1, k_max as usize, seeds as u64)
                .map_err(js_err)?,
        })
    }

    /// Trains for about `ms` milliseconds (checked after every block of samples, so even
    /// a sweep of large networks returns in time); returns true when the sweep is done.
    pub fn advance_for(&mut self, ms: f64) -> bool {
        let mut out_of_time = deadline(ms);
        loop {
            if self.sweep.advance_within(u64::MAX, &mut out_of_time) {
                return true;
            }
            if out_of_time() {
                return false;
            }
        }
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

/// Draws a sweep report (as from `SweepRun::report_json`) on `canvas`.
#[wasm_bindgen]
pub fn draw_sweep(canvas: HtmlCanvasElement, scale: f64, report: &str) -> Result<(), JsValue> {
    let r: crate::sweep::Report = serde_json::from_str(report).map_err(js_err)?;
    let root = area(canvas)?;
    root.fill(&WHITE).map_err(js_err)?;
    plot::draw_sweep(&root, &r, true, scale).map_err(js_err)?;
    root.present().map_err(js_err)?;
    Ok(())
}
