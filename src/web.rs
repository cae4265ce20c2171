//! The web layer: the one module that talks to JavaScript. An opaque handle owns the
//! experiment; the page calls it to train and to draw. No maths lives here: it calls the
//! core and the plot module.

use crate::dataset::Dataset;
use crate::plot::{self, History, LossPlot, MainPlot, View};
use crate::spec::{Spec, KEYS};
use crate::Experiment;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The crate version, for the page's footer.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// The spec keys as `[key, accepts, default, meaning]` rows, to build the form.
#[wasm_bindgen]
pub fn spec_keys() -> Result<JsValue, JsValue> {
    let rows: Vec<[&str; 4]> = KEYS.iter().map(|k| [k.key, k.accepts, k.default, k.meaning]).collect();
    serde_wasm_bindgen::to_value(&rows).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Keys of the URL hash that belong to the page, not to the experiment.
const PAGE_KEYS: &[&str] = &["play", "embed"];

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
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
    val_hist: Vec<(f64, f64)>,
    base_hist: Vec<(f64, f64)>,
    /// Colour range of the last heatmap, for the colour bar.
    colour: (f64, f64),
}

fn points_of(data: &Dataset) -> Vec<(f64, f64)> {
    let n = data.len();
    let every = n.div_ceil(2000).max(1);
    (0..n).step_by(every).map(|i| (data.x[[0, i]], data.y[[0, i]])).collect()
}

#[wasm_bindgen]
impl Playground {
    /// Builds the experiment of a share-link hash. Never fails: problems in the hash are
    /// clamped or ignored and listed by `issues()` (plain text, for `textContent`).
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str) -> Playground {
        let (spec, issues) = Spec::parse_lenient(hash, PAGE_KEYS);
        let exp = Experiment::new(&spec);
        let points = points_of(&exp.train);
        Playground {
            exp,
            issues: issues.iter().map(|i| i.to_string()).collect(),
            points,
            train_hist: History::default(),
            val_hist: Vec::new(),
            base_hist: Vec::new(),
            colour: (-8.0, 0.0),
        }
    }

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

    /// The network's outputs: [mixing logits, means, scales, total].
    pub fn outputs(&self) -> Vec<u32> {
        let h = &self.exp.model.head;
        let (k, kd) = (h.k as u32, (h.k * h.d) as u32);
        vec![k, kd, kd, h.outputs() as u32]
    }

    /// Runs `n` training steps; returns the last step's batch NLL.
    pub fn step(&mut self, n: u32) -> f64 {
        for _ in 0..n {
            self.one_step();
        }
        self.exp.last.nll
    }

    /// Trains for about `ms` milliseconds (at least one step, at most `max_steps`);
    /// returns the number of steps taken.
    pub fn train_for(&mut self, ms: f64, max_steps: u32) -> u32 {
        let t0 = now_ms();
        let mut n = 0;
        while n < max_steps.max(1) {
            self.one_step();
            n += 1;
            if now_ms() - t0 >= ms {
                break;
            }
        }
        n
    }

    fn one_step(&mut self) {
        let l = self.exp.train_step();
        self.train_hist.push(self.exp.step as f64, l.nll);
    }

    /// Steps taken so far.
    pub fn steps(&self) -> f64 {
        self.exp.step as f64
    }

    /// The metrics, with the same fields as the CLI's final line (also recorded for the
    /// loss panel).
    pub fn metrics(&mut self) -> Result<JsValue, JsValue> {
        let m = self.exp.metrics();
        if self.val_hist.last().map_or(true, |p| p.0 < m.step as f64) {
            self.val_hist.push((m.step as f64, m.val_nll));
            self.base_hist.push((m.step as f64, m.baseline_val_nll));
        }
        serde_wasm_bindgen::to_value(&m).map_err(js_err)
    }

    /// The p(y|x) heatmap at `w × h` cells over the main plot's view, as RGBA bytes.
    pub fn heatmap(&mut self, w: u32, h: u32) -> Vec<u8> {
        let (w, h) = (w.clamp(1, 1024) as usize, h.clamp(1, 1024) as usize);
        let grid = plot::log_density(&self.exp.model, &self.view(), w, h);
        let (rgba, lo, hi) = plot::density_rgba(&grid);
        self.colour = (lo, hi);
        rgba
    }

    fn view(&self) -> View {
        View { x: self.exp.info.x_range, y: self.exp.info.y_range }
    }

    /// Draws the main plot's axes, data and curves on `canvas` (transparent, over the
    /// heatmap); returns the plot area [x0, y0, x1, y1] in canvas pixels.
    pub fn draw_main(&self, canvas: HtmlCanvasElement, scale: f64, legend: bool) -> Result<Vec<i32>, JsValue> {
        let backend = CanvasBackend::with_canvas_object(canvas).ok_or_else(|| js_err("no 2d context"))?;
        let root = backend.into_drawing_area();
        let curves = plot::curves(&self.exp.model, &self.view(), 200);
        let p = MainPlot {
            view: self.view(),
            points: &self.points,
            curves: &curves,
            colour: self.colour,
            x_label: self.exp.info.x_label,
            y_label: self.exp.info.y_label,
            text: true,
            legend,
            scale,
        };
        let r = plot::draw_main(&root, &p).map_err(js_err)?;
        root.present().map_err(js_err)?;
        Ok(vec![r.0, r.1, r.2, r.3])
    }

    /// Draws the loss panel on `canvas`.
    pub fn draw_loss(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<(), JsValue> {
        let backend = CanvasBackend::with_canvas_object(canvas).ok_or_else(|| js_err("no 2d context"))?;
        let root = backend.into_drawing_area();
        root.fill(&WHITE).map_err(js_err)?;
        let p = LossPlot {
            train: &self.train_hist.points,
            val: &self.val_hist,
            baseline: &self.base_hist,
            bayes: self.exp.info.bayes_nll,
            text: true,
            scale,
        };
        plot::draw_loss(&root, &p).map_err(js_err)?;
        root.present().map_err(js_err)?;
        Ok(())
    }
}
