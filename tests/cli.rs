//! The `mdn` command line, run as a user would: JSON output, the model file, and clear
//! errors (non-zero exit, a message, never a panic) on bad arguments.

use std::process::Command;

fn mdn(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mdn"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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
    let last2: serde_json::Value = serde_json::from_str(out2.lines().last().unwrap()).unwrap();
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
    for k in mdn_playground::spec::KEYS {
        assert!(out.contains(k.key), "{}", k.key);
    }
}
