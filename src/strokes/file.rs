//! The handwriting model file: JSON with the spec's link, the normalisation and the
//! LSTM-MDN's parameters (bit for bit: serde_json's float round trip).
//!
//! ```json
//! {"format": "mdn-strokes", "version": 2, "precision": "f32", "spec": "seed=1&n=400&…",
//!  "mean": [dx, dy], "std": [dx, dy], "params": [ … ]}
//! ```
//! `precision` says what the parameters were trained in: "f32" (version 2, every value
//! an f32 number, written as its shortest decimal and read back as the nearest f32) or "f64" (version 1 files, which have no such field and
//! still load: the pen draws from any parameters in f64).
//! `params` is the flat vector of [`super::lstm::Lstm`]: for each layer, W (4H rows in
//! the gate order i, f, g, o, each over [x; h below; h₋₁]) then b; then the output
//! layer's W (1 + 6M rows, see [`super::pen`]) and b.

use super::data::Scale;
use super::train::StrokeSpec;
use super::PenModel;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "mdn-strokes";
pub const VERSION: u32 = 2;

/// What a model's parameters were trained in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    F32,
    F64,
}

#[derive(Serialize, Deserialize)]
struct File {
    format: String,
    version: u32,
    /// Absent from version 1 files (f64).
    #[serde(default)]
    precision: Option<Precision>,
    spec: String,
    mean: [f64; 2],
    std: [f64; 2],
    params: Vec<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    early: Option<Early>,
}

/// How far the run that made the file was after its first [`EARLY`] steps (its network's
/// f32 weights, [`fingerprint`]): retraining from the file's spec checks it in seconds,
/// without training the whole run again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Early {
    pub step: usize,
    pub fingerprint: String,
}

/// The steps after which [`Early`] is taken.
pub const EARLY: usize = 3;

/// The bits of f32 weights folded into one word (FNV-1a), in hex.
pub fn fingerprint(weights: &[f32]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in weights {
        h = (h ^ w.to_bits() as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A saved model: what it was trained as, its normalisation and the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Saved {
    pub spec: StrokeSpec,
    pub scale: Scale,
    pub model: PenModel,
    pub precision: Precision,
    /// The run's weights after its first steps, when the file says.
    pub early: Option<Early>,
}

impl Saved {
    pub fn to_json(&self) -> String {
        serde_json::to_string(&File {
            format: FORMAT.into(),
            version: VERSION,
            precision: Some(self.precision),
            spec: self.spec.link(),
            mean: self.scale.mean,
            std: self.scale.std,
            early: self.early.clone(),
            params: match self.precision {
                Precision::F32 => self.model.net.params.iter().map(|&p| short(p)).collect(),
                Precision::F64 => self.model.net.params.clone(),
            },
        })
        .expect("a model serializes")
    }

    /// Reads a model file; a message saying what is wrong otherwise.
    pub fn from_json(text: &str) -> Result<Saved, String> {
        let f: File =
            serde_json::from_str(text).map_err(|e| format!("not a handwriting model file: {e}"))?;
        if f.format != FORMAT {
            return Err(format!("format is {:?}, not {FORMAT:?}", f.format));
        }
        let precision = match (f.version, f.precision) {
            (1, None) => Precision::F64,
            (2, Some(p)) => p,
            (2, None) => return Err("version 2 needs its precision (\"f32\" or \"f64\")".into()),
            (v, _) => {
                return Err(format!(
                    "version {v} is not one this program reads (1 or {VERSION})"
                ))
            }
        };
        let mut params = f.params;
        if precision == Precision::F32 {
            // Each value is an f32's shortest decimal (or the f32 itself): its nearest f32.
            for p in &mut params {
                let f = *p as f32;
                if f as f64 != *p && short(f as f64) != *p {
                    return Err("its precision is f32 but a parameter is not an f32 number".into());
                }
                *p = f as f64;
            }
        }
        let spec = StrokeSpec::parse(&f.spec).map_err(|issues| {
            let all: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
            format!("its spec: {}", all.join("; "))
        })?;
        let good = |v: &[f64]| v.iter().all(|x| x.is_finite());
        if !good(&f.mean) || !good(&f.std) || f.std.iter().any(|s| *s <= 0.0) {
            return Err("its normalisation is not finite and positive".into());
        }
        let model = spec.model(params)?;
        Ok(Saved {
            spec,
            scale: Scale {
                mean: f.mean,
                std: f.std,
            },
            model,
            precision,
            early: f.early,
        })
    }
}

/// An f32 value (held in an f64) as the f64 nearest its shortest f32 decimal, which JSON
/// then writes in about 9 digits instead of 17; reading takes the nearest f32 back. Where
/// that would not give the same f32, the value itself.
fn short(p: f64) -> f64 {
    let f = p as f32;
    let d: f64 = format!("{f}").parse().unwrap_or(p);
    if d as f32 == f {
        d
    } else {
        p
    }
}
