//! Choosing K: train the same spec for K = 1…Kmax with several seeds and compare the
//! validation NLL and the Bayesian information criterion,
//!
//! BIC = 2 n · (training NLL per point) + P ln n,
//!
//! with n the training points and P the MDN's parameter count (every weight and bias of
//! the network, whose last layer grows with K). Lower is better for both; the chosen K
//! is the one with the lowest mean over seeds.
//!
//! A sweep is a list of [`Job`]s, one per (K, seed). [`Sweep`] advances one job at a
//! time ([`Sweep::run`] is the whole thing at once), [`Sweep::finish_parallel`] runs them
//! on threads (`mdn sweep`), and the page hands them to a pool of workers
//! ([`Sweep::job_specs`], [`Sweep::add_row`]). Rows keep the sweep's order (K, then seed)
//! wherever they were trained, so every way gives the same report.

use crate::config::spec::Spec;
use crate::train::experiment::Experiment;
use serde::{Deserialize, Serialize};

/// One trained experiment of a sweep.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Row {
    pub k: usize,
    pub seed: u64,
    /// The MDN's parameters (weights and biases).
    pub params: usize,
    pub train_nll: f64,
    pub val_nll: f64,
    pub bic: f64,
    /// The run halted on a number that was not finite; its figures are those of the
    /// last finite state it rolled back to.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub halted: bool,
}

/// The mean over seeds for one K.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub k: usize,
    pub params: usize,
    pub val_nll_mean: f64,
    /// Smallest and largest over seeds.
    pub val_nll_range: (f64, f64),
    pub bic_mean: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Report {
    pub spec: String,
    pub k_max: usize,
    pub seeds: u64,
    pub rows: Vec<Row>,
    pub summary: Vec<Summary>,
    /// K with the lowest mean BIC, and with the lowest mean validation NLL (absent until
    /// a run is done).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen_by_bic: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen_by_val_nll: Option<usize>,
}

/// One (K, seed) run of a sweep: its experiment, trained to the spec's steps, then
/// scored. The CLI, the threads and the page's pool of workers all run a sweep's runs
/// through this, so a row has the same bits wherever it was trained.
pub struct Job {
    exp: Experiment,
}

impl Job {
    /// The run of `spec` with K = `k` and seed `seed`.
    pub fn new(spec: &Spec, k: usize, seed: u64) -> Job {
        let mut spec = spec.clone();
        spec.k = k;
        spec.seed = seed;
        Job::of(&spec)
    }

    /// The run of a spec that already names its K and seed (the page's workers get a
    /// job as a link: [`Sweep::job_specs`]).
    pub fn of(spec: &Spec) -> Job {
        Job {
            exp: Experiment::new(spec),
        }
    }

    /// Trains up to `steps` steps (stopping early when `out_of_time()` says so, asked
    /// after every block of samples), then scores the run; its row once it is done.
    pub fn advance_within(
        &mut self,
        steps: u64,
        out_of_time: &mut dyn FnMut() -> bool,
    ) -> Option<Row> {
        let e = &mut self.exp;
        let left = e.spec.steps.saturating_sub(e.step);
        if left > 0 && e.halted.is_none() {
            e.train_within(steps.min(left), out_of_time);
        }
        if e.step < e.spec.steps && e.halted.is_none() {
            return None;
        }
        let m = e.metrics_within(out_of_time)?;
        Some(row(e, &m))
    }

    /// The whole run at once.
    pub fn run(mut self) -> Row {
        loop {
            if let Some(r) = self.advance_within(u64::MAX, &mut || false) {
                return r;
            }
        }
    }

    /// How far the run is, from 0 to 1, by steps trained.
    pub fn fraction(&self) -> f64 {
        let e = &self.exp;
        if e.halted.is_some() || e.spec.steps == 0 {
            return 1.0;
        }
        (e.step as f64 / e.spec.steps as f64).min(1.0)
    }
}

/// A sweep in progress: K = k_min…k_max, seeds spec.seed … spec.seed + seeds − 1.
pub struct Sweep {
    spec: Spec,
    k_min: usize,
    k_max: usize,
    seeds: u64,
    /// The (k, seed) pairs still to train, next first (reversed order).
    todo: Vec<(usize, u64)>,
    current: Option<Job>,
    /// In the sweep's order (K, then seed), wherever and whenever they were trained.
    rows: Vec<Row>,
}

pub const SEEDS_MAX: u64 = 10;

impl Sweep {
    /// K is clamped to the spec's range, seeds to 1…SEEDS_MAX. Refused, with the reason,
    /// when the seeds seed … seed + seeds − 1 go beyond the largest seed (they would not be
    /// different seeds).
    pub fn new(spec: &Spec, k_min: usize, k_max: usize, seeds: u64) -> Result<Sweep, String> {
        let (lo, hi) = crate::mdn::head::K_RANGE;
        let k_max = k_max.clamp(lo, hi);
        let k_min = k_min.clamp(lo, k_max);
        let seeds = seeds.clamp(1, SEEDS_MAX);
        let last = spec.seed.checked_add(seeds - 1);
        if last.is_none_or(|l| l > crate::base::rng::SEED_MAX) {
            return Err(format!(
                "the seeds {} to {} + {} go beyond the largest seed, {}: use a smaller seed",
                spec.seed,
                spec.seed,
                seeds - 1,
                crate::base::rng::SEED_MAX
            ));
        }
        let mut todo = Vec::new();
        for k in k_min..=k_max {
            for s in 0..seeds {
                todo.push((k, spec.seed + s));
            }
        }
        todo.reverse();
        Ok(Sweep {
            spec: spec.clone(),
            k_min,
            k_max,
            seeds,
            todo,
            current: None,
            rows: Vec::new(),
        })
    }

    /// Experiments trained so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        let total = (self.k_max - self.k_min + 1) * self.seeds as usize;
        (self.rows.len(), total)
    }

    /// The experiments trained so far.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn done(&self) -> bool {
        self.todo.is_empty() && self.current.is_none()
    }

    /// The (K, seed) runs not started yet, in the sweep's order.
    pub fn pending(&self) -> Vec<(usize, u64)> {
        self.todo.iter().rev().copied().collect()
    }

    /// The specs of the runs not started yet (as [`Sweep::pending`]), for runs trained
    /// elsewhere with [`Job::of`] and handed back with [`Sweep::add_row`].
    pub fn job_specs(&self) -> Vec<Spec> {
        let mut out = Vec::new();
        for (k, seed) in self.pending() {
            let mut spec = self.spec.clone();
            spec.k = k;
            spec.seed = seed;
            out.push(spec);
        }
        out
    }

    /// Takes the row of a run trained elsewhere: it must be one of [`Sweep::pending`]
    /// (else refused with the reason); it goes to its place in the sweep's order.
    pub fn add_row(&mut self, row: Row) -> Result<(), String> {
        let key = (row.k, row.seed);
        let Some(at) = self.todo.iter().position(|&t| t == key) else {
            return Err(format!(
                "K = {}, seed {} is not a run this sweep waits for",
                row.k, row.seed
            ));
        };
        self.todo.remove(at);
        self.place(row);
        Ok(())
    }

    /// Puts a row in its place in the sweep's order.
    fn place(&mut self, row: Row) {
        let at = self
            .rows
            .partition_point(|r| (r.k, r.seed) < (row.k, row.seed));
        self.rows.insert(at, row);
    }

    /// Trains up to `steps` steps of the current experiment (starting the next one if
    /// none is under way); returns true when the whole sweep is done. (The page's workers
    /// run a sweep's jobs in slices of time: [`Job::advance_within`].)
    pub fn advance(&mut self, steps: u64) -> bool {
        if self.current.is_none() {
            let Some((k, seed)) = self.todo.pop() else {
                return true;
            };
            self.current = Some(Job::new(&self.spec, k, seed));
        }
        let job = self.current.as_mut().expect("set above");
        if let Some(r) = job.advance_within(steps, &mut || false) {
            self.current = None;
            self.place(r);
        }
        self.done()
    }

    /// The whole sweep at once.
    pub fn run(spec: &Spec, k_min: usize, k_max: usize, seeds: u64) -> Result<Report, String> {
        let mut s = Sweep::new(spec, k_min, k_max, seeds)?;
        while !s.advance(u64::MAX) {}
        Ok(s.report())
    }

    /// The rows so far, their summary per K and the chosen K.
    pub fn report(&self) -> Report {
        let mut summary = Vec::new();
        for k in self.k_min..=self.k_max {
            let rows: Vec<&Row> = self.rows.iter().filter(|r| r.k == k).collect();
            if rows.is_empty() {
                continue;
            }
            let n = rows.len() as f64;
            let val: Vec<f64> = rows.iter().map(|r| r.val_nll).collect();
            summary.push(Summary {
                k,
                params: rows[0].params,
                val_nll_mean: val.iter().sum::<f64>() / n,
                val_nll_range: (
                    val.iter().cloned().fold(f64::INFINITY, f64::min),
                    val.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
                ),
                bic_mean: rows.iter().map(|r| r.bic).sum::<f64>() / n,
            });
        }
        let best = |f: fn(&Summary) -> f64| {
            summary
                .iter()
                .filter(|s| f(s).is_finite())
                .min_by(|a, b| f(a).total_cmp(&f(b)))
                .map(|s| s.k)
        };
        Report {
            spec: self.spec.format(),
            k_max: self.k_max,
            seeds: self.seeds,
            rows: self.rows.clone(),
            chosen_by_bic: best(|s| s.bic_mean),
            chosen_by_val_nll: best(|s| s.val_nll_mean),
            summary,
        }
    }
}

impl Sweep {
    /// In WebAssembly (no threads): the rest of the sweep on this thread (the page hands
    /// a sweep's jobs to its pool of workers instead: [`Sweep::job_specs`]).
    #[cfg(target_arch = "wasm32")]
    pub fn finish_parallel(
        &mut self,
        _threads: usize,
        on_row: &(dyn Fn(&Row) + Sync),
    ) -> Result<(), String> {
        let mut shown = self.rows.len();
        while !self.advance(u64::MAX) || shown < self.rows.len() {
            for r in &self.rows[shown..] {
                on_row(r);
            }
            shown = self.rows.len();
        }
        Ok(())
    }
}

/// Natively: the rest of a sweep over several threads.
#[cfg(not(target_arch = "wasm32"))]
impl Sweep {
    /// Trains what is left of the sweep on `threads` threads, one experiment per thread
    /// at a time, calling `on_row` as each finishes (in whatever order they finish). An
    /// experiment's bits do not depend on the thread it runs on, so the rows, kept in the
    /// sweep's order, equal those of [`Sweep::advance`].
    pub fn finish_parallel(
        &mut self,
        threads: usize,
        on_row: &(dyn Fn(&Row) + Sync),
    ) -> Result<(), String> {
        while self.current.is_some() {
            self.advance(u64::MAX);
        }
        let todo: Vec<(usize, u64)> = self.todo.drain(..).rev().collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build()
            .map_err(|e| format!("threads: {e}"))?;
        let spec = &self.spec;
        let rows: Vec<Row> = pool.install(|| {
            use rayon::prelude::*;
            // One experiment per task, so that threads share out large and small K alike.
            todo.par_iter()
                .with_max_len(1)
                .map(|&(k, seed)| {
                    let r = Job::new(spec, k, seed).run();
                    on_row(&r);
                    r
                })
                .collect()
        });
        for r in rows {
            self.place(r);
        }
        Ok(())
    }
}

fn row(e: &Experiment, m: &crate::train::diagnostics::Metrics) -> Row {
    let n = e.train.len() as f64;
    let params = e.model.mdn.params.len();
    Row {
        k: e.spec.k,
        seed: e.spec.seed,
        params,
        train_nll: m.train_nll,
        val_nll: m.val_nll,
        bic: 2.0 * n * m.train_nll + params as f64 * crate::base::math::ln(n),
        halted: m.halted.is_some(),
    }
}
