//! `mdn`: run playground experiments from the command line.
//!
//! ```text
//! mdn train [SPEC] [--save model.json] [--every N]
//! mdn eval --model model.json --x X [--y Y]
//! mdn sample --model model.json --x X [--n N] [--temp-pi T] [--temp-sigma T] [--mode]
//! ```
//! SPEC is a share link (`http://…/#data=…`) or the text after `#`. Output is JSON lines.

use mdn_playground::mixture::Temperature;
use mdn_playground::model::{Model, Precision};
use mdn_playground::network::Workspace;
use mdn_playground::rng::{stream, Rng};
use mdn_playground::{Experiment, Metrics, Spec, VERSION};
use serde::Serialize;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
mdn — Mixture Density Network playground, command line

usage:
  mdn train [SPEC] [--save FILE] [--every N]
      Train the experiment SPEC (a share link, or the text after '#'; default: the
      playground's default experiment). Prints a JSON line of progress every N steps
      (default: steps/10) and a final JSON line with the metrics, the diagnostics
      (each component's average π, dead components, the smallest σ) and alarms.
      A step that gives a loss or parameter that is not a finite number is undone and
      training stops there: the final line and --save hold the last finite state, and
      the exit status is 3.
      --save FILE   write the trained model (MDN and baseline) as JSON
  mdn render [SPEC] [--out FILE] [--width W] [--height H] [--target X]
      Train SPEC like `mdn train`, then draw the page's main plot (p(y|x) heatmap, data,
      the MSE regressor, the component means) into a PNG (default main.png, 1200×750).
      For two outputs (data=arm) it draws the page's two views instead: the inputs (the
      arm's workspace with its poses) and p(y1, y2 | X) at the input --target X
      (comma-separated; default the page's starting target).
  mdn eval --model FILE --x X [--y Y]
      Print π, μ, σ of p(y|x) at input X (comma-separated for several dimensions),
      the mixture mean, the baseline's prediction, and with --y, ln p(y|x). With a
      full covariance, σ is the diagonal of each Cholesky factor and each Σ_k is given.
  mdn sample --model FILE --x X [--n N] [--temp-pi T] [--temp-sigma T] [--seed S] [--mode]
      Draw N samples (default 10, at most 100000) of y from p(y|x) as JSON.
      --temp-pi T     0 to 10 (default 1): below 1 the likelier components are chosen
                      more often, above 1 the choice evens out; 0 always takes the most
                      probable component
      --temp-sigma T  0 to 10 (default 1): scales each component's spread; 0 gives the
                      component's mean itself
      --seed S        the sampler's seed (default 1): the same seed, the same samples
      --mode          instead of sampling, print the most probable point of p(y|x) (the
                      highest mode) and the most probable component's mean
  mdn sweep [SPEC] [--k K1..K2] [--seeds S]
      Train SPEC for each K in K1..K2 (default 1..8; a single number means 1..K) with S
      seeds (default 3, at most 10: seed, seed+1, ...), and print one JSON object: each
      run's training and validation NLL and BIC = 2n·(training NLL) + P ln n (P: the MDN's
      weights and biases), the mean per K, and the K each criterion chooses. Progress
      goes to standard error.
  mdn keys [--markdown]
      List the spec keys, their accepted values and defaults (as the README's table).
  mdn --version | --help
";

/// A command-line error: the message and the exit code.
struct Fail(String, u8);

fn fail<T>(msg: impl Into<String>) -> Result<T, Fail> {
    Err(Fail(msg.into(), 2))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("-h") | Some("--help") | Some("help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some("-V") | Some("--version") => {
            println!("mdn {VERSION}");
            Ok(())
        }
        Some("train") => train(&args[1..]),
        Some("eval") => eval(&args[1..]),
        Some("sample") => sample(&args[1..]),
        Some("sweep") => sweep(&args[1..]),
        Some("render") => render(&args[1..]),
        Some("keys") if args.get(1).map(String::as_str) == Some("--markdown") => {
            print!("{}", mdn_playground::spec::keys_markdown());
            Ok(())
        }
        Some("keys") => {
            for k in mdn_playground::spec::KEYS {
                println!(
                    "{:<10} {:<45} default {:<15} {}",
                    k.key, k.accepts, k.default, k.meaning
                );
            }
            Ok(())
        }
        Some(other) => fail(format!(
            "unknown command {other:?}; expected train, render, eval, sample, sweep or keys (see mdn --help)"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(msg, code)) => {
            eprintln!("mdn: {msg}");
            ExitCode::from(code)
        }
    }
}

/// Positional arguments and `(name, value)` options.
type Parsed<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>);

/// Splits arguments into positionals and `--flag value` options (from `allowed`).
fn options<'a>(args: &'a [String], allowed: &[&str]) -> Result<Parsed<'a>, Fail> {
    options_and_flags(args, allowed, &[])
}

/// As [`options`], with `--flag`s that take no value (reported with the value "").
fn options_and_flags<'a>(
    args: &'a [String],
    allowed: &[&str],
    flags: &[&str],
) -> Result<Parsed<'a>, Fail> {
    let mut pos = Vec::new();
    let mut opts = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
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

fn opt<'a>(opts: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    opts.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

#[derive(Serialize)]
struct Progress<'a> {
    /// Loss of the last step's batch.
    batch_nll: f64,
    #[serde(flatten)]
    metrics: &'a Metrics,
}

#[derive(Serialize)]
struct Final<'a> {
    spec: String,
    #[serde(flatten)]
    metrics: &'a Metrics,
    seconds: f64,
    steps_per_s: f64,
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("serializes")
}

fn train(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(args, &["save", "every"])?;
    if pos.len() > 1 {
        return fail("train takes one SPEC (quote a share link: it contains '&')");
    }
    let spec = Spec::parse(pos.first().copied().unwrap_or(""))
        .map_err(|e| Fail(format!("bad spec: {e}"), 2))?;
    let every = match opt(&opts, "every") {
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| Fail(format!("--every: {v:?} is not a whole number ≥ 1"), 2))?,
        None => (spec.steps / 10).max(1),
    };
    let save = opt(&opts, "save");
    let mut exp = Experiment::new(&spec);
    let mut seconds = 0.0;
    while exp.step < spec.steps {
        let chunk = every.min(spec.steps - exp.step);
        let t = Instant::now();
        exp.train(chunk);
        seconds += t.elapsed().as_secs_f64();
        if exp.halted.is_some() {
            break;
        }
        if exp.step < spec.steps {
            let m = exp.metrics();
            println!(
                "{}",
                json(&Progress {
                    batch_nll: exp.last.nll,
                    metrics: &m
                })
            );
        }
    }
    let m = exp.metrics();
    let steps_per_s = if seconds > 0.0 {
        exp.step as f64 / seconds
    } else {
        0.0
    };
    println!(
        "{}",
        json(&Final {
            spec: spec.format(),
            metrics: &m,
            seconds,
            steps_per_s
        })
    );
    if let Some(path) = save {
        std::fs::write(path, exp.model.to_json(&spec.format()))
            .map_err(|e| Fail(format!("cannot write {path}: {e}"), 1))?;
    }
    match &exp.halted {
        // The final line (and the saved model) hold the last finite state.
        Some(why) => Err(Fail(format!("training halted: {why}"), 3)),
        None => Ok(()),
    }
}

fn numbers(name: &str, v: &str, want: usize) -> Result<Vec<f64>, Fail> {
    let xs: Result<Vec<f64>, _> = v.split(',').map(|s| s.trim().parse::<f64>()).collect();
    match xs {
        Ok(xs) if xs.len() == want && xs.iter().all(|x| x.is_finite()) => Ok(xs),
        _ => fail(format!(
            "--{name}: {v:?} is not {want} finite number(s), comma-separated"
        )),
    }
}

#[derive(Serialize)]
struct EvalOut {
    x: Vec<f64>,
    pi: Vec<f64>,
    mu: Vec<Vec<f64>>,
    sigma: Vec<Vec<f64>>,
    mean: Vec<f64>,
    mode_mean: Vec<f64>,
    baseline: Vec<f64>,
    /// Full covariance only: each Σ_k, row-major.
    #[serde(skip_serializing_if = "Option::is_none")]
    covariance: Option<Vec<Vec<f64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    y: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    log_p: Option<f64>,
}

fn eval(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(args, &["model", "x", "y"])?;
    let (model, x) = model_and_x("eval", &pos, &opts)?;
    let y = opt(&opts, "y")
        .map(|v| numbers("y", v, model.dout()))
        .transpose()?;
    let mut ws = Workspace::new(&model.mdn.sizes);
    let mix = model.mixture(&x, &mut ws);
    let mut wsb = Workspace::new(&model.baseline.sizes);
    let d = mix.d;
    let out = EvalOut {
        pi: mix.pi.clone(),
        mu: mix.mu.chunks(d).map(<[f64]>::to_vec).collect(),
        sigma: mix.sigma.chunks(d).map(<[f64]>::to_vec).collect(),
        covariance: (!mix.off.is_empty()).then(|| (0..mix.k).map(|c| mix.covariance(c)).collect()),
        mean: mix.mean(),
        mode_mean: mix.mode_mean(),
        baseline: model.baseline_predict(&x, &mut wsb),
        log_p: y.as_ref().map(|y| mix.log_prob(y)),
        y,
        x,
    };
    println!("{}", json(&out));
    Ok(())
}

/// The model of `--model` and the input of `--x`, for `eval` and `sample`.
fn model_and_x(
    cmd: &str,
    pos: &[&str],
    opts: &[(&str, &str)],
) -> Result<(Model<Precision>, Vec<f64>), Fail> {
    if let Some(p) = pos.first() {
        return fail(format!("{cmd} takes no positional argument (got {p:?})"));
    }
    let path = opt(opts, "model").ok_or_else(|| Fail(format!("{cmd} needs --model FILE"), 2))?;
    let text =
        std::fs::read_to_string(path).map_err(|e| Fail(format!("cannot read {path}: {e}"), 1))?;
    let (model, _spec) =
        Model::<Precision>::from_json(&text).map_err(|e| Fail(format!("{path}: {e}"), 2))?;
    let x = numbers(
        "x",
        opt(opts, "x").ok_or_else(|| Fail(format!("{cmd} needs --x X"), 2))?,
        model.din(),
    )?;
    Ok((model, x))
}

/// A number option within `range` (inclusive), or its default.
fn number_in(
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

#[derive(Serialize)]
struct SampleOut {
    x: Vec<f64>,
    temp_pi: f64,
    temp_sigma: f64,
    seed: u64,
    /// The drawn points.
    samples: Vec<Vec<f64>>,
    /// The component each was drawn from.
    components: Vec<usize>,
}

#[derive(Serialize)]
struct ModeOut {
    x: Vec<f64>,
    /// The highest mode of p(y|x) and its log-density.
    mode: Vec<f64>,
    log_p: f64,
    /// The mean of the most probable component (what temp-pi = temp-sigma = 0 draws).
    mode_mean: Vec<f64>,
}

fn sample(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options_and_flags(
        args,
        &["model", "x", "n", "temp-pi", "temp-sigma", "seed"],
        &["mode"],
    )?;
    let (model, x) = model_and_x("sample", &pos, &opts)?;
    let mut ws = Workspace::new(&model.mdn.sizes);
    let mix = model.mixture(&x, &mut ws);
    if opt(&opts, "mode").is_some() {
        let mode = mix.mode();
        let out = ModeOut {
            log_p: mix.log_prob(&mode),
            mode,
            mode_mean: mix.mode_mean(),
            x,
        };
        println!("{}", json(&out));
        return Ok(());
    }
    let n = number_in(&opts, "n", (1.0, 100_000.0), 10.0)?;
    if n.fract() != 0.0 {
        return fail(format!("--n: {n} is not a whole number"));
    }
    let t = Temperature {
        pi: number_in(&opts, "temp-pi", Temperature::RANGE, 1.0)?,
        sigma: number_in(&opts, "temp-sigma", Temperature::RANGE, 1.0)?,
    };
    let seed = match opt(&opts, "seed") {
        None => 1,
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|s| *s <= mdn_playground::spec::SEED_MAX)
            .ok_or_else(|| {
                Fail(
                    format!(
                        "--seed: {v:?} is not a whole number from 0 to {}",
                        mdn_playground::spec::SEED_MAX
                    ),
                    2,
                )
            })?,
    };
    let mut rng = Rng::new(seed, stream::SAMPLES);
    let (components, samples) = mix.samples(n as usize, t, &mut rng).into_iter().unzip();
    let out = SampleOut {
        x,
        temp_pi: t.pi,
        temp_sigma: t.sigma,
        seed,
        samples,
        components,
    };
    println!("{}", json(&out));
    Ok(())
}

fn sweep(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(args, &["k", "seeds"])?;
    if pos.len() > 1 {
        return fail("sweep takes one SPEC (quote a share link: it contains '&')");
    }
    let spec = Spec::parse(pos.first().copied().unwrap_or(""))
        .map_err(|e| Fail(format!("bad spec: {e}"), 2))?;
    let (lo, hi) = mdn_playground::spec::K_RANGE;
    let bad_k = |v: &str| {
        Fail(
            format!("--k: {v:?} is not K or K1..K2 with {lo} ≤ K1 ≤ K2 ≤ {hi}"),
            2,
        )
    };
    let (k1, k2) = match opt(&opts, "k") {
        None => (1, 8),
        Some(v) => {
            let num = |t: &str| {
                t.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|k| (lo..=hi).contains(k))
            };
            match v.split_once("..") {
                Some((a, b)) => match (num(a), num(b)) {
                    (Some(a), Some(b)) if a <= b => (a, b),
                    _ => return Err(bad_k(v)),
                },
                None => (1, num(v).ok_or_else(|| bad_k(v))?),
            }
        }
    };
    let seeds = match opt(&opts, "seeds") {
        None => 3,
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|s| (1..=mdn_playground::sweep::SEEDS_MAX).contains(s))
            .ok_or_else(|| {
                Fail(
                    format!(
                        "--seeds: {v:?} is not a whole number from 1 to {}",
                        mdn_playground::sweep::SEEDS_MAX
                    ),
                    2,
                )
            })?,
    };
    let mut s = mdn_playground::sweep::Sweep::new(&spec, k1, k2, seeds);
    let mut shown = 0;
    loop {
        let done = s.advance(u64::MAX);
        for row in &s.rows()[shown..] {
            eprintln!(
                "k={} seed={}: validation NLL {:.4}, BIC {:.1}",
                row.k, row.seed, row.val_nll, row.bic
            );
        }
        shown = s.rows().len();
        if done {
            break;
        }
    }
    println!("{}", json(&s.report()));
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn render(_: &[String]) -> Result<(), Fail> {
    fail("render needs a native build")
}

#[cfg(not(target_arch = "wasm32"))]
fn render(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(args, &["out", "width", "height", "target"])?;
    if pos.len() > 1 {
        return fail("render takes one SPEC (quote a share link: it contains '&')");
    }
    let spec = Spec::parse(pos.first().copied().unwrap_or(""))
        .map_err(|e| Fail(format!("bad spec: {e}"), 2))?;
    let size = |name: &str, default: u32| -> Result<u32, Fail> {
        match opt(&opts, name) {
            None => Ok(default),
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|n| (200..=4000).contains(n))
                .ok_or_else(|| {
                    Fail(
                        format!("--{name}: {v:?} is not a whole number from 200 to 4000"),
                        2,
                    )
                }),
        }
    };
    let (w, h) = (size("width", 1200)?, size("height", 750)?);
    let out = opt(&opts, "out").unwrap_or("main.png");
    if !out.to_ascii_lowercase().ends_with(".png") {
        return fail(format!("--out: {out:?} must end in .png"));
    }
    let mut exp = Experiment::new(&spec);
    let target = match opt(&opts, "target") {
        Some(v) => numbers("target", v, exp.info.din)?,
        None => exp.info.target.to_vec(),
    };
    exp.train(spec.steps);
    let m = exp.metrics();
    let written = if exp.info.dout == 2 {
        use mdn_playground::plot::plane;
        let points = exp.train.view_points(mdn_playground::plot::MAX_POINTS);
        plane::native::planes_rgb(
            &exp.model,
            &exp.info,
            &points,
            &target,
            plane::Sampling::default(),
            spec.data == mdn_playground::spec::Data::Arm,
            w,
            h,
        )
        .and_then(|buf| {
            mdn_playground::plot::native::write_png(std::path::Path::new(out), &buf, w, h)
        })
    } else {
        let points = exp.train.points(mdn_playground::plot::MAX_POINTS);
        let view = mdn_playground::plot::View::of(&exp.info);
        mdn_playground::plot::native::main_plot_png(
            std::path::Path::new(out),
            &exp.model,
            &points,
            view,
            (exp.info.x_labels[0], exp.info.y_labels[0]),
            w,
            h,
        )
    };
    written.map_err(|e| Fail(format!("cannot write {out}: {e}"), 1))?;
    println!(
        "{}",
        json(&Final {
            spec: spec.format(),
            metrics: &m,
            seconds: 0.0,
            steps_per_s: 0.0
        })
    );
    Ok(())
}
