//! Several training steps of several models on a pool of threads, natively, with the
//! models out of step with each other.
//!
//! The models of a run share only their batches: model i's step k reads the batch of
//! step k and its own weights, nothing of another model. So a model need not wait for
//! the others to finish a step before it starts its next. A step taken a step at a time
//! has few jobs (at the default batch of 8, three: one chunk per model), which leave
//! threads idle at every step's end; here each thread takes the next chunk of the model
//! furthest behind that has one free, and the thread that finishes a model's last chunk
//! of a step adds that step's gradients in chunk order and steps its optimizer. Each
//! model's numbers are those of the steps taken one at a time, on any number of threads.

use super::batch::Work;
use super::engine::{job, Net, Slot, Words};
use super::lstm::Clip;
use std::sync::{Condvar, Mutex, RwLock};

/// One training step's batch: the scale of its moves' derivatives, the clipping, and
/// its words in chunks (as [`super::engine::chunks`] cuts them).
pub struct Step {
    pub scale: f32,
    pub clip: Clip,
    pub chunks: Vec<Vec<usize>>,
}

/// What a model's step gives its optimizer: the NLL summed over the batch's moves and
/// the gradient (its chunks' gradients added in chunk order).
pub struct Done<'a> {
    pub step: usize,
    pub total: f64,
    pub grad: &'a [f32],
}

/// Where each model is: the step it is on, the next chunk of it to hand out, and how
/// many of its chunks are done.
#[derive(Clone, Copy, Default)]
struct Lane {
    step: usize,
    next: usize,
    done: usize,
}

/// Takes `steps` on each of `nets` over `seqs`, on `pool`'s threads: `finish(i, net,
/// state, done)` steps model i's optimizer after each of its steps, in step order for
/// each model, on whichever thread finished it. The buffers of `works` are reused (one
/// per thread).
#[allow(clippy::too_many_arguments)]
pub fn run<S: Send + Sync>(
    nets: &mut [Net],
    states: &mut [S],
    steps: &[Step],
    seqs: Words,
    pool: &rayon::ThreadPool,
    works: &mut Vec<Work<f32>>,
    finish: &(dyn Fn(usize, &mut Net, &mut S, Done) + Sync),
) {
    let per = steps.iter().map(|s| s.chunks.len()).max().unwrap_or(0);
    if per == 0 {
        return;
    }
    let models: Vec<RwLock<(&mut Net, &mut S)>> = nets
        .iter_mut()
        .zip(states.iter_mut())
        .map(RwLock::new)
        .collect();
    let slots: Vec<Vec<Mutex<Slot>>> = (0..models.len())
        .map(|_| (0..per).map(|_| Mutex::default()).collect())
        .collect();
    let lanes = Mutex::new(vec![Lane::default(); models.len()]);
    let wake = Condvar::new();
    works.resize_with(pool.current_num_threads(), Work::default);
    let shared = Shared {
        models: &models,
        slots: &slots,
        lanes: &lanes,
        wake: &wake,
        steps,
        seqs,
        finish,
    };
    pool.scope(|scope| {
        for work in works.iter_mut() {
            let shared = &shared;
            scope.spawn(move |_| shared.work(work));
        }
    });
}

/// What the threads of [`run`] share.
struct Shared<'a, 'n, S> {
    models: &'a [RwLock<(&'n mut Net, &'n mut S)>],
    slots: &'a [Vec<Mutex<Slot>>],
    lanes: &'a Mutex<Vec<Lane>>,
    wake: &'a Condvar,
    steps: &'a [Step],
    seqs: Words<'a>,
    finish: &'a (dyn Fn(usize, &mut Net, &mut S, Done) + Sync),
}

impl<S: Send + Sync> Shared<'_, '_, S> {
    /// A thread's loop: the next free chunk of the model furthest behind, until every
    /// model has taken every step.
    fn work(&self, work: &mut Work<f32>) {
        while let Some((i, k, c)) = self.next() {
            let step = &self.steps[k];
            {
                let mut slot = self.slots[i][c].lock().expect("no job panics");
                let slot = &mut *slot;
                let model = self.models[i].read().expect("no job panics");
                let net = &*model.0;
                slot.grad.resize(net.weights.params.len(), 0.0);
                slot.grad.fill(0.0);
                let grad = Some((step.scale, step.clip));
                job(net, self.seqs, &step.chunks[c], grad, work, slot);
            }
            let last = {
                let mut lanes = self.lanes.lock().expect("no job panics");
                lanes[i].done += 1;
                lanes[i].done == step.chunks.len()
            };
            if last {
                self.end_step(i, k);
            }
        }
    }

    /// The next job, (model, step, chunk), waiting while every model with steps left
    /// is between two steps; none when all are done.
    fn next(&self) -> Option<(usize, usize, usize)> {
        let mut lanes = self.lanes.lock().expect("no job panics");
        loop {
            let free =
                |l: &Lane| l.step < self.steps.len() && l.next < self.steps[l.step].chunks.len();
            let pick = (0..lanes.len())
                .filter(|&i| free(&lanes[i]))
                .min_by_key(|&i| (lanes[i].step, i));
            if let Some(i) = pick {
                let lane = &mut lanes[i];
                lane.next += 1;
                return Some((i, lane.step, lane.next - 1));
            }
            if lanes.iter().all(|l| l.step == self.steps.len()) {
                return None;
            }
            lanes = self.wake.wait(lanes).expect("no job panics");
        }
    }

    /// Model i's step k, once all its chunks are done: the gradient added in chunk
    /// order, the optimizer's step, and the model's next step opened.
    fn end_step(&self, i: usize, k: usize) {
        let n = self.steps[k].chunks.len();
        let mut slots: Vec<_> = self.slots[i][..n]
            .iter()
            .map(|s| s.lock().expect("no job panics"))
            .collect();
        let total = slots.iter().map(|s| s.total).sum();
        let (first, rest) = slots.split_first_mut().expect("a step has a chunk");
        for s in rest.iter() {
            for (a, b) in first.grad.iter_mut().zip(&s.grad) {
                *a += *b;
            }
        }
        {
            let mut model = self.models[i].write().expect("no job panics");
            let (net, state) = &mut *model;
            let done = Done {
                step: k,
                total,
                grad: &first.grad,
            };
            (self.finish)(i, net, state, done);
        }
        drop(slots);
        let mut lanes = self.lanes.lock().expect("no job panics");
        lanes[i] = Lane {
            step: k + 1,
            next: 0,
            done: 0,
        };
        self.wake.notify_all();
    }
}
