//! The handwriting model file: JSON with the spec's link, the normalisation and the
//! LSTM-MDN's parameters (bit for bit: serde_json's float round trip).
//!
//! ```json
//! {"format": "mdn-strokes", "version": 1, "spec": "seed=1&n=400&…",
//!  "mean": [dx, dy], "std": [dx, dy], "params": [ … ]}
//! ```
//! `params` is the flat vector of [`super::lstm::Lstm`]: for each layer, W (4H rows in
//! the gate order i, f, g, o, each over [x; h below; h₋₁]) then b; then the output
//! layer's W (1 + 6M rows, see [`super::pen`]) and b.

use super::data::Scale;
use super::train::StrokeSpec;
use super::PenModel;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "mdn-strokes";
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct File {
    format: String,
    version: u32,
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
}

impl Saved {
    pub fn to_json(&self) -> String {
        serde_json::to_string(&File {
            format: FORMAT.into(),
            version: VERSION,
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
        if f.version != VERSION {
            return Err(format!(
                "version {} is not one this program reads ({VERSION})",
                f.version
            ));
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
        })
    }
}
