//! Where training stands, as one value: saved and restored whole it makes a run go on with
//! the same bits ([`Experiment::save`], [`Experiment::restore`]), and as bytes it travels
//! between the page's training worker and its helper ([`crate::train::helper`]).

use crate::base::bytes::{Bytes, Writer};
use crate::base::rng::Rng;
use crate::mdn::model::Precision;
use crate::optim::optimizer::Optimizer;
use crate::train::experiment::Experiment;
use crate::train::pass::StepLoss;

/// Everything a training step changes: both models' parameters (and those before the
/// last step), their optimizers, the random streams, the batch order, the step count, the
/// last losses and whether training halted. Saved and restored whole, it makes a run go
/// on with the same bits ([`Experiment::save`], [`Experiment::restore`]); the lead sends it
/// to the helper when their states may differ.
#[derive(Clone)]
pub struct TrainState {
    pub step: u64,
    pub(crate) input: (Vec<f64>, Vec<f64>),
    pub(crate) mdn: Vec<Precision>,
    pub(crate) baseline: Vec<Precision>,
    pub(crate) mdn_opt: Optimizer,
    pub(crate) base_opt: Optimizer,
    pub(crate) batch_rng: Rng,
    pub(crate) noise_rng: Rng,
    pub(crate) order: Vec<usize>,
    pub(crate) cursor: usize,
    pub(crate) last: StepLoss,
    pub(crate) halted: Option<String>,
    pub(crate) reinitialised: u64,
    pub(crate) last_good: (Vec<Precision>, Vec<Precision>),
}

const STATE_MAGIC: &[u8; 4] = b"mdt1";

impl TrainState {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.0.extend_from_slice(STATE_MAGIC);
        w.u64(self.step);
        w.f64s(&self.input.0);
        w.f64s(&self.input.1);
        for p in [
            &self.mdn,
            &self.baseline,
            &self.last_good.0,
            &self.last_good.1,
        ] {
            w.f32s(p);
        }
        self.mdn_opt.write_state(&mut w);
        self.base_opt.write_state(&mut w);
        self.batch_rng.write(&mut w);
        self.noise_rng.write(&mut w);
        w.u64(self.order.len() as u64);
        self.order.iter().for_each(|i| w.u64(*i as u64));
        w.u64(self.cursor as u64);
        w.f64(self.last.nll);
        w.f64(self.last.mse);
        w.u64(self.halted.is_some() as u64);
        w.text(self.halted.as_deref().unwrap_or(""));
        w.u64(self.reinitialised);
        w.0
    }

    /// Reads [`TrainState::to_bytes`] of a state shaped as `like` (the same spec: the
    /// same parameter counts, optimizers and number of training points); `None` if the
    /// bytes are not one.
    pub fn from_bytes(bytes: &[u8], like: &TrainState) -> Option<TrainState> {
        let mut r = Bytes(bytes);
        if r.take(4)? != STATE_MAGIC {
            return None;
        }
        let mut s = like.clone();
        s.step = r.u64()?;
        s.input = (r.f64s()?, r.f64s()?);
        let [mdn, baseline, good_mdn, good_base] = [(); 4].map(|_| r.f32s());
        (s.mdn, s.baseline) = (mdn?, baseline?);
        s.last_good = (good_mdn?, good_base?);
        s.mdn_opt.read_state(&mut r)?;
        s.base_opt.read_state(&mut r)?;
        s.batch_rng = Rng::read(&mut r)?;
        s.noise_rng = Rng::read(&mut r)?;
        let n = r.count()?;
        s.order = (0..n)
            .map(|_| r.u64().filter(|&i| i < n as u64).map(|i| i as usize))
            .collect::<Option<_>>()?;
        s.cursor = r.u64()? as usize;
        s.last = StepLoss {
            nll: r.f64()?,
            mse: r.f64()?,
        };
        let halted = r.u64()?;
        let why = r.text()?;
        s.halted = (halted != 0).then_some(why);
        s.reinitialised = r.u64()?;
        let same = |a: &[Precision], b: &[Precision]| a.len() == b.len();
        let good = |g: &[Precision], p: &[Precision]| g.is_empty() || same(g, p);
        let fits = same(&s.mdn, &like.mdn)
            && same(&s.baseline, &like.baseline)
            && good(&s.last_good.0, &s.mdn)
            && good(&s.last_good.1, &s.baseline)
            && s.input.0.len() == like.input.0.len()
            && s.input.1.len() == like.input.1.len()
            && n == like.order.len()
            && s.cursor <= n;
        (fits && r.done()).then_some(s)
    }
}

impl Experiment {
    /// How many times the training state has changed: while the count stays the same, so
    /// does the state (whatever changed it, even back to an earlier step number).
    pub fn edits(&self) -> u64 {
        self.edits
    }
    /// A step cut short by [`Experiment::train_within`] is under way.
    pub fn mid_step(&self) -> bool {
        self.pending.is_some()
    }
    /// Where training stands: everything a training step changes (see [`TrainState`]).
    /// A step cut short by [`Experiment::train_within`] is not part of it.
    pub fn save(&self) -> TrainState {
        TrainState {
            step: self.step,
            input: (self.model.input_mean.clone(), self.model.input_std.clone()),
            mdn: self.model.mdn.params.clone(),
            baseline: self.model.baseline.params.clone(),
            mdn_opt: self.mdn_opt.clone(),
            base_opt: self.base_opt.clone(),
            batch_rng: self.batch_rng.clone(),
            noise_rng: self.noise_rng.clone(),
            order: self.order.clone(),
            cursor: self.cursor,
            last: self.last,
            halted: self.halted.clone(),
            reinitialised: self.reinitialised,
            last_good: self.last_good.clone(),
        }
    }
    /// Goes back to a state [`Experiment::save`] gave (of this experiment's spec): a step
    /// or metrics under way are dropped.
    pub fn restore(&mut self, s: TrainState) {
        self.edits += 1;
        self.step = s.step;
        (self.model.input_mean, self.model.input_std) = s.input;
        self.model.mdn.params = s.mdn;
        self.model.baseline.params = s.baseline;
        self.mdn_opt = s.mdn_opt;
        self.base_opt = s.base_opt;
        self.batch_rng = s.batch_rng;
        self.noise_rng = s.noise_rng;
        self.order = s.order;
        self.cursor = s.cursor;
        self.last = s.last;
        self.halted = s.halted;
        self.reinitialised = s.reinitialised;
        self.last_good = s.last_good;
        self.pending = None;
        self.pending_metrics = None;
    }
    /// Takes the state of [`TrainState::to_bytes`]; refused, with nothing changed, if the
    /// bytes are not a state of this experiment's spec.
    pub fn restore_bytes(&mut self, bytes: &[u8]) -> Result<(), String> {
        let s = TrainState::from_bytes(bytes, &self.save())
            .ok_or("not a training state of this experiment")?;
        self.restore(s);
        Ok(())
    }
    /// The MSE regressor's side of where training stands (its parameters, the ones
    /// before the last step, its optimizer, the last batch's MSE), at step `step`, with
    /// whether it halted: what the helper that trains it reports (see [`crate::train::helper`]).
    pub fn baseline_part(&self) -> Vec<u8> {
        let mut w = crate::base::bytes::Writer(Vec::new());
        w.u64(self.step);
        w.u64(self.halted.is_some() as u64);
        w.f64(self.last.mse);
        w.f32s(&self.model.baseline.params);
        w.f32s(&self.last_good.1);
        self.base_opt.write_state(&mut w);
        w.0
    }
    /// Takes the regressor's side from [`Experiment::baseline_part`] of an experiment of the
    /// same spec that trained the regressor alone to the same step without halting;
    /// refused, with nothing changed, otherwise.
    pub fn take_baseline_part(&mut self, bytes: &[u8]) -> Result<(), String> {
        let mut r = crate::base::bytes::Bytes(bytes);
        let mut opt = self.base_opt.clone();
        let read = (|| {
            let (step, halted, mse) = (r.u64()?, r.u64()?, r.f64()?);
            let (params, last_good) = (r.f32s()?, r.f32s()?);
            opt.read_state(&mut r)?;
            r.done().then_some((step, halted, mse, params, last_good))
        })();
        let Some((step, halted, mse, params, last_good)) = read else {
            return Err("not a regressor's training state".into());
        };
        let n = self.model.baseline.params.len();
        if step != self.step || halted != 0 || params.len() != n || last_good.len() != n {
            return Err(format!(
                "the regressor's training is at step {step}{}, not at step {}",
                if halted != 0 { " and halted" } else { "" },
                self.step
            ));
        }
        self.model.baseline.params = params;
        self.last_good.1 = last_good;
        self.base_opt = opt;
        self.last.mse = mse;
        Ok(())
    }
}
