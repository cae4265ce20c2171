//! Training spread over threads gives the bits of one thread. The golden specs
//! (one block per step: they stay on one thread) and specs of many blocks per step, which
//! do take the threaded path: full batches and shuffled ones, noise, ReLU, SGD, clipping,
//! weight decay, a full covariance, and a batch that ends in a partial block.

use mdn_playground::{Experiment, Spec};

use shared::fingerprint_on as fingerprint;

const MANY_BLOCKS: [&str; 4] = [
    "data=bishop-inverse&n=2000&seed=3&k=5&hidden=64,64&batch=all&steps=12",
    "data=bishop-inverse&n=3000&seed=4&k=6&hidden=48,32&act=relu&opt=sgd&lr=0.05&momentum=0.9&batch=1000&clip=1&weight_decay=0.001&noise_x=0.05&noise_y=0.02&steps=10",
    "data=arm&n=2000&seed=5&k=4&hidden=40,40&cov=full&sigma=softplus&pi_floor=0.01&batch=all&steps=10",
    "data=bishop-inverse&n=1000&seed=6&k=3&hidden=70,70&batch=777&steps=9",
];

#[test]
fn the_golden_bits_hold_at_1_2_3_and_8_threads() {
    let want = shared::golden_expected();
    for threads in [1, 2, 3, 8] {
        let mut got = fingerprint(shared::GOLDEN_SPEC, threads);
        let full = fingerprint(shared::GOLDEN_FULL_SPEC, threads);
        got.extend(full.into_iter().map(|l| format!("full {l}")));
        assert_eq!(got, want, "{threads} threads");
    }
}

#[test]
fn many_blocks_per_step_give_the_same_bits_at_any_thread_count() {
    for text in MANY_BLOCKS {
        let spec = Spec::parse(text).unwrap();
        let e = Experiment::new(&spec);
        let batch = spec.batch.size(e.train.len());
        assert!(
            mdn_playground::train::threads::worth_it(&e.model, batch),
            "{text}: would stay on one thread"
        );
        let one = fingerprint(text, 1);
        for threads in [2, 3, 8] {
            assert_eq!(fingerprint(text, threads), one, "{text}: {threads} threads");
        }
    }
}

#[test]
fn a_thread_count_out_of_range_is_refused() {
    let mut e = Experiment::new(&Spec::parse("steps=1").unwrap());
    assert!(e.set_threads(0).is_err());
    assert!(e.set_threads(100_000).is_err());
}

use crate::shared;

/// `--threads`: the same final numbers at 1 and 2 threads; a count out of range refused.
#[test]
fn mdn_train_threads_gives_the_same_numbers_and_refuses_nonsense() {
    let run = |args: &[&str]| crate::run::mdn(args);
    let spec = MANY_BLOCKS[0];
    let (a, b) = (
        run(&["train", spec, "--threads", "1"]),
        run(&["train", spec, "--threads", "2"]),
    );
    assert!((a.code == 0) && (b.code == 0));
    let (a, b) = (a.last_json(), b.last_json());
    for key in ["train_nll", "val_nll", "baseline_val_nll", "val_crps"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    for bad in ["0", "257", "two", "-1"] {
        let o = run(&["train", "steps=1", "--threads", bad]);
        assert_eq!(Some(o.code), Some(2), "--threads {bad}");
        assert!(o.stderr.contains("threads"), "--threads {bad}");
    }
}

/// The vector transpose of a block's gradients (8 × 8 shuffles, edges one by one) moves
/// every value to its place unchanged, for widths and sample counts on and off the tiles.
#[test]
fn the_block_transpose_moves_every_value_unchanged() {
    use mdn_playground::mdn::kernels::{transpose, BLOCK};
    for dout in [1, 3, 8, 15, 16, 30, 64, 67] {
        for nb in [1, 7, 8, 9, 100, BLOCK] {
            let dz: Vec<f32> = (0..dout * BLOCK).map(|v| v as f32 * 0.5 - 3.0).collect();
            let mut t = vec![f32::NAN; nb * dout];
            transpose(&mut t, &dz, dout, nb);
            for o in 0..dout {
                for i in 0..nb {
                    assert_eq!(
                        t[i * dout + o].to_bits(),
                        dz[o * BLOCK + i].to_bits(),
                        "dout {dout} nb {nb} at {o},{i}"
                    );
                }
            }
        }
    }
}

/// The handwriting engine's jobs spread over threads give the bits of one thread: a
/// step at a time (3 models × 3 chunks of words, the last of 8 lanes), and several steps
/// with the models out of step with each other (also at one chunk per model, where the
/// models drift furthest apart), in one call or cut in two.
#[test]
fn the_handwriting_bits_hold_at_1_2_3_and_8_threads() {
    use mdn_playground::strokes::train::{StrokeRun, StrokeSpec};
    for text in [
        "seed=4&n=80&hidden=24&layers=2&skip=1&m=3&batch=40&steps=4",
        "seed=5&n=60&hidden=16&m=2&batch=8&steps=9",
    ] {
        let spec = StrokeSpec::parse(text).unwrap();
        let run_on = |threads: usize, take: &dyn Fn(&mut StrokeRun)| {
            let mut run = StrokeRun::new(&spec);
            run.set_threads(threads).unwrap();
            take(&mut run);
            assert_eq!(run.step, spec.steps);
            let mut bits: Vec<u64> = run.val_nll().iter().map(|v| v.to_bits()).collect();
            for t in &run.models {
                bits.push(t.train_nll.to_bits());
                bits.extend(t.model.net.params.iter().map(|p| p.to_bits()));
            }
            bits
        };
        let one_by_one = |run: &mut StrokeRun| {
            for _ in 0..spec.steps {
                run.train_step();
            }
        };
        let all_at_once = |run: &mut StrokeRun| run.train_steps(spec.steps);
        let in_two = |run: &mut StrokeRun| {
            run.train_steps(3);
            run.train_steps(spec.steps - 3);
        };
        let one = run_on(1, &one_by_one);
        for threads in [1, 2, 3, 8] {
            assert!(
                run_on(threads, &one_by_one) == one,
                "{text}: {threads} threads, by steps"
            );
            assert!(
                run_on(threads, &all_at_once) == one,
                "{text}: {threads} threads, at once"
            );
            assert!(
                run_on(threads, &in_two) == one,
                "{text}: {threads} threads, in two"
            );
        }
    }
}
