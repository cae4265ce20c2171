//! The experiment spec: one value describing a whole experiment, written as a URL query
//! string (`data=bishop-inverse&n=1000&k=5&...`). The CLI reads it, share links carry it
//! after `#`, and `parse(format(spec)) == spec` holds for every spec.
//!
//! Every key has a documented range ([`KEYS`]). `parse_lenient` never fails: it clamps
//! out-of-range numbers, replaces malformed values by the default, ignores unknown keys,
//! and returns one [`SpecIssue`] per problem, naming the key and what it accepts.
//! `parse` is the strict form used by the CLI: any issue is an error.

use crate::base::named::Named;
use crate::base::rng::SEED_MAX;
pub use crate::base::text::quote;
use crate::config::keys::{self, choice, float, int, Key, Kind, Reader, Value};
pub use crate::config::keys::{whole, Whole};
use crate::data::dataset::{Data, Source, HELD_OUT};
use crate::data::userdata::{self, UserData};
use crate::lang::{en, english};
use crate::mdn::family::{Family, NU_RANGE};
use crate::mdn::head::Head;
use crate::mdn::head::{Covariance, Init, SigmaMap, K_RANGE, PI_FLOOR_RANGE, SIGMA_MIN_RANGE};
use crate::mdn::network::{Activation, LAYERS_MAX, WIDTH_RANGE};
use crate::optim::batches::Batch;
use crate::optim::optimizer::{OptimizerConfig, OptimizerKind, Schedule};
use std::fmt;

/// A whole experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    pub data: Data,
    /// Number of training points.
    pub n: usize,
    pub seed: u64,
    /// Number of mixture components.
    pub k: usize,
    /// Widths of the hidden layers.
    pub hidden: Vec<usize>,
    pub act: Activation,
    pub sigma: SigmaMap,
    /// Floor added to every σ (with `cov=full`, to the Cholesky factor's diagonal).
    pub sigma_min: f64,
    pub cov: Covariance,
    /// The distribution of each component.
    pub family: Family,
    /// Degrees of freedom ν of `family=student`'s components.
    pub nu: f64,
    pub opt: OptimizerKind,
    pub lr: f64,
    pub schedule: Schedule,
    /// Momentum of SGD (unused by Adam).
    pub momentum: f64,
    pub batch: Batch,
    /// Training steps that `mdn train` runs (the page runs until paused).
    pub steps: u64,
    /// Gradient-norm clipping threshold; 0 turns clipping off.
    pub clip: f64,
    /// Remedy for dead components: every π is at least ε/K, π = (1 − ε) softmax + ε/K.
    pub pi_floor: f64,
    /// Remedy for dead components: every this many steps, components with average π
    /// below [`crate::train::diagnostics::DEAD_PI`] are moved onto the worst-explained data
    /// (0: never).
    pub reinit_dead: u64,
    /// How the components' means start.
    pub init: Init,
    /// Noise regularization (Rothfuss et al. 2019): standard deviation of Gaussian noise
    /// added to the standardised inputs, and to the targets, at every training step.
    pub noise_x: f64,
    pub noise_y: f64,
    /// Decoupled weight decay (AdamW): every step, each parameter shrinks by lr × this.
    pub weight_decay: f64,
    /// `data=custom`: the points (carried in links as `pts=`, see [`crate::data::userdata`]).
    pub points: Option<UserData>,
    /// Members of a deep ensemble (1: a single network): the same spec, each member's
    /// initialisation and batches from streams of its own ([`crate::base::rng::stream::member`]).
    pub ensemble: usize,
    /// An interval of x with no training point (one-input data): the validation set keeps it.
    pub gap: Option<(f64, f64)>,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            data: Data::BishopInverse,
            n: 8000,
            seed: 1,
            k: 12,
            hidden: vec![16, 16, 16],
            act: Activation::Tanh,
            sigma: SigmaMap::Exp,
            sigma_min: 0.01,
            cov: Covariance::Diagonal,
            family: Family::Gaussian,
            nu: crate::mdn::family::NU,
            opt: OptimizerKind::Adam,
            lr: 0.01,
            schedule: Schedule::Cosine,
            momentum: 0.9,
            batch: Batch::Size(1000),
            steps: 4000,
            clip: 0.0,
            pi_floor: 0.0,
            reinit_dead: 0,
            init: Init::Plain,
            noise_x: 0.0,
            noise_y: 0.0,
            weight_decay: 0.0,
            points: None,
            ensemble: 1,
            gap: None,
        }
    }
}

/// One problem found while reading a spec.
pub type SpecIssue = keys::Issue;

/// The strict parser's error: every issue found.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecError(pub Vec<SpecIssue>);

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(&e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

pub const N_RANGE: (usize, usize) = (10, 50_000);
pub const LR_RANGE: (f64, f64) = (1e-6, 1.0);
pub const MOMENTUM_RANGE: (f64, f64) = (0.0, 0.999);
pub const BATCH_RANGE: (usize, usize) = (1, 50_000);
pub const STEPS_MAX: u64 = 1_000_000;
pub const CLIP_RANGE: (f64, f64) = (0.0, 1e6);
pub const NOISE_RANGE: (f64, f64) = (0.0, 1.0);
pub const WEIGHT_DECAY_RANGE: (f64, f64) = (0.0, 0.1);

/// Every key of the spec, in the order links write them: the one declaration of each key,
/// from which reading, writing, `mdn keys`, the README's table and the page's form follow.
pub const KEYS: &[Key<Spec>] = &[
    choice!(data: Data, "data set", label = "data set"),
    int!(n: usize, N_RANGE.0, N_RANGE.1, "training points (the validation set has 10000 more)", label = "training points"),
    int!(seed: u64, 0, SEED_MAX, "seed of data, initialisation and batches", label = "seed"),
    int!(k: usize, K_RANGE.0, K_RANGE.1, "mixture components", label = "components K"),
    Key {
        name: "hidden",
        label: "hidden layers",
        kind: Kind::Widths {
            layers: LAYERS_MAX,
            lo: WIDTH_RANGE.0 as u64,
            hi: WIDTH_RANGE.1 as u64,
        },
        meaning: "hidden layer widths",
        get: |s| Value::Widths(s.hidden.clone()),
        set: |s, v| {
            if let Value::Widths(w) = v {
                s.hidden = w
            }
        },
    },
    choice!(act: Activation, "hidden activation", label = "activation"),
    choice!(sigma: SigmaMap, "map from raw output to σ", label = "σ map"),
    float!(
        sigma_min,
        SIGMA_MIN_RANGE,
        "floor added to every σ",
        label = "σ floor"
    ),
    choice!(
        cov: Covariance,
        "covariance of each component for 2-D outputs (full: Cholesky factor)"
    , label = "covariance"),
    // Written only when not Gaussian and, for ν, only with Student-t: links and files of
    // the Gaussian head read and write as they did before families existed.
    Key {
        name: "family",
        label: "component family",
        kind: Kind::Choice(Family::NAMES),
        meaning: "distribution of each component (hurdle: mass at 0 + log-normals; \
                  vonmises: angles)",
        get: |s| match s.family {
            Family::Gaussian => Value::Absent,
            f => Value::Choice(f.index()),
        },
        set: |s, v| {
            if let Value::Choice(i) = v {
                s.family = Family::ALL[i]
            }
        },
    },
    Key {
        name: "nu",
        label: "ν (Student-t)",
        kind: Kind::Float(NU_RANGE.0, NU_RANGE.1),
        meaning:
            "family=student: degrees of freedom ν, 4 unless given (1: Cauchy; large: Gaussian)",
        get: |s| match s.family {
            Family::Student => Value::Float(s.nu),
            _ => Value::Absent,
        },
        set: |s, v| {
            if let Value::Float(x) = v {
                s.nu = x
            }
        },
    },
    choice!(opt: OptimizerKind, "optimizer (sgd has momentum)", label = "optimizer"),
    float!(lr, LR_RANGE, "learning rate", label = "learning rate"),
    choice!(
        schedule: Schedule,
        "learning-rate schedule (cosine: down to lr/100 at `steps`)"
    , label = "lr schedule"),
    float!(momentum, MOMENTUM_RANGE, "SGD momentum", label = "momentum"),
    Key {
        name: "batch",
        label: "batch size",
        kind: Kind::AllOrInt(BATCH_RANGE.0 as u64, BATCH_RANGE.1 as u64),
        meaning: "mini-batch size (capped at n)",
        get: |s| match s.batch {
            Batch::All => Value::All,
            Batch::Size(b) => Value::Int(b as u64),
        },
        set: |s, v| match v {
            Value::All => s.batch = Batch::All,
            Value::Int(b) => s.batch = Batch::Size(b as usize),
            _ => {}
        },
    },
    int!(steps: u64, 0, STEPS_MAX, "steps `mdn train` runs", label = "planned steps"),
    float!(
        clip,
        CLIP_RANGE,
        "gradient-norm clip (0: off)",
        label = "gradient clip"
    ),
    float!(
        pi_floor,
        PI_FLOOR_RANGE,
        "ε: every π is at least ε/K (π = (1−ε) softmax + ε/K)",
        label = "π floor ε"
    ),
    int!(
        reinit_dead: u64,
        0,
        STEPS_MAX,
        "every N steps, move dead components onto badly explained data (0: off)"
    , label = "re-seat unused every"),
    choice!(init: Init, "initial means: as initialised, or spread over the targets", label = "initial means"),
    float!(
        noise_x,
        NOISE_RANGE,
        "noise regularization: std of noise on the standardised inputs",
        label = "input noise"
    ),
    float!(
        noise_y,
        NOISE_RANGE,
        "noise regularization: std of noise on the targets",
        label = "target noise"
    ),
    float!(
        weight_decay,
        WEIGHT_DECAY_RANGE,
        "decoupled weight decay per step (× lr)",
        label = "weight decay"
    ),
    // Both written only when set: every link from before ensembles keeps its text.
    Key {
        name: "ensemble",
        label: "ensemble members",
        kind: Kind::Int(1, ENSEMBLE_MAX as u64),
        meaning: "deep ensemble: members trained from their own initialisation and batches, \
                  predicting together as an even mixture (1: one network)",
        get: |s| match s.ensemble {
            1 => Value::Absent,
            m => Value::Int(m as u64),
        },
        set: |s, v| {
            if let Value::Int(m) = v {
                s.ensemble = m as usize
            }
        },
    },
    Key {
        name: "gap",
        label: "gap in x",
        kind: Kind::Numbers(2),
        meaning: "from,to: no training point with x in this interval (one-input data; \
                  the validation set keeps it)",
        get: |s| match s.gap {
            None => Value::Absent,
            Some((a, b)) => Value::Numbers(vec![a, b]),
        },
        set: |s, v| {
            if let Value::Numbers(g) = v {
                s.gap = gap_of(&g)
            }
        },
    },
    Key {
        name: "pts",
        label: "your points",
        kind: Kind::Points,
        meaning: "data=custom: your points, compressed; n is their training part",
        get: |s| Value::Points(s.points.clone()),
        set: |s, v| {
            if let Value::Points(p) = v {
                s.points = p
            }
        },
    },
];

/// The most members of an ensemble.
pub const ENSEMBLE_MAX: usize = 10;

/// A gap from the numbers of a link: two, in either order, of an interval that is not
/// empty (anything else: none, which [`Spec::gap_checks`] reports).
fn gap_of(g: &[f64]) -> Option<(f64, f64)> {
    match g {
        [a, b] if a != b => Some((a.min(*b), a.max(*b))),
        _ => Some((f64::NAN, f64::NAN)),
    }
}

/// The keys' documentation: name, accepts, default, meaning (`mdn keys`, the page).
pub fn key_docs() -> Vec<[String; 4]> {
    keys::docs(KEYS, &Spec::default())
}

/// The keys as the README's Markdown table (`mdn keys --markdown` prints it).
pub fn keys_markdown() -> String {
    keys::markdown(&key_docs())
}

/// The name of the key of a kind (the data set's choice, the points).
fn key_of(kind: Kind) -> &'static str {
    KEYS.iter().find(|k| k.kind == kind).map_or("", |k| k.name)
}

fn key_list() -> String {
    KEYS.iter().map(|d| d.name).collect::<Vec<_>>().join(", ")
}

/// How the spec's problems between keys are written, to be told again in the page's
/// language ([`crate::lang::Lang::retell`]).
pub const SAID: &[&str] = &[
    FEW_POINTS,
    POINTS_ONLY,
    NU_ONLY,
    FULL_ONLY,
    HURDLE_TWO,
    HURDLE_NEGATIVE,
    NOISE_Y,
    GAP_TWO,
    GAP_ONE_INPUT,
    GAP_TOO_WIDE,
    english("using bishop-inverse"),
    english("using diag"),
    english("using gaussian"),
    english("no gap"),
];

const FEW_POINTS: &str = "{0}=custom needs at least {1} points in {2} (got {3})";
const POINTS_ONLY: &str = "{0}: points are used only with {1}=custom";
const NU_ONLY: &str = english("nu: degrees of freedom are used only with family=student");
const FULL_ONLY: &str =
    "cov=full is for family=gaussian only (a {0} component is a product over the output dimensions)";
const HURDLE_TWO: &str = "family=hurdle needs one output that is never negative (zero is its \
     point mass); data={0} has two outputs";
const HURDLE_NEGATIVE: &str = "family=hurdle needs one output that is never negative (zero is \
     its point mass); data={0} has negative ones";
const NOISE_Y: &str = english(
    "noise_y would move the dry days off exactly zero, where family=hurdle's point mass is",
);
const GAP_TWO: &str = english("gap: two different numbers, from,to (e.g. gap=0.35,0.55)");
const GAP_ONE_INPUT: &str = "gap is for data with one input; data={0} has two";
const GAP_TOO_WIDE: &str = "gap={0},{1} holds {2} of the {3} training points; a gap may take at \
     most three quarters of them";

impl Spec {
    /// Strict parse: any unknown key, malformed or out-of-range value is an error.
    pub fn parse(text: &str) -> Result<Spec, SpecError> {
        Spec::parse_ignoring(text, &[])
    }

    /// Strict parse, skipping the keys in `ignore` (see [`crate::share::link::Link::parse_cli`]).
    pub fn parse_ignoring(text: &str, ignore: &[&str]) -> Result<Spec, SpecError> {
        let (spec, issues) = Spec::parse_lenient(text, ignore);
        if issues.is_empty() {
            Ok(spec)
        } else {
            Err(SpecError(issues))
        }
    }

    /// Lenient parse for share links: always gives a valid spec, with the problems found.
    /// Keys in `ignore` (the page's own, [`crate::share::link::page_keys`]) are skipped silently.
    pub fn parse_lenient(text: &str, ignore: &[&str]) -> (Spec, Vec<SpecIssue>) {
        Spec::parse_with_points(text, ignore, || None)
    }

    /// As [`Spec::parse_lenient`]; a link that asks for `data=custom` without points of its
    /// own takes `points()` (the page's: the current experiment's, or the browser's), asked
    /// for only then.
    pub fn parse_with_points(
        text: &str,
        ignore: &[&str],
        points: impl FnOnce() -> Option<UserData>,
    ) -> (Spec, Vec<SpecIssue>) {
        let mut spec = Spec::default();
        let mut issues = Vec::new();
        let d = Spec::default();
        let mut r = Reader::new(&mut issues);
        for (key, value) in keys::pairs(text) {
            if r.full() {
                break;
            }
            if ignore.contains(&key.as_str()) {
                continue;
            }
            match KEYS.iter().find(|k| k.name == key) {
                Some(k) => r.read(k, &value, &mut spec, &d),
                None => r.issue(
                    &key,
                    crate::lang::Lang::En.fill(keys::UNKNOWN, &[&quote(&key), &key_list()]),
                    "ignored",
                ),
            }
        }
        r.repeated(KEYS, &spec);
        // Points belong to data=custom, and custom data need enough of them.
        let (data_key, pts_key) = (key_of(Kind::Choice(Data::NAMES)), key_of(Kind::Points));
        if spec.data == Data::Custom && spec.points.is_none() {
            spec.points = points();
        }
        let issue = |key: &str, message: String, action: &str| SpecIssue {
            key: key.into(),
            message,
            action: action.into(),
        };
        match (spec.data, spec.points.as_ref().map(|u| u.len())) {
            (Data::Custom, Some(n)) if n >= userdata::MIN_POINTS => {
                // n is the training part of the points (a fifth are held out).
                spec.n = n - (n / 5).max(1);
            }
            (Data::Custom, got) => {
                issues.push(issue(
                    data_key,
                    en(
                        FEW_POINTS,
                        &[
                            &data_key,
                            &userdata::MIN_POINTS,
                            &pts_key,
                            &got.unwrap_or(0),
                        ],
                    ),
                    "using bishop-inverse",
                ));
                spec.data = Data::BishopInverse;
                spec.points = None;
            }
            (_, Some(_)) => {
                issues.push(issue(
                    pts_key,
                    en(POINTS_ONLY, &[&pts_key, &data_key]),
                    "ignored",
                ));
                spec.points = None;
            }
            _ => {}
        }
        spec.family_checks(&mut issues);
        spec.gap_checks(&mut issues);
        (spec, issues)
    }

    /// What a family needs of the rest of the spec: a product of 1-D components has no
    /// Cholesky factor; the hurdle needs one output that is never negative, and targets
    /// left at exactly zero.
    fn family_checks(&mut self, issues: &mut Vec<SpecIssue>) {
        let issue = |key: &str, message: String, action: &str| SpecIssue {
            key: key.into(),
            message,
            action: action.into(),
        };
        let fam = self.family.name();
        if self.family != Family::Student && self.nu != Spec::default().nu {
            issues.push(issue("nu", NU_ONLY.into(), "ignored"));
            self.nu = Spec::default().nu;
        }
        if self.family != Family::Gaussian && self.cov == Covariance::Full {
            issues.push(issue("cov", en(FULL_ONLY, &[&fam]), "using diag"));
            self.cov = Covariance::Diagonal;
        }
        if self.family == Family::Hurdle && !self.source().hurdle_fits() {
            issues.push(issue(
                "family",
                en(
                    if self.source().info().dout > 1 {
                        HURDLE_TWO
                    } else {
                        HURDLE_NEGATIVE
                    },
                    &[&self.data.name()],
                ),
                "using gaussian",
            ));
            self.family = Family::Gaussian;
        }
        if self.family == Family::Hurdle && self.noise_y > 0.0 {
            issues.push(issue("noise_y", NOISE_Y.into(), "using 0"));
            self.noise_y = 0.0;
        }
    }

    /// A gap needs one input and must leave training points: at most three quarters of
    /// them fall in it. Anything else is reported and the gap dropped.
    fn gap_checks(&mut self, issues: &mut Vec<SpecIssue>) {
        if let Some(why) = self.gap.and_then(|g| self.gap_problem(g)) {
            issues.push(SpecIssue {
                key: "gap".into(),
                message: why,
                action: "no gap".into(),
            });
            self.gap = None;
        }
    }

    /// What is wrong with the gap (a, b) for this spec's data, if anything.
    fn gap_problem(&self, (a, b): (f64, f64)) -> Option<String> {
        if a.is_nan() {
            return Some(GAP_TWO.into());
        }
        let source = self.source();
        if source.info().din != 1 {
            return Some(en(GAP_ONE_INPUT, &[&self.data.name()]));
        }
        let train = source.ungapped_training();
        let inside = (0..train.len())
            .filter(|&i| (a..=b).contains(&train.x[[0, i]]))
            .count();
        (4 * inside > 3 * train.len()).then(|| en(GAP_TOO_WIDE, &[&a, &b, &inside, &train.len()]))
    }

    /// The canonical query string: every key, in the order of [`KEYS`] (`pts` only with
    /// own points).
    pub fn format(&self) -> String {
        keys::format(KEYS, self)
    }

    /// Where the points come from: `data`, `n`, `seed` and the own points.
    pub fn source(&self) -> Source<'_> {
        Source {
            data: self.data,
            n: self.n,
            seed: self.seed,
            points: self.points.as_ref(),
            gap: self.gap,
            fold: HELD_OUT,
        }
    }

    /// With `family=vonmises` and own points given outside [0, 2π): a sentence saying so
    /// (they are read as angles modulo 2π).
    pub fn angle_note(&self, lang: crate::lang::Lang) -> Option<String> {
        (self.family == Family::VonMises)
            .then(|| crate::data::dataset::angle_note(self.points.as_ref(), lang))
            .flatten()
    }

    /// The optimizer's settings, from `opt`, `lr`, `momentum`, `clip`, `weight_decay` and
    /// `schedule`.
    pub fn optimizer(&self) -> OptimizerConfig {
        OptimizerConfig {
            kind: self.opt,
            lr: self.lr,
            momentum: self.momentum,
            clip: self.clip,
            weight_decay: self.weight_decay,
            schedule: self.schedule,
        }
    }

    /// The mixture head, for outputs of `d` dimensions: from `k`, `cov`, `sigma`,
    /// `sigma_min`, `pi_floor`, `family` and `nu`.
    pub fn head(&self, d: usize) -> Head {
        Head {
            k: self.k,
            d,
            cov: self.cov,
            sigma: self.sigma,
            sigma_min: self.sigma_min,
            pi_floor: self.pi_floor,
            family: self.family,
            nu: self.nu,
        }
    }
}
