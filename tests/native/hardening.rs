//! The findings of an adversarial review, each kept fixed. Every test here failed
//! before its fix (the CLI's are in `tests/native/cli.rs`, the page's in `tests/browser/`).

use mdn_playground::config::spec::{whole, Whole};
use mdn_playground::mdn::mixture::Mixture;
use mdn_playground::mdn::model::Model;
use mdn_playground::plot::{self, Curves, View};
use mdn_playground::train::sweep::Sweep;
use mdn_playground::{Experiment, Spec};
use plotters::prelude::*;
use std::sync::mpsc;
use std::time::Duration;

/// Runs `f` on a thread and fails if it takes longer than `secs` (a hang, not a speed test:
/// the limits are a hundred times what the work takes).
fn finishes<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(secs))
        .expect("did not finish: it hangs")
}

fn trained_json(spec: &str) -> String {
    let spec = Spec::parse(spec).unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    e.metrics();
    e.model.to_json(&spec.format())
}

/// Every MDN weight and bias of a model file set by `f`.
fn with_weights(text: &str, f: impl Fn(usize) -> f64) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    let mut i = 0;
    for layer in v["mdn"]["layers"].as_array_mut().unwrap() {
        for row in layer["weights"].as_array_mut().unwrap() {
            for w in row.as_array_mut().unwrap() {
                *w = f(i).into();
                i += 1;
            }
        }
        for b in layer["bias"].as_array_mut().unwrap() {
            *b = f(i).into();
            i += 1;
        }
    }
    v.to_string()
}

#[test]
fn a_model_whose_outputs_overflow_is_refused_with_the_reason() {
    // 9.1: weights of ±1e38 passed validation, π came out NaN and the page hung for good.
    let text = trained_json("n=300&hidden=6&k=3&steps=20");
    let huge = with_weights(&text, |i| if i % 2 == 0 { 1e38 } else { -1e38 });
    let err = Model::<f32>::from_json(&huge).unwrap_err();
    assert!(
        err.contains("not finite numbers") && err.contains("too large"),
        "{err}"
    );
    // Large but harmless weights still load, and every query of them is finite.
    let big = with_weights(&text, |i| if i % 3 == 0 { 30.0 } else { -20.0 });
    let (m, _) = Model::<f32>::from_json(&big).unwrap();
    for x in [-0.2, 0.0, 0.5, 1.2] {
        let mix = m.checked_mixture(&[x]).unwrap();
        assert!(mix.log_prob(&[0.5]).is_finite() || mix.log_prob(&[0.5]) == f64::NEG_INFINITY);
        assert!(mix.mode().iter().all(|v| v.is_finite()));
        assert!(mix.mean().iter().all(|v| v.is_finite()));
    }
    // Far outside the data, a query is refused, not answered with NaN.
    let relu = trained_json("n=300&hidden=6&k=3&steps=20&act=relu");
    let (m, _) = Model::<f32>::from_json(&relu).unwrap();
    let err = m.checked_mixture(&[1e38]).unwrap_err();
    assert!(err.contains("x = 1e38"), "{err}");
    assert!(m.checked_mixture(&[f64::NAN]).is_err());
}

#[test]
fn the_components_panel_finishes_whatever_the_weights() {
    // 9.1: with π NaN the loop choosing the runs to draw never advanced (2.7 GB, a trap).
    let mix = Mixture {
        k: 2,
        d: 1,
        pi: vec![f64::NAN, 0.5],
        log_pi: vec![f64::NAN, -0.7],
        mu: vec![0.5, f64::NAN],
        sigma: vec![0.1, f64::INFINITY],
        off: vec![],
        ..Default::default()
    };
    let curves = Curves {
        xs: (0..40).map(|i| i as f64 / 40.0).collect(),
        baseline: vec![0.5; 40],
        mixtures: vec![mix; 40],
    };
    finishes(60, move || {
        let mut buf = vec![0u8; 400 * 300 * 3];
        let root = BitMapBackend::with_buffer(&mut buf, (400, 300)).into_drawing_area();
        let view = View {
            x: (0.0, 1.0),
            y: (0.0, 1.0),
        };
        let _ = plot::draw_components(&root, &view, &curves, false, 1.0, plot::Theme::LIGHT);
    });
}

#[test]
fn a_blow_up_rolls_back_to_finite_losses_for_both_models() {
    // 9.3: the rollback kept a state whose losses were already not finite.
    for text in [
        "opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500",
        "data=rain&opt=sgd&lr=1&momentum=0.999&sigma_min=0&n=200&act=relu",
    ] {
        let spec = Spec::parse(text).unwrap();
        let mut e = Experiment::new(&spec);
        e.train(spec.steps);
        let m = e.metrics();
        let halted = m.halted.clone().expect("this spec blows up");
        assert!(halted.contains("rolled back to step"), "{halted}");
        assert!(
            !halted.contains("NaN") && !halted.contains("inf"),
            "{halted}"
        );
        for v in [
            m.train_nll,
            m.val_nll,
            m.baseline_train_mse,
            m.baseline_val_mse,
            m.baseline_val_nll,
            m.min_sigma,
        ] {
            assert!(v.is_finite(), "{text}: {m:?}");
        }
        assert!(
            m.alarms.iter().all(|a| !a.contains("NaN")),
            "{:?}",
            m.alarms
        );
        // The rolled-back state is the one reported, and it stays put.
        assert_eq!(e.metrics().val_nll, m.val_nll);
    }
}

#[test]
fn a_sweep_with_a_blow_up_still_chooses_k() {
    // 9.4: "chosen_by_bic": null, and the page's sweep never settled.
    let spec = Spec::parse("opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=300").unwrap();
    let r = Sweep::run(&spec, 1, 2, 1).unwrap();
    assert!(r.chosen_by_bic.is_some() && r.chosen_by_val_nll.is_some());
    assert!(r
        .rows
        .iter()
        .all(|row| row.bic.is_finite() && row.val_nll.is_finite()));
    assert!(r.rows.iter().any(|row| row.halted));
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains("null"), "{json}");
}

#[test]
fn whole_numbers_are_read_whatever_their_notation() {
    // 9.5: n=1e3, k=3.0, steps=1e2, seed=1.0, n=-0 were clamped to the maximum.
    let (s, issues) = Spec::parse_lenient(
        "n=1e3&k=3.0&steps=1e2&seed=1.0&hidden=16.0,8&batch=5e2",
        &[],
    );
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!((s.n, s.k, s.steps, s.seed), (1000, 3, 100, 1));
    assert_eq!(s.hidden, vec![16, 8]);
    assert_eq!(s.batch.size(s.n), 500);
    let (s, issues) = Spec::parse_lenient("n=-0&k=2.5&steps=-3&seed=1e400", &[]);
    assert_eq!(s.n, 10);
    let msgs: Vec<String> = issues.iter().map(|i| i.message.clone()).collect();
    assert!(
        msgs.contains(&"n: '-0' is below the minimum 10".to_string()),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("k: '2.5' is not a whole number")),
        "{msgs:?}"
    );
    assert!(
        msgs.contains(&"steps: '-3' is below the minimum 0".to_string()),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("seed: '1e400' is above the maximum")),
        "{msgs:?}"
    );
    assert_eq!(whole("1e3"), Ok(Whole::Value(1000)));
    assert_eq!(whole(" 7 "), Ok(Whole::Value(7)));
    assert_eq!(whole("-2"), Ok(Whole::Negative));
    assert!(whole("inf").is_err() && whole("NaN").is_err() && whole("0.5").is_err());
}

#[test]
fn a_key_given_many_times_is_reported_once_with_the_value_used() {
    // 9.13: k=1 given 5000 times filled the list with the same message.
    let text = format!("{}k=4&n=99999", "k=1&".repeat(5000));
    let (s, issues) = Spec::parse_lenient(&text, &[]);
    assert_eq!(s.k, 4);
    let k: Vec<_> = issues.iter().filter(|i| i.key == "k").collect();
    assert_eq!(k.len(), 1, "{issues:?}");
    assert_eq!(
        k[0].to_string(),
        "k: given 5001 times; using the last value, 4"
    );
    // The clamped value is the one named.
    let (_, issues) = Spec::parse_lenient("n=5&n=99999", &[]);
    let n: Vec<String> = issues
        .iter()
        .filter(|i| i.key == "n")
        .map(|i| i.to_string())
        .collect();
    assert!(
        n.contains(&"n: given 2 times; using the last value, 50000".to_string()),
        "{n:?}"
    );
}

#[test]
fn the_command_line_takes_the_page_links_view_keys_and_names_them() {
    // 9.6: the page's own keys made `mdn train` refuse the page's links.
    let (s, ignored) = mdn_playground::share::link::Link::parse_cli(
        "http://x/#k=3&play=1&target=0.5,0.5&tpi=0.5&tsigma=2&samples=300&mode=1&embed=1&play=1",
    )
    .unwrap();
    assert_eq!(s.k, 3);
    assert_eq!(
        ignored,
        ["play", "target", "tpi", "tsigma", "samples", "mode", "embed"]
    );
    assert!(mdn_playground::share::link::Link::parse_cli("k=3&colour=red").is_err());
}

/// An "out of time?" question that says yes every `every`-th time it is asked.
fn every(every: u32) -> impl FnMut() -> bool {
    let mut n = 0;
    move || {
        n += 1;
        n % every == 0
    }
}

#[test]
fn training_in_slices_of_one_block_gives_the_same_bits() {
    // 9.8: the page's worker could only stop between whole steps, so a step of seconds
    // kept Pause, Reset and Cancel waiting. A step now stops after any block of samples;
    // these are the bits of training in one go.
    for text in [
        "n=700&hidden=8,8&k=3&batch=all&steps=30&noise_x=0.1&noise_y=0.05",
        "n=900&hidden=8&k=4&batch=300&steps=30&reinit_dead=7",
        "data=arm&n=600&hidden=8&k=3&cov=full&batch=all&steps=20",
    ] {
        let spec = Spec::parse(text).unwrap();
        let mut whole = Experiment::new(&spec);
        whole.train(spec.steps);
        let mut sliced = Experiment::new(&spec);
        let mut calls = 0;
        let mut stop = every(1);
        while sliced.step < spec.steps {
            sliced.train_within(spec.steps - sliced.step, &mut stop);
            calls += 1;
        }
        assert!(
            calls > spec.steps as usize,
            "{text}: steps were split ({calls} calls)"
        );
        assert_eq!(sliced.model.mdn.params, whole.model.mdn.params, "{text}");
        assert_eq!(
            sliced.model.baseline.params, whole.model.baseline.params,
            "{text}"
        );
        let m = whole.metrics();
        let mut ms = None;
        let mut stop = every(2);
        let mut pieces = 0;
        while ms.is_none() {
            ms = sliced.metrics_within(&mut stop);
            pieces += 1;
        }
        assert!(pieces > 5, "metrics were split ({pieces})");
        assert_eq!(ms.unwrap(), m, "{text}");
    }
}

#[test]
fn a_sweep_in_slices_gives_the_same_rows_and_stops_at_once() {
    let spec = Spec::parse("n=300&hidden=6&k=2&batch=all&steps=15").unwrap();
    let whole = Sweep::run(&spec, 1, 3, 2).unwrap();
    // Each run in slices, as the page's sweep workers train it (SweepJob::advance_for).
    let mut s = Sweep::new(&spec, 1, 3, 2).unwrap();
    let mut stop = every(1);
    let mut calls = 0;
    for job in s.job_specs() {
        let mut job = mdn_playground::train::sweep::Job::of(&job);
        let row = loop {
            if let Some(r) = job.advance_within(u64::MAX, &mut stop) {
                break r;
            }
            calls += 1;
        };
        s.add_row(row).unwrap();
    }
    assert!(calls > 6 * 15, "{calls}");
    assert_eq!(s.report(), whole);
    // A huge network: a slice returns after one block, not after a whole step.
    let big = Spec::parse("hidden=256,256,256,256&k=30&n=50000&batch=all").unwrap();
    let mut e = Experiment::new(&big);
    let t = std::time::Instant::now();
    let mut asked = 0;
    let done = e.train_within(1, &mut || {
        asked += 1;
        true
    });
    assert_eq!((done, asked), (0, 1), "stopped after the first block");
    assert!(t.elapsed().as_secs_f64() < 30.0);
}

#[test]
fn sweep_seeds_past_the_largest_are_refused() {
    // 9.13: they were clamped, so runs with the same seed were averaged.
    let spec = Spec::parse(&format!("seed={}", mdn_playground::base::rng::SEED_MAX - 1)).unwrap();
    assert!(Sweep::new(&spec, 1, 2, 2).is_ok());
    let err = Sweep::new(&spec, 1, 2, 3).err().unwrap();
    assert!(err.contains("beyond the largest seed"), "{err}");
}

#[test]
fn a_tiny_mixing_temperature_acts_as_zero() {
    // 9.13: t = 1e-309 made every tempered weight NaN and picked the last component.
    let mix = Mixture {
        k: 3,
        d: 1,
        pi: vec![0.2, 0.7, 0.1],
        log_pi: vec![0.2f64.ln(), 0.7f64.ln(), 0.1f64.ln()],
        mu: vec![0.0, 1.0, 2.0],
        sigma: vec![0.1; 3],
        off: vec![],
        ..Default::default()
    };
    for t in [1e-309, 1e-300, 1e-20, 0.0] {
        assert_eq!(mix.tempered_weights(t), vec![0.0, 1.0, 0.0], "t = {t}");
    }
    let w = mix.tempered_weights(1.0);
    assert!((w[1] - 0.7).abs() < 1e-12);
}

/// A second round of review: what a link's page keys may say that the page could not
/// show, and what a message prints.
#[test]
fn page_keys_that_cannot_apply_are_said_and_dropped() {
    use mdn_playground::share::link::Link;
    let said = |text: &str| -> (Link, Vec<String>) {
        let (l, issues) = Link::parse(text);
        (l, issues.iter().map(|i| i.to_string()).collect())
    };
    // The planes of two outputs on one-output data: left out, the main plot shown, said.
    let (l, issues) = said("data=bishop-inverse&embed=1&panels=inputs,outputs");
    assert!(l.panels.is_empty(), "{:?}", l.panels);
    assert!(
        issues.iter().any(
            |i| i.contains("panels: inputs, outputs are for data with two outputs")
                && i.contains("showing the main plot")
        ),
        "{issues:?}"
    );
    let (l, issues) = said("data=arm&embed=1&panels=outputs,slice,inputs");
    assert_eq!(l.panels, ["outputs", "inputs"]);
    assert!(
        issues
            .iter()
            .any(|i| i.contains("slice is for data with one output") && i.contains("left out")),
        "{issues:?}"
    );
    // A tour step over another data set: not shown, and said.
    let (l, issues) = said("tour=7&data=ring");
    assert_eq!(l.tour, 0);
    assert!(
        issues
            .iter()
            .any(|i| i.contains("tour=7: this step is about data=arm")),
        "{issues:?}"
    );
    assert_eq!(
        said("tour=7").0.tour,
        7,
        "the step's own link opens its data"
    );
    assert_eq!(
        said("tour=3&k=3").0.tour,
        3,
        "a step's experiment with a change keeps the step"
    );
    // Page keys given twice are said, like the spec's.
    let (l, issues) = said("tour=3&tour=5");
    assert_eq!(l.tour, 5);
    assert!(
        issues.iter().any(|i| i.contains("tour: given 2 times")),
        "{issues:?}"
    );
    let (_, issues) = said("samples=50&samples=300&embed=1&embed=1");
    assert!(
        issues.iter().any(|i| i.contains("samples: given 2 times")),
        "{issues:?}"
    );
    assert!(
        issues.iter().any(|i| i.contains("embed: given 2 times")),
        "{issues:?}"
    );
    // A huge number in a message is short.
    assert_eq!(mdn_playground::base::text::number(1e300), "1e300");
    assert_eq!(mdn_playground::base::text::number(2.5), "2.5");
    assert_eq!(mdn_playground::base::text::number(-3e-9), "-3e-9");
}

/// Looking at the metrics changes nothing: a run that blows up halts at the same step,
/// rolled back to the same state, with the same message, whether its metrics were read at
/// every step (as a page that is paused often) or only at its readings (`mdn train`).
#[test]
fn a_blow_up_halts_the_same_however_often_it_is_looked_at() {
    let spec = Spec::parse("opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500").unwrap();
    let run = |look_every_step: bool| {
        let mut e = Experiment::new(&spec);
        while e.step < spec.steps && e.halted.is_none() {
            let stop = if look_every_step {
                e.step + 1
            } else {
                e.next_reading(e.step)
            };
            e.train(stop - e.step);
            if e.halted.is_none() && (look_every_step || e.reading_at(e.step)) {
                e.metrics();
            }
        }
        let m = e.metrics();
        (
            m.step,
            m.halted.clone(),
            m.val_nll.to_bits(),
            m.alarms.clone(),
        )
    };
    let (a, b) = (run(true), run(false));
    assert!(a.1.is_some(), "the preset blows up: {a:?}");
    assert_eq!(a, b);
}
