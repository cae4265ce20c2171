//! An experiment: a spec made real. It owns the data, the MDN, the MSE baseline and their
//! optimizers, and trains both side by side on the same batches: a step's pass over its
//! batch ([`crate::train::pass`], on threads natively: [`crate::train::threads`]), checked
//! for numbers that are not finite and rolled back if so. Its metrics and alarms are in
//! [`crate::train::diagnostics`], saving and restoring where it stands in
//! [`crate::train::state`].

use crate::base::rng::{stream, Rng};
use crate::config::spec::Spec;
use crate::data::dataset::{DataInfo, Dataset};
use crate::lang::Lang;
use crate::mdn::family::Family;
use crate::mdn::head::{Head, Init};
use crate::mdn::model::{Model, Precision};
use crate::mdn::network::Network;
use crate::optim::batches::Batch;
use crate::optim::optimizer::Optimizer;
pub use crate::train::diagnostics::Metrics;
use crate::train::diagnostics::{NOT_FINITE, OVERFLOW, PAUSED, ROLLED_BACK};
use crate::train::pass::{BlockPass, Evaluation, Models, Noise, PendingMetrics, Scratch, StepLoss};

pub struct Experiment {
    pub spec: Spec,
    pub info: DataInfo,
    pub train: Dataset,
    pub val: Dataset,
    pub model: Model<Precision>,
    pub(crate) mdn_opt: Optimizer,
    pub(crate) base_opt: Optimizer,
    pub(crate) batch_rng: Rng,
    pub(crate) noise_rng: Rng,
    pub(crate) order: Vec<usize>,
    pub(crate) cursor: usize,
    /// Steps taken.
    pub step: u64,
    /// Losses of the last step's batch.
    pub last: StepLoss,
    /// Train the MSE baseline alongside (default). Off to time the MDN alone, and on the
    /// page's training worker while a helper trains the baseline (see [`crate::train::helper`]).
    pub train_baseline: bool,
    /// Train the MDN (default). Off only on that helper.
    pub train_mdn: bool,
    /// Why training stopped, if it did: a step gave a loss, gradient or parameter that is
    /// not a finite number. The models were rolled back to the step before.
    pub halted: Option<String>,
    /// The best validation NLL of the readings so far (for the divergence alarm; see
    /// [`Experiment::reading_at`]).
    pub(crate) best_val: f64,
    /// The last metrics that were finite numbers (what a look that is not shows).
    pub(crate) last_finite: Option<Metrics>,
    /// Components moved by `reinit_dead` so far.
    pub reinitialised: u64,
    /// Counts every change to the training state (a step, a halt, a resume, a restore):
    /// equal counts, the same state (see [`Experiment::edits`]).
    pub(crate) edits: u64,
    /// The smallest standard deviation of a target dimension in the training set.
    pub(crate) target_std: f64,
    /// Both models' parameters before the last step, to roll back to.
    pub(crate) last_good: (Vec<Precision>, Vec<Precision>),
    /// The last state whose metrics were all finite numbers (step, both models'
    /// parameters): where [`Experiment::metrics`] rolls back to if they no longer are.
    pub(crate) checkpoint: Option<(u64, Vec<Precision>, Vec<Precision>)>,
    /// A step under way (see [`Experiment::train_within`]).
    pub(crate) pending: Option<PendingStep>,
    /// Metrics under way (see [`Experiment::metrics_within`]).
    pub(crate) pending_metrics: Option<PendingMetrics>,
    pub(crate) s: Scratch<Precision>,
    /// Natively: the threads a training step's blocks are spread over (see
    /// [`Experiment::set_threads`]); none, one thread.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) pool: Option<std::sync::Arc<rayon::ThreadPool>>,
}

/// The most threads [`Experiment::set_threads`] (`--threads`) takes.
pub const MAX_THREADS: usize = 256;

impl Experiment {
    pub fn new(spec: &Spec) -> Self {
        Experiment::member(spec, 0)
    }

    /// Member `j` of the spec's ensemble: member 0 is [`Experiment::new`]'s run, bit for
    /// bit; the others draw their initialisation, batches and noise from streams of their
    /// own ([`stream::member`]) and leave the MSE baseline to member 0.
    pub fn member(spec: &Spec, j: usize) -> Self {
        Experiment::build(spec, j, spec.source().fold)
    }

    /// The spec's run (member 0) with fold `fold.0` of `fold.1` of its points held out
    /// for validation: points of your own or a real set (drawn sets ignore it). Fold 0
    /// of 5 is [`Experiment::new`]'s run.
    pub fn on_fold(spec: &Spec, fold: (usize, usize)) -> Self {
        Experiment::build(spec, 0, fold)
    }

    fn build(spec: &Spec, j: usize, fold: (usize, usize)) -> Self {
        let j = j as u64;
        let spec = spec.clone();
        let source = crate::data::dataset::Source {
            fold,
            ..spec.source()
        };
        let mut info = source.info();
        let (train, val) = source.datasets();
        if info.bayes_nll.is_none() {
            info.bayes_nll = source.bayes_nll(spec.family == Family::Hurdle, &val);
        }
        let (input_mean, input_std) = standardization(&train);
        let head = spec.head(info.dout);
        let sizes = |dout: usize| {
            let mut s = vec![info.din];
            s.extend(&spec.hidden);
            s.push(dout);
            s
        };
        let mdn = first_mdn(&spec, j, &head, &sizes(head.outputs()), &train);
        let baseline = Network::new(
            &sizes(info.dout),
            spec.act,
            &mut Rng::new(spec.seed, stream::BASELINE_INIT),
            1.0,
        );
        let opt = |n| Optimizer::new(&spec.optimizer(), n);
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
            batch_rng: Rng::new(spec.seed, stream::member(stream::BATCHES, j)),
            noise_rng: Rng::new(spec.seed, stream::member(stream::NOISE, j)),
            order: (0..train.len()).collect(),
            cursor: train.len(), // shuffle before the first mini-batch
            step: 0,
            last: StepLoss::default(),
            train_baseline: j == 0,
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
            self.pool = crate::train::threads::pool(n)?;
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
    pub(crate) fn advance_step(
        &mut self,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Option<StepLoss> {
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
            if p.pass.next == 0 && crate::train::threads::worth_it(&self.model, len) {
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
    pub(crate) fn begin_step(&mut self) -> PendingStep {
        let n = self.train.len();
        let b = self.spec.batch.size(n);
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
            pass: BlockPass::new(len, !full, Some(with), m.head.k, m.dout()),
            start,
            len,
        }
    }
    /// Checks the step's losses and gradients, and updates both models (or rolls back).
    pub(crate) fn finish_step(&mut self, ev: Evaluation) -> StepLoss {
        self.edits += 1;
        // Whatever happens, the parameters the metrics under way were measuring change.
        self.pending_metrics = None;
        let finite = |v: &[Precision]| v.iter().all(|x| x.is_finite());
        let mse_ok = ev.mse.iter().all(|v| v.is_finite());
        if !ev.nll.is_finite() || !mse_ok || !finite(&self.s.grad_mdn) || !finite(&self.s.grad_base)
        {
            let what = if !ev.nll.is_finite() {
                "the MDN's loss"
            } else if !mse_ok {
                "the MSE regressor's loss"
            } else {
                "a gradient"
            };
            // The state that gave it came from a finite step: go back to the one before,
            // whose losses were finite for both models.
            let at = self.step + 1;
            let back = if self.step > 0 && !self.last_good.0.is_empty() {
                self.model.mdn.params.clone_from(&self.last_good.0);
                self.model.baseline.params.clone_from(&self.last_good.1);
                self.last_good.0.clear();
                self.step -= 1;
                Lang::En.fill(ROLLED_BACK, &[&self.step.to_string()])
            } else {
                "; the step was not taken".to_string()
            };
            self.halt(Lang::En.fill(NOT_FINITE, &[&at.to_string(), what, &back]));
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
            let (at, back) = ((self.step + 1).to_string(), self.step.to_string());
            self.halt(Lang::En.fill(OVERFLOW, &[&at, &back]));
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
    /// Stops training with a reason; the optimizers restart, so that a resumed run does
    /// not replay the moments that led here.
    pub(crate) fn halt(&mut self, why: String) {
        self.edits += 1;
        let spec = &self.spec;
        let opt = |n| Optimizer::new(&spec.optimizer(), n);
        self.mdn_opt = opt(self.model.mdn.params.len());
        self.base_opt = opt(self.model.baseline.params.len());
        self.halted = Some(Lang::En.fill(PAUSED, &[&why]));
    }
    /// Lets a halted run train again (from the rolled-back models).
    pub fn resume(&mut self) {
        self.edits += 1;
        self.halted = None;
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

/// A training step under way: its pass over the batch `order[start..start + len]`.
pub(crate) struct PendingStep {
    pub(crate) pass: BlockPass,
    pub(crate) start: usize,
    pub(crate) len: usize,
}

/// The MDN's network before any step: drawn from the seed, its means spread over the
/// targets when the spec asks (the hurdle's over ln y on wet days), and any full
/// covariance's off-diagonal outputs zeroed.
fn first_mdn(
    spec: &Spec,
    member: u64,
    head: &Head,
    sizes: &[usize],
    train: &Dataset,
) -> Network<Precision> {
    let mut mdn = Network::new(
        sizes,
        spec.act,
        &mut Rng::new(spec.seed, stream::member(stream::MDN_INIT, member)),
        1.0,
    );
    if spec.init == Init::Diverse {
        match spec.family {
            // The hurdle's locations are of ln y, on the wet days.
            Family::Hurdle => {
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
                        y: pick(&train.y, crate::base::math::ln),
                    };
                    spread_means(&mut mdn, head, &logs);
                }
            }
            _ => spread_means(&mut mdn, head, train),
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
    mdn
}
