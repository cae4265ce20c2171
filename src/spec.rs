//! The experiment spec: one value describing a whole experiment, written as a URL query
//! string (`data=bishop-inverse&n=1000&k=5&...`). The CLI reads it, share links carry it
//! after `#`, and `parse(format(spec)) == spec` holds for every spec.
//!
//! Every key has a documented range ([`KEYS`]). `parse_lenient` never fails: it clamps
//! out-of-range numbers, replaces malformed values by the default, ignores unknown keys,
//! and returns one [`SpecIssue`] per problem, naming the key and what it accepts.
//! `parse` is the strict form used by the CLI: any issue is an error.

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

impl Init {
    pub fn name(self) -> &'static str {
        match self {
            Init::Plain => "plain",
            Init::Diverse => "diverse",
        }
    }
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

/// One problem found while reading a spec. `key` is the key it concerns.
#[derive(Clone, Debug, PartialEq)]
pub struct SpecIssue {
    pub key: String,
    /// What is wrong, naming the key and what it accepts.
    pub message: String,
    /// What the lenient parser did instead ("using 10", "ignored", ...).
    pub action: String,
}

impl fmt::Display for SpecIssue {
    /// The message and what was done about it: the form a share link's reader sees.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.message, self.action)
    }
}

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

/// A documented key: its name, what it accepts, its default and what it means.
pub struct KeyDoc {
    pub key: &'static str,
    pub accepts: &'static str,
    pub default: &'static str,
    pub meaning: &'static str,
}

/// At most this many problems are listed for one link; the rest of it is ignored.
const MAX_ISSUES: usize = 20;

/// Keys of a share link that belong to the page, not to the experiment: how it opens
/// (`play`, `embed`) and what it shows (the 2-D views' `target`, the sampling settings
/// `tpi`, `tsigma`, `samples`, `mode`). They change no result: the CLI ignores them.
pub const PAGE_KEYS: &[&str] = &[
    "play", "embed", "target", "tpi", "tsigma", "samples", "mode",
];

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

/// Every key, in the order `format` writes them. The README's table is this list.
pub const KEYS: &[KeyDoc] = &[
    KeyDoc {
        key: "data",
        accepts: "bishop-inverse | bishop-forward | arm | ring | regimes | rain | custom",
        default: "bishop-inverse",
        meaning: "data set",
    },
    KeyDoc {
        key: "n",
        accepts: "10 to 50000",
        default: "8000",
        meaning: "training points (the validation set has 10000 more)",
    },
    KeyDoc {
        key: "seed",
        accepts: "0 to 9007199254740991",
        default: "1",
        meaning: "seed of data, initialisation and batches",
    },
    KeyDoc {
        key: "k",
        accepts: "1 to 30",
        default: "12",
        meaning: "mixture components",
    },
    KeyDoc {
        key: "hidden",
        accepts: "1 to 4 widths of 1 to 256, comma-separated",
        default: "16,16,16",
        meaning: "hidden layer widths",
    },
    KeyDoc {
        key: "act",
        accepts: "tanh | relu",
        default: "tanh",
        meaning: "hidden activation",
    },
    KeyDoc {
        key: "sigma",
        accepts: "exp | softplus",
        default: "exp",
        meaning: "map from raw output to σ",
    },
    KeyDoc {
        key: "sigma_min",
        accepts: "0 to 1",
        default: "0.01",
        meaning: "floor added to every σ",
    },
    KeyDoc {
        key: "cov",
        accepts: "diag | full",
        default: "diag",
        meaning: "covariance of each component for 2-D outputs (full: Cholesky factor)",
    },
    KeyDoc {
        key: "opt",
        accepts: "adam | sgd",
        default: "adam",
        meaning: "optimizer (sgd has momentum)",
    },
    KeyDoc {
        key: "lr",
        accepts: "0.000001 to 1",
        default: "0.01",
        meaning: "learning rate",
    },
    KeyDoc {
        key: "schedule",
        accepts: "constant | cosine",
        default: "cosine",
        meaning: "learning-rate schedule (cosine: down to lr/100 at `steps`)",
    },
    KeyDoc {
        key: "momentum",
        accepts: "0 to 0.999",
        default: "0.9",
        meaning: "SGD momentum",
    },
    KeyDoc {
        key: "batch",
        accepts: "all | 1 to 50000",
        default: "1000",
        meaning: "mini-batch size (capped at n)",
    },
    KeyDoc {
        key: "steps",
        accepts: "0 to 1000000",
        default: "4000",
        meaning: "steps `mdn train` runs",
    },
    KeyDoc {
        key: "clip",
        accepts: "0 to 1000000",
        default: "0",
        meaning: "gradient-norm clip (0: off)",
    },
    KeyDoc {
        key: "pi_floor",
        accepts: "0 to 0.5",
        default: "0",
        meaning: "ε: every π is at least ε/K (π = (1−ε) softmax + ε/K)",
    },
    KeyDoc {
        key: "reinit_dead",
        accepts: "0 to 1000000",
        default: "0",
        meaning: "every N steps, move dead components onto badly explained data (0: off)",
    },
    KeyDoc {
        key: "init",
        accepts: "plain | diverse",
        default: "plain",
        meaning: "initial means: as initialised, or spread over the targets",
    },
    KeyDoc {
        key: "noise_x",
        accepts: "0 to 1",
        default: "0",
        meaning: "noise regularization: std of noise on the standardised inputs",
    },
    KeyDoc {
        key: "noise_y",
        accepts: "0 to 1",
        default: "0",
        meaning: "noise regularization: std of noise on the targets",
    },
    KeyDoc {
        key: "weight_decay",
        accepts: "0 to 0.1",
        default: "0",
        meaning: "decoupled weight decay per step (× lr)",
    },
    KeyDoc {
        key: "pts",
        accepts: "points written by the page (z2.…)",
        default: "(none)",
        meaning: "data=custom: your points, compressed; n is their training part",
    },
];

/// The keys as the README's Markdown table (`mdn keys --markdown` prints it).
pub fn keys_markdown() -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::from("| key | accepts | default | meaning |\n|---|---|---|---|\n");
    for k in KEYS {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            k.key,
            cell(k.accepts),
            cell(k.default),
            cell(k.meaning)
        ));
    }
    out
}

fn accepted(key: &str) -> &'static str {
    KEYS.iter()
        .find(|d| d.key == key)
        .map(|d| d.accepts)
        .unwrap_or("")
}

fn key_list() -> String {
    KEYS.iter().map(|d| d.key).collect::<Vec<_>>().join(", ")
}

/// User text quoted in a message: shortened, control characters replaced.
/// (Messages are plain text; the page inserts them with `textContent`, never as HTML.)
pub fn quote(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(40)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    format!("'{out}'")
}

/// Decodes `%XX` escapes and `+` (as a space); invalid escapes are kept as written.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The part of a share URL or spec text that holds the keys: after `#`, else after `?`.
pub fn query_part(s: &str) -> &str {
    let s = s.trim();
    if let Some(i) = s.find('#') {
        &s[i + 1..]
    } else if let Some(i) = s.find('?') {
        &s[i + 1..]
    } else {
        s
    }
}

/// A whole number as read by [`whole`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whole {
    Value(u64),
    /// Below zero.
    Negative,
    /// Above `u64::MAX`.
    Huge,
}

/// Reads a whole number however it is written: `1000`, `1e3`, `1000.0`, `-0` are all whole
/// numbers (the value decides, not the notation). The error says what the text is instead:
/// "not a whole number" (e.g. `2.5`) or "not a number".
pub fn whole(text: &str) -> Result<Whole, &'static str> {
    let t = text.trim();
    if let Ok(x) = t.parse::<u64>() {
        return Ok(Whole::Value(x));
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() && f.fract() == 0.0 => Ok(if f == 0.0 {
            Whole::Value(0)
        } else if f < 0.0 {
            Whole::Negative
        } else if f >= 18_446_744_073_709_551_616.0 {
            Whole::Huge
        } else {
            Whole::Value(f as u64)
        }),
        Ok(f) if f.is_finite() => Err("not a whole number"),
        // Digits beyond f64's range (1e400); "inf" and "NaN" are no whole numbers.
        Ok(f) if t.bytes().any(|b| b.is_ascii_digit()) => Ok(if f > 0.0 {
            Whole::Huge
        } else {
            Whole::Negative
        }),
        _ => Err("not a whole number"),
    }
}

struct Reader<'a> {
    issues: &'a mut Vec<SpecIssue>,
}

impl Reader<'_> {
    fn issue(&mut self, key: &str, message: String, action: &str) {
        self.issues.push(SpecIssue {
            key: key.to_string(),
            message,
            action: action.to_string(),
        });
    }

    fn choice<T: Copy>(&mut self, key: &str, v: &str, options: &[(&str, T)], default: T) -> T {
        let lower = v.trim().to_ascii_lowercase();
        match options.iter().find(|(name, _)| *name == lower) {
            Some((_, t)) => *t,
            None => {
                self.issue(
                    key,
                    format!("{key}: {} is not one of {}", quote(v), accepted(key)),
                    "using the default",
                );
                default
            }
        }
    }

    fn int(&mut self, key: &str, v: &str, lo: u64, hi: u64, default: u64) -> u64 {
        match whole(v) {
            Ok(w) => self.clamp_int(key, w, lo, hi, v),
            Err(why) => {
                self.issue(
                    key,
                    format!("{key}: {} is {why} (accepted: {})", quote(v), accepted(key)),
                    "using the default",
                );
                default
            }
        }
    }

    /// The whole number `w` (read from the text `v`) clamped to lo..=hi, with a message
    /// when it is not within.
    fn clamp_int(&mut self, key: &str, w: Whole, lo: u64, hi: u64, v: &str) -> u64 {
        let x = match w {
            Whole::Value(x) => x,
            Whole::Negative => 0,
            Whole::Huge => u64::MAX,
        };
        if x < lo || w == Whole::Negative {
            self.issue(
                key,
                format!("{key}: {} is below the minimum {lo}", quote(v.trim())),
                &format!("using {lo}"),
            );
            lo
        } else if x > hi {
            self.issue(
                key,
                format!("{key}: {} is above the maximum {hi}", quote(v.trim())),
                &format!("using {hi}"),
            );
            hi
        } else {
            x
        }
    }

    fn float(&mut self, key: &str, v: &str, lo: f64, hi: f64, default: f64) -> f64 {
        match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => {
                if x < lo {
                    self.issue(
                        key,
                        format!("{key}: {x} is below the minimum {lo}"),
                        &format!("using {lo}"),
                    );
                    lo
                } else if x > hi {
                    self.issue(
                        key,
                        format!("{key}: {x} is above the maximum {hi}"),
                        &format!("using {hi}"),
                    );
                    hi
                } else if x == 0.0 {
                    0.0 // normalise -0
                } else {
                    x
                }
            }
            _ => {
                self.issue(
                    key,
                    format!(
                        "{key}: {} is not a finite number (accepted: {})",
                        quote(v),
                        accepted(key)
                    ),
                    "using the default",
                );
                default
            }
        }
    }
}

impl Spec {
    /// Strict parse: any unknown key, malformed or out-of-range value is an error.
    pub fn parse(text: &str) -> Result<Spec, SpecError> {
        Spec::parse_ignoring(text, &[])
    }

    /// Strict parse of a link given to the command line: as [`Spec::parse`], but the
    /// page's own keys ([`PAGE_KEYS`]) are accepted and ignored; their names are returned
    /// (once each, in the order given) so that the caller can say so.
    pub fn parse_link(text: &str) -> Result<(Spec, Vec<String>), SpecError> {
        let spec = Spec::parse_ignoring(text, PAGE_KEYS)?;
        let mut ignored: Vec<String> = Vec::new();
        for piece in query_part(text).split('&') {
            let key = percent_decode(piece.split('=').next().unwrap_or(""))
                .trim()
                .to_ascii_lowercase();
            if PAGE_KEYS.contains(&key.as_str()) && !ignored.contains(&key) {
                ignored.push(key);
            }
        }
        Ok((spec, ignored))
    }

    fn parse_ignoring(text: &str, ignore: &[&str]) -> Result<Spec, SpecError> {
        let (spec, issues) = Spec::parse_lenient(text, ignore);
        if issues.is_empty() {
            Ok(spec)
        } else {
            Err(SpecError(issues))
        }
    }

    /// Lenient parse for share links: always gives a valid spec, with the problems found.
    /// Keys in `ignore` (e.g. the page's own `play`, `embed`) are skipped silently.
    pub fn parse_lenient(text: &str, ignore: &[&str]) -> (Spec, Vec<SpecIssue>) {
        let mut spec = Spec::default();
        let mut issues = Vec::new();
        let mut seen: Vec<(String, usize)> = Vec::new();
        let d = Spec::default();
        let query = query_part(text);
        for piece in query.split('&') {
            if piece.trim().is_empty() {
                continue;
            }
            if issues.len() >= MAX_ISSUES {
                issues.push(SpecIssue {
                    key: String::new(),
                    message: "too many problems".into(),
                    action: "the rest of the link was ignored".into(),
                });
                break;
            }
            let (k, v) = match piece.find('=') {
                Some(i) => (&piece[..i], &piece[i + 1..]),
                None => (piece, ""),
            };
            let key = percent_decode(k).trim().to_ascii_lowercase();
            let value = percent_decode(v);
            if ignore.contains(&key.as_str()) {
                continue;
            }
            let mut r = Reader {
                issues: &mut issues,
            };
            if KEYS.iter().any(|d| d.key == key) {
                match seen.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, times)) => *times += 1,
                    None => seen.push((key.clone(), 1)),
                }
            }
            match key.as_str() {
                "data" => {
                    spec.data = r.choice(
                        &key,
                        &value,
                        &[
                            ("bishop-inverse", Data::BishopInverse),
                            ("bishop-forward", Data::BishopForward),
                            ("arm", Data::Arm),
                            ("ring", Data::Ring),
                            ("regimes", Data::Regimes),
                            ("rain", Data::Rain),
                            ("custom", Data::Custom),
                        ],
                        d.data,
                    )
                }
                "n" => {
                    spec.n =
                        r.int(&key, &value, N_RANGE.0 as u64, N_RANGE.1 as u64, d.n as u64) as usize
                }
                "seed" => spec.seed = r.int(&key, &value, 0, SEED_MAX, d.seed),
                "k" => {
                    spec.k =
                        r.int(&key, &value, K_RANGE.0 as u64, K_RANGE.1 as u64, d.k as u64) as usize
                }
                "hidden" => spec.hidden = read_hidden(&mut r, &value, &d.hidden),
                "act" => {
                    spec.act = r.choice(
                        &key,
                        &value,
                        &[("tanh", Activation::Tanh), ("relu", Activation::Relu)],
                        d.act,
                    )
                }
                "sigma" => {
                    spec.sigma = r.choice(
                        &key,
                        &value,
                        &[("exp", SigmaMap::Exp), ("softplus", SigmaMap::Softplus)],
                        d.sigma,
                    )
                }
                "sigma_min" => {
                    spec.sigma_min = r.float(
                        &key,
                        &value,
                        SIGMA_MIN_RANGE.0,
                        SIGMA_MIN_RANGE.1,
                        d.sigma_min,
                    )
                }
                "cov" => {
                    spec.cov = r.choice(
                        &key,
                        &value,
                        &[("diag", Covariance::Diagonal), ("full", Covariance::Full)],
                        d.cov,
                    )
                }
                "opt" => {
                    spec.opt = r.choice(
                        &key,
                        &value,
                        &[("adam", OptimizerKind::Adam), ("sgd", OptimizerKind::Sgd)],
                        d.opt,
                    )
                }
                "lr" => spec.lr = r.float(&key, &value, LR_RANGE.0, LR_RANGE.1, d.lr),
                "schedule" => {
                    spec.schedule = r.choice(
                        &key,
                        &value,
                        &[
                            ("constant", Schedule::Constant),
                            ("cosine", Schedule::Cosine),
                        ],
                        d.schedule,
                    )
                }
                "momentum" => {
                    spec.momentum =
                        r.float(&key, &value, MOMENTUM_RANGE.0, MOMENTUM_RANGE.1, d.momentum)
                }
                "batch" => {
                    spec.batch = if value.trim().eq_ignore_ascii_case("all") {
                        Batch::All
                    } else {
                        Batch::Size(r.int(
                            &key,
                            &value,
                            BATCH_RANGE.0 as u64,
                            BATCH_RANGE.1 as u64,
                            0,
                        ) as usize)
                    };
                    if spec.batch == Batch::Size(0) {
                        spec.batch = d.batch;
                    }
                }
                "steps" => spec.steps = r.int(&key, &value, 0, STEPS_MAX, d.steps),
                "clip" => spec.clip = r.float(&key, &value, CLIP_RANGE.0, CLIP_RANGE.1, d.clip),
                "pi_floor" => {
                    spec.pi_floor =
                        r.float(&key, &value, PI_FLOOR_RANGE.0, PI_FLOOR_RANGE.1, d.pi_floor)
                }
                "reinit_dead" => {
                    spec.reinit_dead = r.int(&key, &value, 0, STEPS_MAX, d.reinit_dead)
                }
                "init" => {
                    spec.init = r.choice(
                        &key,
                        &value,
                        &[("plain", Init::Plain), ("diverse", Init::Diverse)],
                        d.init,
                    )
                }
                "noise_x" => {
                    spec.noise_x = r.float(&key, &value, NOISE_RANGE.0, NOISE_RANGE.1, d.noise_x)
                }
                "noise_y" => {
                    spec.noise_y = r.float(&key, &value, NOISE_RANGE.0, NOISE_RANGE.1, d.noise_y)
                }
                "pts" => match crate::userdata::decode(value.trim()) {
                    Ok(u) => spec.points = Some(u),
                    Err(e) => r.issue(&key, e, "ignored"),
                },
                "weight_decay" => {
                    spec.weight_decay = r.float(
                        &key,
                        &value,
                        WEIGHT_DECAY_RANGE.0,
                        WEIGHT_DECAY_RANGE.1,
                        d.weight_decay,
                    )
                }
                _ => r.issue(
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
        // A key given more than once: one message, with the value in use (the last one,
        // as read).
        let canonical = spec.format();
        for (key, times) in seen.iter().filter(|(_, t)| *t > 1) {
            let used = canonical
                .split('&')
                .find_map(|kv| kv.strip_prefix(key.as_str())?.strip_prefix('='))
                .unwrap_or("");
            let used = if used.len() > 40 {
                "(the last one)"
            } else {
                used
            };
            issues.push(SpecIssue {
                key: key.clone(),
                message: format!("{key}: given {times} times"),
                action: format!("using the last value, {used}"),
            });
        }
        // Points belong to data=custom, and custom data need enough of them.
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
                    "data",
                    format!(
                        "data=custom needs at least {} points in pts (got {})",
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
                    "pts",
                    "pts: points are used only with data=custom".into(),
                    "ignored",
                ));
                spec.points = None;
            }
            _ => {}
        }
        (spec, issues)
    }

    /// The canonical query string: every key, in the order of [`KEYS`].
    pub fn format(&self) -> String {
        let data = self.data.name();
        let hidden = self
            .hidden
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let batch = match self.batch {
            Batch::All => "all".to_string(),
            Batch::Size(b) => b.to_string(),
        };
        format!(
            "data={data}&n={}&seed={}&k={}&hidden={hidden}&act={}&sigma={}&sigma_min={}&cov={}&opt={}&lr={}&schedule={}&momentum={}&batch={batch}&steps={}&clip={}&pi_floor={}&reinit_dead={}&init={}&noise_x={}&noise_y={}&weight_decay={}",
            self.n,
            self.seed,
            self.k,
            self.act.name(),
            self.sigma.name(),
            self.sigma_min,
            self.cov.name(),
            self.opt.name(),
            self.lr,
            self.schedule.name(),
            self.momentum,
            self.steps,
            self.clip,
            self.pi_floor,
            self.reinit_dead,
            self.init.name(),
            self.noise_x,
            self.noise_y,
            self.weight_decay
        ) + &self
            .points
            .as_ref()
            .map(|u| format!("&pts={}", userdata::encode(u)))
            .unwrap_or_default()
    }

    /// Batch size actually used with `n` training points.
    pub fn batch_size(&self) -> usize {
        match self.batch {
            Batch::All => self.n,
            Batch::Size(b) => b.min(self.n),
        }
    }
}

fn read_hidden(r: &mut Reader, v: &str, default: &[usize]) -> Vec<usize> {
    let parts: Vec<&str> = v.split(',').map(str::trim).collect();
    let mut out = Vec::new();
    for p in &parts {
        match whole(p) {
            Ok(w) => {
                out.push(
                    r.clamp_int("hidden", w, WIDTH_RANGE.0 as u64, WIDTH_RANGE.1 as u64, p)
                        as usize,
                )
            }
            Err(_) => {
                r.issue(
                    "hidden",
                    format!(
                        "hidden: {} is not a comma list of widths (accepted: {})",
                        quote(v),
                        accepted("hidden")
                    ),
                    "using the default",
                );
                return default.to_vec();
            }
        }
    }
    if out.len() > LAYERS_MAX {
        r.issue(
            "hidden",
            format!("hidden: at most {LAYERS_MAX} layers"),
            &format!("using the first {LAYERS_MAX}"),
        );
        out.truncate(LAYERS_MAX);
    }
    out
}

impl Activation {
    pub fn name(self) -> &'static str {
        match self {
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
        }
    }
}

impl SigmaMap {
    pub fn name(self) -> &'static str {
        match self {
            SigmaMap::Exp => "exp",
            SigmaMap::Softplus => "softplus",
        }
    }
}

impl Covariance {
    pub fn name(self) -> &'static str {
        match self {
            Covariance::Diagonal => "diag",
            Covariance::Full => "full",
        }
    }
}

impl Schedule {
    pub fn name(self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::Cosine => "cosine",
        }
    }

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

impl OptimizerKind {
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Adam => "adam",
            OptimizerKind::Sgd => "sgd",
        }
    }
}

impl Data {
    pub fn name(self) -> &'static str {
        match self {
            Data::BishopInverse => "bishop-inverse",
            Data::BishopForward => "bishop-forward",
            Data::Arm => "arm",
            Data::Ring => "ring",
            Data::Regimes => "regimes",
            Data::Rain => "rain",
            Data::Custom => "custom",
        }
    }
}
