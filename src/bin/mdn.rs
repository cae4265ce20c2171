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
use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::Instant;

#[path = "mdn/strokes.rs"]
mod strokes;

const USAGE: &str = "\
mdn — Mixture Density Network playground, command line

usage:
  mdn train [SPEC] [--save FILE] [--every N] [--threads N]
      Train the experiment SPEC (a share link, or the text after '#'; default: the
      playground's default experiment). Prints a JSON line of progress every N steps
      (default: steps/10) and a final JSON line with the metrics, the diagnostics
      (each component's average π, dead components, the smallest σ) and alarms; for
      one input and one output also the validation set's calibration: val_crps,
      baseline_val_crps (and bayes_val_crps where the truth is known), val_pit_hist
      (10 bins), val_coverage (nominal → empirical for central and HPD regions at
      0.5, 0.8, 0.9, 0.95) and the 90% intervals' mean lengths.
      A step that gives a loss or parameter that is not a finite number is undone and
      training stops there: the final line and --save hold the last finite state, and
      the exit status is 3.
      --save FILE   write the trained model (MDN and baseline) as JSON
      --threads N   spread each step over N threads (default: every core; 1 to 256).
                    The results have the same bits whatever N; small networks stay
                    on one thread, where threads would cost more than they save.
  mdn render [SPEC] [--out FILE.png|FILE.svg] [--width W] [--height H] [--target X] [--theme light|dark] [--threads N]
      Train SPEC like `mdn train`, then draw the page's main plot (p(y|x) heatmap, data,
      the MSE regressor, the component means) into a PNG (default main.png, 1200×750),
      or an SVG when FILE ends in .svg (vectors, the heatmap as an embedded image;
      --theme dark for dark slides).
      For two outputs (data=arm) it draws the page's two views instead: the inputs (the
      arm's workspace with its poses) and p(y1, y2 | X) at the input --target X
      (comma-separated; default the page's starting target).
  mdn eval --model FILE --x X [--y Y] [--q 0.05,0.5,0.95] [--mass 0.9]
      Print π, μ, σ of p(y|x) at input X (comma-separated for several dimensions),
      the mixture mean, the baseline's prediction, and with --y, ln p(y|x). With a
      full covariance, σ is the diagonal of each Cholesky factor and each Σ_k is given.
      One output: with --y also the CDF F(y|x) and the CRPS; --q the quantiles;
      --mass the central interval and the highest-density region of that mass (its
      intervals, its density level and its mass).
  mdn sample --model FILE --x X [--n N] [--temp-pi T] [--temp-sigma T] [--seed S] [--mode]
      Draw N samples (default 10, at most 100000) of y from p(y|x) as JSON.
      --temp-pi T     0 to 3 (default 1): below 1 the likelier components are chosen
                      more often, above 1 the choice evens out; 0 always takes the most
                      probable component
      --temp-sigma T  0 to 3 (default 1): scales each component's spread; 0 gives the
                      component's mean itself
      --seed S        the sampler's seed (default 1): the same seed, the same samples
      --mode          instead of sampling, print the most probable point of p(y|x) (the
                      highest mode) and the most probable component's mean
  mdn sweep [SPEC] [--k K1..K2] [--seeds S] [--threads N]
      Train SPEC for each K in K1..K2 (default 1..8; a single number means 1..K) with S
      seeds (default 3, at most 10: seed, seed+1, ...), and print one JSON object: each
      run's training and validation NLL and BIC = 2n·(training NLL) + P ln n (P: the MDN's
      weights and biases), the mean per K, and the K each criterion chooses. Progress
      goes to standard error. --threads N (default: every core) trains N runs at once;
      the rows equal those of one thread, bit for bit.
  mdn export [SPEC] --to jax|pytorch --out DIR [--model FILE] [--threads N]
      Train SPEC (or take a model file) and write it as a JAX or PyTorch project in DIR (a new
      folder): the data exactly as drawn (CSV, SHA-256), the weights, the recipe, probe
      points, experiment.py (check | train) and a README. Refused, with the reason, for
      what the export cannot reproduce (reinit_dead, init=diverse).
  mdn keys [--markdown]
      List the spec keys, their accepted values and defaults (as the README's table).
  mdn --version | --help

SPEC may be a link copied from the page: its view keys (play, embed, target, tpi, tsigma,
samples, mode) are ignored. Exit status: 0 done (or the output's reader went away),
1 a file could not be read or written, 2 bad arguments, 3 training halted on a number that
was not finite (the output holds the last finite state), 4 internal error.
";

/// A command-line error: the message and the exit code.
struct Fail(String, u8);

fn fail<T>(msg: impl Into<String>) -> Result<T, Fail> {
    Err(Fail(msg.into(), 2))
}

/// Writes `text` to standard output. A reader that went away (`mdn … | head -1`) ends
/// the program quietly; any other write error (a full disk) is reported.
fn out(text: &str) -> Result<(), Fail> {
    let mut o = std::io::stdout().lock();
    o.write_all(text.as_bytes())
        .and_then(|()| o.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Fail(String::new(), 0),
            _ => Fail(format!("cannot write the output: {e}"), 1),
        })
}

/// Prints `v` as one JSON line. Every number in it must be finite (serde_json writes
/// NaN and infinities as `null`): one that is not is this program's fault, reported as
/// such rather than printed.
fn emit<T: Serialize>(v: &T) -> Result<(), Fail> {
    let value = serde_json::to_value(v).expect("serializes");
    if let Some(path) = null_at(&value, String::new()) {
        return Err(Fail(
            format!("internal error: {path} is not a finite number; nothing was printed"),
            4,
        ));
    }
    out(&format!("{value}\n"))
}

/// Where a JSON value holds a `null`, if anywhere.
fn null_at(v: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::Null => Some(if path.is_empty() {
            "the result".into()
        } else {
            path
        }),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| null_at(x, format!("{path}[{i}]"))),
        Value::Object(o) => o.iter().find_map(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            null_at(x, p)
        }),
        _ => None,
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("-h") | Some("--help") | Some("help") => out(USAGE),
        Some("-V") | Some("--version") => out(&format!("mdn {VERSION}\n")),
        Some("train") => train(&args[1..]),
        Some("eval") => eval(&args[1..]),
        Some("sample") => sample(&args[1..]),
        Some("sweep") => sweep(&args[1..]),
        Some("export") => export(&args[1..]),
        Some("render") => render(&args[1..]),
        Some("strokes") => strokes::run(&args[1..]),
        Some("keys") if args.get(1).map(String::as_str) == Some("--markdown") => {
            out(&mdn_playground::spec::keys_markdown())
        }
        Some("keys") => out(&mdn_playground::spec::key_docs()
            .iter()
            .map(|[key, accepts, default, meaning]| {
                format!("{key:<10} {accepts:<45} default {default:<15} {meaning}\n")
            })
            .collect::<String>()),
        Some(other) => fail(format!(
            "unknown command {other:?}; expected train, render, eval, sample, sweep, export, strokes or keys (see mdn --help)"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(msg, code)) => {
            if !msg.is_empty() {
                eprintln!("mdn: {msg}");
            }
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
    let mut opts: Vec<(&str, &str)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if let Some(name) = a.strip_prefix("--").filter(|n| opts.iter().any(|o| o.0 == *n)) {
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
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    calibration: Option<CalibrationLine>,
    seconds: f64,
    steps_per_s: f64,
}

/// The validation set's calibration on `mdn train`'s final line (one-dimensional outputs).
#[derive(Serialize)]
struct CalibrationLine {
    val_crps: f64,
    baseline_val_crps: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    bayes_val_crps: Option<f64>,
    /// Shares of the PIT values in each tenth of [0, 1].
    val_pit_hist: Vec<f64>,
    baseline_val_pit_hist: Vec<f64>,
    /// Nominal → empirical coverage of the central and HPD regions.
    val_coverage: Coverage,
    baseline_val_coverage: Coverage,
    #[serde(skip_serializing_if = "Option::is_none")]
    bayes_val_coverage: Option<Coverage>,
    /// Mean total length of the 90% central interval and HPD region.
    val_interval_length: Lengths,
    baseline_val_interval_length: Lengths,
}

#[derive(Serialize)]
struct Coverage {
    central: Vec<[f64; 2]>,
    hpd: Vec<[f64; 2]>,
}

#[derive(Serialize)]
struct Lengths {
    central: f64,
    hpd: f64,
}

impl CalibrationLine {
    fn of(exp: &Experiment) -> Option<CalibrationLine> {
        if exp.info.dout != 1 || exp.info.din != 1 {
            return None;
        }
        let r = mdn_playground::calibration::calibrate(
            &exp.model,
            &exp.val,
            exp.spec.data,
            exp.info.y_ranges[0],
            exp.spec.seed,
        );
        let cov = |c: &mdn_playground::calibration::Calibration| Coverage {
            central: c.central.clone(),
            hpd: c.hpd.clone(),
        };
        let len = |c: &mdn_playground::calibration::Calibration| Lengths {
            central: c.central_length,
            hpd: c.hpd_length,
        };
        Some(CalibrationLine {
            val_crps: r.mdn.crps,
            baseline_val_crps: r.baseline.crps,
            bayes_val_crps: r.truth.as_ref().map(|t| t.crps),
            val_pit_hist: r.mdn.pit_hist.clone(),
            baseline_val_pit_hist: r.baseline.pit_hist.clone(),
            val_coverage: cov(&r.mdn),
            baseline_val_coverage: cov(&r.baseline),
            bayes_val_coverage: r.truth.as_ref().map(cov),
            val_interval_length: len(&r.mdn),
            baseline_val_interval_length: len(&r.baseline),
        })
    }
}

/// The experiment of a command's SPEC argument: a share link as the page writes it (its
/// view keys, which change no result, are ignored, and that is said once).
fn spec_arg(cmd: &str, pos: &[&str]) -> Result<Spec, Fail> {
    if pos.len() > 1 {
        return fail(format!(
            "{cmd} takes one SPEC (quote a share link: it contains '&')"
        ));
    }
    let (spec, ignored) = mdn_playground::link::Link::parse_cli(pos.first().copied().unwrap_or(""))
        .map_err(|e| Fail(format!("bad spec: {e}"), 2))?;
    if !ignored.is_empty() {
        eprintln!(
            "mdn: ignoring the page's own keys {} (they change what the page shows, not the experiment)",
            ignored.join(", ")
        );
    }
    Ok(spec)
}

/// A whole-number option from `range` (inclusive), or its default; `1e3` and `1000.0` are
/// whole numbers too.
fn whole_in(
    opts: &[(&str, &str)],
    name: &str,
    range: (u64, u64),
    default: u64,
) -> Result<u64, Fail> {
    use mdn_playground::spec::{whole, Whole};
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
fn check_writable(path: &str, what: &str) -> Result<(), Fail> {
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
fn threads_opt(opts: &[(&str, &str)]) -> Result<usize, Fail> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max = mdn_playground::experiment::MAX_THREADS as u64;
    Ok(whole_in(opts, "threads", (1, max), cores as u64)? as usize)
}

fn train(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(args, &["save", "every", "threads"])?;
    let spec = spec_arg("train", &pos)?;
    let every = whole_in(&opts, "every", (1, u64::MAX), (spec.steps / 10).max(1))?;
    let threads = threads_opt(&opts)?;
    let save = opt(&opts, "save");
    if let Some(path) = save {
        check_writable(path, "the model")?;
    }
    if let Some(note) = mdn_playground::dataset::angle_note(&spec) {
        eprintln!("note: {note}");
    }
    let mut exp = Experiment::new(&spec);
    exp.set_threads(threads).map_err(|e| Fail(e, 2))?;
    let mut seconds = 0.0;
    // Trains to each reading (Experiment::reading_at: where a blow-up is caught, the same
    // steps as in the page) and to each progress line (every `--every` steps).
    while exp.step < spec.steps {
        let next_line = (exp.step / every + 1) * every;
        let stop = exp.next_reading(exp.step).min(next_line).min(spec.steps);
        let t = Instant::now();
        exp.train(stop - exp.step);
        seconds += t.elapsed().as_secs_f64();
        if exp.halted.is_some() {
            break;
        }
        if exp.step < spec.steps && (exp.reading_at(exp.step) || exp.step % every == 0) {
            let m = exp.metrics();
            if exp.halted.is_some() {
                break; // the reading rolled back to the last finite state
            }
            if exp.step % every == 0 {
                emit(&Progress {
                    batch_nll: exp.last.nll,
                    metrics: &m,
                })?;
            }
        }
    }
    let m = exp.metrics();
    emit(&Final {
        spec: spec.format(),
        metrics: &m,
        calibration: CalibrationLine::of(&exp),
        seconds,
        steps_per_s: rate(exp.step, seconds),
    })?;
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

/// Steps per second (0 when no time was measured).
fn rate(steps: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        steps as f64 / seconds
    } else {
        0.0
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
    /// One output: F(y|x) and the CRPS at --y.
    #[serde(skip_serializing_if = "Option::is_none")]
    cdf: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    crps: Option<f64>,
    /// One output: [q, F⁻¹(q)] for each --q.
    #[serde(skip_serializing_if = "Option::is_none")]
    quantiles: Option<Vec<[f64; 2]>>,
    /// One output: the central interval and the HPD region of mass --mass.
    #[serde(skip_serializing_if = "Option::is_none")]
    central: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hpd: Option<mdn_playground::forecast::Hpd>,
}

/// The probabilities of `--q` (comma-separated, each strictly between 0 and 1).
fn probabilities(v: &str) -> Result<Vec<f64>, Fail> {
    let n = v.split(',').count();
    if n > 64 {
        return fail(format!("--q: at most 64 probabilities (got {n})"));
    }
    let qs = numbers("q", v, n)?;
    if let Some(q) = qs.iter().find(|q| !(**q > 0.0 && **q < 1.0)) {
        return fail(format!(
            "--q: {q} is not a probability strictly between 0 and 1"
        ));
    }
    Ok(qs)
}

fn eval(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(args, &["model", "x", "y", "q", "mass"])?;
    let (model, x) = model_and_x("eval", &pos, &opts)?;
    let y = opt(&opts, "y")
        .map(|v| numbers("y", v, model.dout()))
        .transpose()?;
    let mix = model
        .checked_mixture(&x)
        .map_err(|e| Fail(format!("--x: {e}"), 2))?;
    let mut wsb = Workspace::new(&model.baseline.sizes);
    let baseline = model.baseline_predict(&x, &mut wsb);
    if baseline.iter().any(|v| !v.is_finite()) {
        return fail(format!(
            "--x: at x = {x:?} the baseline's prediction is not a finite number (the input is \
             too far outside its training data)"
        ));
    }
    let log_p = match &y {
        Some(y) => {
            let lp = mix.log_prob(y);
            if !lp.is_finite() {
                return fail(format!(
                    "--y: ln p(y|x) at y = {y:?} is below the smallest number a double holds \
                     (y is too far from every component)"
                ));
            }
            Some(lp)
        }
        None => None,
    };
    use mdn_playground::forecast;
    let one = mix.d == 1;
    let only_one = |what: &str| {
        Fail(
            format!(
                "{what} needs a model with one output (this one has {})",
                mix.d
            ),
            2,
        )
    };
    let qs = opt(&opts, "q").map(probabilities).transpose()?;
    let mass = match opt(&opts, "mass") {
        Some(v) => {
            let m = numbers("mass", v, 1)?[0];
            if !(m > 0.0 && m < 1.0) {
                return fail(format!(
                    "--mass: {m} is not a probability strictly between 0 and 1"
                ));
            }
            Some(m)
        }
        None => None,
    };
    if !one && (qs.is_some() || mass.is_some()) {
        return Err(only_one(if qs.is_some() { "--q" } else { "--mass" }));
    }
    // A circular forecast (von Mises) is read at the angle of y, in [0, 2π).
    let at_y = y.as_ref().filter(|_| one).map(|y| {
        if mix.circular() {
            mdn_playground::family::wrap(y[0])
        } else {
            y[0]
        }
    });
    let d = mix.d;
    emit(&EvalOut {
        cdf: at_y.map(|y| forecast::Predictive::cdf(&mix, y)),
        crps: at_y.map(|y| forecast::Prepared::new(&mix).crps(y)),
        quantiles: qs.map(|qs| {
            qs.iter()
                .map(|&q| [q, forecast::quantile(&mix, q)])
                .collect()
        }),
        central: mass.map(|m| {
            let (a, b) = forecast::central(&mix, m);
            [a, b]
        }),
        hpd: mass.map(|m| forecast::hpd(&mix, m)),
        pi: mix.pi.clone(),
        mu: mix.mu.chunks(d).map(<[f64]>::to_vec).collect(),
        sigma: mix.sigma.chunks(d).map(<[f64]>::to_vec).collect(),
        covariance: (!mix.off.is_empty()).then(|| (0..mix.k).map(|c| mix.covariance(c)).collect()),
        mean: mix.mean(),
        mode_mean: mix.mode_mean(),
        baseline,
        log_p,
        y,
        x,
    })
}

/// The largest model file read (the model reader's own limit).
const MODEL_MAX: u64 = 64 << 20;

/// A text file of at most `max` bytes, read without reading more (`/dev/zero` is refused
/// once `max` bytes have come, not after memory runs out).
fn read_limited(path: &str, max: u64) -> Result<String, Fail> {
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
fn model_and_x(
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
    let mix = model
        .checked_mixture(&x)
        .map_err(|e| Fail(format!("--x: {e}"), 2))?;
    if opt(&opts, "mode").is_some() {
        let mode = mix.mode();
        let log_p = mix.log_prob(&mode);
        if !log_p.is_finite() {
            return fail(
                "the mixture at this x is too extreme for its mode's density to be a finite number",
            );
        }
        return emit(&ModeOut {
            log_p,
            mode,
            mode_mean: mix.mode_mean(),
            x,
        });
    }
    let n = whole_in(&opts, "n", (1, 100_000), 10)?;
    let t = Temperature {
        pi: number_in(&opts, "temp-pi", Temperature::RANGE, 1.0)?,
        sigma: number_in(&opts, "temp-sigma", Temperature::RANGE, 1.0)?,
    };
    let seed = whole_in(&opts, "seed", (0, mdn_playground::spec::SEED_MAX), 1)?;
    let mut rng = Rng::new(seed, stream::SAMPLES);
    let (components, samples): (Vec<usize>, Vec<Vec<f64>>) =
        mix.samples(n as usize, t, &mut rng).into_iter().unzip();
    if samples.iter().flatten().any(|v| !v.is_finite()) {
        return fail(
            "the samples at this x overflow (the model's scales are too large at this temperature)",
        );
    }
    emit(&SampleOut {
        x,
        temp_pi: t.pi,
        temp_sigma: t.sigma,
        seed,
        samples,
        components,
    })
}

/// `mdn export`: the experiment as a project in another framework (see src/export).
fn export(args: &[String]) -> Result<(), Fail> {
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
fn reserve_out(dir: &std::path::Path, out: &str) -> Result<std::path::PathBuf, Fail> {
    if out.trim().is_empty() {
        return fail("--out needs the name of a new folder");
    }
    if let Ok(meta) = std::fs::symlink_metadata(dir) {
        let empty_dir = meta.is_dir() && std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
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
    let name = dir.file_name().ok_or_else(|| Fail(format!("--out: {out} names no folder"), 2))?;
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
fn export_into(
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

fn sweep(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(args, &["k", "seeds", "threads"])?;
    let spec = spec_arg("sweep", &pos)?;
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
            let num = |t: &str| match mdn_playground::spec::whole(t) {
                Ok(mdn_playground::spec::Whole::Value(k)) => {
                    Some(k as usize).filter(|k| (lo..=hi).contains(k))
                }
                _ => None,
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
    let seeds = whole_in(&opts, "seeds", (1, mdn_playground::sweep::SEEDS_MAX), 3)?;
    let threads = threads_opt(&opts)?;
    let mut s = mdn_playground::sweep::Sweep::new(&spec, k1, k2, seeds)
        .map_err(|e| Fail(format!("--seeds: {e}"), 2))?;
    let show = |row: &mdn_playground::sweep::Row| {
        eprintln!(
            "k={} seed={}: validation NLL {:.4}, BIC {:.1}{}",
            row.k,
            row.seed,
            row.val_nll,
            row.bic,
            if row.halted {
                " (halted: a step was not finite; rolled back)"
            } else {
                ""
            }
        )
    };
    s.finish_parallel(threads, &show).map_err(|e| Fail(e, 1))?;
    emit(&s.report())
}

#[cfg(target_arch = "wasm32")]
fn render(_: &[String]) -> Result<(), Fail> {
    fail("render needs a native build")
}

#[cfg(not(target_arch = "wasm32"))]
fn render(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(
        args,
        &["out", "width", "height", "target", "theme", "threads"],
    )?;
    let threads = threads_opt(&opts)?;
    let spec = spec_arg("render", &pos)?;
    let w = whole_in(&opts, "width", (200, 4000), 1200)? as u32;
    let h = whole_in(&opts, "height", (200, 4000), 750)? as u32;
    let out = opt(&opts, "out").unwrap_or("main.png");
    let lower = out.to_ascii_lowercase();
    let svg = lower.ends_with(".svg");
    if !svg && !lower.ends_with(".png") {
        return fail(format!("--out: {out:?} must end in .png or .svg"));
    }
    let theme = match opt(&opts, "theme") {
        None | Some("light") => mdn_playground::plot::Theme::LIGHT,
        Some("dark") => mdn_playground::plot::Theme::DARK,
        Some(other) => return fail(format!("--theme: {other:?} is not light or dark")),
    };
    if !svg && theme.dark {
        return fail("--theme dark: only for SVG (--out FILE.svg); PNGs are drawn light");
    }
    let mut exp = Experiment::new(&spec);
    exp.set_threads(threads).map_err(|e| Fail(e, 2))?;
    let target = match opt(&opts, "target") {
        Some(v) => {
            let asked = numbers("target", v, exp.info.din)?;
            let t = exp.info.clamp_input(&asked, &exp.info.target);
            if t != asked {
                eprintln!("mdn: --target moved into the data's range: {t:?}");
            }
            t
        }
        None => exp.info.target.to_vec(),
    };
    check_writable(out, "the picture")?;
    let started = Instant::now();
    exp.train(spec.steps);
    let seconds = started.elapsed().as_secs_f64();
    let m = exp.metrics();
    let path = std::path::Path::new(out);
    let write_svg = |text: Result<String, String>| {
        text.and_then(|t| std::fs::write(path, t).map_err(|e| e.to_string()))
    };
    let written = if exp.info.dout == 2 {
        use mdn_playground::plot::plane;
        let points = exp.train.view_points(mdn_playground::plot::MAX_POINTS);
        let arm = spec.data == mdn_playground::spec::Data::Arm;
        let sampling = plane::Sampling::default();
        if svg {
            write_svg(plane::planes_svg(
                &exp.model,
                &exp.info,
                &points,
                &target,
                sampling,
                arm,
                (w, h),
                theme,
            ))
        } else {
            plane::native::planes_rgb(&exp.model, &exp.info, &points, &target, sampling, arm, w, h)
                .and_then(|buf| mdn_playground::plot::native::write_png(path, &buf, w, h))
        }
    } else {
        use mdn_playground::plot::native;
        let points = exp.train.points(mdn_playground::plot::MAX_POINTS);
        let view = mdn_playground::plot::View::of(&exp.info);
        let labels = (exp.info.x_labels[0], exp.info.y_labels[0]);
        if svg {
            write_svg(native::main_plot_svg(
                &exp.model,
                &points,
                view,
                labels,
                (w, h),
                theme,
            ))
        } else {
            native::main_plot_png(path, &exp.model, &points, view, labels, w, h)
        }
    };
    written.map_err(|e| Fail(format!("cannot write {out}: {e}"), 1))?;
    emit(&Final {
        spec: spec.format(),
        metrics: &m,
        calibration: None,
        seconds,
        steps_per_s: rate(exp.step, seconds),
    })?;
    match &exp.halted {
        Some(why) => Err(Fail(format!("training halted: {why}"), 3)),
        None => Ok(()),
    }
}
