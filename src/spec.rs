//! The experiment spec: one value describing a whole experiment, written as a URL query
//! string (`data=bishop-inverse&n=1000&k=5&...`). The CLI reads it, share links carry it
//! after `#`, and `parse(format(spec)) == spec` holds for every spec.
//!
//! Every key has a documented range ([`KEYS`]). `parse_lenient` never fails: it clamps
//! out-of-range numbers, replaces malformed values by the default, ignores unknown keys,
//! and returns one [`SpecIssue`] per problem, naming the key and what it accepts.
//! `parse` is the strict form used by the CLI: any issue is an error.

use crate::keys::{self, Key, Kind, Reader, Value};
pub use crate::keys::{whole, Whole};
pub use crate::text::quote;
use crate::userdata::{self, UserData};
use std::fmt;

/// Which data set an experiment trains on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Data {
    /// Bishop (1994): t ~ U(0,1), x = t + 0.3 sin(2πt) + U(-0.1, 0.1); predict t from x.
    BishopInverse,
    /// The same curve, forward: predict x from t (one mode).
    BishopForward,
    /// Bishop's two-joint robot arm, inverse kinematics: predict the joint angles
    /// (θ1, θ2) from the end effector's position (x1, x2). Elbow up or elbow down.
    Arm,
    /// A ring: y = ±√(1 − x²) plus noise, two branches that meet at x = ±1.
    Ring,
    /// Returns from a bull or a bear regime, whose probability depends on a market feature.
    Regimes,
    /// Rain: zero with a probability that depends on the humidity, otherwise a skewed
    /// positive amount. A point mass a Gaussian mixture cannot represent.
    Rain,
    /// Wind direction (radians, [0, 2π)) over the season: a prevailing wind that turns
    /// once around the compass in a year, and a weaker second wind. An angle that wraps.
    Wind,
    /// Your own points (`pts`).
    Custom,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Tanh,
    Relu,
}

/// How a raw network output becomes a positive scale σ (before the floor is added).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigmaMap {
    Exp,
    Softplus,
}

/// The covariance of each component (for outputs of more than one dimension).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Covariance {
    /// Σ = diag(σ_1², ..., σ_D²): the dimensions are independent within a component.
    Diagonal,
    /// Σ = L Lᵀ with L lower triangular (a Cholesky factor): any correlation.
    Full,
}

/// The distribution of each mixture component (see [`crate::family`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Family {
    /// N(μ, σ²): the seed's head (a Cholesky factor per component for 2-D outputs).
    Gaussian,
    /// Laplace(μ, b): a sharper peak and exponential tails, the median's loss.
    Laplace,
    /// Student-t with `nu` degrees of freedom, location μ and scale s: heavy tails.
    Student,
    /// A point mass at exactly zero with probability P(dry | x) (a logistic output), and a
    /// mixture of log-normal components for y > 0 (rain).
    Hurdle,
    /// Von Mises(μ, κ = 1/s²): a density on the circle, for angles in radians.
    VonMises,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizerKind {
    Adam,
    Sgd,
}

/// How the learning rate changes over the `steps` of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Schedule {
    /// The same rate throughout.
    Constant,
    /// Cosine decay from `lr` to `lr / 100` at step `steps`, then flat.
    Cosine,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Batch {
    /// Full batch: every step uses the whole training set.
    All,
    /// Mini-batches of this size, drawn without replacement, reshuffled each epoch.
    Size(usize),
}

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
    /// below [`crate::experiment::DEAD_PI`] are moved onto the worst-explained data
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
    /// `data=custom`: the points (carried in links as `pts=`, see [`crate::userdata`]).
    pub points: Option<UserData>,
}

/// How the components' means start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// As the network's random initialisation puts them (all near the same value).
    Plain,
    /// Spread over the training targets (farthest-point sampling), so that each
    /// component starts on a different part of the data.
    Diverse,
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
            nu: 4.0,
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
pub const SEED_MAX: u64 = 9_007_199_254_740_991; // 2^53 - 1, exact in JavaScript
pub const K_RANGE: (usize, usize) = (1, 30);
pub const LAYERS_MAX: usize = 4;
pub const WIDTH_RANGE: (usize, usize) = (1, 256);
pub const SIGMA_MIN_RANGE: (f64, f64) = (0.0, 1.0);
pub const LR_RANGE: (f64, f64) = (1e-6, 1.0);
pub const MOMENTUM_RANGE: (f64, f64) = (0.0, 0.999);
pub const BATCH_RANGE: (usize, usize) = (1, 50_000);
pub const STEPS_MAX: u64 = 1_000_000;
pub const CLIP_RANGE: (f64, f64) = (0.0, 1e6);
pub const PI_FLOOR_RANGE: (f64, f64) = (0.0, 0.5);
pub const NOISE_RANGE: (f64, f64) = (0.0, 1.0);
pub const WEIGHT_DECAY_RANGE: (f64, f64) = (0.0, 0.1);
pub const NU_RANGE: (f64, f64) = (1.0, 1000.0);

/// A key of one of the spec's choices (an enum with [`Named`]).
macro_rules! choice {
    ($field:ident: $t:ty, $meaning:literal) => {
        Key {
            name: stringify!($field),
            kind: Kind::Choice(<$t>::NAMES),
            meaning: $meaning,
            get: |s| Value::Choice(s.$field.index()),
            set: |s, v| {
                if let Value::Choice(i) = v {
                    s.$field = <$t>::ALL[i]
                }
            },
        }
    };
}

/// A key of a whole number of the spec, from lo to hi.
macro_rules! int {
    ($field:ident: $t:ty, $lo:expr, $hi:expr, $meaning:literal) => {
        Key {
            name: stringify!($field),
            kind: Kind::Int($lo as u64, $hi as u64),
            meaning: $meaning,
            get: |s| Value::Int(s.$field as u64),
            set: |s, v| {
                if let Value::Int(x) = v {
                    s.$field = x as $t
                }
            },
        }
    };
}

/// A key of a number of the spec, within a range.
macro_rules! float {
    ($field:ident, $range:expr, $meaning:literal) => {
        Key {
            name: stringify!($field),
            kind: Kind::Float($range.0, $range.1),
            meaning: $meaning,
            get: |s| Value::Float(s.$field),
            set: |s, v| {
                if let Value::Float(x) = v {
                    s.$field = x
                }
            },
        }
    };
}

// The other key tables (the strokes' spec) declare their keys with the same macros.
pub(crate) use {choice, float, int};

/// Every key of the spec, in the order links write them: the one declaration of each key,
/// from which reading, writing, `mdn keys`, the README's table and the page's form follow.
pub const KEYS: &[Key<Spec>] = &[
    choice!(data: Data, "data set"),
    int!(n: usize, N_RANGE.0, N_RANGE.1, "training points (the validation set has 10000 more)"),
    int!(seed: u64, 0, SEED_MAX, "seed of data, initialisation and batches"),
    int!(k: usize, K_RANGE.0, K_RANGE.1, "mixture components"),
    Key {
        name: "hidden",
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
    choice!(act: Activation, "hidden activation"),
    choice!(sigma: SigmaMap, "map from raw output to σ"),
    float!(sigma_min, SIGMA_MIN_RANGE, "floor added to every σ"),
    choice!(
        cov: Covariance,
        "covariance of each component for 2-D outputs (full: Cholesky factor)"
    ),
    // Written only when not Gaussian and, for ν, only with Student-t: links and files of
    // the Gaussian head read and write as they did before families existed.
    Key {
        name: "family",
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
    choice!(opt: OptimizerKind, "optimizer (sgd has momentum)"),
    float!(lr, LR_RANGE, "learning rate"),
    choice!(
        schedule: Schedule,
        "learning-rate schedule (cosine: down to lr/100 at `steps`)"
    ),
    float!(momentum, MOMENTUM_RANGE, "SGD momentum"),
    Key {
        name: "batch",
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
    int!(steps: u64, 0, STEPS_MAX, "steps `mdn train` runs"),
    float!(clip, CLIP_RANGE, "gradient-norm clip (0: off)"),
    float!(
        pi_floor,
        PI_FLOOR_RANGE,
        "ε: every π is at least ε/K (π = (1−ε) softmax + ε/K)"
    ),
    int!(
        reinit_dead: u64,
        0,
        STEPS_MAX,
        "every N steps, move dead components onto badly explained data (0: off)"
    ),
    choice!(init: Init, "initial means: as initialised, or spread over the targets"),
    float!(
        noise_x,
        NOISE_RANGE,
        "noise regularization: std of noise on the standardised inputs"
    ),
    float!(
        noise_y,
        NOISE_RANGE,
        "noise regularization: std of noise on the targets"
    ),
    float!(
        weight_decay,
        WEIGHT_DECAY_RANGE,
        "decoupled weight decay per step (× lr)"
    ),
    Key {
        name: "pts",
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

/// An enum of the spec written by name in links: its values and their names, in order.
pub trait Named: Copy + PartialEq + 'static {
    const ALL: &'static [Self];
    const NAMES: &'static [&'static str];

    fn index(self) -> usize {
        Self::ALL.iter().position(|v| *v == self).expect("listed")
    }

    /// The value of a name (exact, lower case), if any.
    fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }
}

/// Declares an enum's names (and its `name()`), once.
macro_rules! named {
    ($t:ty { $($v:ident => $n:literal),* $(,)? }) => {
        impl Named for $t {
            const ALL: &'static [Self] = &[$(<$t>::$v),*];
            const NAMES: &'static [&'static str] = &[$($n),*];
        }
        impl $t {
            pub fn name(self) -> &'static str {
                Self::NAMES[self.index()]
            }
        }
    };
}
pub(crate) use named;

named!(Data {
    BishopInverse => "bishop-inverse",
    BishopForward => "bishop-forward",
    Arm => "arm",
    Ring => "ring",
    Regimes => "regimes",
    Rain => "rain",
    Wind => "wind",
    Custom => "custom",
});
named!(Activation { Tanh => "tanh", Relu => "relu" });
named!(SigmaMap { Exp => "exp", Softplus => "softplus" });
named!(Covariance { Diagonal => "diag", Full => "full" });
named!(Family {
    Gaussian => "gaussian",
    Laplace => "laplace",
    Student => "student",
    Hurdle => "hurdle",
    VonMises => "vonmises",
});
named!(OptimizerKind { Adam => "adam", Sgd => "sgd" });
named!(Schedule { Constant => "constant", Cosine => "cosine" });
named!(Init { Plain => "plain", Diverse => "diverse" });

impl Spec {
    /// Strict parse: any unknown key, malformed or out-of-range value is an error.
    pub fn parse(text: &str) -> Result<Spec, SpecError> {
        Spec::parse_ignoring(text, &[])
    }

    /// Strict parse, skipping the keys in `ignore` (see [`crate::link::Link::parse_cli`]).
    pub fn parse_ignoring(text: &str, ignore: &[&str]) -> Result<Spec, SpecError> {
        let (spec, issues) = Spec::parse_lenient(text, ignore);
        if issues.is_empty() {
            Ok(spec)
        } else {
            Err(SpecError(issues))
        }
    }

    /// Lenient parse for share links: always gives a valid spec, with the problems found.
    /// Keys in `ignore` (the page's own, [`crate::link::page_keys`]) are skipped silently.
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
                    format!(
                        "unknown key {} (accepted keys: {})",
                        quote(&key),
                        key_list()
                    ),
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
                    format!(
                        "{data_key}=custom needs at least {} points in {pts_key} (got {})",
                        userdata::MIN_POINTS,
                        got.unwrap_or(0)
                    ),
                    "using bishop-inverse",
                ));
                spec.data = Data::BishopInverse;
                spec.points = None;
            }
            (_, Some(_)) => {
                issues.push(issue(
                    pts_key,
                    format!("{pts_key}: points are used only with {data_key}=custom"),
                    "ignored",
                ));
                spec.points = None;
            }
            _ => {}
        }
        spec.family_checks(&mut issues);
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
            issues.push(issue(
                "nu",
                "nu: degrees of freedom are used only with family=student".into(),
                "ignored",
            ));
            self.nu = Spec::default().nu;
        }
        if self.family != Family::Gaussian && self.cov == Covariance::Full {
            issues.push(issue(
                "cov",
                format!(
                    "cov=full is for family=gaussian only (a {fam} component is a product \
                     over the output dimensions)"
                ),
                "using diag",
            ));
            self.cov = Covariance::Diagonal;
        }
        if self.family == Family::Hurdle && !crate::dataset::hurdle_fits(self) {
            issues.push(issue(
                "family",
                format!(
                    "family=hurdle needs one output that is never negative (zero is its point \
                     mass); data={} has {}",
                    self.data.name(),
                    if crate::dataset::info(self).dout > 1 {
                        "two outputs"
                    } else {
                        "negative ones"
                    }
                ),
                "using gaussian",
            ));
            self.family = Family::Gaussian;
        }
        if self.family == Family::Hurdle && self.noise_y > 0.0 {
            issues.push(issue(
                "noise_y",
                "noise_y would move the dry days off exactly zero, where family=hurdle's \
                 point mass is"
                    .into(),
                "using 0",
            ));
            self.noise_y = 0.0;
        }
    }

    /// The canonical query string: every key, in the order of [`KEYS`] (`pts` only with
    /// own points).
    pub fn format(&self) -> String {
        keys::format(KEYS, self)
    }

    /// Batch size actually used with `n` training points.
    pub fn batch_size(&self) -> usize {
        match self.batch {
            Batch::All => self.n,
            Batch::Size(b) => b.min(self.n),
        }
    }
}

impl Schedule {
    /// The learning rate at `step` of a run of `steps`.
    pub fn lr(self, lr: f64, step: u64, steps: u64) -> f64 {
        match self {
            Schedule::Constant => lr,
            Schedule::Cosine => {
                let f = if steps == 0 {
                    1.0
                } else {
                    (step.min(steps) as f64) / steps as f64
                };
                let c = 0.5 * (1.0 + libm::cos(std::f64::consts::PI * f));
                lr * (0.01 + 0.99 * c)
            }
        }
    }
}
