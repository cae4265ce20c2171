//! `make bench`: training steps per second of the engine, natively, at one thread and at
//! every core (`Experiment::set_threads`). Full-batch Adam on bishop-inverse, the loss
//! read back every step; the best of five windows after a warm-up. One JSON line per
//! measurement. `MDN_BENCH=medium` keeps one configuration, `MDN_BENCH_THREADS=2` one
//! thread count, `MDN_BENCH_SECONDS` sets the window (for `perf record`: see Makefile's
//! `profile`).

use mdn_playground::{Experiment, Spec};
use std::time::Instant;

const SMALL: &str =
    "data=bishop-inverse&n=1000&hidden=20&k=5&act=tanh&opt=adam&lr=0.01&batch=all&schedule=constant";
const MEDIUM: &str =
    "data=bishop-inverse&n=4096&hidden=64,64&k=10&act=tanh&opt=adam&lr=0.01&batch=all&schedule=constant";

fn measure(name: &str, spec: &str, with_baseline: bool, threads: usize, window: f64) -> f64 {
    let spec = Spec::parse(spec).expect("bench spec");
    let mut e = Experiment::new(&spec);
    e.train_baseline = with_baseline;
    e.set_threads(threads).expect("threads");
    let mut sink = 0.0;
    for _ in 0..20 {
        sink += e.train_step().nll; // warm-up
    }
    let mut best: f64 = 0.0;
    for _ in 0..5 {
        let t = Instant::now();
        let mut steps = 0u64;
        while t.elapsed().as_secs_f64() < window {
            sink += e.train_step().nll;
            steps += 1;
        }
        best = best.max(steps as f64 / t.elapsed().as_secs_f64());
    }
    assert!(sink.is_finite());
    let what = if with_baseline { "mdn+baseline" } else { "mdn" };
    println!(
        "{{\"config\":\"{name}\",\"models\":\"{what}\",\"threads\":{threads},\"steps_per_s\":{best:.1}}}"
    );
    best
}

fn main() {
    let only = std::env::var("MDN_BENCH").ok();
    let window: f64 = std::env::var("MDN_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads: Vec<usize> = match std::env::var("MDN_BENCH_THREADS").ok() {
        Some(t) => vec![t.parse().expect("MDN_BENCH_THREADS: a number")],
        None if cores > 1 => vec![1, cores],
        None => vec![1],
    };
    for (name, spec) in [("small", SMALL), ("medium", MEDIUM)] {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        for &t in &threads {
            measure(name, spec, false, t, window);
            measure(name, spec, true, t, window);
        }
    }
}
