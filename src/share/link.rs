//! A share link as a whole: the experiment ([`Spec`]), what the page shows of it (the
//! view: the 2-D views' target, the sampling settings) and how the page opens (`play`,
//! `embed`). Links are read and written here only; the page applies the result. The view
//! and page keys are declared like the spec's ([`crate::config::keys`]) and get the same
//! clamping and messages.

use crate::config::keys::{self, Issue, Key, Kind, Reader, Value};
use crate::config::spec::Spec;
use crate::data::userdata::UserData;
use crate::lang::{en, english, Lang, LANGS};
use crate::mdn::mixture::Temperature;

/// The sample counts the page offers; a link's count goes to the nearest.
pub const SAMPLE_COUNTS: [usize; 4] = [0, 50, 300, 1000];

/// What the page shows of an experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// The 2-D views' input (clamped to the data's range where it is used); `None`: the
    /// data set's starting target.
    pub target: Option<Vec<f64>>,
    /// The sampling temperatures of the mixing weights and of the scales
    /// ([`Temperature::RANGE`]).
    pub temp_pi: f64,
    pub temp_sigma: f64,
    /// Samples drawn by the views (one of [`SAMPLE_COUNTS`]).
    pub samples: usize,
    /// Show the most probable point.
    pub mode: bool,
    /// Draw the 90% central interval and HPD region (main plot and slice).
    pub intervals: bool,
    /// The heatmaps' colour scale.
    pub scale: Scale,
    /// Draw the true p(y | x) where the data set has one (the slice, dashed).
    pub truth: bool,
}

/// The heatmaps' colour scale: the same at every step, from the data's range (brightness
/// means the same density over time), or following the densest cell of each frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scale {
    #[default]
    Fixed,
    Auto,
}

/// The colour scales' names in links, in the order of [`Scale`] (the default first).
pub const SCALES: &[&str] = &["fixed", "auto"];

impl Scale {
    pub const ALL: [Scale; 2] = [Scale::Fixed, Scale::Auto];
}

impl Default for View {
    fn default() -> Self {
        View {
            target: None,
            temp_pi: 1.0,
            temp_sigma: 1.0,
            samples: 0,
            mode: false,
            intervals: false,
            scale: Scale::Fixed,
            truth: true,
        }
    }
}

/// A whole share link.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Link {
    pub spec: Spec,
    pub view: View,
    /// Start training at once.
    pub play: bool,
    /// How fast Play trains.
    pub speed: Speed,
    /// Show only the main plot and its controls, for an iframe.
    pub embed: bool,
    /// The panels an embed shows, in this order ([`PANELS`]); empty: the main plot.
    pub panels: Vec<String>,
    /// The spec keys whose controls an embed shows (`None`: none).
    pub controls: Option<Vec<String>>,
    /// A short text shown above the plot (plain text).
    pub caption: String,
    /// The spec keys whose controls are greyed out.
    pub lock: Vec<String>,
    /// Light or dark paper (`None`: as the system prefers).
    pub theme: Option<Theme>,
    /// The page's language (`None`: the browser's first language the page has).
    pub lang: Option<Lang>,
    /// The guided tour's step shown (1 to [`crate::share::tour::STEPS`]`.len()`; 0: none).
    pub tour: usize,
    /// A second experiment shown beside this one: the spec with the `compare=` changes
    /// ([`crate::share::compare`]).
    pub compare: Option<Spec>,
    /// The `compare=` text as read, until the spec it changes is known.
    pub(crate) compare_asked: String,
    /// An exercise's goal, checked at every reading of the metrics ([`crate::share::goal`]).
    pub goal: Option<crate::share::goal::Goal>,
    /// The `goal=` text as read, until it is checked.
    pub(crate) goal_asked: String,
}

/// How fast Play trains: a pace a student can watch, or as fast as the engine goes.
/// Only Play is paced: a step (the page's Step, `window.mdn.step`, a host's `mdn:step`)
/// runs at the engine's speed, and the numbers at a step are the same at any speed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Speed {
    #[default]
    Normal,
    Slow,
    Fast,
    Max,
}

/// The speeds' names in links, in the order of [`Speed`] (the default first: a link at
/// the default does not write it).
pub const SPEEDS: &[&str] = &["normal", "slow", "fast", "max"];

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::Normal, Speed::Slow, Speed::Fast, Speed::Max];

    /// Training steps a second while playing; `None`: as fast as the engine goes. The
    /// default spec's 4,000 steps take about 27 s at `normal`, long enough to watch the
    /// branches form; a short run (the lab's presets) a few seconds.
    pub fn steps_per_second(self) -> Option<f64> {
        match self {
            Speed::Slow => Some(40.0),
            Speed::Normal => Some(150.0),
            Speed::Fast => Some(600.0),
            Speed::Max => None,
        }
    }

    pub fn name(self) -> &'static str {
        SPEEDS[self as usize]
    }
}

/// The page's colours: light or dark (a link without `theme=` follows the system).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

const THEMES: &[&str] = &["light", "dark"];

/// The panels an embed can show: the main plot (for two outputs, the two views), the
/// slice p(y | x0), the parameters as functions of x (π and μ ± σ), the loss curves, the
/// diagnostics, the sampling controls, the K sweep, the calibration panel, for two
/// outputs each of the two views alone: the inputs (the arm's workspace) and the outputs,
/// and the second experiment's main plot and its difference from the first (with
/// `compare=`).
pub const PANELS: &[&str] = &[
    "main",
    "slice",
    "params",
    "loss",
    "diagnostics",
    "sampling",
    "sweep",
    "calibration",
    "inputs",
    "outputs",
    "compare",
    "difference",
];

/// The longest caption.
pub const CAPTION_MAX: usize = 280;

fn panel_names() -> Vec<&'static str> {
    PANELS.to_vec()
}

/// The toolbar's own controls an embed can show besides the spec's: the intervals and the
/// truth toggles, and Play's speed.
pub const TOOLBAR_CONTROLS: &[&str] = &["intervals", "truth", "speed"];

/// The spec keys with a field in the form (all but the points): what `lock=` greys out.
fn spec_control_names() -> Vec<&'static str> {
    crate::config::spec::KEYS
        .iter()
        .filter(|k| k.kind != Kind::Points)
        .map(|k| k.name)
        .collect()
}

/// The controls an embed can show (`controls=`): the spec's fields, then the toolbar's.
pub fn control_names() -> Vec<&'static str> {
    let mut names = spec_control_names();
    names.extend(TOOLBAR_CONTROLS);
    names
}

/// A view key of a temperature.
macro_rules! temperature {
    ($name:ident, $field:ident, $meaning:literal) => {
        Key {
            name: stringify!($name),
            label: "",
            kind: Kind::Float(Temperature::RANGE.0, Temperature::RANGE.1),
            meaning: $meaning,
            get: |l| Value::Float(l.view.$field),
            set: |l, v| {
                if let Value::Float(t) = v {
                    l.view.$field = t
                }
            },
        }
    };
}

/// A page key that is a flag.
macro_rules! flag {
    ($($path:ident).+, $meaning:literal) => {
        Key {
            name: last!($($path).+),
            label: "",
            kind: Kind::Flag,
            meaning: $meaning,
            get: |l| if l.$($path).+ { Value::Flag(true) } else { Value::Absent },
            set: |l, v| {
                if let Value::Flag(b) = v {
                    l.$($path).+ = b
                }
            },
        }
    };
}

/// A page key that is a list of names (from `$names()`), left out when empty.
macro_rules! names {
    ($field:ident, $names:ident, $meaning:literal) => {
        Key {
            name: stringify!($field),
            label: "",
            kind: Kind::List($names),
            meaning: $meaning,
            get: |l| match l.$field.is_empty() {
                true => Value::Absent,
                false => Value::List(l.$field.clone()),
            },
            set: |l, v| {
                if let Value::List(n) = v {
                    l.$field = n
                }
            },
        }
    };
}

macro_rules! last {
    ($a:ident) => {
        stringify!($a)
    };
    ($a:ident . $($rest:ident).+) => {
        last!($($rest).+)
    };
}

/// The view's keys, written only where they differ from the defaults.
pub const VIEW_KEYS: &[Key<Link>] = &[
    Key {
        name: "target",
        label: "",
        kind: Kind::Numbers(2),
        meaning: "the 2-D views' input (moved into the data's range)",
        get: |l| match &l.view.target {
            Some(t) => Value::Numbers(t.clone()),
            None => Value::Absent,
        },
        set: |l, v| {
            if let Value::Numbers(t) = v {
                l.view.target = Some(t)
            }
        },
    },
    temperature!(tpi, temp_pi, "sampling: temperature of the mixing weights"),
    temperature!(tsigma, temp_sigma, "sampling: temperature of the scales"),
    Key {
        name: "samples",
        label: "",
        kind: Kind::Int(0, 1000),
        meaning: "sampling: samples drawn (0, 50, 300 or 1000; others go to the nearest)",
        get: |l| match l.view.samples {
            0 => Value::Absent,
            n => Value::Int(n as u64),
        },
        set: |l, v| {
            if let Value::Int(n) = v {
                l.view.samples = nearest_count(n as usize)
            }
        },
    },
    flag!(view.mode, "sampling: show the most probable point"),
    flag!(
        view.intervals,
        "draw the 90% central interval and HPD region (main plot and slice)"
    ),
    Key {
        name: "scale",
        label: "",
        kind: Kind::Choice(SCALES),
        meaning: "the heatmaps' colour scale: fixed over training, from the data's range (whole-number ticks), or auto, following the densest cell of each frame",
        get: |l| match l.view.scale {
            Scale::Fixed => Value::Absent,
            s => Value::Choice(s as usize),
        },
        set: |l, v| {
            if let Value::Choice(i) = v {
                l.view.scale = Scale::ALL[i]
            }
        },
    },
    Key {
        name: "truth",
        label: "",
        kind: Kind::Choice(TRUTHS),
        meaning: "the true p(y | x), where the data set has one: dashed on the slice, its 90% region outlined on the heatmap, the arm's two poses on its output plane; on or off",
        get: |l| match l.view.truth {
            true => Value::Absent,
            false => Value::Choice(1),
        },
        set: |l, v| {
            if let Value::Choice(i) = v {
                l.view.truth = i == 0
            }
        },
    },
];

/// How a link's problems of its own (beyond a key's value, [`keys::SAID`]) are written, to
/// be told again in the page's language ([`crate::lang::Lang::retell`]); [`SAID`] has
/// every template a link's problem is written with.
const OWN: &[&str] = &[
    GOAL,
    PAIR,
    TOUR_DATA,
    TOUR_HIDDEN,
    PANEL_NEEDS_ONE,
    PANEL_NEEDS_TWO,
    PANELS_NEED_ONE,
    PANELS_NEED_TWO,
    english("no exercise"),
    english("showing the main plot"),
];

/// Every template a link's problems are written with: its keys', its own, the
/// comparison's, the exercise's and the spec's.
pub const SAID: &[&[&str]] = &[
    keys::SAID,
    OWN,
    crate::share::compare::SAID,
    crate::share::goal::SAID,
    crate::config::spec::SAID,
];

const GOAL: &str = "goal: {0}";
const PAIR: &str = english(
    "panels: compare and difference show a second experiment, and the link has none (compare=)",
);
const TOUR_DATA: &str = "tour={0}: this step is about data={1}, and the link's data is {2}";
const TOUR_HIDDEN: &str =
    english("the tour is not shown (open the step from the tour to see its own experiment)");
const PANEL_NEEDS_ONE: &str = "panels: {0} is for data with one output, and data={1} has two";
const PANEL_NEEDS_TWO: &str = "panels: {0} is for data with two outputs, and data={1} has one";
const PANELS_NEED_ONE: &str = "panels: {0} are for data with one output, and data={1} has two";
const PANELS_NEED_TWO: &str = "panels: {0} are for data with two outputs, and data={1} has one";

/// The truth toggle's names in links (shown by default).
pub const TRUTHS: &[&str] = &["on", "off"];

/// How the page opens and what it shows.
pub const PAGE_KEYS: &[Key<Link>] = &[
    flag!(play, "start training at once"),
    Key {
        name: "speed",
        label: "",
        kind: Kind::Choice(SPEEDS),
        meaning: "how fast Play trains: slow (40 steps/s), normal (150), fast (600) or max (as fast as the engine goes); steps and numbers are the same at any speed",
        get: |l| match l.speed {
            Speed::Normal => Value::Absent,
            s => Value::Choice(s as usize),
        },
        set: |l, v| {
            if let Value::Choice(i) = v {
                l.speed = Speed::ALL[i]
            }
        },
    },
    flag!(
        embed,
        "only the main plot and its controls, laid out to fit the iframe"
    ),
    names!(
        panels,
        panel_names,
        "embed: the panels shown, in this order (default: main)"
    ),
    Key {
        name: "controls",
        label: "",
        kind: Kind::List(control_names),
        meaning: "embed: the controls shown, spec keys and the toolbar's intervals, truth and speed (the others are hidden)",
        get: |l| {
            l.controls
                .as_ref()
                .map_or(Value::Absent, |c| Value::List(c.clone()))
        },
        set: |l, v| {
            if let Value::List(c) = v {
                l.controls = Some(c)
            }
        },
    },
    Key {
        name: "caption",
        label: "",
        kind: Kind::Text(CAPTION_MAX),
        meaning: "a short text shown above the plot (plain text)",
        get: |l| match l.caption.as_str() {
            "" => Value::Absent,
            t => Value::Text(t.to_string()),
        },
        set: |l, v| {
            if let Value::Text(t) = v {
                l.caption = t
            }
        },
    },
    names!(
        lock,
        spec_control_names,
        "the spec keys whose controls are greyed out"
    ),
    Key {
        name: "theme",
        label: "",
        kind: Kind::Choice(THEMES),
        meaning: "light or dark colours (default: as the system prefers)",
        get: |l| match l.theme {
            None => Value::Absent,
            Some(Theme::Light) => Value::Choice(0),
            Some(Theme::Dark) => Value::Choice(1),
        },
        set: |l, v| {
            if let Value::Choice(i) = v {
                l.theme = Some(if i == 0 { Theme::Light } else { Theme::Dark })
            }
        },
    },
    Key {
        name: "lang",
        label: "",
        kind: Kind::Choice(LANGS),
        meaning: "the page's language: en (English) or es (Spanish; default: the browser's first language of these, else English); it changes no number",
        get: |l| l.lang.map_or(Value::Absent, |x| Value::Choice(x as usize)),
        set: |l, v| {
            if let Value::Choice(i) = v {
                l.lang = Some(Lang::ALL[i])
            }
        },
    },
    Key {
        name: "compare",
        label: "",
        kind: Kind::Text(crate::share::compare::COMPARE_MAX),
        meaning: "a second experiment beside this one, on the same data and seed: the spec keys it changes, percent-encoded (compare=k%3D1; two: compare=k%3D1%26sigma_min%3D0)",
        get: |l| match &l.compare {
            Some(b) => Value::Text(crate::share::compare::changed(&l.spec, b)),
            None => Value::Absent,
        },
        set: |l, v| {
            if let Value::Text(t) = v {
                l.compare_asked = t
            }
        },
    },
    Key {
        name: "goal",
        label: "",
        kind: Kind::Text(crate::share::goal::GOAL_MAX),
        meaning: "an exercise: conditions on the metrics, comma-separated (goal=val_nll<-1.0; goal=k=1,beat>0.1), or a built-in exercise's name (outputs, k1); the page says Done and tells a host page",
        get: |l| match &l.goal {
            Some(g) => Value::Text(g.format()),
            None => Value::Absent,
        },
        set: |l, v| {
            if let Value::Text(t) = v {
                l.goal_asked = t
            }
        },
    },
    Key {
        name: "tour",
        label: "",
        kind: Kind::Int(0, crate::share::tour::STEPS.len() as u64),
        meaning: "the guided tour's step shown (0: none)",
        get: |l| match l.tour {
            0 => Value::Absent,
            n => Value::Int(n as u64),
        },
        set: |l, v| {
            if let Value::Int(n) = v {
                l.tour = n as usize
            }
        },
    },
];

/// Keys of a share link that belong to the page, not to the experiment: how it opens
/// ([`PAGE_KEYS`]) and what it shows ([`VIEW_KEYS`]). They change no result.
pub fn page_keys() -> Vec<&'static str> {
    PAGE_KEYS.iter().chain(VIEW_KEYS).map(|k| k.name).collect()
}

fn nearest_count(n: usize) -> usize {
    *SAMPLE_COUNTS
        .iter()
        .min_by_key(|c| c.abs_diff(n))
        .expect("not empty")
}

impl Link {
    /// Reads a link (a whole URL, or what follows `#`): never fails; every value is
    /// checked and clamped like the spec's, and each problem is listed.
    pub fn parse(text: &str) -> (Link, Vec<Issue>) {
        Link::parse_with_points(text, || None)
    }

    /// As [`Link::parse`]; a link that asks for `data=custom` without points of its own
    /// takes `points()` (the browser's: a reload loses nothing), asked for only then.
    pub fn parse_with_points(
        text: &str,
        points: impl FnOnce() -> Option<UserData>,
    ) -> (Link, Vec<Issue>) {
        let page = page_keys();
        let (spec, mut issues) = Spec::parse_with_points(text, &page, points);
        let mut link = Link {
            spec,
            ..Link::default()
        };
        let d = Link::default();
        let mut r = Reader::new(&mut issues);
        for (key, value) in keys::pairs(text) {
            if let Some(k) = VIEW_KEYS.iter().chain(PAGE_KEYS).find(|k| k.name == key) {
                if r.full() {
                    break;
                }
                r.read(k, &value, &mut link, &d);
            }
        }
        r.repeated(VIEW_KEYS, &link);
        r.repeated(PAGE_KEYS, &link);
        // A tour step without an experiment of its own opens the step's.
        let is_spec = |k: &str| crate::config::spec::KEYS.iter().any(|s| s.name == k);
        if link.tour > 0 && !keys::pairs(text).any(|(k, _)| is_spec(&k)) {
            let step = &crate::share::tour::STEPS[link.tour - 1];
            link.spec = Spec::parse_lenient(step.spec, &[]).0;
            if link.compare_asked.is_empty() {
                link.compare_asked = step.compare.into();
            }
        }
        link.fit_tour(&mut issues);
        link.fit_panels(&mut issues);
        let asked = std::mem::take(&mut link.compare_asked);
        if !asked.is_empty() {
            let (b, bad) = crate::share::compare::second(&link.spec, &asked);
            link.compare = b;
            issues.extend(bad);
        }
        let goal = std::mem::take(&mut link.goal_asked);
        if !goal.is_empty() {
            match crate::share::goal::Goal::parse(&goal) {
                Ok(g) => link.goal = Some(g),
                Err(e) => issues.push(Issue {
                    key: "goal".into(),
                    message: en(GOAL, &[&e]),
                    action: "no exercise".into(),
                }),
            }
        }
        let pair = |p: &String| p == "compare" || p == "difference";
        if link.compare.is_none() && link.panels.iter().any(pair) {
            link.panels.retain(|p| !pair(p));
            issues.push(Issue {
                key: "panels".into(),
                message: PAIR.into(),
                action: if link.panels.is_empty() {
                    "showing the main plot".into()
                } else {
                    "left out".into()
                },
            });
        }
        (link, issues)
    }

    /// This link with another experiment (the form's, a new seed): a comparison keeps its
    /// changes, applied to the new spec (and goes if they no longer change anything).
    pub fn with_spec(&self, spec: Spec) -> Link {
        let compare = self.compare.as_ref().and_then(|b| {
            let changes = crate::share::compare::changed(&self.spec, b);
            crate::share::compare::second(&spec, &changes).0
        });
        Link {
            spec,
            compare,
            ..self.clone()
        }
    }

    /// The exercise of a link's `goal=` for `mdn train`, read as the page reads it (the
    /// same clamps); a bad goal is an error.
    pub fn goal_cli(text: &str) -> Result<Option<crate::share::goal::Goal>, String> {
        let (link, issues) = Link::parse(text);
        match issues.into_iter().find(|i| i.key == "goal") {
            Some(i) => Err(i.message),
            None => Ok(link.goal),
        }
    }

    /// The command line's second experiment (`compare=`), read strictly: `None` without
    /// one; an error naming each problem.
    pub fn compare_cli(
        text: &str,
        a: &Spec,
    ) -> Result<Option<Spec>, crate::config::spec::SpecError> {
        let Some((_, asked)) = keys::pairs(text).filter(|(k, _)| k == "compare").last() else {
            return Ok(None);
        };
        match crate::share::compare::second(a, &asked) {
            (b, issues) if issues.is_empty() => Ok(b),
            (_, issues) => Err(crate::config::spec::SpecError(issues)),
        }
    }

    /// A tour step speaks of its own data set: over another one its text would describe
    /// what is not on screen, so the step is not shown.
    fn fit_tour(&mut self, issues: &mut Vec<Issue>) {
        let Some(step) = self
            .tour
            .checked_sub(1)
            .and_then(|i| crate::share::tour::STEPS.get(i))
        else {
            return;
        };
        let data = Spec::parse_lenient(step.spec, &[]).0.data;
        if data != self.spec.data {
            issues.push(Issue {
                key: "tour".into(),
                message: en(
                    TOUR_DATA,
                    &[&self.tour, &data.name(), &self.spec.data.name()],
                ),
                action: TOUR_HIDDEN.into(),
            });
            self.tour = 0;
        }
    }

    /// The embed's panels that can show this data: the slice, the parameters and the
    /// calibration need one output, the input and output planes two. The others are left
    /// out, with a message; none left: the main plot.
    fn fit_panels(&mut self, issues: &mut Vec<Issue>) {
        let two = self.spec.source().info().dout == 2;
        let fits = |p: &str| match p {
            "slice" | "params" | "calibration" | "compare" | "difference" => !two,
            "inputs" | "outputs" => two,
            _ => true,
        };
        let (kept, dropped): (Vec<String>, Vec<String>) =
            self.panels.drain(..).partition(|p| fits(p));
        self.panels = kept;
        if !dropped.is_empty() {
            issues.push(Issue {
                key: "panels".into(),
                message: en(
                    match (dropped.len(), two) {
                        (1, true) => PANEL_NEEDS_ONE,
                        (1, false) => PANEL_NEEDS_TWO,
                        (_, true) => PANELS_NEED_ONE,
                        (_, false) => PANELS_NEED_TWO,
                    },
                    &[&dropped.join(", "), &self.spec.data.name()],
                ),
                action: if self.panels.is_empty() {
                    "showing the main plot".into()
                } else {
                    "left out".into()
                },
            });
        }
    }

    /// The link of the tour's step `n` (1…): its experiment and `tour=n`.
    pub fn tour_link(n: usize) -> String {
        let n = n.clamp(1, crate::share::tour::STEPS.len());
        let step = &crate::share::tour::STEPS[n - 1];
        let spec = Spec::parse_lenient(step.spec, &[]).0;
        let compare = (!step.compare.is_empty())
            .then(|| crate::share::compare::second(&spec, step.compare).0)
            .flatten();
        Link {
            spec,
            compare,
            tour: n,
            ..Link::default()
        }
        .format(true)
    }

    /// Strict parse of a link given to the command line: any problem with the spec is an
    /// error, and the page's own keys ([`page_keys`]), which change no result, are
    /// accepted and ignored; their names are returned (once each, in the order given) so
    /// that the caller can say so.
    pub fn parse_cli(text: &str) -> Result<(Spec, Vec<String>), crate::config::spec::SpecError> {
        let page = page_keys();
        let spec = Spec::parse_ignoring(text, &page)?;
        let mut ignored: Vec<String> = Vec::new();
        for (key, _) in keys::pairs(text) {
            if page.contains(&key.as_str()) && !ignored.contains(&key) {
                ignored.push(key);
            }
        }
        Ok((spec, ignored))
    }

    /// The link's text (after `#`): the spec, the view where it differs from the default,
    /// and with `page`, the page keys that are set.
    pub fn format(&self, page: bool) -> String {
        let mut out = self.spec.format();
        let view = keys::format_changed(VIEW_KEYS, self, &Link::default());
        if !view.is_empty() {
            out.push('&');
            out.push_str(&view);
        }
        if page {
            let rest = keys::format(PAGE_KEYS, self);
            if !rest.is_empty() {
                out.push('&');
                out.push_str(&rest);
            }
        }
        out
    }

    /// The keys of the view and the page as the README's Markdown table.
    pub fn keys_markdown() -> String {
        keys::markdown(&Link::key_docs())
    }

    /// The keys of the view and the page, documented (name, accepts, default, meaning).
    pub fn key_docs() -> Vec<[String; 4]> {
        let d = Link::default();
        let mut rows = keys::docs(VIEW_KEYS, &d);
        rows.extend(keys::docs(PAGE_KEYS, &d));
        rows
    }
}
