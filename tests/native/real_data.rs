//! Real data sets shipped with the program, their folds, and the kernel density estimate
//! beside the MDN: the estimate against an independent reference
//! (tests/reference/kernel_reference.py: numpy and scipy from the definitions).

use crate::run::mdn;
use mdn_playground::config::spec::Spec;
use mdn_playground::data::dataset::{Data, Dataset};
use mdn_playground::forecast::calibration::Scoring;
use mdn_playground::forecast::kernel::KernelEstimate;
use mdn_playground::train::folds::cross_validate;
use mdn_playground::Experiment;
use ndarray::Array2;
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(include_str!("../data/kernel_reference.json")).unwrap()
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!(
        (a - b).abs() <= tol * b.abs().max(1.0),
        "{what}: {a} against {b}"
    );
}

/// Rows `range` of a real set's points as a data set.
fn rows(data: Data, range: std::ops::Range<usize>) -> Dataset {
    let p = data.real().unwrap().points();
    let n = range.len();
    Dataset {
        x: Array2::from_shape_fn((1, n), |(_, i)| p.row(range.start + i)[0]),
        y: Array2::from_shape_fn((1, n), |(_, i)| p.row(range.start + i)[1]),
    }
}

#[test]
fn the_real_sets_are_the_shipped_files_standardised_as_their_notes_say() {
    let r = reference();
    for (data, name, n, digits) in [
        (Data::Faithful, "faithful", 272, 2),
        (Data::Mcycle, "mcycle", 133, 1),
    ] {
        let set = data.real().unwrap();
        assert_eq!(set.raw().len(), n, "{name}");
        let (mean, sd) = set.y_scale();
        close(mean, r[name]["y_mean"].as_f64().unwrap(), 1e-12, "mean");
        close(sd, r[name]["y_sd"].as_f64().unwrap(), 1e-12, "sd");
        // The note gives what 0 and 1 stand for, to three digits.
        let info = Spec::parse(&format!("data={name}"))
            .unwrap()
            .source()
            .info();
        let zero = format!("0 is {mean:.digits$}").replace('-', "−");
        assert!(info.note.contains(&zero), "{zero}: {}", info.note);
        assert!(
            info.note.contains(&format!("1 is {sd:.digits$}")),
            "{}",
            info.note
        );
        assert_eq!(info.bayes_nll, None, "no truth is known");
        assert!(!mdn_playground::data::truth::known(data));
        let e = Experiment::new(&Spec::parse(&format!("data={name}&steps=1")).unwrap());
        assert_eq!(e.train.len() + e.val.len(), n);
        assert_eq!(e.val.len(), n / 5, "a fifth held out");
    }
}

#[test]
fn the_folds_hold_out_every_point_once_and_fold_0_of_5_is_the_single_run() {
    let spec = Spec::parse("data=mcycle&seed=4&steps=30&k=2&hidden=4").unwrap();
    let mut seen: Vec<(u64, u64)> = Vec::new();
    for f in 0..5 {
        let e = Experiment::on_fold(&spec, (f, 5));
        assert_eq!(e.train.len() + e.val.len(), 133);
        seen.extend(
            (0..e.val.len()).map(|i| (e.val.x[[0, i]].to_bits(), e.val.y[[0, i]].to_bits())),
        );
    }
    let all: Vec<(u64, u64)> = Data::Mcycle
        .real()
        .unwrap()
        .points()
        .values
        .chunks(2)
        .map(|p| (p[0].to_bits(), p[1].to_bits()))
        .collect();
    seen.sort();
    let mut all = all;
    all.sort();
    assert_eq!(
        seen, all,
        "the five held-out folds are the points, each once"
    );
    let mut one = Experiment::new(&spec);
    let mut fold = Experiment::on_fold(&spec, (0, 5));
    one.train(30);
    fold.train(30);
    assert_eq!(one.model.mdn.params, fold.model.mdn.params);
    assert_eq!(
        one.metrics().val_nll.to_bits(),
        fold.metrics().val_nll.to_bits()
    );
}

#[test]
fn the_kernel_estimate_matches_numpy_and_scipy() {
    let r = reference();
    for (data, name) in [(Data::Faithful, "faithful"), (Data::Mcycle, "mcycle")] {
        let r = &r[name];
        let n = data.real().unwrap().raw().len();
        let split = r["train"].as_u64().unwrap() as usize;
        let (train, val) = (rows(data, 0..split), rows(data, split..n));
        let k = KernelEstimate::fit(&train).unwrap();
        close(k.hx, r["hx"].as_f64().unwrap(), 1e-12, "hx");
        close(k.hy, r["hy"].as_f64().unwrap(), 1e-12, "hy");
        close(
            k.nll(&val),
            r["val_nll"].as_f64().unwrap(),
            1e-10,
            "held-out NLL",
        );
        // CRPS and NLL through the same scoring as the MDN's.
        let e = Experiment::new(&Spec::parse(&format!("data={name}&steps=1")).unwrap());
        let mut s = Scoring::new(data, (-3.0, 3.0), 1, false);
        s.advance_with(&mut |x| k.mixture(x), &e.model, &val, &mut || false);
        let rep = s.report().mdn;
        close(rep.crps, r["val_crps"].as_f64().unwrap(), 1e-7, "CRPS");
        close(
            rep.nll,
            r["val_nll"].as_f64().unwrap(),
            1e-10,
            "NLL in the scoring",
        );
    }
    // More than one input, or too many points: no estimate.
    let arm = Experiment::new(&Spec::parse("data=arm&n=100&steps=1").unwrap());
    assert!(KernelEstimate::fit(&arm.train).is_none());
}

#[test]
fn mdn_train_cross_validates_a_real_set_and_says_what_it_cannot() {
    let link = "data=faithful&k=2&hidden=8,8&steps=300&noise_x=0.1&noise_y=0.15";
    let out = mdn(&["train", link, "--every", "300", "--threads", "2"])
        .ok()
        .last_json();
    let cv = &out["cv"];
    assert_eq!(cv["folds"], 5);
    for who in ["mdn", "baseline", "one_component", "kernel"] {
        assert_eq!(cv[who]["fold_nll"].as_array().unwrap().len(), 5, "{who}");
        assert!(cv[who]["nll"].as_f64().unwrap().is_finite(), "{who}");
        assert!(cv[who]["crps"].as_f64().unwrap() > 0.0, "{who}");
        // Calibration: each central interval's coverage, near its nominal mass.
        for level in cv[who]["central"].as_array().unwrap() {
            let (nominal, got) = (level[0].as_f64().unwrap(), level[1].as_f64().unwrap());
            assert!((nominal - got).abs() < 0.2, "{who}: {nominal} covers {got}");
        }
        assert_eq!(cv[who]["central"].as_array().unwrap().len(), 4, "{who}");
    }
    assert!(
        out.get("bayes_nll").is_none_or(Value::is_null),
        "no truth, no Bayes NLL"
    );
    // The same numbers on one thread, and from the library training every fold afresh
    // (mdn train keeps its own run as fold 0).
    let one = mdn(&["train", link, "--every", "300", "--threads", "1"])
        .ok()
        .last_json();
    assert_eq!(one["cv"], out["cv"]);
    let lib = cross_validate(&Spec::parse(link).unwrap(), 5, 1, None).unwrap();
    assert_eq!(serde_json::to_value(&lib).unwrap(), out["cv"]);
    // --folds 0 turns it off; drawn data and one fold are refused with a reason.
    let off = mdn(&["train", link, "--folds", "0"]).ok().last_json();
    assert!(off.get("cv").is_none());
    for (l, f) in [("n=200&steps=5", "3"), (link, "1")] {
        let r = mdn(&["train", l, "--folds", f]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("cross-validation takes 2 to 20 folds"),
            "{}",
            r.stderr
        );
    }
}
