//! An experiment's metrics on its whole training and validation sets, read by step: a
//! reading (every tenth of the planned steps and at their end) decides halts, roll-backs
//! and the divergence alarm's best; a look anywhere else changes nothing. And the remedy
//! for dead components, which the readings count.

use crate::data::dataset::{self, Data, Dataset};
use crate::mdn::model::Precision;
use crate::train::diagnostics::{is_dead, Metrics, Watch};
use crate::train::experiment::Experiment;
use crate::train::pass::{run, BlockPass, Evaluation, PendingMetrics, Subset};

impl Experiment {
    /// NLL and per-dimension MSE on a whole data set (no training).
    pub fn evaluate(&mut self, which: Subset) -> Evaluation {
        let data = match which {
            Subset::Train => &self.train,
            Subset::Val => &self.val,
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
                train: BlockPass::new(self.train.len(), false, None, k, d),
                val: BlockPass::new(self.val.len(), false, None, k, d),
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
    pub(crate) fn metrics_of(&mut self, tr: Evaluation, va: Evaluation) -> Metrics {
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
    pub(crate) fn reading_of(&mut self, mut tr: Evaluation, mut va: Evaluation) -> Metrics {
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
            let (at, step) = (at.to_string(), step.to_string());
            self.halt(
                crate::lang::Lang::En.fill(crate::train::diagnostics::WHOLE_DATA, &[&at, &step]),
            );
            tr = self.evaluate(Subset::Train);
            va = self.evaluate(Subset::Val);
        }
        if va.nll.is_finite() {
            self.best_val = self.best_val.min(va.nll);
        }
        self.describe(tr, va)
    }
    /// The metrics of `tr` and `va` as they are (the regressor's noise scale refreshed).
    pub(crate) fn describe(&mut self, tr: Evaluation, va: Evaluation) -> Metrics {
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
                0.5 * crate::base::math::ln(var) + crate::base::math::HALF_LN_2PI + 0.5 * vv / var
            })
            .sum();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let watch = Watch {
            halted: self.halted.as_deref(),
            sigma_min: self.spec.sigma_min,
            target_std: self.target_std,
            best_val: self.best_val,
        };
        let alarms = watch.alarms(&tr, va.nll);
        let notes = Watch::notes(&self.model.head, &tr);
        let (mdn_fk_error, baseline_fk_error) = match self.spec.data {
            Data::Arm => {
                let (fk_mdn, fk_base) = self.fk_errors(&self.val);
                (Some(fk_mdn), Some(fk_base))
            }
            _ => (None, None),
        };
        let point_mass =
            crate::forecast::point_mass::scores(self.spec.data, &self.model, &self.val);
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
            dead_components: Watch::dead(&self.model.head, &tr.component_pi),
            component_pi: tr.component_pi,
            min_sigma: tr.min_sigma,
            alarms,
            notes,
            reinitialised: self.reinitialised,
            halted: self.halted.clone(),
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
    /// `reinit_dead`: components whose average π over (up to 2000) training points is
    /// below [`DEAD_PI`] (beyond the π floor) are moved onto the worst-explained of those
    /// points, one each, by splitting the component most responsible there: the dead one
    /// takes a copy of its logit, mean and scale rows (so it follows the same shape in x),
    /// with the mean shifted onto that point's target and both logits lowered by ln 2, so
    /// that together they keep the weight the live one had. The optimizer forgets the
    /// moments of every row it changed.
    pub(crate) fn reinit_dead(&mut self) {
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
                    crate::mdn::family::Family::Hurdle if y[a] > 0.0 => crate::base::math::ln(y[a]),
                    crate::mdn::family::Family::Hurdle => m.mu[src * head.d + a],
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
}
