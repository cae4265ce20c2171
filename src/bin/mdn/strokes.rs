//! `mdn strokes …`: the handwriting MDN from the command line.

use crate::args::{check_writable, number_in, opt, options_and_flags, threads_opt, whole_in};
use crate::out::{emit, fail, out, Fail};
use mdn_playground::plot::strokes::Writing;

use mdn_playground::base::rng::{stream, Rng};
use mdn_playground::strokes::data::{points, positions};
use mdn_playground::strokes::file::{fingerprint, Early, Precision, Saved, EARLY};
use mdn_playground::strokes::train::{StrokeRun, StrokeSpec, Variant};
use mdn_playground::strokes::Move;
use serde::Serialize;
use std::time::Instant;

pub const USAGE: &str = "\
usage:
  mdn strokes train [SPEC] [--save FILE] [--save-unconditional FILE] [--from FILE]
                    [--every N] [--threads N]
      Train the handwriting MDN SPEC (keys: mdn strokes keys) on the built-in Hershey
      words (data=lines: lines of text), with its two baselines on the same batches: the
      same LSTM with one component (with window=K, the synthesis network: the same LSTM
      without the window), and the feed-forward MDN that sees only the previous move. Prints a JSON
      line every N steps (default steps/10) and a final line with each model's
      validation NLL per pen move (normalised units, and font units), steps per second.
      --save FILE   the LSTM-MDN as a model file (JSON)
      --save-unconditional FILE
                    with window=K, the unconditional LSTM-MDN trained beside it (its
                    file's spec is the run's with window=0)
      --from FILE   start the LSTM-MDN from this model file's weights (fine-tuning; the
                    spec's shape must be the file's), the data read in the file's
                    normalisation: what the page's \"from the shipped model\" does
      --threads N   spread each step's words over N threads (default: every core); the
                    numbers are the same bit for bit whatever N
  mdn strokes sample --model FILE [--bias 0,1,3] [--n 3] [--moves 300] [--temp T]
                     [--seed S] [--out FILE.svg|FILE.png] [--ellipses]
      Write from nothing, N samples for each bias b (Graves: π ∝ π^(1+b), σ·e^(−b);
      0 to 10), at temperature T (0.05 to 3, default 1), until the pen has lifted and
      --moves is reached; draws them into an SVG or a PNG (default strokes.svg), with
      --ellipses the predicted mixture at each pen step. Prints a JSON line per sample.
  mdn strokes write --model FILE --text \"…\" [--bias B] [--temp T] [--seed S]
                    [--prime FILE --prime-text \"…\"] [--out FILE.svg|FILE.png] [--json]
      A synthesis model (a spec with window=K) writes the text (letters, digits, spaces,
      . , ' ! ? -; up to 120 characters) until its window has passed the last character,
      at bias b (0 to 10, default 0) and temperature T. With --prime it first reads a
      line you wrote (a JSON list of [dx, dy, end] moves in font units, or what --json
      printed) with its text, and writes on in that hand. --out draws the line above its
      alignment: φ over the text (a row per character) at every pen move. Prints a JSON line; with --json
      {\"text\", \"moves\": [[dx, dy, end], …] (font units), \"phi_argmax\": the character
      under the window at each move, \"finished\"}.
  mdn strokes data [SPEC]
      The spec's training and validation words as JSON, in the normalised units a model
      trains in: {\"train\": [[[dx, dy, end], …], …], \"val\": …, \"mean\", \"std\"} (to train
      the same words elsewhere: JAX, PyTorch).
  mdn strokes keys
      The spec's keys, their ranges and defaults.
";

pub fn run(args: &[String]) -> Result<(), Fail> {
    match args.first().map(String::as_str) {
        Some("train") => train(&args[1..]),
        Some("sample") => sample(&args[1..]),
        Some("data") => data(&args[1..]),
        Some("write") => crate::writing::run(&args[1..]),
        Some("keys") => out(&mdn_playground::config::keys::docs(
            mdn_playground::strokes::train::KEYS,
            &StrokeSpec::default(),
        )
        .iter()
        .map(|[key, accepts, default, meaning]| {
            format!("{key:<10} {accepts:<25} default {default:<8} {meaning}\n")
        })
        .collect::<String>()),
        None | Some("-h") | Some("--help") => out(USAGE),
        Some(other) => fail(format!(
            "unknown strokes command {other:?}; expected train, sample, write, data or keys\n{USAGE}"
        )),
    }
}

fn spec_of(pos: &[&str]) -> Result<StrokeSpec, Fail> {
    let text = match pos {
        [] => "",
        [one] => one.rsplit_once('#').map_or(*one, |(_, t)| t),
        _ => return fail("mdn strokes train takes one SPEC"),
    };
    StrokeSpec::parse(text).map_err(|issues| {
        let all: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
        Fail(format!("the spec: {}", all.join("; ")), 2)
    })
}

/// The three models' numbers, named: the synthesis network's run (a window) trains the
/// unconditional LSTM beside it instead of the one-component one.
#[derive(Serialize)]
struct Nll {
    #[serde(skip_serializing_if = "Option::is_none")]
    synthesis: Option<f64>,
    lstm: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    one_component: Option<f64>,
    feed_forward: f64,
}

impl Nll {
    fn of(v: &[f64], spec: &StrokeSpec) -> Nll {
        if spec.window > 0 {
            Nll {
                synthesis: Some(v[0]),
                lstm: v[1],
                one_component: None,
                feed_forward: v[2],
            }
        } else {
            Nll {
                synthesis: None,
                lstm: v[0],
                one_component: Some(v[1]),
                feed_forward: v[2],
            }
        }
    }
}

#[derive(Serialize)]
struct Line {
    step: usize,
    train_nll: Nll,
    val_nll: Nll,
}

#[derive(Serialize)]
struct Final {
    step: usize,
    spec: String,
    /// Validation NLL per pen move, in normalised units (as trained).
    val_nll: Nll,
    /// The same in font units (Hershey's grid): val_nll + ln σx + ln σy.
    val_nll_font_units: Nll,
    train_nll: Nll,
    val_words: usize,
    val_moves: usize,
    params: Vec<usize>,
    steps_per_second: f64,
    /// Training moves per second: steps per second × the batch × the training words'
    /// mean length.
    moves_per_second: f64,
}

fn train(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options_and_flags(
        args,
        &["save", "save-unconditional", "from", "every", "threads"],
        &[],
    )?;
    let spec = spec_of(&pos)?;
    let threads = threads_opt(&opts)?;
    let every = whole_in(
        &opts,
        "every",
        (1, u64::MAX),
        (spec.steps as u64 / 10).max(1),
    )? as usize;
    let save = opt(&opts, "save");
    let blind = opt(&opts, "save-unconditional");
    if blind.is_some() && spec.window == 0 {
        return fail(
            "--save-unconditional saves the model without a window of a spec with window=K",
        );
    }
    for path in save.iter().chain(&blind) {
        check_writable(path, "the model")?;
    }
    let mut run = StrokeRun::new(&spec);
    run.set_threads(threads).map_err(|e| Fail(e, 2))?;
    if let Some(path) = opt(&opts, "from") {
        let from = crate::writing::load(path)?;
        run.rescale(from.scale)
            .and_then(|_| run.start_from(0, &from.model))
            .map_err(|e| Fail(format!("--from {path}: {e}"), 2))?;
    }
    let mut seconds = 0.0;
    let train_nll = |r: &StrokeRun| {
        Nll::of(
            &r.models.iter().map(|t| t.train_nll).collect::<Vec<_>>(),
            &spec,
        )
    };
    let mut early = None;
    while run.step < spec.steps {
        let t = Instant::now();
        // To the next report line (and, at the start, to the early fingerprint).
        let mut n = (every - run.step % every).min(spec.steps - run.step);
        if run.step < EARLY {
            n = n.min(EARLY - run.step);
        }
        run.train_steps(n);
        seconds += t.elapsed().as_secs_f64();
        if run.step == EARLY {
            early = Some(Early {
                step: EARLY,
                fingerprint: fingerprint(run.weights(0)),
            });
        }
        if run.step % every == 0 && run.step < spec.steps {
            emit(&Line {
                step: run.step,
                train_nll: train_nll(&run),
                val_nll: Nll::of(&run.val_nll(), &spec),
            })?;
        }
    }
    let val = run.val_nll();
    let shift = run.data.scale.nll_shift();
    emit(&Final {
        step: run.step,
        spec: spec.link(),
        val_nll: Nll::of(&val, &spec),
        val_nll_font_units: Nll::of(&val.iter().map(|v| v + shift).collect::<Vec<_>>(), &spec),
        train_nll: train_nll(&run),
        val_words: run.data.val.len(),
        val_moves: run.data.val.iter().map(Vec::len).sum(),
        params: run
            .models
            .iter()
            .map(|t| t.model.net.params.len())
            .collect(),
        steps_per_second: run.step as f64 / seconds.max(1e-9),
        moves_per_second: run.step as f64 / seconds.max(1e-9)
            * spec.batch as f64
            * run.data.train.iter().map(Vec::len).sum::<usize>() as f64
            / run.data.train.len().max(1) as f64,
    })?;
    if let Some(path) = save {
        write_model(path, &spec, &run, Variant::Lstm, early)?;
    }
    if let Some(path) = blind {
        let plain = StrokeSpec {
            window: 0,
            ..spec.clone()
        };
        write_model(path, &plain, &run, Variant::Unconditional, None)?;
    }
    Ok(())
}

/// One of the run's models as a model file at `path`, with `spec` as its spec.
fn write_model(
    path: &str,
    spec: &StrokeSpec,
    run: &StrokeRun,
    which: Variant,
    early: Option<Early>,
) -> Result<(), Fail> {
    let saved = Saved {
        spec: spec.clone(),
        scale: run.data.scale,
        model: run.model(which).clone(),
        precision: Precision::F32,
        early,
    };
    std::fs::write(path, saved.to_json()).map_err(|e| Fail(format!("cannot write {path}: {e}"), 1))
}

#[derive(Serialize)]
struct Sample {
    bias: f64,
    moves: usize,
    strokes: usize,
}

fn sample(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options_and_flags(
        args,
        &["model", "bias", "n", "moves", "temp", "seed", "out"],
        &["ellipses"],
    )?;
    if !pos.is_empty() {
        return fail(format!("mdn strokes sample takes no {:?}", pos[0]));
    }
    let Some(path) = opt(&opts, "model") else {
        return fail("mdn strokes sample needs --model FILE");
    };
    let saved = crate::writing::load(path)?;
    let biases: Vec<f64> = match opt(&opts, "bias") {
        None => vec![0.0, 1.0, 3.0],
        Some(v) => v
            .split(',')
            .map(|b| match b.trim().parse::<f64>() {
                Ok(x) if (0.0..=10.0).contains(&x) => Ok(x),
                _ => fail(format!("--bias: {b:?} is not a number from 0 to 10")),
            })
            .collect::<Result<_, _>>()?,
    };
    if biases.is_empty() || biases.len() > 8 {
        return fail("--bias takes 1 to 8 values");
    }
    let n = whole_in(&opts, "n", (1, 12), 3)? as usize;
    let moves = whole_in(&opts, "moves", (1, 2000), 300)? as usize;
    let temp = number_in(&opts, "temp", (0.05, 3.0), 1.0)?;
    let seed = whole_in(&opts, "seed", (0, mdn_playground::base::rng::SEED_MAX), 1)?;
    let file = opt(&opts, "out").unwrap_or("strokes.svg");
    let svg = file.ends_with(".svg");
    if !svg && !file.ends_with(".png") {
        return fail(format!("--out {file:?}: the file must end in .svg or .png"));
    }
    check_writable(file, "the drawing")?;
    let ellipses = opt(&opts, "ellipses").is_some();
    let mut rng = Rng::new(seed, stream::STROKE_SAMPLES);
    let mut panels = Vec::new();
    for &b in &biases {
        for i in 0..n {
            let written = saved.model.write(&[], moves, b, temp, &mut rng);
            let written: Vec<Move> = stop_at_lift(written);
            let font = saved.scale.denormalise(&written);
            let strokes = points(&font, [0.0, 0.0]);
            let pens = if ellipses {
                let at = positions(&font, [0.0, 0.0]);
                saved
                    .model
                    .pens(&written, b)
                    .into_iter()
                    .zip(at)
                    .map(|(p, a)| (a, p.scaled(&saved.scale)))
                    .collect()
            } else {
                vec![]
            };
            emit(&Sample {
                bias: b,
                moves: written.len(),
                strokes: strokes.len(),
            })?;
            panels.push(Writing {
                caption: format!(
                    "b = {b}{}",
                    if n > 1 {
                        format!(", #{}", i + 1)
                    } else {
                        String::new()
                    }
                ),
                strokes,
                prompt: vec![],
                pens,
                tip: None,
                view: None,
            });
        }
    }
    let (w, h) = (360 * n as u32, 220 * biases.len() as u32);
    let result = draw(file, svg, &panels, n, (w, h));
    result.map_err(|e| Fail(format!("cannot write {file}: {e}"), 1))
}

/// Writes the panels to `file` as SVG or PNG.
#[cfg(not(target_arch = "wasm32"))]
fn draw(
    file: &str,
    svg: bool,
    panels: &[Writing],
    cols: usize,
    size: (u32, u32),
) -> Result<(), String> {
    use mdn_playground::plot::{strokes::writing_svg, Theme};
    if svg {
        writing_svg(panels, cols, size, Theme::LIGHT)
            .and_then(|s| std::fs::write(file, s).map_err(|e| e.to_string()))
    } else {
        mdn_playground::plot::native::writing_png(
            std::path::Path::new(file),
            panels,
            cols,
            size,
            Theme::LIGHT,
        )
    }
}

#[cfg(target_arch = "wasm32")]
fn draw(_: &str, _: bool, _: &[Writing], _: usize, _: (u32, u32)) -> Result<(), String> {
    Err("drawing needs a native build".into())
}

/// The moves up to the last lift of the pen (the whole when it never lifts).
fn stop_at_lift(mut moves: Vec<Move>) -> Vec<Move> {
    if let Some(i) = moves.iter().rposition(|m| m.end) {
        moves.truncate(i + 1);
    }
    moves
}

#[derive(Serialize)]
struct Words {
    spec: String,
    train: Vec<Vec<(f64, f64, u8)>>,
    val: Vec<Vec<(f64, f64, u8)>>,
    mean: [f64; 2],
    std: [f64; 2],
}

fn data(args: &[String]) -> Result<(), Fail> {
    let (pos, _) = options_and_flags(args, &[], &[])?;
    let spec = spec_of(&pos)?;
    let set = StrokeRun::new(&spec).data;
    let words = |ws: &[Vec<Move>]| -> Vec<Vec<(f64, f64, u8)>> {
        ws.iter()
            .map(|w| w.iter().map(|m| (m.dx, m.dy, m.end as u8)).collect())
            .collect()
    };
    emit(&Words {
        spec: spec.link(),
        train: words(&set.train),
        val: words(&set.val),
        mean: set.scale.mean,
        std: set.scale.std,
    })
}
