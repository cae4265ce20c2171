//! `mdn export --to jax|pytorch`. Natively: the folder's files, the data's
//! SHA-256 sums, the same data, weights and recipe for both frameworks, refusals (hostile
//! specs and model files) that leave no folder. With `MDN_EXPORT_RUN=jax` (`make
//! test-export-jax`, part of `make test`) or `=jax,pytorch` (`make test-export`) the
//! generated code is run: `check` must reproduce the playground's ln p(y|x) to 1e-5 and a
//! retrain must land in the playground's band, for a 1-D diagonal spec, the arm with a
//! full covariance and a custom-data spec, and once data parallel over two devices.

use std::process::Command;

fn tmp(name: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("mdn-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    p
}

fn mdn(args: &[&str]) -> (i32, String) {
    let o = crate::run::mdn(args);
    (o.code, o.stderr)
}

fn export_to(to: &str, spec: &str, dir: &std::path::Path) -> (i32, String) {
    mdn(&["export", spec, "--to", to, "--out", dir.to_str().unwrap()])
}

fn export(spec: &str, dir: &std::path::Path) -> (i32, String) {
    export_to("jax", spec, dir)
}

fn custom_spec() -> String {
    // 300 points on two branches, y = ±√x + noise, as pasted CSV would give.
    let mut csv = String::from("x,y\n");
    for i in 0..300 {
        let x = (i as f64 + 0.5) / 300.0;
        let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
        csv.push_str(&format!(
            "{x},{}\n",
            sign * x.sqrt() + 0.02 * ((i * 37 % 11) as f64 - 5.0) / 5.0
        ));
    }
    let data = mdn_playground::data::userdata::parse_csv(&csv)
        .unwrap()
        .data;
    format!(
        "data=custom&k=3&hidden=12&steps=500&pts={}",
        mdn_playground::data::userdata::encode(&data)
    )
}

const SPECS: [&str; 2] = [
    "n=1000&k=4&hidden=16&steps=800",
    "data=arm&cov=full&n=1000&k=4&hidden=16&steps=600",
];

#[test]
fn an_export_holds_the_data_with_its_sums_the_weights_the_recipe_and_the_code() {
    let dir = tmp("files");
    let (code, err) = export(SPECS[0], &dir);
    assert_eq!(code, 0, "{err}");
    for f in [
        "data/train.csv",
        "data/val.csv",
        "data/SHA256SUMS",
        "model.json",
        "recipe.json",
        "probes.json",
        "experiment.py",
        "requirements.txt",
        "README.md",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    // The data are the playground's, every number as drawn.
    let spec = mdn_playground::Spec::parse(SPECS[0]).unwrap();
    let e = mdn_playground::Experiment::new(&spec);
    let val = std::fs::read_to_string(dir.join("data/val.csv")).unwrap();
    assert_eq!(val, mdn_playground::export::csv(&e.val));
    let first: Vec<f64> = val
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(first, [e.val.x[[0, 0]], e.val.y[[0, 0]]]);
    // The sums are SHA-256 (checked against coreutils' sha256sum where it exists).
    if let Ok(o) = Command::new("sha256sum")
        .arg("train.csv")
        .arg("val.csv")
        .current_dir(dir.join("data"))
        .output()
    {
        let sums = std::fs::read_to_string(dir.join("data/SHA256SUMS")).unwrap();
        assert_eq!(String::from_utf8_lossy(&o.stdout), sums);
    }
    let recipe: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("recipe.json")).unwrap()).unwrap();
    assert_eq!(recipe["train"]["steps"], 800);
    let band = recipe["band"]["val_nll"].as_array().unwrap();
    assert!(band[0].as_f64().unwrap() < recipe["playground"]["val_nll"].as_f64().unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_pytorch_export_holds_the_same_data_weights_recipe_and_probes_as_the_jax_one() {
    let (jax, torch) = (tmp("same-jax"), tmp("same-torch"));
    assert_eq!(export_to("jax", SPECS[1], &jax).0, 0);
    let (code, err) = export_to("pytorch", SPECS[1], &torch);
    assert_eq!(code, 0, "{err}");
    let read = |d: &std::path::Path, f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    for f in [
        "data/train.csv",
        "data/val.csv",
        "data/SHA256SUMS",
        "model.json",
        "probes.json",
    ] {
        assert!(read(&jax, f) == read(&torch, f), "{f} differs");
    }
    // The recipe too, but for the playground's measured speed.
    let recipe = |d: &std::path::Path| {
        let mut r: serde_json::Value = serde_json::from_str(&read(d, "recipe.json")).unwrap();
        r["playground"]["steps_per_s"] = serde_json::Value::Null;
        r
    };
    assert_eq!(recipe(&jax), recipe(&torch));
    let code = std::fs::read_to_string(torch.join("experiment.py")).unwrap();
    for want in [
        "import torch",
        "torch.logsumexp",
        "sigma_min",
        "DistributedDataParallel",
        "AdamW",
    ] {
        assert!(code.contains(want), "{want}");
    }
    let req = std::fs::read_to_string(torch.join("requirements.txt")).unwrap();
    assert!(req.starts_with("torch==2.15.0\n"), "{req}");
    let readme = std::fs::read_to_string(torch.join("README.md")).unwrap();
    assert!(readme.contains("torchrun --nproc_per_node"), "{readme}");
    for d in [jax, torch] {
        std::fs::remove_dir_all(d).unwrap();
    }
}

/// The band's seeds trained on threads give the band of one thread.
#[test]
fn the_band_is_the_same_on_threads() {
    let spec = mdn_playground::Spec::parse("n=300&hidden=8&steps=150").unwrap();
    let one = mdn_playground::export::band(&spec);
    for threads in [2, 3, 8] {
        assert_eq!(
            mdn_playground::export::band_on(&spec, threads),
            one,
            "{threads} threads"
        );
    }
}

#[test]
fn hostile_model_files_are_refused_with_a_reason_and_no_folder_is_left() {
    let model = tmp("model.json");
    let (code, err) = mdn(&[
        "train",
        "n=200&k=2&hidden=8&steps=20",
        "--save",
        model.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let good = std::fs::read_to_string(&model).unwrap();
    let first_weight = good.find("\"weights\": [").unwrap() + "\"weights\": [".len();
    let cases = [
        ("not json at all".to_string(), "model"),
        (
            good.replacen("\"version\": 1", "\"version\": 99", 1),
            "version",
        ),
        (
            format!("{}[1e999],{}", &good[..first_weight], &good[first_weight..]),
            "out of range",
        ),
        (good[..good.len() / 2].to_string(), "not a model file"),
        (
            good.replacen("reinit_dead=0", "reinit_dead=50", 1),
            "reinit_dead",
        ),
        (good.replacen("steps=20", "steps=banana", 1), "steps"),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let bad = tmp(&format!("bad-{i}.json"));
        std::fs::write(&bad, text).unwrap();
        let dir = tmp("from-bad-model");
        for to in ["jax", "pytorch"] {
            let (code, err) = mdn(&[
                "export",
                "--model",
                bad.to_str().unwrap(),
                "--to",
                to,
                "--out",
                dir.to_str().unwrap(),
            ]);
            assert_eq!(code, 2, "case {i}: {err}");
            assert!(
                err.contains(want) && !err.contains("panicked"),
                "case {i}: {err}"
            );
            assert!(!dir.exists(), "case {i}: a folder was left");
        }
        std::fs::remove_file(bad).unwrap();
    }
    // The good file exports, and its weights are the model file's, byte for byte.
    let dir = tmp("from-model");
    let (code, err) = mdn(&[
        "export",
        "--model",
        model.to_str().unwrap(),
        "--to",
        "pytorch",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("model.json")).unwrap(),
        good
    );
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_file(model).unwrap();
}

#[test]
fn what_the_export_cannot_reproduce_is_refused_and_no_folder_is_left() {
    for (spec, want) in [
        ("reinit_dead=100&steps=5", "reinit_dead"),
        ("init=diverse&steps=5", "init=diverse"),
        ("ensemble=3&steps=5", "ensemble=1"),
        (
            "opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500",
            "training halted",
        ),
    ] {
        let dir = tmp("refused");
        let (code, err) = export(spec, &dir);
        assert!(code == 2 || code == 3, "{spec}: {code} {err}");
        assert!(err.contains(want), "{spec}: {err}");
        assert!(!dir.exists(), "{spec}: a folder was left");
    }
    let dir = tmp("nonempty");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("keep.txt"), "mine").unwrap();
    let (code, err) = export("steps=5", &dir);
    assert_eq!(code, 2);
    assert!(err.contains("not an empty folder"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("keep.txt")).unwrap(),
        "mine"
    );
    let o = crate::run::mdn(&["export", "steps=5", "--to", "tensorflow", "--out", "/tmp/x"]);
    assert_eq!(Some(o.code), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The interpreter a framework's export is run with: `MDN_EXPORT_RUN` names the frameworks
/// to run (`jax`, `pytorch`, comma-separated; set by `make test-export-jax` and `make
/// test-export`); PyTorch runs in its own virtual environment (`MDN_TORCH_PYTHON`).
fn python_for(framework: &str) -> Option<String> {
    let asked = std::env::var("MDN_EXPORT_RUN").unwrap_or_default();
    if !asked.split(',').any(|f| f == framework) {
        eprintln!("({framework}: the generated code is run by `make test-export`)");
        return None;
    }
    Some(match framework {
        "pytorch" => std::env::var("MDN_TORCH_PYTHON").unwrap_or_else(|_| "python3".into()),
        _ => "python3".into(),
    })
}

/// The last line a command printed, as JSON, after it succeeded.
fn json_line(cmd: &mut Command, what: &str) -> serde_json::Value {
    let o = crate::run::run(cmd);
    assert_eq!(o.code, 0, "{what}: {} {}", o.stdout, o.stderr);
    let line = o.last_json();
    eprintln!("{what}: {line}");
    line
}

/// `check` reproduces the playground's ln p(y|x) to 1e-5 (and its validation NLLs), and a
/// retrain lands in the band, for each spec; then one data-parallel retrain over two
/// devices (two host devices stand in for GPUs).
fn check_and_retrain(framework: &str, python: &str) {
    let custom = custom_spec();
    for spec in [SPECS[0], SPECS[1], custom.as_str()] {
        let dir = tmp(&format!("run-{framework}"));
        let (code, err) = export_to(framework, spec, &dir);
        assert_eq!(code, 0, "{err}");
        let script = dir.join("experiment.py");
        let what = format!("{framework} {}", &spec[..spec.len().min(50)]);
        let c = json_line(
            Command::new(python).arg(&script).arg("check"),
            &format!("{what}: check"),
        );
        // The pass line is 1e-5; the probes are the playground's f64 evaluation of the same
        // weights, so a faithful implementation lands near 1e-14.
        assert_eq!(c["check"], "ok", "{c}");
        assert!(c["max_rel_error"].as_f64().unwrap() <= 1e-10, "{c}");
        for (got, want) in [
            ("val_nll", "playground_val_nll"),
            ("baseline_val_nll", "playground_baseline_val_nll"),
        ] {
            let (g, w) = (c[got].as_f64().unwrap(), c[want].as_f64().unwrap());
            assert!((g - w).abs() <= 1e-5 * w.abs().max(1.0), "{got}: {c}");
        }
        let t = json_line(
            Command::new(python).arg(&script).arg("train"),
            &format!("{what}: train"),
        );
        assert_eq!(t["inside_band"], true, "{t}");
        assert!(t["baseline_val_nll"].as_f64().unwrap().is_finite(), "{t}");
        if spec == SPECS[0] {
            let mut cmd = Command::new(python);
            if framework == "jax" {
                cmd.arg(&script)
                    .args(["train", "--devices", "2"])
                    .env("XLA_FLAGS", "--xla_force_host_platform_device_count=2");
            } else {
                cmd.args(["-m", "torch.distributed.run", "--nproc_per_node", "2"])
                    .arg(&script)
                    .arg("train")
                    .env("OMP_NUM_THREADS", "1");
            }
            let t = json_line(&mut cmd, &format!("{what}: train on 2 devices"));
            assert_eq!(t["inside_band"], true, "{t}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn the_jax_export_checks_and_retrains_into_its_band() {
    if let Some(python) = python_for("jax") {
        check_and_retrain("jax", &python);
    }
}

#[test]
fn the_pytorch_export_checks_and_retrains_into_its_band() {
    if let Some(python) = python_for("pytorch") {
        check_and_retrain("pytorch", &python);
    }
}

/// The band is [min, max] of the five runs widened by 0.1: with the extreme at every
/// position (the page's build of the same fold: tests/browser/export.test.mjs).
#[test]
fn the_band_takes_every_run_wherever_its_extremes_are() {
    for pos in 0..5 {
        for extreme in [-9.0, 9.0] {
            let mut vals = vec![0.25, 0.5, 0.125, 0.375, 0.0625];
            vals[pos] = extreme;
            let mut sorted = vals.clone();
            sorted.sort_by(f64::total_cmp);
            let want = (sorted[0] - 0.1, sorted[4] + 0.1);
            let (lo, hi, _) = mdn_playground::export::band_of(vals);
            assert!(
                (lo - want.0).abs() < 1e-12 && (hi - want.1).abs() < 1e-12,
                "{pos} {extreme}: [{lo}, {hi}]"
            );
        }
    }
}

/// `--out` is checked before anything trains: missing parents are not made, a dangling
/// link, an empty name or a second `--out` are refused at once, and nothing is left.
#[test]
fn output_paths_are_checked_before_training() {
    let base = tmp("out-checks");
    std::fs::create_dir_all(&base).unwrap();
    let spec = "n=300&k=2&hidden=4&steps=200";
    let missing = base.join("no/such/folder");
    let (code, err) = export(spec, &missing);
    assert_ne!(code, 0);
    assert!(err.contains("does not exist"), "{err}");
    assert!(!base.join("no").exists(), "the missing parents were made");
    let (code, err) = mdn(&["export", spec, "--to", "jax", "--out", ""]);
    assert_ne!(code, 0);
    assert!(err.contains("--out needs"), "{err}");
    let link = base.join("dangling");
    std::os::unix::fs::symlink(base.join("nowhere"), &link).unwrap();
    let (code, err) = export(spec, &link);
    assert_ne!(code, 0);
    assert!(err.contains("exists and is not an empty folder"), "{err}");
    let (a, b) = (base.join("a"), base.join("b"));
    let (code, err) = mdn(&[
        "export",
        spec,
        "--to",
        "jax",
        "--out",
        a.to_str().unwrap(),
        "--out",
        b.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("--out is given more than once"), "{err}");
    // A folder that cannot be written (a file where the parent should be).
    std::fs::write(base.join("file"), "x").unwrap();
    let (code, err) = export(spec, &base.join("file/out"));
    assert_ne!(code, 0, "{err}");
    let left: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "only the link and the file: {left:?}");
    std::fs::remove_dir_all(&base).unwrap();
}
