//! An experiment: a spec made real. It owns the data, the MDN, the MSE baseline and their
//! optimizers, and trains both side by side on the same batches.

use crate::dataset::{self, DataInfo, Dataset};
use crate::head::Head;
use crate::loss::{self, LossScratch};
use crate::math::Real;
use crate::model::{Model, Precision};
use crate::network::{Kernels, Network, Workspace, BLOCK};
use crate::optimizer::Optimizer;
use crate::rng::{stream, Rng};
use crate::spec::{Batch, Data, Init, Spec};
use crate::split::TrainState;
use serde::Serialize;

pub struct Experiment {
    pub spec: Spec,
    pub info: DataInfo,
    pub train: Dataset,
    pub val: Dataset,
    pub model: Model<Precision>,
    mdn_opt: Optimizer,
    base_opt: Optimizer,
    batch_rng: Rng,
    noise_rng: Rng,
    order: Vec<usize>,
    cursor: usize,
    /// Steps taken.
    pub step: u64,
    /// Losses of the last step's batch.
    pub last: StepLoss,
    /// Train the MSE baseline alongside (default). Off to time the MDN alone, and on the
    /// page's training worker while a helper trains the baseline (see [`crate::split`]).
    pub train_baseline: bool,
    /// Train the MDN (default). Off only on that helper.
    pub train_mdn: bool,
    /// Why training stopped, if it did: a step gave a loss, gradient or parameter that is
    /// not a finite number. The models were rolled back to the step before.
    pub halted: Option<String>,
    /// The best validation NLL of the readings so far (for the divergence alarm; see
    /// [`Experiment::reading_at`]).
    best_val: f64,
    /// The last metrics that were finite numbers (what a look that is not shows).
    last_finite: Option<Metrics>,
    /// Components moved by `reinit_dead` so far.
    pub reinitialised: u64,
    /// Counts every change to the training state (a step, a halt, a resume, a restore):
    /// equal counts, the same state (see [`Experiment::edits`]).
    edits: u64,
    /// The smallest standard deviation of a target dimension in the training set.
    target_std: f64,
    /// Both models' parameters before the last step, to roll back to.
    last_good: (Vec<Precision>, Vec<Precision>),
    /// The last state whose metrics were all finite numbers (step, both models'
    /// parameters): where [`Experiment::metrics`] rolls back to if they no longer are.
    checkpoint: Option<(u64, Vec<Precision>, Vec<Precision>)>,
    /// A step under way (see [`Experiment::train_within`]).
    pending: Option<PendingStep>,
    /// Metrics under way (see [`Experiment::metrics_within`]).
    pending_metrics: Option<PendingMetrics>,
    s: Scratch<Precision>,
    /// Natively: the threads a training step's blocks are spread over (see
    /// [`Experiment::set_threads`]); none, one thread.
    #[cfg(not(target_arch = "wasm32"))]
    pool: Option<std::sync::Arc<rayon::ThreadPool>>,
}

/// A component whose π, averaged over the training inputs, is below this is dead: it
/// explains nothing and gets almost no gradient to come back.
pub const DEAD_PI: f64 = 1e-3;
/// The one rule for a dead component: its average π is below [`DEAD_PI`] beyond the π
/// floor's ε/K (which every component has whatever it explains).
pub fn is_dead(average_pi: f64, head: &Head) -> bool {
    average_pi < DEAD_PI + head.pi_floor / head.k as f64
}

/// σ is watched only where its component carries at least this much weight.
pub const LIVE_PI: f64 = 0.01;
/// Variance collapse: the smallest σ within this factor of the floor, or below this
/// fraction of the targets' standard deviation, while the training NLL is
/// [`COLLAPSE_GAP`] nats below the validation NLL.
pub const COLLAPSE_SIGMA: f64 = 1.05;
pub const COLLAPSE_FRACTION: f64 = 0.01;
pub const COLLAPSE_GAP: f64 = 0.5;
/// Divergence: the validation NLL this many nats above its best so far.
pub const DIVERGENCE_RISE: f64 = 1.0;

/// The losses of one training step, on its batch (before the update).
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct StepLoss {
    /// Mean mixture NLL, nats per point.
    pub nll: f64,
    /// Mean squared error of the baseline, averaged over output dimensions.
    pub mse: f64,
}

/// Where an experiment stands: what `mdn train` prints and the page shows.
#[derive(Clone, Debug, Default, Serialize, serde::Deserialize, PartialEq)]
pub struct Metrics {
    pub step: u64,
    /// MDN NLL on the whole training set (nats per point).
    pub train_nll: f64,
    /// MDN NLL on the validation set.
    pub val_nll: f64,
    pub baseline_train_mse: f64,
    pub baseline_val_mse: f64,
    /// Validation NLL of the baseline as a Gaussian whose variance is its training MSE.
    pub baseline_val_nll: f64,
    /// The true conditional density's validation NLL, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bayes_nll: Option<f64>,
    /// Each component's π averaged over the training inputs.
    pub component_pi: Vec<f64>,
    /// Components with average π below [`DEAD_PI`].
    pub dead_components: usize,
    /// The smallest σ of any component with π ≥ [`LIVE_PI`] on a training input.
    pub min_sigma: f64,
    /// What looks wrong, in words: dead components, variance collapse, divergence, a
    /// halted run. Empty when nothing does.
    pub alarms: Vec<String>,
    /// Components moved onto badly explained data by `reinit_dead` so far.
    pub reinitialised: u64,
    /// Why training stopped early, if it did (see [`Experiment::halted`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub halted: Option<String>,
    /// Robot arm only: mean distance between a validation target and where the arm's
    /// end effector lands for the most probable component's mean angles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mdn_fk_error: Option<f64>,
    /// The same for the MSE regressor's predicted angles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_fk_error: Option<f64>,
    /// Rain only: every model on one measure — P(dry) and the wet days' density —
    /// whatever its family (see [`crate::point_mass`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_mass: Option<crate::point_mass::PointMassScores>,
}

/// What one pass over some data measured.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub nll: f64,
    /// Mean squared error per output dimension.
    pub mse: Vec<f64>,
    /// Each component's π averaged over the data (evaluation passes only).
    pub component_pi: Vec<f64>,
    /// The smallest σ of a component with π ≥ [`LIVE_PI`] (evaluation passes only).
    pub min_sigma: f64,
}

#[derive(Clone)]
struct Scratch<R: Real> {
    ws_mdn: Workspace<R>,
    ws_base: Workspace<R>,
    y: Vec<R>,
    loss: LossScratch<R>,
    grad_mdn: Vec<R>,
    grad_base: Vec<R>,
    tmp: Vec<R>,
    /// A threaded pass's blocks, each with its own buffers (grown on first use).
    #[cfg(not(target_arch = "wasm32"))]
    blocks: Vec<threads::BlockScratch<R>>,
}

impl<R: Real> Scratch<R> {
    fn new(model: &Model<R>) -> Self {
        Scratch {
            #[cfg(not(target_arch = "wasm32"))]
            blocks: Vec::new(),
            ws_mdn: Workspace::new(&model.mdn.sizes),
            ws_base: Workspace::new(&model.baseline.sizes),
            y: vec![R::ZERO; model.head.d * BLOCK],
            loss: LossScratch::new(&model.head),
            grad_mdn: vec![R::ZERO; model.mdn.params.len()],
            grad_base: vec![R::ZERO; model.baseline.params.len()],
            tmp: vec![R::ZERO; BLOCK],
        }
    }
}

impl Experiment {
    pub fn new(spec: &Spec) -> Self {
        let spec = spec.clone();
        let mut info = dataset::info(&spec);
        let (train, val) = Dataset::of(&spec);
        if info.bayes_nll.is_none() {
            info.bayes_nll = dataset::bayes_nll(&spec, &val);
        }
        let (input_mean, input_std) = standardization(&train);
        let head = Head {
            k: spec.k,
            d: info.dout,
            cov: spec.cov,
            sigma: spec.sigma,
            sigma_min: spec.sigma_min,
            pi_floor: spec.pi_floor,
            family: spec.family,
            nu: spec.nu,
        };
        let sizes = |dout: usize| {
            let mut s = vec![info.din];
            s.extend(&spec.hidden);
            s.push(dout);
            s
        };
        let mut mdn = Network::new(
            &sizes(head.outputs()),
            spec.act,
            &mut Rng::new(spec.seed, stream::MDN_INIT),
            1.0,
        );
        if spec.init == Init::Diverse {
            match spec.family {
                // The hurdle's locations are of ln y, on the wet days.
                crate::spec::Family::Hurdle => {
                    let wet: Vec<usize> = (0..train.len())
                        .filter(|&i| train.y[[0, i]] > 0.0)
                        .collect();
                    if !wet.is_empty() {
                        let pick = |a: &ndarray::Array2<f64>, f: fn(f64) -> f64| {
                            ndarray::Array2::from_shape_fn((a.nrows(), wet.len()), |(j, i)| {
                                f(a[[j, wet[i]]])
                            })
                        };
                        let logs = Dataset {
                            x: pick(&train.x, |v| v),
                            y: pick(&train.y, crate::math::ln),
                        };
                        spread_means(&mut mdn, &head, &logs);
                    }
                }
                _ => spread_means(&mut mdn, &head, &train),
            }
        }
        // A full covariance starts diagonal (N = 0): correlations are learnt where the
        // data show them, instead of starting every component tilted at random.
        for c in 0..head.k {
            for t in 0..head.off_params() {
                let (weights, bias) = mdn.output_row(head.scale_row(c, head.d) + t);
                for p in weights.chain([bias]) {
                    mdn.params[p] = 0.0;
                }
            }
        }
        let baseline = Network::new(
            &sizes(info.dout),
            spec.act,
            &mut Rng::new(spec.seed, stream::BASELINE_INIT),
            1.0,
        );
        let opt = |n| Optimizer::new(&spec, n);
        let model = Model {
            input_mean,
            input_std,
            head,
            mdn,
            baseline,
            baseline_sigma: vec![1.0; info.dout],
        };
        Experiment {
            s: Scratch::new(&model),
            mdn_opt: opt(model.mdn.params.len()),
            base_opt: opt(model.baseline.params.len()),
            batch_rng: Rng::new(spec.seed, stream::BATCHES),
            noise_rng: Rng::new(spec.seed, stream::NOISE),
            order: (0..train.len()).collect(),
            cursor: train.len(), // shuffle before the first mini-batch
            step: 0,
            last: StepLoss::default(),
            train_baseline: true,
            train_mdn: true,
            halted: None,
            reinitialised: 0,
            edits: 0,
            best_val: f64::INFINITY,
            last_finite: None,
            target_std: train
                .target_spread()
                .iter()
                .map(|t| t.1)
                .fold(f64::INFINITY, f64::min),
            last_good: (Vec::new(), Vec::new()),
            checkpoint: None,
            pending: None,
            pending_metrics: None,
            #[cfg(not(target_arch = "wasm32"))]
            pool: None,
            model,
            info,
            train,
            val,
            spec,
        }
    }

    /// The experiment of `spec` with the parameters of `model` (a model file's) in place of
    /// fresh ones: refused, with the reason, if the layers differ from the spec's or the
    /// model's losses on the spec's data are not finite numbers.
    pub fn with_model(spec: &Spec, model: Model<Precision>) -> Result<Experiment, String> {
        let mut exp = Experiment::new(spec);
        let m = &exp.model;
        if model.mdn.sizes != m.mdn.sizes
            || model.baseline.sizes != m.baseline.sizes
            || model.head != m.head
            || model.mdn.act != m.mdn.act
        {
            return Err("the model's layers do not match the spec stored in the file".into());
        }
        exp.model = model;
        let metrics = exp.metrics();
        if exp.halted.is_some() || !(metrics.train_nll.is_finite() && metrics.val_nll.is_finite()) {
            return Err(
                "the model's loss on the data of its spec is not a finite number: its \
                        numbers do not fit that data"
                    .into(),
            );
        }
        Ok(exp)
    }

    /// One training step of both models on the same batch; returns the batch's losses.
    /// A step whose loss, gradient or resulting parameters are not all finite is undone:
    /// the models go back to where they were, the optimizers restart, and
    /// [`Experiment::halted`] says why; later steps do nothing until [`Experiment::resume`].
    /// Natively, spreads each training step over `n` threads (1: none). The results have
    /// the same bits whatever `n`: see [`threads`]. In WebAssembly, where the engine runs
    /// in one worker, `n` is checked and training stays on that thread.
    pub fn set_threads(&mut self, n: usize) -> Result<(), String> {
        if n == 0 || n > MAX_THREADS {
            return Err(format!("threads: {n} is not from 1 to {MAX_THREADS}"));
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.pool = threads::pool(n)?;
        }
        Ok(())
    }

    pub fn train_step(&mut self) -> StepLoss {
        self.advance_step(&mut || false)
            .expect("a step never out of time runs to its end")
    }

    /// Works on the current step (starting one if none is under way) until it is done, or
    /// until `out_of_time()` says stop after a block of samples: then it stays pending and
    /// the next call goes on with it. The step's result has the same bits either way.
    /// Returns the step's batch losses once it is done (or the run is halted).
    fn advance_step(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> Option<StepLoss> {
        if self.halted.is_some() {
            return Some(self.last);
        }
        let mut p = match self.pending.take() {
            Some(p) => p,
            None => self.begin_step(),
        };
        let noise = (self.spec.noise_x > 0.0 || self.spec.noise_y > 0.0).then_some(Noise {
            x: self.spec.noise_x,
            y: self.spec.noise_y,
            rng: &mut self.noise_rng,
        });
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(pool) = self.pool.clone() {
            let len = p.len;
            if p.pass.next == 0 && threads::worth_it(&self.model, len) {
                p.pass.blocks_threaded(
                    &self.model,
                    &self.train,
                    &self.order[p.start..p.start + len],
                    noise,
                    &mut self.s,
                    &pool,
                );
                return Some(self.finish_step(p.pass.result()));
            }
        }
        let done = p.pass.blocks(
            &self.model,
            &self.train,
            &self.order[p.start..p.start + p.len],
            noise,
            &mut self.s,
            out_of_time,
        );
        if !done {
            self.pending = Some(p);
            return None;
        }
        Some(self.finish_step(p.pass.result()))
    }

    /// Picks the step's batch and learning rate, and clears the gradients.
    fn begin_step(&mut self) -> PendingStep {
        let n = self.train.len();
        let b = self.spec.batch_size();
        let (start, len) = match self.spec.batch {
            Batch::All => (0, n),
            Batch::Size(_) => {
                if self.cursor + b > n {
                    self.batch_rng.shuffle(&mut self.order);
                    self.cursor = 0;
                }
                self.cursor += b;
                (self.cursor - b, b)
            }
        };
        let full = len == n && matches!(self.spec.batch, Batch::All);
        self.s.grad_mdn.fill(0.0);
        self.s.grad_base.fill(0.0);
        let lr = self
            .spec
            .schedule
            .lr(self.spec.lr, self.step, self.spec.steps);
        self.mdn_opt.lr = lr;
        self.base_opt.lr = lr;
        let with = Models {
            mdn: self.train_mdn,
            baseline: self.train_baseline,
        };
        let m = &self.model;
        PendingStep {
            pass: Pass::new(len, !full, Some(with), m.head.k, m.dout()),
            start,
            len,
        }
    }

    /// Checks the step's losses and gradients, and updates both models (or rolls back).
    fn finish_step(&mut self, ev: Evaluation) -> StepLoss {
        self.edits += 1;
        // Whatever happens, the parameters the metrics under way were measuring change.
        self.pending_metrics = None;
        let finite = |v: &[Precision]| v.iter().all(|x| x.is_finite());
        let mse_ok = ev.mse.iter().all(|v| v.is_finite());
        if !ev.nll.is_finite() || !mse_ok || !finite(&self.s.grad_mdn) || !finite(&self.s.grad_base)
        {
            let what = if !ev.nll.is_finite() {
                "the MDN's loss".to_string()
            } else if !mse_ok {
                "the MSE regressor's loss".to_string()
            } else {
                "a gradient".to_string()
            };
            // The state that gave it came from a finite step: go back to the one before,
            // whose losses were finite for both models.
            let at = self.step + 1;
            let back = if self.step > 0 && !self.last_good.0.is_empty() {
                self.model.mdn.params.clone_from(&self.last_good.0);
                self.model.baseline.params.clone_from(&self.last_good.1);
                self.last_good.0.clear();
                self.step -= 1;
                format!("; rolled back to step {}", self.step)
            } else {
                "; the step was not taken".to_string()
            };
            self.halt(format!("step {at}: {what} was not a finite number{back}"));
            return self.last;
        }
        self.last_good.0.clone_from(&self.model.mdn.params);
        self.last_good.1.clone_from(&self.model.baseline.params);
        if self.train_mdn {
            self.mdn_opt
                .step(&mut self.model.mdn.params, &self.s.grad_mdn);
        }
        if self.train_baseline {
            self.base_opt
                .step(&mut self.model.baseline.params, &self.s.grad_base);
        }
        if !finite(&self.model.mdn.params) || !finite(&self.model.baseline.params) {
            self.model.mdn.params.clone_from(&self.last_good.0);
            self.model.baseline.params.clone_from(&self.last_good.1);
            self.halt(format!(
                "step {}: the update made a parameter overflow; rolled back to step {}",
                self.step + 1,
                self.step
            ));
            return self.last;
        }
        self.step += 1;
        if self.train_mdn && self.spec.reinit_dead > 0 && self.step % self.spec.reinit_dead == 0 {
            self.reinit_dead();
        }
        self.last = StepLoss {
            nll: ev.nll,
            mse: ev.mse.iter().sum::<f64>() / ev.mse.len() as f64,
        };
        self.last
    }

    /// The steps the spec plans (`steps`) are done.
    pub fn planned_done(&self) -> bool {
        self.step >= self.spec.steps
    }

    /// Runs `steps` training steps (fewer if the run halts).
    pub fn train(&mut self, steps: u64) {
        for _ in 0..steps {
            if self.halted.is_some() {
                break;
            }
            self.train_step();
        }
    }

    /// Stops training with a reason; the optimizers restart, so that a resumed run does
    /// not replay the moments that led here.
    fn halt(&mut self, why: String) {
        self.edits += 1;
        let spec = &self.spec;
        let opt = |n| Optimizer::new(spec, n);
        self.mdn_opt = opt(self.model.mdn.params.len());
        self.base_opt = opt(self.model.baseline.params.len());
        self.halted = Some(format!(
            "{why}. Training paused with the models as they were before it. Lower lr, \
             set clip, or raise sigma_min, then go on."
        ));
    }

    /// `reinit_dead`: components whose average π over (up to 2000) training points is
    /// below [`DEAD_PI`] (beyond the π floor) are moved onto the worst-explained of those
    /// points, one each, by splitting the component most responsible there: the dead one
    /// takes a copy of its logit, mean and scale rows (so it follows the same shape in x),
    /// with the mean shifted onto that point's target and both logits lowered by ln 2, so
    /// that together they keep the weight the live one had. The optimizer forgets the
    /// moments of every row it changed.
    fn reinit_dead(&mut self) {
        let n = self.train.len();
        let every = n.div_ceil(2000).max(1);
        let idx: Vec<usize> = (0..n).step_by(every).collect();
        let din = self.info.din;
        let xs =
            ndarray::Array2::from_shape_fn((idx.len(), din), |(i, j)| self.train.x[[j, idx[i]]]);
        let mixtures = self.model.mixtures(&xs);
        let head = self.model.head;
        let mut pi = vec![0.0; head.k];
        let mut worst: Vec<(f64, usize)> = Vec::with_capacity(idx.len());
        for (q, m) in mixtures.iter().enumerate() {
            for (c, p) in m.pi.iter().enumerate() {
                pi[c] += p / idx.len() as f64;
            }
            let y: Vec<f64> = (0..head.d).map(|a| self.train.y[[a, idx[q]]]).collect();
            worst.push((-m.log_prob(&y), q));
        }
        let dead: Vec<usize> = (0..head.k).filter(|&c| is_dead(pi[c], &head)).collect();
        if dead.is_empty() || dead.len() == head.k {
            return;
        }
        worst.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mdn = &mut self.model.mdn;
        let mut touched = Vec::new();
        for (&c, &(_, q)) in dead.iter().zip(worst.iter()) {
            let m = &mixtures[q];
            // The live component most responsible for the point.
            let y: Vec<f64> = (0..head.d).map(|a| self.train.y[[a, idx[q]]]).collect();
            let lp = m.component_log_probs(&y);
            let Some(src) = (0..head.k)
                .filter(|k| !dead.contains(k))
                .max_by(|a, b| lp[*a].total_cmp(&lp[*b]))
            else {
                continue;
            };
            let (rows_src, rows_dst) = (head.component_rows(src), head.component_rows(c));
            for (&rs, &rd) in rows_src.iter().zip(&rows_dst) {
                let ((ws, bs), (wd, bd)) = (mdn.output_row(rs), mdn.output_row(rd));
                for (from, to) in ws.chain([bs]).zip(wd.chain([bd])) {
                    mdn.params[to] = mdn.params[from];
                    touched.push(to);
                }
            }
            let half = std::f64::consts::LN_2 as Precision;
            let (ws, bs) = mdn.output_row(src);
            let bc = mdn.output_row(c).1;
            mdn.params[bc] -= half;
            mdn.params[bs] -= half;
            touched.extend(ws.chain([bs]));
            for a in 0..head.d {
                // The hurdle's locations are of ln y (a dry day moves none).
                let target = match head.family {
                    crate::spec::Family::Hurdle if y[a] > 0.0 => crate::math::ln(y[a]),
                    crate::spec::Family::Hurdle => m.mu[src * head.d + a],
                    _ => y[a],
                };
                let shift = target - m.mu[src * head.d + a];
                let bm = mdn.output_row(head.mean_row(c, a)).1;
                mdn.params[bm] += shift as Precision;
            }
            self.reinitialised += 1;
        }
        self.mdn_opt.reset(touched.into_iter());
    }

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
    /// whether it halted: what the helper that trains it reports (see [`crate::split`]).
    pub fn baseline_part(&self) -> Vec<u8> {
        let mut w = crate::bytes::Writer(Vec::new());
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
        let mut r = crate::bytes::Bytes(bytes);
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

    /// Lets a halted run train again (from the rolled-back models).
    pub fn resume(&mut self) {
        self.edits += 1;
        self.halted = None;
    }

    /// NLL and per-dimension MSE on a whole data set (no training).
    pub fn evaluate(&mut self, which: Which) -> Evaluation {
        let data = match which {
            Which::Train => &self.train,
            Which::Val => &self.val,
        };
        run(
            &self.model,
            data,
            &self.order[..0],
            false,
            None,
            None,
            &mut self.s,
        )
    }

    /// Metrics on the full training and validation sets; also refreshes the baseline's
    /// fitted noise scale (the root of its training MSE).
    ///
    /// Every number in them is finite: if the models' losses on the whole data are not
    /// (a step can be finite on its batch and still overflow elsewhere), both models go
    /// back to the last state whose metrics were finite and the run halts, saying so.
    pub fn metrics(&mut self) -> Metrics {
        self.pending_metrics = None;
        self.metrics_within(&mut || false)
            .expect("metrics never out of time are done")
    }

    /// [`Experiment::metrics`] a piece at a time: works until they are done (`Some`) or
    /// `out_of_time()` says stop after a block of samples (`None`: the next call goes on
    /// where this one stopped). A training step in between starts them afresh.
    pub fn metrics_within(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> Option<Metrics> {
        let (k, d) = (self.model.head.k, self.model.dout());
        let mut p = self
            .pending_metrics
            .take()
            .unwrap_or_else(|| PendingMetrics {
                train: Pass::new(self.train.len(), false, None, k, d),
                val: Pass::new(self.val.len(), false, None, k, d),
            });
        let (m, s) = (&self.model, &mut self.s);
        if !p.train.blocks(m, &self.train, &[], None, s, out_of_time)
            || !p.val.blocks(m, &self.val, &[], None, s, out_of_time)
        {
            self.pending_metrics = Some(p);
            return None;
        }
        Some(self.metrics_of(p.train.result(), p.val.result()))
    }

    /// Trains up to `steps` steps, stopping early when `out_of_time()` says so. It is asked
    /// after every block of samples, so that even a step far longer than the caller's time
    /// slice lets it act in between; a step cut short goes on at the next call, with the
    /// same bits as in one go. Returns the steps completed.
    pub fn train_within(&mut self, steps: u64, out_of_time: &mut dyn FnMut() -> bool) -> u64 {
        let mut done = 0;
        while done < steps && self.halted.is_none() {
            if self.advance_step(out_of_time).is_none() {
                break;
            }
            if self.halted.is_none() {
                done += 1;
            }
            if out_of_time() {
                break;
            }
        }
        done
    }

    /// Where the metrics are a reading: every tenth of the planned steps (at least every
    /// step) and at their end. A reading keeps the state to roll back to, sets the best
    /// validation NLL the divergence alarm compares with, and halts the run (rolled back)
    /// when the losses on the whole data are not finite. Metrics anywhere else are a look:
    /// the same numbers, with no consequence. So a run halts, rolls back and raises its
    /// alarms at the same steps whenever and however often it is looked at: in the page
    /// (which looks on pauses and for its curves) and in `mdn train` (at any `--every`).
    pub fn reading_at(&self, step: u64) -> bool {
        let every = (self.spec.steps / 10).max(1);
        step > 0 && (step % every == 0 || step == self.spec.steps)
    }

    /// The next step after `step` where the metrics are a reading.
    pub fn next_reading(&self, step: u64) -> u64 {
        let every = (self.spec.steps / 10).max(1);
        let next = (step / every + 1) * every;
        if step < self.spec.steps {
            next.min(self.spec.steps)
        } else {
            next
        }
    }

    /// The metrics of the passes over the training set `tr` and the validation set `va`:
    /// a reading or a look ([`Experiment::reading_at`]). A look whose losses are not
    /// finite shows the last finite metrics instead (the next reading halts the run).
    fn metrics_of(&mut self, tr: Evaluation, va: Evaluation) -> Metrics {
        if self.reading_at(self.step) {
            let m = self.reading_of(tr, va);
            self.last_finite = Some(m.clone());
            return m;
        }
        let finite = |e: &Evaluation| e.nll.is_finite() && e.mse.iter().all(|v| v.is_finite());
        match (&self.last_finite, finite(&tr) && finite(&va)) {
            (Some(last), false) => last.clone(),
            _ => {
                let m = self.describe(tr, va);
                if m.val_nll.is_finite() {
                    self.last_finite = Some(m.clone());
                }
                m
            }
        }
    }

    /// A reading's metrics: a checkpoint when finite, a halt and a roll-back when not.
    fn reading_of(&mut self, mut tr: Evaluation, mut va: Evaluation) -> Metrics {
        let finite = |e: &Evaluation| e.nll.is_finite() && e.mse.iter().all(|v| v.is_finite());
        if finite(&tr) && finite(&va) {
            let c = self.checkpoint.get_or_insert_with(Default::default);
            c.0 = self.step;
            c.1.clone_from(&self.model.mdn.params);
            c.2.clone_from(&self.model.baseline.params);
        } else if let Some((step, mdn, base)) = self.checkpoint.clone() {
            let at = self.step;
            self.model.mdn.params = mdn;
            self.model.baseline.params = base;
            self.step = step;
            self.last_good.0.clear();
            self.halt(format!(
                "at step {at}, a model's loss on the whole data was not a finite number; \
                 rolled back to step {step}"
            ));
            tr = self.evaluate(Which::Train);
            va = self.evaluate(Which::Val);
        }
        if va.nll.is_finite() {
            self.best_val = self.best_val.min(va.nll);
        }
        self.describe(tr, va)
    }

    /// The metrics of `tr` and `va` as they are (the regressor's noise scale refreshed).
    fn describe(&mut self, tr: Evaluation, va: Evaluation) -> Metrics {
        // Kept a finite f32 even if the regressor has run away (its NLL then says so).
        self.model.baseline_sigma = tr
            .mse
            .iter()
            .map(|v| {
                if v.is_finite() {
                    v.sqrt().clamp(1e-12, 1e30)
                } else {
                    1e30
                }
            })
            .collect();
        let baseline_val_nll = tr
            .mse
            .iter()
            .zip(&va.mse)
            .map(|(vt, vv)| {
                let var = vt.max(1e-24);
                0.5 * crate::math::ln(var) + crate::math::HALF_LN_2PI + 0.5 * vv / var
            })
            .sum();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let alarms = self.alarms(&tr, va.nll);
        let (mdn_fk_error, baseline_fk_error) = match self.spec.data {
            Data::Arm => {
                let (fk_mdn, fk_base) = self.fk_errors(&self.val);
                (Some(fk_mdn), Some(fk_base))
            }
            _ => (None, None),
        };
        let point_mass = crate::point_mass::scores(self.spec.data, &self.model, &self.val);
        Metrics {
            point_mass,
            step: self.step,
            train_nll: tr.nll,
            val_nll: va.nll,
            baseline_train_mse: mean(&tr.mse),
            baseline_val_mse: mean(&va.mse),
            baseline_val_nll,
            bayes_nll: self.info.bayes_nll,
            mdn_fk_error,
            baseline_fk_error,
            dead_components: self.dead(&tr.component_pi),
            component_pi: tr.component_pi,
            min_sigma: tr.min_sigma,
            alarms,
            reinitialised: self.reinitialised,
            halted: self.halted.clone(),
        }
    }

    /// Components whose average π is below [`DEAD_PI`] beyond the π floor's ε/K.
    fn dead(&self, component_pi: &[f64]) -> usize {
        let head = &self.model.head;
        component_pi.iter().filter(|p| is_dead(**p, head)).count()
    }

    /// The alarms for a training-set evaluation `tr` and the validation NLL `val`.
    fn alarms(&self, tr: &Evaluation, val: f64) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(h) = &self.halted {
            out.push(format!("halted: {h}"));
        }
        let k = tr.component_pi.len();
        let dead = self.dead(&tr.component_pi);
        // A few dead components are spare capacity; an alarm when more than a third are.
        if dead * 3 > k {
            out.push(format!(
                "dead components: {dead} of {k} have average π below {DEAD_PI} — they \
                 explain no data and get almost no gradient to recover (try reinit_dead \
                 or init=diverse)"
            ));
        }
        let floor = self.spec.sigma_min;
        let at_floor =
            tr.min_sigma <= (floor * COLLAPSE_SIGMA).max(COLLAPSE_FRACTION * self.target_std);
        if at_floor && tr.nll < val - COLLAPSE_GAP {
            out.push(format!(
                "variance collapse: a component's σ is down to {:.2e} (floor {floor}) and \
                 the training NLL ({:.2}) is far below the validation NLL ({val:.2}): \
                 components are sitting on single training points (try noise_x and \
                 noise_y, a larger sigma_min, or more data)",
                tr.min_sigma, tr.nll
            ));
        }
        if !val.is_finite() || val > self.best_val + DIVERGENCE_RISE {
            out.push(format!(
                "divergence: the validation NLL rose to {val:.2} from its best {:.2}",
                self.best_val
            ));
        }
        out
    }

    /// Mean end-effector miss distance on `data` (robot arm): for the most probable
    /// component's mean and for the MSE regressor's prediction.
    pub fn fk_errors(&self, data: &Dataset) -> (f64, f64) {
        let (top, base) = self.model.point_predictions(&data.x);
        let n = data.len();
        let mut sum = (0.0, 0.0);
        for i in 0..n {
            let target = [data.x[[0, i]], data.x[[1, i]]];
            sum.0 += dataset::arm_miss(&target, &[top[[0, i]], top[[1, i]]]);
            sum.1 += dataset::arm_miss(&target, &[base[[0, i]], base[[1, i]]]);
        }
        (sum.0 / n as f64, sum.1 / n as f64)
    }
}

/// `init=diverse`: the components' means start on K training targets far apart from each
/// other (farthest-point sampling, in units of each dimension's spread), nearly flat in x
/// (the means' incoming weights scaled down by 10).
fn spread_means(mdn: &mut Network<Precision>, head: &Head, train: &Dataset) {
    let (d, n) = (head.d, train.len());
    let every = n.div_ceil(2000).max(1);
    let idx: Vec<usize> = (0..n).step_by(every).collect();
    let spread: Vec<f64> = train
        .target_spread()
        .iter()
        .map(|t| t.1.max(1e-12))
        .collect();
    let dist = |i: usize, j: usize| -> f64 {
        (0..d)
            .map(|a| ((train.y[[a, i]] - train.y[[a, j]]) / spread[a]).powi(2))
            .sum()
    };
    // Start from the point nearest the middle, then always the farthest from those taken.
    let mid: Vec<f64> = (0..d)
        .map(|a| idx.iter().map(|&i| train.y[[a, i]]).sum::<f64>() / idx.len() as f64)
        .collect();
    let first = *idx
        .iter()
        .min_by(|&&i, &&j| {
            let e = |i: usize| {
                (0..d)
                    .map(|a| (train.y[[a, i]] - mid[a]).powi(2))
                    .sum::<f64>()
            };
            e(i).total_cmp(&e(j))
        })
        .expect("at least one point");
    let mut chosen = vec![first];
    let mut near: Vec<f64> = idx.iter().map(|&i| dist(i, first)).collect();
    while chosen.len() < head.k {
        let (best, _) = near
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .expect("at least one point");
        chosen.push(idx[best]);
        for (q, &i) in idx.iter().enumerate() {
            near[q] = near[q].min(dist(i, idx[best]));
        }
    }
    for (c, &p) in chosen.iter().enumerate() {
        for a in 0..d {
            let (weights, bias) = mdn.output_row(head.mean_row(c, a));
            for w in weights {
                mdn.params[w] *= 0.1;
            }
            mdn.params[bias] = train.y[[a, p]] as Precision;
        }
    }
}

/// Mean and standard deviation of each input dimension (std floored at 1e-12).
fn standardization(data: &Dataset) -> (Vec<f64>, Vec<f64>) {
    data.input_spread()
        .into_iter()
        .map(|(m, sd)| (m, sd.max(1e-12)))
        .unzip()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Train,
    Val,
}

/// Noise regularization for one training pass: standard deviations on the standardised
/// inputs and on the targets, and the generator.
struct Noise<'a> {
    x: f64,
    y: f64,
    rng: &'a mut Rng,
}

/// A training step under way: its pass over the batch `order[start..start + len]`.
struct PendingStep {
    pass: Pass,
    start: usize,
    len: usize,
}

/// Metrics under way: the pass over the training set, then the one over the validation set.
struct PendingMetrics {
    train: Pass,
    val: Pass,
}

/// Which models a training pass computes gradients for.
#[derive(Clone, Copy)]
struct Models {
    mdn: bool,
    baseline: bool,
}

/// One pass over `data` (the points `idx`, or all of them in order when `gather` is false):
/// mean NLL and MSE; with `grads`, the gradients of the chosen models' mean losses are
/// accumulated (a model left out is not evaluated either). A pass can stop after any
/// block of [`BLOCK`] samples and go on later: the sums run in the same order either way,
/// so the result has the same bits.
struct Pass {
    n: usize,
    /// The first sample of the next block.
    next: usize,
    grads: Option<Models>,
    gather: bool,
    nll: f64,
    sse: Vec<f64>,
    pi_sum: Vec<f64>,
    min_sigma: f64,
}

impl Pass {
    fn new(n: usize, gather: bool, grads: Option<Models>, k: usize, dout: usize) -> Pass {
        Pass {
            n,
            next: 0,
            grads,
            gather,
            nll: 0.0,
            sse: vec![0.0; dout],
            pi_sum: vec![0.0; if grads.is_some() { 0 } else { k }],
            min_sigma: f64::INFINITY,
        }
    }

    /// Runs blocks until the pass is done (true) or `out_of_time()` says stop after one.
    fn blocks<R: Real + Kernels>(
        &mut self,
        model: &Model<R>,
        data: &Dataset,
        idx: &[usize],
        mut noise: Option<Noise<'_>>,
        s: &mut Scratch<R>,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> bool {
        let (do_mdn, do_base) = self.grads.map_or((true, true), |m| (m.mdn, m.baseline));
        let grads = self.grads.is_some();
        let n = self.n;
        let dout = model.dout();
        let mdn_scale = R::of(1.0 / n as f64);
        let base_scale = R::of(1.0 / (n * dout) as f64);
        while self.next < n {
            let start = self.next;
            let nb = BLOCK.min(n - start);
            let p = |i: usize| {
                if self.gather {
                    idx[start + i]
                } else {
                    start + i
                }
            };
            gather(
                model,
                data,
                nb,
                p,
                noise.as_mut(),
                &mut s.ws_mdn,
                &mut s.ws_base,
                &mut s.y,
            );
            if do_mdn {
                self.nll += mdn_block(
                    model,
                    &mut s.ws_mdn,
                    &s.y,
                    nb,
                    mdn_scale,
                    grads,
                    &mut s.loss,
                );
                if grads {
                    model.mdn.backward(&mut s.ws_mdn, nb, &mut s.grad_mdn);
                } else {
                    s.loss.component_stats(
                        &model.head,
                        nb,
                        LIVE_PI,
                        &mut self.pi_sum,
                        &mut self.min_sigma,
                    );
                }
            }
            if do_base {
                let sse = &mut self.sse;
                baseline_block(
                    model,
                    &mut s.ws_base,
                    &s.y,
                    nb,
                    base_scale,
                    grads,
                    sse,
                    &mut s.tmp,
                );
                if grads {
                    model
                        .baseline
                        .backward(&mut s.ws_base, nb, &mut s.grad_base);
                }
            }
            self.next += nb;
            if self.next < n && out_of_time() {
                return false;
            }
        }
        true
    }

    fn result(&self) -> Evaluation {
        let n = self.n as f64;
        Evaluation {
            nll: self.nll / n,
            mse: self.sse.iter().map(|v| v / n).collect(),
            component_pi: self.pi_sum.iter().map(|v| v / n).collect(),
            min_sigma: self.min_sigma,
        }
    }
}

/// Gathers a block of `nb` points (`p(i)`: the data index of the block's i-th sample),
/// standardised and feature-major, into both networks' inputs and the targets, with any
/// noise drawn in sample order: x's dimensions, then y's.
#[allow(clippy::too_many_arguments)]
fn gather<R: Real + Kernels>(
    model: &Model<R>,
    data: &Dataset,
    nb: usize,
    p: impl Fn(usize) -> usize,
    mut noise: Option<&mut Noise<'_>>,
    ws_mdn: &mut Workspace<R>,
    ws_base: &mut Workspace<R>,
    y: &mut [R],
) {
    let (din, dout) = (model.din(), model.dout());
    for i in 0..nb {
        let p = p(i);
        for j in 0..din {
            let mut v = model.standardize(j, data.x[[j, p]]);
            if let Some(nz) = noise.as_mut().filter(|nz| nz.x > 0.0) {
                v += nz.x * nz.rng.normal();
            }
            let v = R::of(v);
            ws_mdn.acts[0][j * BLOCK + i] = v;
            ws_base.acts[0][j * BLOCK + i] = v;
        }
        for j in 0..dout {
            let mut t = data.y[[j, p]];
            if let Some(nz) = noise.as_mut().filter(|nz| nz.y > 0.0) {
                t += nz.y * nz.rng.normal();
            }
            y[j * BLOCK + i] = R::of(t);
        }
    }
}

/// The MDN's forward pass and loss on a gathered block: returns the block's summed NLL
/// and, with `grads`, leaves the loss's gradient at the network's output.
fn mdn_block<R: Real + Kernels>(
    model: &Model<R>,
    ws: &mut Workspace<R>,
    y: &[R],
    nb: usize,
    scale: R,
    grads: bool,
    sc: &mut LossScratch<R>,
) -> f64 {
    model.mdn.forward(ws, nb);
    let last = ws.acts.len() - 1;
    let (acts, dz) = (&ws.acts[last], &mut ws.grads[last]);
    loss::mixture_nll::<R>(
        &model.head,
        acts,
        y,
        nb,
        scale,
        grads.then_some(&mut dz[..]),
        sc,
    )
    .f64()
}

/// The same for the MSE regressor: adds each output's squared errors to `sse`.
#[allow(clippy::too_many_arguments)]
fn baseline_block<R: Real + Kernels>(
    model: &Model<R>,
    ws: &mut Workspace<R>,
    y: &[R],
    nb: usize,
    scale: R,
    grads: bool,
    sse: &mut [f64],
    tmp: &mut [R],
) {
    model.baseline.forward(ws, nb);
    let last = ws.acts.len() - 1;
    let (acts, dz) = (&ws.acts[last], &mut ws.grads[last]);
    let dout = model.dout();
    loss::squared_error(
        acts,
        y,
        dout,
        nb,
        scale,
        grads.then_some(&mut dz[..]),
        sse,
        tmp,
    );
}

/// A whole pass at once (see [`Pass`]).
fn run<R: Real + Kernels>(
    model: &Model<R>,
    data: &Dataset,
    idx: &[usize],
    gather: bool,
    grads: Option<Models>,
    noise: Option<Noise<'_>>,
    s: &mut Scratch<R>,
) -> Evaluation {
    let n = if gather { idx.len() } else { data.len() };
    let mut p = Pass::new(n, gather, grads, model.head.k, model.dout());
    p.blocks(model, data, idx, noise, s, &mut || false);
    p.result()
}

/// Mean losses of both models on all of `data` and their exact gradients
/// (MDN NLL, its gradient, baseline MSE, its gradient). Used by the gradient checks.
pub fn loss_and_gradients<R: Real + Kernels>(
    model: &Model<R>,
    data: &Dataset,
) -> (f64, Vec<R>, f64, Vec<R>) {
    let mut s = Scratch::new(model);
    let ev = run(
        model,
        data,
        &[],
        false,
        Some(Models {
            mdn: true,
            baseline: true,
        }),
        None,
        &mut s,
    );
    let mse = ev.mse.iter().sum::<f64>() / ev.mse.len() as f64;
    (ev.nll, s.grad_mdn, mse, s.grad_base)
}

/// The most threads [`Experiment::set_threads`] (`--threads`) takes.
pub const MAX_THREADS: usize = 256;

/// Training steps over several threads, natively, with the bits of one thread.
///
/// A step's pass runs in three phases. (1) The blocks' inputs and targets are gathered in
/// order, drawing any noise from the one stream as the one-thread pass does. (2) Each
/// block's forward pass, loss and backward pass down to every layer's output run on any
/// thread, in buffers of its own: none of that reads another block. (3) The parameter
/// gradient, whose every element is one chain of additions over the samples in order,
/// is split by element, not by sample: each thread takes some rows of a layer (or its
/// biases) and runs their chains over all the blocks in order, exactly as one thread
/// would. The loss sums are added in block order. So no sum changes its order, and the
/// bits do not depend on the number of threads.
#[cfg(not(target_arch = "wasm32"))]
pub mod threads {
    use super::{baseline_block, mdn_block, Noise, Pass, Scratch};
    use crate::dataset::Dataset;
    use crate::loss::LossScratch;
    use crate::math::Real;
    use crate::model::Model;
    use crate::network::{Kernels, Network, Workspace, BLOCK};
    use rayon::prelude::*;

    /// Rows of a layer's weight gradient one task takes.
    const ROWS_PER_TASK: usize = 8;

    /// A pool of `n` threads, or none for one.
    pub fn pool(n: usize) -> Result<Option<std::sync::Arc<rayon::ThreadPool>>, String> {
        if n == 1 {
            return Ok(None);
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map(|p| Some(std::sync::Arc::new(p)))
            .map_err(|e| format!("threads: {e}"))
    }

    /// Whether a batch of `n` samples is worth spreading: at least two blocks, and enough
    /// arithmetic per step that handing work to threads costs less than it saves.
    pub fn worth_it<R: Real + Kernels>(model: &Model<R>, n: usize) -> bool {
        let params = model.mdn.params.len() + model.baseline.params.len();
        n > BLOCK && n * params >= WORTH_IT
    }
    /// Samples × parameters below which a step stays on one thread. Measured on 2 cores
    /// with 2 threads: the small bench spec (1000 × 416) gains nothing (0.99–1.04× in
    /// `make bench`, once the kernels got faster), the default spec (1000 × 1781) 26%,
    /// 4000 × 32,32 55%, the medium bench spec 50–60%.
    const WORTH_IT: usize = 1 << 19;

    /// One block's own buffers.
    #[derive(Clone)]
    pub struct BlockScratch<R: Real> {
        ws_mdn: Workspace<R>,
        ws_base: Workspace<R>,
        y: Vec<R>,
        loss: LossScratch<R>,
        tmp: Vec<R>,
        nll: f64,
        sse: Vec<f64>,
        /// Per layer, the gradient at its output transposed (sample-major), for (3).
        tr_mdn: Vec<Vec<R>>,
        tr_base: Vec<Vec<R>>,
    }

    impl<R: Real + Kernels> BlockScratch<R> {
        fn new(model: &Model<R>) -> Self {
            BlockScratch {
                ws_mdn: Workspace::new(&model.mdn.sizes),
                ws_base: Workspace::new(&model.baseline.sizes),
                y: vec![R::ZERO; model.head.d * BLOCK],
                loss: LossScratch::new(&model.head),
                tmp: vec![R::ZERO; BLOCK],
                nll: 0.0,
                sse: vec![0.0; model.head.d],
                tr_mdn: transposes(&model.mdn),
                tr_base: transposes(&model.baseline),
            }
        }
    }

    fn transposes<R: Real + Kernels>(net: &Network<R>) -> Vec<Vec<R>> {
        net.sizes[1..]
            .iter()
            .map(|&d| vec![R::ZERO; d * BLOCK])
            .collect()
    }

    /// The gradients at each layer's output, transposed for (3).
    fn transpose_all<R: Real + Kernels>(
        net: &Network<R>,
        ws: &Workspace<R>,
        tr: &mut [Vec<R>],
        nb: usize,
    ) {
        for (l, t) in tr.iter_mut().enumerate() {
            if R::reads_transpose(net.sizes[l + 1]) {
                crate::network::transpose(t, &ws.grads[l + 1], net.sizes[l + 1], nb);
            }
        }
    }

    /// A share of phase (3): rows `j0..j0 + rows` of layer `l`'s weight gradient, or (no
    /// rows) its biases, of the MDN or the baseline.
    struct Task<'a, R> {
        mdn: bool,
        l: usize,
        j0: usize,
        rows: usize,
        dout: usize,
        gw: &'a mut [R],
        gb: Option<&'a mut [R]>,
    }

    /// Splits a network's gradient into tasks.
    fn tasks<'a, R: Real + Kernels>(
        net: &Network<R>,
        grad: &'a mut [R],
        mdn: bool,
        out: &mut Vec<Task<'a, R>>,
    ) {
        let mut rest = grad;
        for l in 0..net.layers() {
            let (din, dout) = (net.sizes[l], net.sizes[l + 1]);
            let (layer, after) = std::mem::take(&mut rest).split_at_mut(din * dout + dout);
            rest = after;
            let (gw, gb) = layer.split_at_mut(din * dout);
            out.push(Task {
                mdn,
                l,
                j0: 0,
                rows: 0,
                dout,
                gw: &mut [],
                gb: Some(gb),
            });
            for (c, chunk) in gw.chunks_mut(ROWS_PER_TASK * dout).enumerate() {
                let rows = chunk.len() / dout;
                out.push(Task {
                    mdn,
                    l,
                    j0: c * ROWS_PER_TASK,
                    rows,
                    dout,
                    gw: chunk,
                    gb: None,
                });
            }
        }
    }

    impl Pass {
        /// A whole training pass over `idx` in the three phases above.
        pub(super) fn blocks_threaded<R: Real + Kernels + Send + Sync>(
            &mut self,
            model: &Model<R>,
            data: &Dataset,
            idx: &[usize],
            mut noise: Option<Noise<'_>>,
            s: &mut Scratch<R>,
            pool: &rayon::ThreadPool,
        ) {
            let (do_mdn, do_base) = self.grads.map_or((true, true), |m| (m.mdn, m.baseline));
            let n = self.n;
            let nblocks = n.div_ceil(BLOCK);
            while s.blocks.len() < nblocks {
                s.blocks.push(BlockScratch::new(model));
            }
            let nb_of = |b: usize| BLOCK.min(n - b * BLOCK);
            // (1) Gather, in order.
            for (b, bs) in s.blocks[..nblocks].iter_mut().enumerate() {
                let p = |i: usize| {
                    if self.gather {
                        idx[b * BLOCK + i]
                    } else {
                        b * BLOCK + i
                    }
                };
                super::gather(
                    model,
                    data,
                    nb_of(b),
                    p,
                    noise.as_mut(),
                    &mut bs.ws_mdn,
                    &mut bs.ws_base,
                    &mut bs.y,
                );
            }
            // (2) Every block's forward pass, loss and backward pass to the layers' outputs.
            let dout = model.dout();
            let mdn_scale = R::of(1.0 / n as f64);
            let base_scale = R::of(1.0 / (n * dout) as f64);
            pool.install(|| {
                s.blocks[..nblocks]
                    .par_iter_mut()
                    .enumerate()
                    .for_each(|(b, bs)| {
                        let nb = nb_of(b);
                        if do_mdn {
                            let (ws, y) = (&mut bs.ws_mdn, &bs.y);
                            bs.nll = mdn_block(model, ws, y, nb, mdn_scale, true, &mut bs.loss);
                            model.mdn.propagate(&mut bs.ws_mdn, nb);
                            transpose_all(&model.mdn, &bs.ws_mdn, &mut bs.tr_mdn, nb);
                        }
                        if do_base {
                            bs.sse.fill(0.0);
                            let (ws, y) = (&mut bs.ws_base, &bs.y);
                            baseline_block(
                                model,
                                ws,
                                y,
                                nb,
                                base_scale,
                                true,
                                &mut bs.sse,
                                &mut bs.tmp,
                            );
                            model.baseline.propagate(&mut bs.ws_base, nb);
                            transpose_all(&model.baseline, &bs.ws_base, &mut bs.tr_base, nb);
                        }
                    });
            });
            for bs in &s.blocks[..nblocks] {
                if do_mdn {
                    self.nll += bs.nll;
                }
                if do_base {
                    for (t, v) in self.sse.iter_mut().zip(&bs.sse) {
                        *t += v;
                    }
                }
            }
            // (3) The parameter gradient, split by element.
            let mut work = Vec::new();
            if do_mdn {
                tasks(&model.mdn, &mut s.grad_mdn, true, &mut work);
            }
            if do_base {
                tasks(&model.baseline, &mut s.grad_base, false, &mut work);
            }
            let blocks = &s.blocks[..nblocks];
            pool.install(|| {
                work.into_par_iter().for_each(|mut t| {
                    for (b, bs) in blocks.iter().enumerate() {
                        let (ws, trs) = if t.mdn {
                            (&bs.ws_mdn, &bs.tr_mdn)
                        } else {
                            (&bs.ws_base, &bs.tr_base)
                        };
                        let a = &ws.acts[t.l][t.j0 * BLOCK..];
                        let dz = &ws.grads[t.l + 1];
                        Network::accumulate(
                            a,
                            dz,
                            nb_of(b),
                            t.gw,
                            t.gb.as_deref_mut(),
                            t.rows,
                            t.dout,
                            &trs[t.l],
                        );
                    }
                });
            });
            self.next = n;
        }
    }
}
