//! `make bench`: training steps per second of the engine, native, one thread.
//! Full-batch Adam on bishop-inverse, the loss read back every step.

use mdn_playground::{Experiment, Spec};
use std::time::Instant;

fn measure(name: &str, spec: &str, with_baseline: bool) -> f64 {
    let spec = Spec::parse(spec).expect("bench spec");
    let mut e = Experiment::new(&spec);
    e.train_baseline = with_baseline;
    let mut sink = 0.0;
    for _ in 0..20 {
        sink += e.train_step().nll; // warm-up
    }
    let mut best: f64 = 0.0;
    for _ in 0..5 {
        let t = Instant::now();
        let mut steps = 0u64;
        while t.elapsed().as_secs_f64() < 1.0 {
            sink += e.train_step().nll;
            steps += 1;
        }
        best = best.max(steps as f64 / t.elapsed().as_secs_f64());
    }
    assert!(sink.is_finite());
    let what = if with_baseline { "mdn+baseline" } else { "mdn" };
    println!(
        "{{\"config\":\"{name}\",\"models\":\"{what}\",\"steps_per_s\":{best:.1},\"spec\":\"{}\"}}",
        spec.format()
    );
    best
}

fn main() {
    let small = "data=bishop-inverse&n=1000&hidden=20&k=5&act=tanh&opt=adam&lr=0.01&batch=all&schedule=constant";
    let medium = "data=bishop-inverse&n=4096&hidden=64,64&k=10&act=tanh&opt=adam&lr=0.01&batch=all&schedule=constant";
    for (name, spec) in [("small", small), ("medium", medium)] {
        measure(name, spec, false);
        measure(name, spec, true);
    }
}
