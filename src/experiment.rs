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
use crate::spec::{Batch, Data, Spec};
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
    order: Vec<usize>,
    cursor: usize,
    /// Steps taken.
    pub step: u64,
    /// Losses of the last step's batch.
    pub last: StepLoss,
    /// Train the MSE baseline alongside (default). Off only to time the MDN alone.
    pub train_baseline: bool,
    s: Scratch<Precision>,
}

/// The losses of one training step, on its batch (before the update).
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct StepLoss {
    /// Mean mixture NLL, nats per point.
    pub nll: f64,
    /// Mean squared error of the baseline, averaged over output dimensions.
    pub mse: f64,
}

/// Where an experiment stands: what `mdn train` prints and the page shows.
#[derive(Clone, Debug, Serialize, PartialEq)]
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
    pub bayes_nll: Option<f64>,
    /// Robot arm only: mean distance between a validation target and where the arm's
    /// end effector lands for the most probable component's mean angles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mdn_fk_error: Option<f64>,
    /// The same for the MSE regressor's predicted angles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_fk_error: Option<f64>,
}

/// What one pass over some data measured.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub nll: f64,
    /// Mean squared error per output dimension.
    pub mse: Vec<f64>,
}

#[derive(Clone)]
struct Scratch<R: Real> {
    ws_mdn: Workspace<R>,
    ws_base: Workspace<R>,
    y: Vec<R>,
    loss: LossScratch<R>,
    grad_mdn: Vec<R>,
    grad_base: Vec<R>,
    sse: Vec<f64>,
    tmp: Vec<R>,
}

impl<R: Real> Scratch<R> {
    fn new(model: &Model<R>) -> Self {
        Scratch {
            ws_mdn: Workspace::new(&model.mdn.sizes),
            ws_base: Workspace::new(&model.baseline.sizes),
            y: vec![R::ZERO; model.head.d * BLOCK],
            loss: LossScratch::new(&model.head),
            grad_mdn: vec![R::ZERO; model.mdn.params.len()],
            grad_base: vec![R::ZERO; model.baseline.params.len()],
            sse: vec![0.0; model.head.d],
            tmp: vec![R::ZERO; BLOCK],
        }
    }
}

impl Experiment {
    pub fn new(spec: &Spec) -> Self {
        let spec = spec.clone();
        let info = dataset::info(spec.data);
        let (train, val) = Dataset::generate(spec.data, spec.n, spec.seed);
        let (input_mean, input_std) = standardization(&train);
        let head = Head {
            k: spec.k,
            d: info.dout,
            cov: spec.cov,
            sigma: spec.sigma,
            sigma_min: spec.sigma_min,
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
        // A full covariance starts diagonal (N = 0): correlations are learnt where the
        // data show them, instead of starting every component tilted at random.
        let (last, outs) = (mdn.offset(mdn.layers() - 1), head.outputs());
        let fan_in = mdn.sizes[mdn.layers() - 1];
        for c in 0..head.k {
            for t in 0..head.off_params() {
                let r = head.scale_row(c, head.d) + t;
                for j in 0..fan_in {
                    mdn.params[last + j * outs + r] = 0.0;
                }
                mdn.params[last + fan_in * outs + r] = 0.0;
            }
        }
        let baseline = Network::new(
            &sizes(info.dout),
            spec.act,
            &mut Rng::new(spec.seed, stream::BASELINE_INIT),
            1.0,
        );
        let opt = |n| Optimizer::new(spec.opt, spec.lr, spec.momentum, spec.clip, n);
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
            order: (0..spec.n).collect(),
            cursor: spec.n, // shuffle before the first mini-batch
            step: 0,
            last: StepLoss::default(),
            train_baseline: true,
            model,
            info,
            train,
            val,
            spec,
        }
    }

    /// One training step of both models on the same batch; returns the batch's losses.
    pub fn train_step(&mut self) -> StepLoss {
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
            mdn: true,
            baseline: self.train_baseline,
        };
        let ev = run(
            &self.model,
            &self.train,
            &self.order[start..start + len],
            !full,
            Some(with),
            &mut self.s,
        );
        self.mdn_opt
            .step(&mut self.model.mdn.params, &self.s.grad_mdn);
        if self.train_baseline {
            self.base_opt
                .step(&mut self.model.baseline.params, &self.s.grad_base);
        }
        self.step += 1;
        self.last = StepLoss {
            nll: ev.nll,
            mse: ev.mse.iter().sum::<f64>() / ev.mse.len() as f64,
        };
        self.last
    }

    /// Runs `steps` training steps.
    pub fn train(&mut self, steps: u64) {
        for _ in 0..steps {
            self.train_step();
        }
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
            &mut self.s,
        )
    }

    /// Metrics on the full training and validation sets; also refreshes the baseline's
    /// fitted noise scale (the root of its training MSE).
    pub fn metrics(&mut self) -> Metrics {
        let tr = self.evaluate(Which::Train);
        let va = self.evaluate(Which::Val);
        self.model.baseline_sigma = tr.mse.iter().map(|v| v.sqrt().max(1e-12)).collect();
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
        let (mdn_fk_error, baseline_fk_error) = match self.spec.data {
            Data::Arm => {
                let (fk_mdn, fk_base) = self.fk_errors(&self.val);
                (Some(fk_mdn), Some(fk_base))
            }
            _ => (None, None),
        };
        Metrics {
            step: self.step,
            train_nll: tr.nll,
            val_nll: va.nll,
            baseline_train_mse: mean(&tr.mse),
            baseline_val_mse: mean(&va.mse),
            baseline_val_nll,
            bayes_nll: self.info.bayes_nll,
            mdn_fk_error,
            baseline_fk_error,
        }
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

/// Mean and standard deviation of each input dimension (std floored at 1e-12).
fn standardization(data: &Dataset) -> (Vec<f64>, Vec<f64>) {
    let n = data.len() as f64;
    data.x
        .rows()
        .into_iter()
        .map(|r| {
            let mean = r.iter().sum::<f64>() / n;
            let var = r.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
            (mean, var.sqrt().max(1e-12))
        })
        .unzip()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    Train,
    Val,
}

/// Which models a training pass computes gradients for.
#[derive(Clone, Copy)]
struct Models {
    mdn: bool,
    baseline: bool,
}

/// One pass over `data` (the points `idx`, or all of them in order when `gather` is false):
/// mean NLL and MSE; with `grads`, the gradients of the chosen models' mean losses are
/// accumulated (a model left out is not evaluated either).
fn run<R: Real + Kernels>(
    model: &Model<R>,
    data: &Dataset,
    idx: &[usize],
    gather: bool,
    grads: Option<Models>,
    s: &mut Scratch<R>,
) -> Evaluation {
    let (do_mdn, do_base) = grads.map_or((true, true), |m| (m.mdn, m.baseline));
    let grads = grads.is_some();
    let n = if gather { idx.len() } else { data.len() };
    let (din, dout) = (model.din(), model.dout());
    let mdn_scale = R::of(1.0 / n as f64);
    let base_scale = R::of(1.0 / (n * dout) as f64);
    let mut nll = 0.0;
    s.sse.fill(0.0);
    for start in (0..n).step_by(BLOCK) {
        let nb = BLOCK.min(n - start);
        // Gather the block, feature-major, into both networks' inputs.
        for i in 0..nb {
            let p = if gather { idx[start + i] } else { start + i };
            for j in 0..din {
                let v = R::of(model.standardize(j, data.x[[j, p]]));
                s.ws_mdn.acts[0][j * BLOCK + i] = v;
                s.ws_base.acts[0][j * BLOCK + i] = v;
            }
            for j in 0..dout {
                s.y[j * BLOCK + i] = R::of(data.y[[j, p]]);
            }
        }
        if do_mdn {
            model.mdn.forward(&mut s.ws_mdn, nb);
            let last = s.ws_mdn.acts.len() - 1;
            let (acts, grads_buf) = (&s.ws_mdn.acts[last], &mut s.ws_mdn.grads[last]);
            nll += loss::mixture_nll::<R>(
                &model.head,
                acts,
                &s.y,
                nb,
                mdn_scale,
                grads.then_some(&mut grads_buf[..]),
                &mut s.loss,
            )
            .f64();
            if grads {
                model.mdn.backward(&mut s.ws_mdn, nb, &mut s.grad_mdn);
            }
        }
        if do_base {
            model.baseline.forward(&mut s.ws_base, nb);
            let last = s.ws_base.acts.len() - 1;
            let (acts, grads_buf) = (&s.ws_base.acts[last], &mut s.ws_base.grads[last]);
            loss::squared_error(
                acts,
                &s.y,
                dout,
                nb,
                base_scale,
                grads.then_some(&mut grads_buf[..]),
                &mut s.sse,
                &mut s.tmp,
            );
            if grads {
                model
                    .baseline
                    .backward(&mut s.ws_base, nb, &mut s.grad_base);
            }
        }
    }
    Evaluation {
        nll: nll / n as f64,
        mse: s.sse.iter().map(|v| v / n as f64).collect(),
    }
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
        &mut s,
    );
    let mse = ev.mse.iter().sum::<f64>() / ev.mse.len() as f64;
    (ev.nll, s.grad_mdn, mse, s.grad_base)
}
