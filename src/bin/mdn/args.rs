//! Reading the command line: positionals and `--flag value` options (each given once),
//! the spec argument, numbers in their ranges, files read with a limit, paths checked
//! before any work.

use crate::out::*;
use mdn_playground::mdn::model::{Model, Precision};
use mdn_playground::share::goal::Goal;
use mdn_playground::Spec;
use std::io::Read;

/// Positional arguments and `(name, value)` options.
pub(crate) type Parsed<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>);

/// Splits arguments into positionals and `--flag value` options (from `allowed`).
pub(crate) fn options<'a>(args: &'a [String], allowed: &[&str]) -> Result<Parsed<'a>, Fail> {
    options_and_flags(args, allowed, &[])
}

/// As [`options`], with `--flag`s that take no value (reported with the value "").
pub(crate) fn options_and_flags<'a>(
    args: &'a [String],
    allowed: &[&str],
    flags: &[&str],
) -> Result<Parsed<'a>, Fail> {
    let mut pos = Vec::new();
    let mut opts: Vec<(&str, &str)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if let Some(name) = a
            .strip_prefix("--")
            .filter(|n| opts.iter().any(|o| o.0 == *n))
        {
            // Which of two values was meant is not ours to guess.
            return fail(format!("--{name} is given more than once; give it once"));
        }
        if let Some(name) = a.strip_prefix("--").filter(|n| flags.contains(n)) {
            opts.push((name, ""));
            i += 1;
        } else if let Some(name) = a.strip_prefix("--") {
            if !allowed.contains(&name) {
                return fail(format!(
                    "unknown option --{name}; accepted: {}",
                    allowed
                        .iter()
                        .chain(flags)
                        .map(|o| format!("--{o}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            let Some(v) = args.get(i + 1) else {
                return fail(format!("--{name} needs a value"));
            };
            opts.push((name, v.as_str()));
            i += 2;
        } else {
            pos.push(a);
            i += 1;
        }
    }
    Ok((pos, opts))
}

pub(crate) fn opt<'a>(opts: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    opts.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// The experiment of a command's SPEC argument: a share link as the page writes it (its
/// view keys, which change no result, are ignored, and that is said once).
pub(crate) fn spec_arg(cmd: &str, pos: &[&str]) -> Result<Spec, Fail> {
    if pos.len() > 1 {
        return fail(format!(
            "{cmd} takes one SPEC (quote a share link: it contains '&')"
        ));
    }
    let (spec, ignored) =
        mdn_playground::share::link::Link::parse_cli(pos.first().copied().unwrap_or(""))
            .map_err(|e| Fail(format!("bad spec: {e}"), 2))?;
    // `mdn train` reads a comparison (`compare_arg`) and an exercise (`goal_arg`); the
    // others say they leave them out.
    let ignored: Vec<String> = ignored
        .into_iter()
        .filter(|k| !(cmd == "train" && (k == "compare" || k == "goal")))
        .collect();
    if !ignored.is_empty() {
        eprintln!(
            "mdn: ignoring the page's own keys {} (they change what the page shows, not the experiment)",
            ignored.join(", ")
        );
    }
    Ok(spec)
}

/// The second experiment of a link's `compare=` (the same data and seed, some keys
/// changed), if it has one; its problems are an error.
pub(crate) fn compare_arg(pos: &[&str], a: &Spec) -> Result<Option<Spec>, Fail> {
    mdn_playground::share::link::Link::compare_cli(pos.first().copied().unwrap_or(""), a)
        .map_err(|e| Fail(format!("bad compare: {e}"), 2))
}

/// The exercise of a link's `goal=`, if it has one; a bad goal is an error.
pub(crate) fn goal_arg(pos: &[&str]) -> Result<Option<Goal>, Fail> {
    mdn_playground::share::link::Link::goal_cli(pos.first().copied().unwrap_or(""))
        .map_err(|e| Fail(format!("bad goal: {e}"), 2))
}

/// A whole-number option from `range` (inclusive), or its default; `1e3` and `1000.0` are
/// whole numbers too.
pub(crate) fn whole_in(
    opts: &[(&str, &str)],
    name: &str,
    range: (u64, u64),
    default: u64,
) -> Result<u64, Fail> {
    use mdn_playground::config::spec::{whole, Whole};
    let Some(v) = opt(opts, name) else {
        return Ok(default);
    };
    match whole(v) {
        Ok(Whole::Value(x)) if (range.0..=range.1).contains(&x) => Ok(x),
        Ok(_) => fail(format!(
            "--{name}: {v:?} is outside {} to {}",
            range.0, range.1
        )),
        Err(why) => fail(format!(
            "--{name}: {v:?} is {why} (accepted: {} to {})",
            range.0, range.1
        )),
    }
}

/// Checks that a file can be written at the end of a command, before the work starts, so
/// that a missing folder or a read-only place is said at once, not after training. Leaves
/// the place as it was (a file that did not exist is not left behind).
pub(crate) fn check_writable(path: &str, what: &str) -> Result<(), Fail> {
    let p = std::path::Path::new(path);
    let existed = p.exists();
    let opened = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(p);
    match opened {
        Ok(_) => {
            if !existed {
                let _ = std::fs::remove_file(p);
            }
            Ok(())
        }
        Err(e) => {
            let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
            let why = match dir {
                Some(d) if !d.is_dir() => format!("the folder {} does not exist", d.display()),
                _ => e.to_string(),
            };
            Err(Fail(format!("cannot write {what} to {path}: {why}"), 1))
        }
    }
}

/// `--threads N`: how many threads training uses (default: every core). The results have
/// the same bits whatever N.
pub(crate) fn threads_opt(opts: &[(&str, &str)]) -> Result<usize, Fail> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max = mdn_playground::train::experiment::MAX_THREADS as u64;
    Ok(whole_in(opts, "threads", (1, max), cores as u64)? as usize)
}

pub(crate) fn numbers(name: &str, v: &str, want: usize) -> Result<Vec<f64>, Fail> {
    let xs: Result<Vec<f64>, _> = v.split(',').map(|s| s.trim().parse::<f64>()).collect();
    match xs {
        Ok(xs) if xs.len() == want && xs.iter().all(|x| x.is_finite()) => Ok(xs),
        _ => fail(format!(
            "--{name}: {v:?} is not {want} finite number(s), comma-separated"
        )),
    }
}

/// A number option within `range` (inclusive), or its default.
pub(crate) fn number_in(
    opts: &[(&str, &str)],
    name: &str,
    range: (f64, f64),
    default: f64,
) -> Result<f64, Fail> {
    match opt(opts, name) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<f64>() {
            Ok(t) if t.is_finite() && t >= range.0 && t <= range.1 => Ok(t),
            _ => fail(format!(
                "--{name}: {v:?} is not a number from {} to {}",
                range.0, range.1
            )),
        },
    }
}

/// The largest model file read (the model reader's own limit).
pub(crate) const MODEL_MAX: u64 = 64 << 20;

/// A text file of at most `max` bytes, read without reading more (`/dev/zero` is refused
/// once `max` bytes have come, not after memory runs out).
pub(crate) fn read_limited(path: &str, max: u64) -> Result<String, Fail> {
    let cannot = |e: std::io::Error| Fail(format!("cannot read {path}: {e}"), 1);
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > max {
        return fail(format!(
            "{path}: larger than {} MiB; not a model file",
            max >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|_| Fail(format!("{path}: not text (UTF-8)"), 2))
}

/// The model of `--model` and the input of `--x`, for `eval` and `sample`.
pub(crate) fn model_and_x(
    cmd: &str,
    pos: &[&str],
    opts: &[(&str, &str)],
) -> Result<(Model<Precision>, Vec<f64>), Fail> {
    if let Some(p) = pos.first() {
        return fail(format!("{cmd} takes no positional argument (got {p:?})"));
    }
    let path = opt(opts, "model").ok_or_else(|| Fail(format!("{cmd} needs --model FILE"), 2))?;
    let text = read_limited(path, MODEL_MAX)?;
    let (model, _spec) =
        Model::<Precision>::from_json(&text).map_err(|e| Fail(format!("{path}: {e}"), 2))?;
    let x = numbers(
        "x",
        opt(opts, "x").ok_or_else(|| Fail(format!("{cmd} needs --x X"), 2))?,
        model.din(),
    )?;
    Ok((model, x))
}
