//! What course pages need of the Viewer: the theme, the guided tour, the embed builder,
//! and the commands a host page sends an embed (all checked here, like link values).

use super::{to_js, Trainer, Viewer};
use crate::lang::Lang;
use crate::share::link::Link;
use crate::share::tour::STEPS;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The tour's steps: `[{title, look, try, link}]` (plain text in language `lang`; `link`
/// after `#`).
#[wasm_bindgen]
pub fn tour_steps(lang: &str) -> Result<JsValue, JsValue> {
    let lang = Lang::from_tags([lang]);
    #[derive(Serialize)]
    struct Step {
        title: &'static str,
        look: &'static str,
        #[serde(rename = "try")]
        try_this: &'static str,
        link: String,
    }
    let steps: Vec<Step> = STEPS
        .iter()
        .enumerate()
        .map(|(i, s)| Step {
            title: lang.t(s.title),
            look: lang.t(s.look),
            try_this: lang.t(s.try_this),
            link: Link::tour_link(i + 1),
        })
        .collect();
    to_js(&steps)
}

/// The sizes an embed snippet may ask for, in CSS pixels.
const EMBED_SIZE: (u32, u32) = (240, 2000);

/// An embed snippet: the iframe's `src`, the HTML to paste, and the problems found.
#[derive(Serialize)]
struct Snippet {
    src: String,
    html: String,
    issues: Vec<String>,
    /// The iframe's size as used (clamped to 240…2000).
    width: u32,
    height: u32,
}

/// Text for an HTML attribute value in double quotes.
fn attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[wasm_bindgen]
impl Viewer {
    /// The page tells whether the system prefers dark colours (a link's `theme=` wins).
    pub fn set_system_dark(&mut self, dark: bool) {
        self.system_dark = dark;
    }

    /// The page tells the language it is in (`en`, `es`): what this Viewer writes in
    /// unless its link has a `lang=` of its own.
    pub fn set_lang(&mut self, code: &str) {
        self.lang_fallback = Lang::from_tags([code]);
    }

    /// The page's language (`en`, `es`): the link's, else the browser's.
    pub fn lang(&self) -> String {
        self.page_lang().code().to_string()
    }

    /// The page is being printed (light paper for every plot) or no longer.
    pub fn set_printing(&mut self, on: bool) {
        self.printing = on;
    }

    /// The page is drawn dark (the link's theme, else the system's).
    pub fn dark(&self) -> bool {
        self.theme().dark
    }

    /// Why training stopped on a number that was not finite, if it did (plain text).
    pub fn halted_reason(&self) -> Option<String> {
        let said = crate::train::diagnostics::SAID;
        self.snapshot
            .halted
            .as_ref()
            .map(|h| self.page_lang().retell(h, &[said]))
    }

    /// The tour step the link shows (1…; 0: none).
    pub fn tour(&self) -> usize {
        self.link.tour
    }

    /// What the page says when the learner has done what the tour step asks (plain
    /// text), from the latest metrics; `undefined` while not yet.
    pub fn tour_check(&self) -> Option<String> {
        let step = STEPS.get(self.link.tour.checked_sub(1)?)?;
        let m = self.snapshot.metrics.as_ref()?;
        crate::share::tour::achieved(step.goal, &self.link.spec, m, self.page_lang())
    }

    /// The exercise of the link (`goal=`) in words; empty without one.
    pub fn goal_task(&self) -> String {
        self.link
            .goal
            .as_ref()
            .map_or(String::new(), |g| g.task_in(self.page_lang()))
    }

    /// The exercise's goal as the link writes it (`goal=`); empty without one.
    pub fn goal(&self) -> String {
        self.link
            .goal
            .as_ref()
            .map_or(String::new(), |g| g.format())
    }

    /// What the page says once the exercise's goal is met (plain text, with the numbers),
    /// from the latest metrics; `undefined` while not yet.
    pub fn goal_check(&self) -> Option<String> {
        let goal = self.link.goal.as_ref()?;
        let m = self.snapshot.metrics.as_ref()?;
        goal.met_in(&self.link.spec, self.info.dout, m, self.page_lang())
    }

    /// The embed code of this experiment as the builder sets it: the panels and the
    /// controls shown (names as in the link keys), a caption, an exercise's goal
    /// (`goal=`), the iframe's size, and the tour step (kept only `with_tour`: an embed
    /// starts clean); a comparison (`compare=`) goes with the experiment.
    /// Every value is checked as a link's would be (`issues`); `page` is the address of
    /// the playground (the current page, without its hash). Returns `{src, html, issues}`.
    pub fn embed_snippet(
        &self,
        page: &str,
        panels: Vec<String>,
        controls: Vec<String>,
        caption: &str,
        goal: &str,
        width: f64,
        height: f64,
        with_tour: bool,
    ) -> Result<JsValue, JsValue> {
        let encode = crate::config::keys::percent_encode;
        let mut text = format!(
            "{}&embed=1&panels={}&controls={}&caption={}",
            self.link.spec.format(),
            panels.join(","),
            controls.join(","),
            encode(caption)
        );
        if let Some(b) = &self.link.compare {
            let changes = crate::share::compare::changed(&self.link.spec, b);
            text += &format!("&compare={}", encode(&changes));
        }
        if !goal.trim().is_empty() {
            text += &format!("&goal={}", encode(goal.trim()));
        }
        if controls.is_empty() {
            // No controls: the key's "none" is its absence with panels chosen.
            text = text.replace("&controls=", "");
        }
        let (mut link, issues) = Link::parse(&text);
        let lang = self.page_lang();
        link.view = self.link.view.clone();
        link.theme = self.link.theme;
        link.lang = self.embed_lang();
        // A clean embed unless the tour step's box is asked for.
        link.tour = if with_tour { self.link.tour } else { 0 };
        if controls.is_empty() {
            link.controls = None;
        }
        let size = |v: f64, default: u32| {
            if v.is_finite() {
                (v.round() as u32).clamp(EMBED_SIZE.0, EMBED_SIZE.1)
            } else {
                default
            }
        };
        let (w, h) = (size(width, 640), size(height, 400));
        let base = page.split('#').next().unwrap_or("");
        let src = format!("{base}#{}", link.format(true));
        let title = match link.caption.as_str() {
            "" => "MDN Playground".to_string(),
            c => format!("MDN Playground: {c}"),
        };
        let html = format!(
            "<iframe src=\"{}\" width=\"{w}\" height=\"{h}\" style=\"border:0\" title=\"{}\" loading=\"lazy\"></iframe>",
            attr(&src),
            attr(&title)
        );
        to_js(&Snippet {
            src,
            html,
            issues: issues
                .iter()
                .map(|i| lang.retell(&i.to_string(), crate::share::link::SAID))
                .collect(),
            width: w,
            height: h,
        })
    }
}

/// The panels an embed can show (`panels=`), in the page's order.
#[wasm_bindgen]
pub fn embed_panels() -> Vec<String> {
    crate::share::link::PANELS
        .iter()
        .map(|p| p.to_string())
        .collect()
}

/// The controls an embed can show (`controls=`): the spec's keys, then the toolbar's own.
#[wasm_bindgen]
pub fn embed_controls() -> Vec<String> {
    crate::share::link::control_names()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

/// The longest message a host page may send (a spec with its own points fits).
const MESSAGE_MAX: usize = 64 * 1024;

/// The longest message a host page may send, in bytes of its JSON text: the page measures
/// a message before it makes a copy of it.
#[wasm_bindgen]
pub fn host_message_max() -> u32 {
    MESSAGE_MAX as u32
}

/// The frameworks an experiment can be exported to, as [name, title] pairs.
#[wasm_bindgen]
pub fn export_frameworks() -> Vec<String> {
    crate::export::FRAMEWORKS
        .iter()
        .flat_map(|f| [f.name.to_string(), f.title.to_string()])
        .collect()
}

/// The runs of the export band of the spec in `link`, as links for the page's pool of
/// sweep workers ([`super::SweepJob`]); their rows' validation NLLs go to
/// [`Trainer::export_zip`]. Throws the reason when the spec cannot be exported exactly.
#[wasm_bindgen]
pub fn export_band_links(link: &str) -> Result<Vec<String>, JsValue> {
    let spec = Link::parse(link).0.spec;
    if let Some(why) = crate::export::refuse(&spec) {
        return Err(JsValue::from_str(&format!(
            "this experiment cannot be exported exactly: {why}"
        )));
    }
    Ok(super::spec_links(&crate::export::band_specs(&spec)))
}

/// The most steps one `step` command trains (as the page's own Step).
const STEP_MAX: u64 = 1_000_000;

/// A host page's command, checked: `{action, n, hash, issues}`. `action` is one of play,
/// pause, step, reset, spec, metrics; `n` the steps of `step` (clamped to 1…10⁶); `hash`
/// the link to open for `spec` (this embed's shape with the new experiment).
#[derive(Serialize, Default)]
struct Command {
    action: &'static str,
    n: u64,
    hash: String,
    issues: Vec<String>,
}

#[wasm_bindgen]
impl Viewer {
    /// The spec as a host page may hear it (`mdn:ready`): whole when its points are the
    /// ones the host gave (`given`: the iframe's link or the last `mdn:spec`), else without
    /// them (`data=custom` alone): points kept in this browser or drawn here are the
    /// user's, and go only where the user sends them.
    pub fn host_spec(&self, given: &str) -> String {
        let spec = &self.link.spec;
        if spec.points.is_none() || Link::parse(given).0.spec.points == spec.points {
            return spec.format();
        }
        crate::Spec {
            points: None,
            ..spec.clone()
        }
        .format()
    }

    /// Reads a command a host page posted (as JSON text): `{"type": "mdn:play"}`, …
    /// `"mdn:step"` with `"n"`, `"mdn:spec"` with `"spec"` (a link's text). Throws a
    /// message for anything else; values are clamped and reported like a link's.
    pub fn host_command(&self, json: &str) -> Result<JsValue, JsValue> {
        let cmd = self.read_command(json).map_err(|e| JsValue::from_str(&e))?;
        to_js(&cmd)
    }
}

impl Viewer {
    fn read_command(&self, json: &str) -> Result<Command, String> {
        if json.len() > MESSAGE_MAX {
            return Err(format!("a message of at most {MESSAGE_MAX} bytes is read"));
        }
        let v: serde_json::Value =
            serde_json::from_str(json).map_err(|_| "a message must be a JSON object")?;
        let obj = v.as_object().ok_or("a message must be an object")?;
        let kind = obj
            .get("type")
            .and_then(|t| t.as_str())
            .ok_or("a message needs a \"type\"")?;
        let action = match kind {
            "mdn:play" => "play",
            "mdn:pause" => "pause",
            "mdn:step" => "step",
            "mdn:reset" => "reset",
            "mdn:spec" => "spec",
            "mdn:metrics" => "metrics",
            other => {
                return Err(format!(
                    "unknown message type {}: expected mdn:play, mdn:pause, mdn:step, mdn:reset, mdn:spec or mdn:metrics",
                    crate::base::text::quote(&other.chars().take(40).collect::<String>())
                ))
            }
        };
        let mut cmd = Command {
            action,
            ..Command::default()
        };
        match action {
            "step" => {
                let n = obj.get("n").map_or(Some(1.0), |n| n.as_f64());
                let n = n
                    .filter(|n| n.is_finite())
                    .ok_or("mdn:step: n must be a number")?;
                let whole = n.round().clamp(1.0, STEP_MAX as f64) as u64;
                if whole as f64 != n {
                    cmd.issues.push(format!(
                        "mdn:step: n = {} taken as {whole} (a whole number from 1 to {STEP_MAX})",
                        crate::base::text::number(n)
                    ));
                }
                cmd.n = whole;
            }
            "spec" => {
                let text = obj
                    .get("spec")
                    .and_then(|s| s.as_str())
                    .ok_or("mdn:spec: \"spec\" must be a link's text")?;
                let (asked, issues) = Link::parse(text);
                cmd.issues = issues.iter().map(|i| i.to_string()).collect();
                cmd.hash = Link {
                    spec: asked.spec,
                    view: asked.view,
                    ..self.link.clone()
                }
                .format(true);
            }
            _ => {}
        }
        Ok(cmd)
    }
}

#[wasm_bindgen]
impl Viewer {
    /// Draw the 90% central interval and HPD region (main plot and slice); the link's view
    /// follows (`intervals=1`).
    pub fn set_intervals(&mut self, on: bool) {
        self.link.view.intervals = on;
    }

    /// Whether the intervals are drawn.
    pub fn intervals(&self) -> bool {
        self.link.view.intervals
    }

    /// Draw the true p(y | x) on the slice where the data set has one; the link follows
    /// (`truth=off` when not).
    pub fn set_truth(&mut self, on: bool) {
        self.link.view.truth = on;
    }

    /// Whether the truth is drawn.
    pub fn truth(&self) -> bool {
        self.link.view.truth
    }

    /// Whether this data set has a true p(y | x) to draw (every built-in set: on the
    /// slice and the heatmap, the arm's poses on its output plane).
    pub fn has_truth(&self) -> bool {
        crate::data::truth::known(self.link.spec.data)
    }

    /// Whether the heatmaps' colour scale stays put over training (`scale=fixed`, the
    /// default) rather than following the densest cell (`scale=auto`).
    pub fn fixed_scale(&self) -> bool {
        self.link.view.scale == crate::share::link::Scale::Fixed
    }

    /// Sets the colour scale by name (`fixed` or `auto`; others leave it); the link follows.
    pub fn set_scale(&mut self, name: &str) {
        if let Some(i) = crate::share::link::SCALES.iter().position(|s| *s == name) {
            self.link.view.scale = crate::share::link::Scale::ALL[i];
        }
    }

    /// How fast Play trains (`speed`): its name.
    pub fn speed(&self) -> String {
        self.link.speed.name().into()
    }

    /// Play's pace in steps a second; 0: as fast as the engine goes.
    pub fn steps_per_second(&self) -> f64 {
        self.link.speed.steps_per_second().unwrap_or(0.0)
    }

    /// Sets Play's pace by name (a name not among the speeds leaves it as it is); the
    /// link follows.
    pub fn set_speed(&mut self, name: &str) {
        if let Some(i) = crate::share::link::SPEEDS.iter().position(|s| *s == name) {
            self.link.speed = crate::share::link::Speed::ALL[i];
        }
    }
}

#[wasm_bindgen]
impl Trainer {
    /// The experiment as a project in the framework `to` (one of [`export_frameworks`]),
    /// zipped in a folder `mdn-{to}` (see [`crate::export`]): its data, the weights as
    /// trained so far, the recipe with the playground's band, probes, code and README.
    /// `band`: the validation NLLs of the runs of [`export_band_links`], trained by the
    /// page's pool; when it is not one finite number per run, the band's runs are trained
    /// here (this takes a while). `spec`: the experiment the band is of; another one here
    /// is refused. Throws the reason when the framework is unknown, the spec cannot be
    /// exported exactly or is not the band's.
    pub fn export_zip(
        &mut self,
        to: &str,
        band: Option<Vec<f64>>,
        spec: Option<String>,
    ) -> Result<Vec<u8>, JsValue> {
        let fw = crate::export::framework(to).map_err(|e| JsValue::from_str(&e))?;
        let exp = &mut self.exp;
        if spec.is_some_and(|s| s != exp.spec.format()) {
            return Err(JsValue::from_str(
                "the experiment changed while its band trained; nothing was saved: export again",
            ));
        }
        if let Some(why) = crate::export::refuse(&exp.spec) {
            return Err(JsValue::from_str(&format!(
                "this experiment cannot be exported exactly: {why}"
            )));
        }
        let given = band.filter(|b| {
            b.len() == crate::export::BAND_SEEDS as usize && b.iter().all(|v| v.is_finite())
        });
        let band = match given {
            Some(vals) => crate::export::band_of(vals),
            None => crate::export::band(&exp.spec),
        };
        let files =
            crate::export::files(exp, fw.name, band, 0.0).map_err(|e| JsValue::from_str(&e))?;
        Ok(crate::export::zip(&files, &format!("mdn-{}", fw.name)))
    }
}
