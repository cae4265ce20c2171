//! `mdn export`: an experiment (trained here, or a saved model) as a JAX or PyTorch
//! project in a new folder, written beside it and renamed into place.

use crate::args::*;
use crate::out::*;
use crate::train::rate;
use mdn_playground::mdn::model::{Model, Precision};
use mdn_playground::{Experiment, Spec};
use std::time::Instant;

/// `mdn export`: the experiment as a project in another framework (see src/export).
pub(crate) fn export(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(args, &["to", "out", "model", "threads"])?;
    let threads = threads_opt(&opts)?;
    let to = opt(&opts, "to").ok_or_else(|| Fail("export needs --to jax|pytorch".into(), 2))?;
    mdn_playground::export::framework(to).map_err(|e| Fail(e, 2))?;
    let out = opt(&opts, "out").ok_or_else(|| Fail("export needs --out DIR".into(), 2))?;
    let dir = std::path::Path::new(out);
    // The folder is reserved before anything trains: a path that cannot be written fails
    // now, not after the band's runs.
    let tmp = reserve_out(dir, out)?;
    let exported = export_into(&pos, &opts, to, threads, &tmp);
    let written = exported.and_then(|files| {
        if dir.is_dir() {
            std::fs::remove_dir(dir).map_err(|e| Fail(format!("cannot write {out}: {e}"), 1))?;
        }
        std::fs::rename(&tmp, dir).map_err(|e| Fail(format!("cannot write {out}: {e}"), 1))?;
        Ok(files)
    });
    let files = written.inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&tmp);
    })?;
    emit(&serde_json::json!({
        "out": out,
        "to": to,
        "files": files,
    }))
}

/// Checks `--out` before any work and reserves a folder beside it to write into (renamed
/// into place at the end: never a half-written folder). `dir` must be new or an empty
/// folder, in a folder that exists and can be written.
pub(crate) fn reserve_out(dir: &std::path::Path, out: &str) -> Result<std::path::PathBuf, Fail> {
    if out.trim().is_empty() {
        return fail("--out needs the name of a new folder");
    }
    if let Ok(meta) = std::fs::symlink_metadata(dir) {
        let empty_dir =
            meta.is_dir() && std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
        if !empty_dir {
            return fail(format!(
                "--out: {out} exists and is not an empty folder; choose a new one"
            ));
        }
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    if !parent.is_dir() {
        return Err(Fail(
            format!("--out: the folder {} does not exist", parent.display()),
            1,
        ));
    }
    let name = dir
        .file_name()
        .ok_or_else(|| Fail(format!("--out: {out} names no folder"), 2))?;
    let tmp = parent.join(format!(
        ".{}.partial-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    std::fs::create_dir(&tmp).map_err(|e| Fail(format!("cannot write {out}: {e}"), 1))?;
    Ok(tmp)
}

/// Trains (or loads) the experiment and writes its export's files into `tmp`; returns
/// their names.
pub(crate) fn export_into(
    pos: &[&str],
    opts: &[(&str, &str)],
    to: &str,
    threads: usize,
    tmp: &std::path::Path,
) -> Result<Vec<String>, Fail> {
    let (mut exp, speed) = match opt(opts, "model") {
        Some(path) => {
            if !pos.is_empty() {
                return fail("export takes a SPEC or --model FILE, not both");
            }
            let text = read_limited(path, MODEL_MAX)?;
            let (model, spec_text) = Model::<Precision>::from_json(&text)
                .map_err(|e| Fail(format!("{path}: {e}"), 2))?;
            let spec =
                Spec::parse(&spec_text).map_err(|e| Fail(format!("{path}: its spec: {e}"), 2))?;
            let exp = Experiment::with_model(&spec, model)
                .map_err(|e| Fail(format!("{path}: {e}"), 2))?;
            (exp, 0.0)
        }
        None => {
            let spec = spec_arg("export", &pos)?;
            let mut exp = Experiment::new(&spec);
            exp.set_threads(threads).map_err(|e| Fail(e, 2))?;
            let t = Instant::now();
            exp.train(spec.steps);
            let speed = rate(exp.step, t.elapsed().as_secs_f64());
            if let Some(why) = &exp.halted {
                return Err(Fail(format!("training halted: {why}; nothing exported"), 3));
            }
            (exp, speed)
        }
    };
    if let Some(why) = mdn_playground::export::refuse(&exp.spec) {
        return fail(format!("this experiment cannot be exported exactly: {why}"));
    }
    eprintln!(
        "mdn: measuring the playground's spread over {} seeds (the retrain band)…",
        mdn_playground::export::BAND_SEEDS
    );
    let band = mdn_playground::export::band_on(&exp.spec, threads);
    let files = mdn_playground::export::files(&mut exp, to, band, speed).map_err(|e| Fail(e, 2))?;
    for (name, bytes) in &files {
        let path = tmp.join(name);
        std::fs::create_dir_all(path.parent().expect("in the folder"))
            .and_then(|()| std::fs::write(&path, bytes))
            .map_err(|e| Fail(format!("cannot write {}: {e}", path.display()), 1))?;
    }
    Ok(files.into_iter().map(|f| f.0).collect())
}
