//! What the training worker sends the page after every slice of training: where training
//! stands, both models' parameters, the metrics and the loss histories. Only Rust writes
//! and reads it ([`Snapshot::to_bytes`], [`Snapshot::from_bytes`]); between the worker
//! and the page it is one transferable buffer of bytes.

use crate::experiment::Metrics;

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
    /// The planned steps are done (as [`crate::Experiment::planned_done`] said).
    pub fn done(&self) -> bool {
        self.step >= self.planned
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Vec::with_capacity(64 + 4 * (self.mdn.len() + self.baseline.len()));
        w.extend_from_slice(MAGIC);
        w.extend_from_slice(&self.step.to_le_bytes());
        w.extend_from_slice(&self.planned.to_le_bytes());
        let text = |w: &mut Vec<u8>, t: &str| {
            w.extend_from_slice(&(t.len() as u64).to_le_bytes());
            w.extend_from_slice(t.as_bytes());
        };
        text(&mut w, self.halted.as_deref().unwrap_or(""));
        let metrics = self
            .metrics
            .as_ref()
            .map(|m| serde_json::to_string(m).expect("serializes"))
            .unwrap_or_default();
        text(&mut w, &metrics);
        let count = |w: &mut Vec<u8>, n: usize| w.extend_from_slice(&(n as u64).to_le_bytes());
        for v in [&self.mdn, &self.baseline] {
            count(&mut w, v.len());
            v.iter().for_each(|x| w.extend_from_slice(&x.to_le_bytes()));
        }
        count(&mut w, self.baseline_sigma.len());
        for x in &self.baseline_sigma {
            w.extend_from_slice(&x.to_le_bytes());
        }
        for h in &self.histories {
            count(&mut w, h.len());
            for (s, v) in h {
                w.extend_from_slice(&s.to_le_bytes());
                w.extend_from_slice(&v.to_le_bytes());
            }
        }
        w
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
        let f32s = |r: &mut Bytes| -> Option<Vec<f32>> {
            let n = r.len()?;
            (0..n)
                .map(|_| Some(f32::from_le_bytes(r.take(4)?.try_into().ok()?)))
                .collect()
        };
        let mdn = f32s(&mut r)?;
        let baseline = f32s(&mut r)?;
        let n = r.len()?;
        let baseline_sigma = (0..n).map(|_| r.f64()).collect::<Option<Vec<f64>>>()?;
        let mut histories: [Vec<(f64, f64)>; 3] = Default::default();
        for h in &mut histories {
            let n = r.len()?;
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

/// A reader over bytes that never reads past their end.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn f64(&mut self) -> Option<f64> {
        Some(f64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A count of items, at most the bytes left (so a damaged count cannot allocate).
    fn len(&mut self) -> Option<usize> {
        let n = self.u64()?;
        (n <= self.0.len() as u64).then_some(n as usize)
    }

    fn text(&mut self) -> Option<String> {
        let n = self.len()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}
