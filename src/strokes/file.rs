//! The handwriting model file: JSON with the spec's link, the normalisation and the
//! LSTM-MDN's parameters (bit for bit: serde_json's float round trip).
//!
//! ```json
//! {"format": "mdn-strokes", "version": 2, "precision": "f32", "spec": "seed=1&n=400&…",
//!  "mean": [dx, dy], "std": [dx, dy], "params": [ … ]}
//! ```
//! `precision` says what the parameters were trained in: "f32" (version 2, every value
//! an f32 number, written as f64) or "f64" (version 1 files, which have no such field and
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
}

/// A saved model: what it was trained as, its normalisation and the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Saved {
    pub spec: StrokeSpec,
    pub scale: Scale,
    pub model: PenModel,
    pub precision: Precision,
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
            params: self.model.net.params.clone(),
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
        if precision == Precision::F32 && f.params.iter().any(|p| (*p as f32) as f64 != *p) {
            return Err("its precision is f32 but a parameter is not an f32 number".into());
        }
        let spec = StrokeSpec::parse(&f.spec).map_err(|issues| {
            let all: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
            format!("its spec: {}", all.join("; "))
        })?;
        let good = |v: &[f64]| v.iter().all(|x| x.is_finite());
        if !good(&f.mean) || !good(&f.std) || f.std.iter().any(|s| *s <= 0.0) {
            return Err("its normalisation is not finite and positive".into());
        }
        let model = spec.model(f.params)?;
        Ok(Saved {
            spec,
            scale: Scale {
                mean: f.mean,
                std: f.std,
            },
            model,
            precision,
        })
    }
}
