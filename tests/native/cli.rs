//! The `mdn` command line, run as a user would: JSON output, the model file, and clear
//! errors (non-zero exit, a message, never a panic) on bad arguments.

use std::process::Command;

/// Runs `mdn` and returns (exit code, stdout, stderr). Every run in these tests is also
/// checked for what must never be printed: a panic, or a number that is not finite in
/// its JSON (serde_json writes NaN and infinities as `null`).
fn mdn(args: &[&str]) -> (i32, String, String) {
    let out = crate::run::mdn(args);
    assert_clean(args, &out.stdout, &out.stderr);
    (out.code, out.stdout, out.stderr)
}

fn assert_clean(args: &[&str], stdout: &str, stderr: &str) {
    for word in ["null", "NaN", "Infinity", "inf,", "undefined"] {
        assert!(
            !stdout.contains(word),
            "mdn {args:?} printed {word:?}: {stdout}"
        );
    }
    assert!(
        !stderr.contains("panicked"),
        "mdn {args:?} panicked: {stderr}"
    );
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mdn-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

const SPEC: &str =
    "http://127.0.0.1:8080/#data=bishop-inverse&n=400&seed=3&k=3&hidden=12&steps=120&lr=0.02";

#[test]
fn train_prints_json_lines_and_saves_a_model_that_eval_reads() {
    let path = tmp("model.json");
    let (code, out, err) = mdn(&[
        "train",
        SPEC,
        "--save",
        path.to_str().unwrap(),
        "--every",
        "40",
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "two progress lines and the final one: {out}"
    );
    let last = lines.last().unwrap();
    for k in [
        "step",
        "train_nll",
        "val_nll",
        "baseline_val_mse",
        "baseline_val_nll",
        "seconds",
        "steps_per_s",
        "spec",
    ] {
        assert!(last.get(k).is_some(), "final line lacks {k}: {last}");
    }
    assert_eq!(last["step"], 120);
    assert_eq!(lines[0]["step"], 40);

    // The same spec gives the same numbers (timing aside).
    let (_, out2, _) = mdn(&["train", SPEC]);
    let last2: serde_json::Value = crate::run::last_json(&out2);
    assert_eq!(last["val_nll"], last2["val_nll"]);

    // eval reads the model back: π sums to 1, σ > 0, and ln p(y|x) is finite.
    let (code, out, err) = mdn(&[
        "eval",
        "--model",
        path.to_str().unwrap(),
        "--x",
        "0.5",
        "--y",
        "0.3",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let pi: Vec<f64> = serde_json::from_value(v["pi"].clone()).unwrap();
    assert_eq!(pi.len(), 3);
    assert!((pi.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!(v["sigma"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s[0].as_f64().unwrap() > 0.0));
    assert!(v["log_p"].as_f64().unwrap().is_finite());
}

#[test]
fn bad_arguments_give_a_message_and_a_nonzero_exit() {
    let model = tmp("bad-args-model.json");
    let (code, _, err) = mdn(&[
        "train",
        "n=300&steps=5&hidden=4",
        "--save",
        model.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let m = model.to_str().unwrap();
    let garbage = tmp("garbage.json");
    std::fs::write(&garbage, "{\"format\": \"something else\"").unwrap();
    let g = garbage.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["frobnicate"], "unknown command"),
        (vec!["train", "k=abc"], "k:"),
        (vec!["train", "colour=red"], "unknown key 'colour'"),
        (vec!["train", "n=300", "--every", "0"], "--every"),
        (
            vec!["train", "n=300", "--bogus", "1"],
            "unknown option --bogus",
        ),
        (vec!["train", "n=300", "--save"], "--save needs a value"),
        (vec!["train", "a=1", "b=2"], "one SPEC"),
        (vec!["eval", "--x", "0.5"], "--model"),
        (
            vec!["eval", "--model", "/nonexistent/m.json", "--x", "1"],
            "cannot read",
        ),
        (vec!["eval", "--model", g, "--x", "1"], "not a model file"),
        (vec!["eval", "--model", m], "--x"),
        (vec!["eval", "--model", m, "--x", "nan"], "--x"),
        (vec!["eval", "--model", m, "--x", "1,2"], "--x"),
        (
            vec!["eval", "--model", m, "--x", "0.5", "--y", "inf"],
            "--y",
        ),
    ];
    for (args, want) in cases {
        let (code, out, err) = mdn(&args);
        assert_ne!(code, 0, "{args:?} succeeded: {out}");
        assert!(
            err.contains(want),
            "{args:?}: stderr {err:?} lacks {want:?}"
        );
        assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    }
}

#[test]
fn help_and_keys() {
    let (code, out, _) = mdn(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("mdn train") && out.contains("mdn eval"));
    let (code, out, _) = mdn(&["keys"]);
    assert_eq!(code, 0);
    for k in mdn_playground::config::spec::KEYS {
        assert!(out.contains(k.name), "{}", k.name);
    }
}

const ARM: &str = "data=arm&n=2000&seed=2&k=6&hidden=16,16&steps=1500&lr=0.02&cov=full";

/// `mdn sample`: reproducible draws at temperatures, the mode, and the errors.
#[test]
fn sample_draws_at_temperatures_and_finds_the_mode() {
    let path = tmp("arm-model.json");
    let p = path.to_str().unwrap();
    let (code, _, err) = mdn(&["train", ARM, "--save", p]);
    assert_eq!(code, 0, "{err}");
    let run = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["sample", "--model", p, "--x", "0.78,0.53"];
        all.extend_from_slice(args);
        let (code, out, err) = mdn(&all);
        assert_eq!(code, 0, "{args:?}: {err}");
        serde_json::from_str(out.trim()).unwrap()
    };
    let s = run(&["--n", "500"]);
    let samples = s["samples"].as_array().unwrap();
    assert_eq!(samples.len(), 500);
    assert!(samples.iter().all(|y| y.as_array().unwrap().len() == 2));
    assert_eq!(s["components"].as_array().unwrap().len(), 500);
    assert_eq!(s, run(&["--n", "500"]), "the same seed, the same samples");
    assert_ne!(s, run(&["--n", "500", "--seed", "7"]));
    // Temperatures 0: every sample is the most probable component's mean.
    let zero = run(&["--n", "5", "--temp-pi", "0", "--temp-sigma", "0"]);
    let mode = run(&["--mode"]);
    for y in zero["samples"].as_array().unwrap() {
        assert_eq!(y, &mode["mode_mean"]);
    }
    assert!(mode["log_p"].as_f64().unwrap().is_finite());
    // The mode is at least as probable as the most probable component's mean, and the
    // eval command agrees on that density.
    let at = |y: &serde_json::Value| {
        let yy: Vec<String> = y
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.to_string())
            .collect();
        let (code, out, err) = mdn(&[
            "eval",
            "--model",
            p,
            "--x",
            "0.78,0.53",
            "--y",
            &yy.join(","),
        ]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(
            v["covariance"].as_array().unwrap().len(),
            6,
            "full Σ per component"
        );
        v["log_p"].as_f64().unwrap()
    };
    let (lp_mode, lp_mean) = (at(&mode["mode"]), at(&mode["mode_mean"]));
    assert!((lp_mode - mode["log_p"].as_f64().unwrap()).abs() < 1e-9);
    assert!(lp_mode >= lp_mean - 1e-12, "{lp_mode} < {lp_mean}");
    // A wider scale temperature spreads the samples.
    let spread = |v: &serde_json::Value| {
        let ys: Vec<f64> = v["samples"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| y[0].as_f64().unwrap())
            .collect();
        let m = ys.iter().sum::<f64>() / ys.len() as f64;
        ys.iter().map(|y| (y - m).powi(2)).sum::<f64>() / ys.len() as f64
    };
    let one_pi = ["--n", "2000", "--temp-pi", "0"];
    let narrow = run(&[&one_pi[..], &["--temp-sigma", "1"]].concat());
    let wide = run(&[&one_pi[..], &["--temp-sigma", "3"]].concat());
    let ratio = spread(&wide) / spread(&narrow);
    assert!((ratio - 9.0).abs() < 1.5, "variance ratio {ratio} (want 9)");

    for (args, want) in [
        (vec!["--temp-pi", "11"], "--temp-pi"),
        (vec!["--temp-sigma", "-0.5"], "--temp-sigma"),
        (vec!["--n", "0"], "--n"),
        (vec!["--n", "100001"], "--n"),
        (vec!["--n", "1.5"], "--n"),
        (vec!["--seed", "x"], "--seed"),
        (vec!["--bogus", "1"], "unknown option --bogus"),
    ] {
        let mut all = vec!["sample", "--model", p, "--x", "0.78,0.53"];
        all.extend_from_slice(&args);
        let (code, _, err) = mdn(&all);
        assert_eq!(code, 2, "{args:?}");
        assert!(
            err.contains(want) && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
    let (code, _, err) = mdn(&["sample", "--model", p, "--x", "0.5"]);
    assert_eq!(code, 2);
    assert!(err.contains("--x") && err.contains("2 finite"), "{err}");
}

/// Diagnostics in every progress line; a run that blows up exits with 3, says why, and
/// its final line (and saved model) hold the last finite state.
#[test]
fn diagnostics_in_progress_lines_and_a_halted_run() {
    let (code, out, err) = mdn(&["train", "k=30&n=600&hidden=8&steps=300", "--every", "100"]);
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["component_pi"].as_array().unwrap().len(), 30);
        assert!(v["dead_components"].as_u64().is_some());
        assert!(v["min_sigma"].as_f64().unwrap() > 0.0);
        assert!(v["alarms"].is_array());
    }
    let path = tmp("halted.json");
    let (code, out, err) = mdn(&[
        "train",
        "opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500",
        "--save",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 3, "{out}");
    assert!(
        err.contains("training halted: step") && !err.contains("panicked"),
        "{err}"
    );
    let last: serde_json::Value = crate::run::last_json(&out);
    assert!(last["step"].as_u64().unwrap() < 100);
    assert!(last["val_nll"].as_f64().unwrap().is_finite());
    assert!(last["halted"]
        .as_str()
        .unwrap()
        .contains("not a finite number"));
    let (m, _) = mdn_playground::mdn::model::Model::<f32>::from_json(
        &std::fs::read_to_string(&path).unwrap(),
    )
    .unwrap();
    assert!(m.mdn.params.iter().all(|v| v.is_finite()));
}

/// `mdn sweep`: the table as JSON, BIC by its formula, and clear errors.
#[test]
fn sweep_prints_the_table_and_the_chosen_k() {
    let (code, out, err) = mdn(&[
        "sweep",
        "n=200&hidden=4&steps=60",
        "--k",
        "1..3",
        "--seeds",
        "2",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.lines().count(), 6, "one progress line per run: {err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    for r in rows {
        let (nll, p, bic) = (
            r["train_nll"].as_f64().unwrap(),
            r["params"].as_f64().unwrap(),
            r["bic"].as_f64().unwrap(),
        );
        assert!((bic - (2.0 * 200.0 * nll + p * 200f64.ln())).abs() < 1e-6 * bic.abs().max(1.0));
    }
    assert_eq!(v["summary"].as_array().unwrap().len(), 3);
    let k = v["chosen_by_bic"].as_u64().unwrap();
    assert!((1..=3).contains(&k));
    for (args, want) in [
        (vec!["--k", "0..3"], "--k"),
        (vec!["--k", "5..2"], "--k"),
        (vec!["--k", "31"], "--k"),
        (vec!["--seeds", "11"], "--seeds"),
    ] {
        let mut all = vec!["sweep", "n=200&steps=5"];
        all.extend_from_slice(&args);
        let (code, _, err) = mdn(&all);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

// ---- Hardening: each test here failed before its fix. ----

/// A model file from `mdn train` (small and quick), saved at `name`.
fn trained(name: &str, spec: &str) -> String {
    let path = tmp(name);
    let (code, _, err) = mdn(&["train", spec, "--save", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    path.to_str().unwrap().to_string()
}

#[test]
fn blow_ups_roll_back_to_finite_metrics_for_both_models() {
    // 9.3: the rollback kept a state whose losses were already not finite (null NLLs).
    for spec in [
        "data=rain&opt=sgd&lr=1&momentum=0.999&sigma_min=0&n=200&act=relu&play=1",
        "opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500",
    ] {
        let (code, out, err) = mdn(&["train", spec, "--every", "1"]);
        assert_eq!(code, 3, "{spec}: {err}");
        let last: serde_json::Value = crate::run::last_json(&out);
        for k in [
            "train_nll",
            "val_nll",
            "baseline_train_mse",
            "baseline_val_mse",
            "baseline_val_nll",
        ] {
            assert!(
                last[k].as_f64().is_some_and(f64::is_finite),
                "{spec}: {k} in {last}"
            );
        }
        assert!(
            last["halted"]
                .as_str()
                .unwrap()
                .contains("rolled back to step"),
            "{last}"
        );
        assert!(err.contains("training halted"), "{err}");
    }
}

#[test]
fn queries_far_outside_the_data_are_refused_not_printed_as_null() {
    // 9.3: eval at --x 10000 (ReLU), --x 1e38,-1e38 (arm), --y 1e155 printed null or NaN.
    let relu = trained("relu.json", "act=relu&n=300&hidden=8&k=3&steps=50");
    let arm = trained("arm.json", "data=arm&n=300&hidden=8&k=3&steps=50");
    for (model, x, y) in [
        (&relu, "1e30", None),
        (&arm, "1e38,-1e38", None),
        (&relu, "0.5", Some("1e155")),
        (&arm, "0.5,0.5", Some("1e300,-1e300")),
    ] {
        let mut args = vec!["eval", "--model", model, "--x", x];
        if let Some(y) = y {
            args.extend(["--y", y]);
        }
        let (code, out, err) = mdn(&args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(err.contains("--x:") || err.contains("--y:"), "{err}");
        for cmd in [["sample", "--mode"], ["sample", "--n"]] {
            let mut a = vec![cmd[0], "--model", model, "--x", x];
            if cmd[1] == "--mode" {
                a.push("--mode");
            }
            let (code, _, _) = mdn(&a);
            assert!(code == 0 || code == 2, "{a:?}");
        }
    }
    // Within the data, the answers are there.
    let (code, out, _) = mdn(&["eval", "--model", &relu, "--x", "0.5", "--y", "0.3"]);
    assert_eq!(code, 0);
    assert!(out.contains("\"log_p\""));
}

#[test]
fn whole_numbers_in_any_notation_are_read_as_whole_numbers() {
    // 9.5: n=1e3, k=3.0, steps=1e2, seed=1.0 were refused as "above the maximum".
    let (code, out, err) = mdn(&["train", "n=1e3&k=3.0&steps=1e2&seed=1.0&hidden=8.0"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("\"spec\":\"data=bishop-inverse&n=1000&seed=1&k=3&hidden=8&"),
        "{out}"
    );
    let (code, _, err) = mdn(&["train", "n=2.5"]);
    assert_eq!(code, 2);
    assert!(err.contains("n: '2.5' is not a whole number"), "{err}");
    let (code, _, err) = mdn(&["train", "n=-0"]);
    assert_eq!(code, 2);
    assert!(err.contains("below the minimum 10"), "{err}");
    let (code, out, err) = mdn(&["train", "n=200&hidden=4&k=2&steps=20", "--every", "1e1"]);
    assert_eq!((code, out.lines().count()), (0, 2), "{err}");
}

#[test]
fn links_copied_from_the_page_are_taken_with_their_view_keys_ignored() {
    // 9.6: play, target, tpi, tsigma, samples and mode were refused as unknown keys.
    let link = "http://127.0.0.1:8080/#n=200&hidden=4&k=2&steps=20&play=1&target=0.5&tpi=0.5&tsigma=2&samples=300&mode=1";
    let (code, out, err) = mdn(&["train", link]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err.matches("ignoring the page's own keys").count(),
        1,
        "said once: {err}"
    );
    assert!(
        err.contains("play, target, tpi, tsigma, samples, mode"),
        "{err}"
    );
    assert!(out.contains("\"step\":20"));
    // Still strict about everything else.
    let (code, _, err) = mdn(&["train", "n=200&colour=red"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown key 'colour'"), "{err}");
}

/// Runs `mdn ARGS | head -c BYTES` and returns mdn's exit code and its error output.
fn into_short_pipe(args: &[&str], bytes: usize) -> (i32, String) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_mdn"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = vec![0u8; bytes];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The reader has gone: the pipe is closed here.
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_quietly_and_a_full_disk_is_reported() {
    // 9.9: `| head -1` and `> /dev/full` panicked with "failed printing to stdout".
    let model = trained("pipe.json", "n=200&hidden=4&k=2&steps=20");
    let cases: [&[&str]; 3] = [
        &["train", "n=2000&hidden=16&steps=100000", "--every", "1"],
        &["sample", "--model", &model, "--x", "0.5", "--n", "100000"],
        &["keys"],
    ];
    for args in cases {
        let (code, err) = into_short_pipe(args, 10);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
    }
    if std::path::Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_mdn"))
            .arg("keys")
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("cannot write the output") && !err.contains("panicked"),
            "{err}"
        );
    }
}

#[test]
fn an_endless_model_file_is_read_only_up_to_the_limit() {
    // 9.10: --model /dev/zero read without bound before the 64 MiB check.
    if std::path::Path::new("/dev/zero").exists() {
        let (code, _, err) = mdn(&["sample", "--model", "/dev/zero", "--x", "1"]);
        assert_eq!(code, 2);
        assert!(err.contains("larger than 64 MiB"), "{err}");
    }
}

#[test]
fn a_missing_output_folder_is_said_before_training() {
    // 9.11: render and --save trained first, then failed with a raw backend error.
    let t = std::time::Instant::now();
    let (code, out, err) = mdn(&[
        "render",
        "n=2000&steps=100000",
        "--out",
        "/nonexistent/dir/x.png",
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("the folder /nonexistent/dir does not exist"),
        "{err}"
    );
    let (code, _, err) = mdn(&[
        "train",
        "n=2000&steps=100000",
        "--save",
        "/nonexistent/m.json",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("the folder /nonexistent does not exist"),
        "{err}"
    );
    assert!(t.elapsed().as_secs_f64() < 30.0, "it trained first");
    // render's JSON line reports the training time.
    let png = tmp("timed.png");
    let (code, out, err) = mdn(&[
        "render",
        "n=300&hidden=8&k=3&steps=200",
        "--out",
        png.to_str().unwrap(),
        "--width",
        "300",
        "--height",
        "200",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert!(
        v["seconds"].as_f64().unwrap() > 0.0 && v["steps_per_s"].as_f64().unwrap() > 0.0,
        "{v}"
    );
}

#[test]
fn a_target_far_outside_is_moved_into_the_data_range() {
    // 9.3: `render … --target 1e308,1e308` drew "misses by NaN".
    let png = tmp("far.png");
    let (code, _, err) = mdn(&[
        "render",
        "data=arm&n=300&hidden=8&k=3&steps=20",
        "--target",
        "1e308,1e308",
        "--out",
        png.to_str().unwrap(),
        "--width",
        "400",
        "--height",
        "250",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("--target moved into the data's range"),
        "{err}"
    );
}

#[test]
fn a_mixing_temperature_below_the_smallest_double_acts_as_zero() {
    // 9.13: --temp-pi 1e-309 picked the least probable component.
    let model = trained("tiny-t.json", "n=400&hidden=8&k=4&steps=100");
    let comps = |t: &str| {
        let (code, out, err) = mdn(&[
            "sample",
            "--model",
            &model,
            "--x",
            "0.5",
            "--n",
            "50",
            "--temp-pi",
            t,
        ]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        v["components"].clone()
    };
    assert_eq!(comps("1e-309"), comps("0"));
    assert_eq!(comps("1e-300"), comps("0"));
}

#[test]
fn a_sweep_refuses_seeds_beyond_the_largest_and_survives_a_blow_up() {
    // 9.13: seeds past the largest were clamped, so duplicates were averaged.
    let (code, _, err) = mdn(&[
        "sweep",
        "n=200&steps=10&seed=9007199254740990",
        "--k",
        "1",
        "--seeds",
        "3",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("beyond the largest seed"), "{err}");
    // 9.4: a run that blows up gave "chosen_by_bic": null.
    let (code, out, err) = mdn(&[
        "sweep",
        "opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500",
        "--k",
        "1..2",
        "--seeds",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    let r: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert!(r["chosen_by_bic"].as_u64().is_some(), "{r}");
    assert!(
        r["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|row| row["halted"] == true),
        "{r}"
    );
    assert!(err.contains("halted"), "{err}");
}

/// `mdn eval`'s CDF, CRPS, quantiles and HPD region, and `mdn train`'s
/// calibration on its final line.
#[test]
fn eval_gives_quantiles_hpd_cdf_and_crps_and_train_the_calibration() {
    use mdn_playground::forecast;
    let path = tmp("forecast.json");
    let (code, out, err) = mdn(&["train", SPEC, "--save", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let last: serde_json::Value = crate::run::last_json(&out);
    for k in ["val_crps", "baseline_val_crps", "bayes_val_crps"] {
        assert!(last[k].as_f64().unwrap() > 0.0, "{k}: {last}");
    }
    let pit: Vec<f64> = serde_json::from_value(last["val_pit_hist"].clone()).unwrap();
    assert_eq!(pit.len(), 10);
    assert!((pit.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    let cov: Vec<[f64; 2]> = serde_json::from_value(last["val_coverage"]["hpd"].clone()).unwrap();
    assert_eq!(
        cov.iter().map(|c| c[0]).collect::<Vec<_>>(),
        [0.5, 0.8, 0.9, 0.95]
    );
    let p = path.to_str().unwrap();
    let (code, out, err) = mdn(&[
        "eval",
        "--model",
        p,
        "--x",
        "0.5",
        "--y",
        "0.3",
        "--q",
        "0.05,0.5,0.95",
        "--mass",
        "0.9",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The same numbers as the library's, for the mixture eval prints.
    let m = mdn_playground::mdn::mixture::Mixture {
        k: 3,
        d: 1,
        pi: serde_json::from_value(v["pi"].clone()).unwrap(),
        log_pi: Vec::new(),
        mu: serde_json::from_value::<Vec<Vec<f64>>>(v["mu"].clone())
            .unwrap()
            .concat(),
        sigma: serde_json::from_value::<Vec<Vec<f64>>>(v["sigma"].clone())
            .unwrap()
            .concat(),
        off: Vec::new(),
        ..Default::default()
    };
    assert_eq!(
        v["cdf"].as_f64().unwrap(),
        forecast::Predictive::cdf(&m, 0.3)
    );
    assert_eq!(v["crps"].as_f64().unwrap(), forecast::crps_mixture(&m, 0.3));
    let qs: Vec<[f64; 2]> = serde_json::from_value(v["quantiles"].clone()).unwrap();
    assert_eq!(qs.len(), 3);
    for [q, y] in qs {
        assert!((forecast::Predictive::cdf(&m, y) - q).abs() < 1e-9);
    }
    let hpd = &v["hpd"];
    assert!((hpd["mass"].as_f64().unwrap() - 0.9).abs() < 1e-9, "{hpd}");
    assert!(!hpd["intervals"].as_array().unwrap().is_empty());
    let central: [f64; 2] = serde_json::from_value(v["central"].clone()).unwrap();
    assert!(central[0] < central[1]);
    // Refusals, with the reason.
    for (args, msg) in [
        (
            vec!["--q", "0,0.5"],
            "--q: 0 is not a probability strictly between 0 and 1",
        ),
        (vec!["--q", "0.5,x"], "--q"),
        (vec!["--mass", "1"], "--mass: 1 is not a probability"),
        (vec!["--mass", "0.5,0.6"], "--mass"),
    ] {
        let mut a = vec!["eval", "--model", p, "--x", "0.5"];
        a.extend(args);
        let (code, _, err) = mdn(&a);
        assert_eq!(code, 2, "{a:?}");
        assert!(err.contains(msg), "{a:?}: {err}");
    }
}

/// Own points read as angles by family=vonmises: `mdn train` says how many lie outside
/// [0, 2π), and `mdn eval --y` reads the CDF at the angle.
#[test]
fn angles_outside_the_circle_are_said_and_read_modulo_two_pi() {
    let pts: Vec<[f64; 2]> = (0..60)
        .map(|i| [i as f64 / 60.0, -1.0 + 0.05 * i as f64])
        .collect();
    let data = mdn_playground::data::userdata::UserData {
        cols: 2,
        values: pts.iter().flatten().copied().collect(),
    };
    let spec = format!(
        "data=custom&family=vonmises&k=2&hidden=4&steps=30&pts={}",
        mdn_playground::data::userdata::encode(&data)
    );
    let (code, out, err) = mdn(&["train", &spec]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("of your 60 points have y outside [0, 2π)"),
        "{err}"
    );
    assert!(out.lines().last().unwrap().contains("\"val_crps\""));
}

#[test]
fn train_checks_a_links_exercise_and_says_when_it_was_met_without_changing_a_number() {
    let plain = "n=400&k=3&hidden=12&steps=300&seed=2";
    let last = |out: &str| -> serde_json::Value {
        serde_json::from_str(out.lines().last().unwrap()).unwrap()
    };
    let (code, out, err) = mdn(&["train", plain]);
    assert_eq!(code, 0, "{err}");
    let without = last(&out);
    assert!(without.get("goal").is_none());
    // Met along the way: the step and the numbers, as the page says them.
    let (code, out, err) = mdn(&["train", &format!("{plain}&goal=val_nll%3C-0.8")]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("ignoring"),
        "goal= is read, not ignored: {err}"
    );
    let with = last(&out);
    assert_eq!(with["goal"], "val_nll<-0.8");
    assert_eq!(with["goal_met"], true);
    let done = with["goal_done"].as_str().unwrap();
    assert!(
        done.starts_with("Done at step ") && done.contains("val_nll = −0.8"),
        "{done}"
    );
    // Checking the goal changes no number of the run.
    for key in [
        "val_nll",
        "train_nll",
        "baseline_val_nll",
        "val_crps",
        "step",
    ] {
        assert_eq!(with[key], without[key], "{key}");
    }
    // Not met, and a built-in exercise met at the start.
    let (_, out, _) = mdn(&["train", &format!("{plain}&goal=val_nll<-5")]);
    assert_eq!(last(&out)["goal_met"], false);
    assert!(last(&out).get("goal_done").is_none());
    let (_, out, _) = mdn(&["train", "n=200&k=10&steps=20&goal=outputs"]);
    assert_eq!(last(&out)["goal_done"], "Done at step 0: outputs = 30.");
    // A bad goal is an error with its reason.
    let (code, _, err) = mdn(&["train", "n=200&goal=loss<1"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad goal") && err.contains("\"loss\" is not a measure"),
        "{err}"
    );
}
