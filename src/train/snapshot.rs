//! What the training worker sends the page after every slice of training: where training
//! stands, both models' parameters, the metrics and the loss histories. Only Rust writes
//! and reads it ([`Snapshot::to_bytes`], [`Snapshot::from_bytes`]); between the worker
//! and the page it is one transferable buffer of bytes.

use crate::base::bytes::{Bytes, Writer};
use crate::train::experiment::Metrics;

/// One snapshot of a training run.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Snapshot {
    /// Steps taken, and the steps the spec plans (`steps`).
    pub step: u64,
    pub planned: u64,
    /// Why training stopped on a number that was not finite, if it did.
    pub halted: Option<String>,
    /// The latest metrics (computed about once a second while training).
    pub metrics: Option<Metrics>,
    pub mdn: Vec<f32>,
    pub baseline: Vec<f32>,
    /// The baseline's noise scale per output dimension.
    pub baseline_sigma: Vec<f64>,
    /// Loss histories as (step, value): training batches, validation, the baseline's
    /// validation NLL.
    pub histories: [Vec<(f64, f64)>; 3],
}

const MAGIC: &[u8; 4] = b"mdn1";

impl Snapshot {
    /// The planned steps are done (as [`crate::train::experiment::Experiment::planned_done`] said).
    pub fn done(&self) -> bool {
        self.step >= self.planned
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(
            64 + 4 * (self.mdn.len() + self.baseline.len()),
        ));
        w.0.extend_from_slice(MAGIC);
        w.u64(self.step);
        w.u64(self.planned);
        w.text(self.halted.as_deref().unwrap_or(""));
        let metrics = self
            .metrics
            .as_ref()
            .map(|m| serde_json::to_string(m).expect("serializes"))
            .unwrap_or_default();
        w.text(&metrics);
        w.f32s(&self.mdn);
        w.f32s(&self.baseline);
        w.f64s(&self.baseline_sigma);
        for h in &self.histories {
            w.u64(h.len() as u64);
            for (s, v) in h {
                w.f64(*s);
                w.f64(*v);
            }
        }
        w.0
    }

    /// Reads bytes from [`Snapshot::to_bytes`]; `None` if they are not a snapshot.
    pub fn from_bytes(b: &[u8]) -> Option<Snapshot> {
        let mut r = Bytes(b);
        if r.take(4)? != MAGIC {
            return None;
        }
        let step = r.u64()?;
        let planned = r.u64()?;
        let halted = r.text()?;
        let metrics = r.text()?;
        let mdn = r.f32s()?;
        let baseline = r.f32s()?;
        let baseline_sigma = r.f64s()?;
        let mut histories: [Vec<(f64, f64)>; 3] = Default::default();
        for h in &mut histories {
            let n = r.count()?;
            *h = (0..n)
                .map(|_| Some((r.f64()?, r.f64()?)))
                .collect::<Option<_>>()?;
        }
        Some(Snapshot {
            step,
            planned,
            halted: (!halted.is_empty()).then_some(halted),
            metrics: serde_json::from_str(&metrics).ok(),
            mdn,
            baseline,
            baseline_sigma,
            histories,
        })
    }
}
