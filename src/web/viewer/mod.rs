//! What the page shows: the latest snapshot's models on the experiment's data, and the
//! view. Built from a link or a model file; its drawing is in [`draw`], the view and your
//! points in [`view`].

mod draw;
mod view;

use super::{calibrate, js_err, to_js, trainer::model_file};
use crate::config::keys::Kind;
use crate::config::spec::Spec;
use crate::config::spec::KEYS;
use crate::data::dataset::Data;
use crate::mdn::mixture::Temperature;
use crate::mdn::model::{Model, Precision};
use crate::plot::plane::{self, InputPlot, OutputPlot, Sampling, Scene};
use crate::plot::{self, Frame, LossPlot, MainPlot, View};
use crate::share::link::Link;
use crate::train::snapshot::Snapshot;
use crate::Experiment;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// What the page shows: the latest snapshot's models on the experiment's data, and the
/// view (the 2-D views' target, the sampling settings).
#[wasm_bindgen]
pub struct Viewer {
    pub(in crate::web) link: Link,
    pub(in crate::web) issues: Vec<String>,
    pub(in crate::web) info: crate::data::dataset::DataInfo,
    pub(in crate::web) model: Model<Precision>,
    /// The training points drawn (at most [`plot::MAX_POINTS`]).
    pub(in crate::web) points: Vec<(f64, f64)>,
    /// Thinned training points of one input and one output (where drawing data starts
    /// from for a built-in set).
    pub(in crate::web) train_points: Vec<(f64, f64)>,
    /// Every training point (one input and one output), for "Points as CSV".
    pub(in crate::web) train_all: Vec<(f64, f64)>,
    pub(in crate::web) snapshot: Snapshot,
    /// Colour range of the last heatmaps (main plot, output plane), for the colour bars.
    pub(in crate::web) colour: plot::ColourScale,
    pub(in crate::web) plane_colour: plot::ColourScale,
    pub(in crate::web) sampling: Sampling,
    /// The input the 2-D views show (clamped to the data's input range).
    pub(in crate::web) target: Vec<f64>,
    /// The scene at `target` for the current parameters, built on first use.
    pub(in crate::web) scene: Option<Scene>,
    /// The system prefers dark colours (the page tells; a link's `theme=` overrides).
    pub(in crate::web) system_dark: bool,
    /// The page's language, for a link without `lang=` (the page tells).
    pub(in crate::web) lang_fallback: crate::lang::Lang,
    /// The page is being printed: light paper whatever the theme.
    pub(in crate::web) printing: bool,
    /// The calibration panel's work (one input and one output only).
    pub(in crate::web) cal: calibrate::State,
    /// Snapshots taken (which parameters the main plot's intervals are brought to).
    pub(in crate::web) params_seen: u64,
    /// The main plot's intervals, brought up to date a few columns per frame.
    pub(in crate::web) track: plot::IntervalTrack,
    /// The true 90% region's boundary on the main plot, worked out on first use (it
    /// depends on the data set and its view only).
    pub(in crate::web) truth_region: std::cell::OnceCell<Option<Vec<plot::truth::Segment>>>,
    /// The other members of an ensemble, as the page's pool trains them: (member, step,
    /// model). Member 1 is `model`.
    pub(in crate::web) members: Vec<(u32, u64, Model<Precision>)>,
    /// On a real set: the conditional kernel density estimate's validation NLL (fitted
    /// on the same training points), the level the MDN is measured against.
    pub(in crate::web) kernel_nll: Option<f64>,
}
/// The grid the true region's boundary is traced on (x by y).
const TRUTH_COLUMNS: usize = 160;
const TRUTH_ROWS: usize = 240;
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
        self.link.speed = link.speed;
        let v = link.view;
        self.set_sampling(v.temp_pi, v.temp_sigma, v.samples as u32, v.mode);
        self.link.view.intervals = v.intervals;
        self.link.view.scale = v.scale;
        self.link.view.truth = v.truth;
        if let Some(t) = &v.target {
            self.set_target(t);
        }
        let lang = self.page_lang();
        let said = crate::share::link::SAID;
        issues
            .iter()
            .map(|i| lang.retell(&i.to_string(), said))
            .collect()
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
        let lang = self.page_lang();
        self.issues
            .iter()
            .map(|i| lang.retell(i, crate::share::link::SAID))
            .collect()
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
            lang: self.embed_lang(),
            tour: self.link.tour,
            ..Link::default()
        };
        embed.format(true)
    }

    /// The panels the embed shows, in order (`panels`; the main plot when none are given).
    pub fn panels(&self) -> Vec<String> {
        if self.link.panels.is_empty() {
            vec![crate::share::link::PANELS[0].to_string()]
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
        let page = crate::share::link::page_keys();
        let mut spec = Spec::parse_with_points(form, &page, points).0;
        // Coming to a real set from another, its few points get the settings that suit
        // them, as your own do (see `link_with_points`), and, unless the link compares
        // something else, the same network with K = 1 beside it (the heteroscedastic
        // Gaussian a statistician would try).
        let to_real = spec.data != self.link.spec.data && spec.data.real().is_some();
        if let Some(r) = spec.data.real().filter(|_| to_real) {
            if let Some((s, _)) = crate::config::small_data::suited(&spec, r.points()) {
                spec = s;
            }
        }
        let mut link = self.link.with_spec(spec);
        if to_real && link.compare.is_none() {
            link.compare = crate::share::compare::second(&link.spec, "k=1").0;
        }
        link.format(true)
    }

    /// The link of this experiment on points `pts` (their link form) as `data=custom`.
    /// Coming from a built-in data set, a small set starts with the settings that suit it
    /// ([`crate::config::small_data`]), which [`Viewer::data_note`] then states.
    pub fn link_with_points(&self, pts: &str) -> String {
        let mut spec = self.link.spec.clone();
        spec.data = Data::Custom;
        spec.points = crate::data::userdata::decode(pts).ok();
        if self.link.spec.data != Data::Custom {
            if let Some((s, _)) = spec
                .points
                .as_ref()
                .and_then(|p| crate::config::small_data::suited(&spec, p))
            {
                spec = s;
            }
        }
        self.relink(Spec::parse_lenient(&spec.format(), &[]).0)
    }

    /// The link of this experiment with a fresh seed from the browser's cryptographic
    /// generator (getrandom), exact in JavaScript.
    pub fn link_with_new_seed(&self) -> Result<String, JsValue> {
        let mut b = [0u8; 8];
        getrandom::getrandom(&mut b).map_err(js_err)?;
        let mut spec = self.link.spec.clone();
        spec.seed = u64::from_le_bytes(b) % (crate::base::rng::SEED_MAX + 1);
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
        let note = self
            .page_lang()
            .t(crate::mdn::family::note(self.link.spec.family));
        match self.link.spec.angle_note(self.page_lang()) {
            Some(angles) => format!("{note} {angles}"),
            None => note.into(),
        }
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
    /// With a small set of your own points trained with the settings that suit it, the
    /// sentence that says so follows.
    pub fn data_note(&self) -> String {
        [
            self.page_lang().t(self.info.note).to_string(),
            self.small_data_note(),
            self.uncertainty_note(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// A small set (your own points, a real set) trained with the settings that suit it: the
    /// sentence that says so (empty otherwise).
    pub fn small_data_note(&self) -> String {
        let spec = &self.link.spec;
        let points = match spec.data.real() {
            Some(r) => Some(r.points().clone()),
            None => spec.points.clone().filter(|_| spec.data == Data::Custom),
        };
        points
            .filter(|p| crate::config::small_data::suited(spec, p).is_some_and(|(s, _)| &s == spec))
            .map_or(String::new(), |p| {
                crate::config::small_data::note(p.len(), spec, self.page_lang())
            })
    }

    /// What the loss panel's green line is (a sentence after the caption, with its
    /// leading space; empty when the panel has none).
    pub fn loss_level_note(&self) -> String {
        let lang = self.page_lang();
        match (self.info.bayes_nll, self.kernel_nll) {
            (Some(_), _) => lang
                .t(" The green line is the best any model can do on this data.")
                .into(),
            (None, Some(_)) => lang
                .t(
                    " The green line is a conditional kernel density estimate's validation \
                    NLL, fitted on the same training points: real data have no known best.",
                )
                .into(),
            _ => String::new(),
        }
    }

    /// The link of the second experiment (`compare=`): its spec with this one's view and
    /// theme, for a Viewer and a training worker of its own; `None` without one.
    pub fn compare_link(&self) -> Option<String> {
        let b = self.link.compare.clone()?;
        Some(
            Link {
                spec: b,
                view: self.link.view.clone(),
                theme: self.link.theme,
                ..Link::default()
            }
            .format(true),
        )
    }

    /// The two experiments' labels: the keys the second one changes, with the first's
    /// values and then the second's ("k=3", "k=1"; two keys: "k=3, sigma_min=0.01");
    /// empty without a second experiment.
    pub fn compare_labels(&self) -> Vec<String> {
        let Some(b) = &self.link.compare else {
            return Vec::new();
        };
        let a = &self.link.spec;
        let label =
            |from: &Spec, to: &Spec| crate::share::compare::changed(from, to).replace('&', ", ");
        vec![label(b, a), label(a, b)]
    }

    /// On a real set: the kernel density estimate's validation NLL (nats per point).
    pub fn kernel_nll(&self) -> Option<f64> {
        self.kernel_nll
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
        let lang = self.page_lang();
        let k = m.component_pi.len();
        let pis: Vec<String> = m
            .component_pi
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let dead = crate::train::diagnostics::is_dead(*p, &self.model.head);
                let (i, p) = ((i + 1).to_string(), lang.signed(*p, 3));
                match dead {
                    true => lang.fill("{0}: {1} unused", &[&i, &p]),
                    false => format!("{i}: {p}"),
                }
            })
            .collect();
        let moved = match m.reinitialised {
            0 => String::new(),
            n => lang.fill(" · {0} unused components moved so far", &[&n.to_string()]),
        };
        let unused = match m.dead_components {
            0 => String::new(),
            n => lang.fill(" ({0} unused)", &[&n.to_string()]),
        };
        let said = |s: &String| lang.retell(s, &[crate::train::diagnostics::SAID]);
        let notes: String = m.notes.iter().map(|n| format!(" · {}.", said(n))).collect();
        to_js(&Out {
            summary: lang.fill(
                "Components: {0} of {1} in use{2} · smallest σ in use {3}{4}",
                &[
                    &(k - m.dead_components).to_string(),
                    &k.to_string(),
                    &unused,
                    &lang.decimal(significant(m.min_sigma, 3)),
                    &moved,
                ],
            ),
            components: lang.fill(
                "Average π per component: {0}{1}",
                &[&pis.join(lang.list_sep()), &notes],
            ),
            alarms: m.alarms.iter().map(said).collect(),
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
    pub(in crate::web) fn of(link: Link, exp: Experiment, issues: Vec<String>) -> Viewer {
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
        let kernel_nll = kernel_nll(&exp);
        Viewer {
            members: Vec::new(),
            kernel_nll,
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
            colour: plot::ColourScale::NONE,
            plane_colour: plot::ColourScale::NONE,
            sampling,
            target,
            scene: None,
            system_dark: false,
            lang_fallback: Default::default(),
            printing: false,
            cal: calibrate::State::new(&exp_val, data, y_range, seed),
            params_seen: 0,
            track: Default::default(),
            truth_region: Default::default(),
        }
    }

    /// The link of `spec` with this view.
    /// The slice's input (clamped to the plot's range; not a number: the middle), the
    /// mixture there and the MSE prediction.
    pub(in crate::web) fn slice_at(&self, x0: f64) -> (f64, crate::mdn::mixture::Mixture, f64) {
        let v = self.view();
        let x0 = if x0.is_finite() {
            x0.clamp(v.x.0, v.x.1)
        } else {
            0.5 * (v.x.0 + v.x.1)
        };
        let mut q = self.model.queries();
        // With an ensemble's other members in: the even mixture of all.
        let mixture = match self.shown() {
            plot::Shown::One(_) => q.mixture(&[x0]),
            even => {
                plot::Forecasts::mixtures(&even, &ndarray::Array2::from_elem((1, 1), x0)).remove(0)
            }
        };
        let baseline = q.baseline(&[x0])[0];
        (x0, mixture, baseline)
    }

    /// The 90% intervals over x the main plot draws, when the toggle is on.
    pub(in crate::web) fn intervals_shown(&self, curves: &plot::Curves) -> Option<plot::Intervals> {
        (self.link.view.intervals && self.info.dout == 1).then(|| plot::intervals(curves, 2))
    }

    /// The intervals the slice draws at its mixture, when the toggle is on.
    pub(in crate::web) fn slice_intervals_shown(
        &self,
        mixture: &crate::mdn::mixture::Mixture,
    ) -> Option<plot::SliceIntervals> {
        self.link
            .view
            .intervals
            .then(|| plot::SliceIntervals::of(mixture))
            .flatten()
    }

    pub(in crate::web) fn slice_plot<'a>(
        &'a self,
        x0: f64,
        mixture: &'a crate::mdn::mixture::Mixture,
        baseline: f64,
        scale: f64,
        intervals: Option<&'a plot::SliceIntervals>,
    ) -> plot::Slice<'a> {
        plot::Slice {
            x0,
            mixture,
            baseline,
            y: self.view().y,
            y_label: self.page_lang().t(self.info.y_labels[0]),
            text: true,
            scale,
            theme: self.theme(),
            intervals,
            circular: self.link.spec.data == Data::Wind,
            truth: if self.link.view.truth && self.info.dout == 1 {
                plot::slice_truth(self.link.spec.data, x0, self.view().y)
            } else {
                None
            },
            second: None,
        }
    }

    /// The arm's two exact poses at the target, when the truth is shown.
    pub(in crate::web) fn arm_truth(&self) -> Vec<[f64; 2]> {
        if self.link.view.truth && self.is_arm() {
            crate::data::truth::arm_poses(&self.target)
        } else {
            Vec::new()
        }
    }

    /// The true 90% region's boundary on the main plot, when the truth is shown and known.
    pub(in crate::web) fn truth_shown(&self) -> Option<&[plot::truth::Segment]> {
        if !self.link.view.truth || self.info.dout != 1 {
            return None;
        }
        self.truth_region
            .get_or_init(|| {
                plot::region_contours(self.link.spec.data, &self.view(), TRUTH_COLUMNS, TRUTH_ROWS)
            })
            .as_deref()
    }

    pub(in crate::web) fn loss_plot(&self, scale: f64) -> LossPlot<'_> {
        let [train, val, baseline] = &self.snapshot.histories;
        LossPlot {
            train,
            val,
            baseline,
            level: match (self.info.bayes_nll, self.kernel_nll) {
                (Some(b), _) => Some((b, self.page_lang().t("Bayes optimum"))),
                (None, Some(k)) => Some((k, self.page_lang().t("kernel estimate, validation"))),
                _ => None,
            },
            second: None,
            text: true,
            scale,
            theme: self.theme(),
        }
    }

    /// The plots' theme: the link's, else the system's.
    pub(in crate::web) fn theme(&self) -> plot::Theme {
        plot::Theme {
            lang: self.page_lang(),
            dark: !self.printing
                && match self.link.theme {
                    Some(t) => t == crate::share::link::Theme::Dark,
                    None => self.system_dark,
                },
        }
    }

    /// The language an embed of this page is in: the link's, else the page's unless it is
    /// English (an English embed follows each reader's browser).
    pub(in crate::web) fn embed_lang(&self) -> Option<crate::lang::Lang> {
        let lang = self.page_lang();
        self.link
            .lang
            .or((lang != crate::lang::Lang::En).then_some(lang))
    }

    /// The page's language: the link's, else the page's own.
    pub(in crate::web) fn page_lang(&self) -> crate::lang::Lang {
        self.link.lang.unwrap_or(self.lang_fallback)
    }

    pub(in crate::web) fn relink(&self, spec: Spec) -> String {
        self.link.with_spec(spec).format(true)
    }

    pub(in crate::web) fn view(&self) -> View {
        View::of(&self.info)
    }

    pub(in crate::web) fn scene(&mut self) -> &Scene {
        if self.scene.is_none() {
            let arm = self.is_arm();
            self.scene = Some(Scene::new(&self.model, &self.target, self.sampling, arm));
        }
        self.scene.as_ref().expect("just built")
    }
}
/// A target written in a link: 6 significant digits, as the page has always written it.
fn round6(v: f64) -> f64 {
    significant(v, 6).parse().unwrap_or(v)
}
/// The points of the browser's kept set (CSV), if it can be read.
fn stored_points(csv: Option<String>) -> Option<crate::data::userdata::UserData> {
    crate::data::userdata::parse_csv(&csv?).ok().map(|p| p.data)
}

/// On a real set, the kernel density estimate's validation NLL. Its bandwidth search takes
/// a few hundred milliseconds in the page, and it depends only on the split (data, seed,
/// gap): the last one is kept, so a change of the model's settings does not redo it.
fn kernel_nll(exp: &Experiment) -> Option<f64> {
    type Split = (Data, u64, Option<(u64, u64)>);
    thread_local! {
        static LAST: std::cell::Cell<Option<(Split, Option<f64>)>> = const { std::cell::Cell::new(None) };
    }
    exp.spec.data.real()?;
    let split: Split = (
        exp.spec.data,
        exp.spec.seed,
        exp.spec.gap.map(|(a, b)| (a.to_bits(), b.to_bits())),
    );
    if let Some((s, nll)) = LAST.get() {
        if s == split {
            return nll;
        }
    }
    let nll = crate::forecast::kernel::KernelEstimate::fit(&exp.train).map(|k| k.nll(&exp.val));
    LAST.set(Some((split, nll)));
    nll
}
