//! Issue 13 (first part): `mdn export --to jax`. Natively: the folder's files, the data's
//! SHA-256 sums, refusals that leave no folder. With `MDN_EXPORT_RUN=1` (set by `make
//! test-export`, which installs JAX's CPU wheel when missing) the generated code is run:
//! `check` must reproduce the playground's ln p(y|x) to 1e-5 and a retrain must land in
//! the playground's band, for a 1-D diagonal spec, the arm with a full covariance and a
//! custom-data spec.

use std::process::Command;

fn tmp(name: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("mdn-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    p
}

fn export(spec: &str, dir: &std::path::Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_mdn"))
        .args([
            "export",
            spec,
            "--to",
            "jax",
            "--out",
            dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
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
    let data = mdn_playground::userdata::parse_csv(&csv).unwrap().data;
    format!(
        "data=custom&k=3&hidden=12&steps=500&pts={}",
        mdn_playground::userdata::encode(&data)
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
fn what_the_export_cannot_reproduce_is_refused_and_no_folder_is_left() {
    for (spec, want) in [
        ("reinit_dead=100&steps=5", "reinit_dead"),
        ("init=diverse&steps=5", "init=diverse"),
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
    let o = Command::new(env!("CARGO_BIN_EXE_mdn"))
        .args(["export", "steps=5", "--to", "tensorflow", "--out", "/tmp/x"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The generated code, run: only where JAX is installed and asked for (make test-export).
#[test]
fn the_jax_export_checks_and_retrains_into_its_band() {
    if std::env::var("MDN_EXPORT_RUN").as_deref() != Ok("1") {
        eprintln!("(the JAX run is in `make test-export`, part of `make test`)");
        return;
    }
    let custom = custom_spec();
    for spec in [SPECS[0], SPECS[1], custom.as_str()] {
        let dir = tmp("run");
        let (code, err) = export(spec, &dir);
        assert_eq!(code, 0, "{err}");
        for (cmd, check) in [("check", true), ("train", false)] {
            let o = Command::new("python3")
                .arg(dir.join("experiment.py"))
                .arg(cmd)
                .output()
                .unwrap();
            let out = String::from_utf8_lossy(&o.stdout);
            let line: serde_json::Value = serde_json::from_str(out.lines().last().unwrap_or("{}"))
                .unwrap_or_else(|_| panic!("{cmd}: {out} {}", String::from_utf8_lossy(&o.stderr)));
            eprintln!("{}: {cmd}: {line}", &spec[..spec.len().min(60)]);
            assert!(o.status.success(), "{cmd}: {line}");
            if check {
                assert!(line["max_rel_error"].as_f64().unwrap() <= 1e-5, "{line}");
            } else {
                assert_eq!(line["inside_band"], true, "{line}");
            }
        }
        if spec == SPECS[0] {
            // Data parallel over two devices (two host devices stand in for GPUs).
            let o = Command::new("python3")
                .arg(dir.join("experiment.py"))
                .args(["train", "--devices", "2"])
                .env("XLA_FLAGS", "--xla_force_host_platform_device_count=2")
                .output()
                .unwrap();
            let out = String::from_utf8_lossy(&o.stdout);
            let line: serde_json::Value = serde_json::from_str(out.lines().last().unwrap_or("{}"))
                .unwrap_or_else(|_| {
                    panic!("--devices 2: {out} {}", String::from_utf8_lossy(&o.stderr))
                });
            eprintln!("--devices 2: {line}");
            assert_eq!(line["inside_band"], true, "{line}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
