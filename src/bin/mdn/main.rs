//! `mdn`: run playground experiments from the command line.
//!
//! ```text
//! mdn train [SPEC] [--save model.json] [--every N] [--folds F]
//! mdn eval --model model.json --x X [--y Y]
//! mdn sample --model model.json --x X [--n N] [--temp-pi T] [--temp-sigma T] [--mode]
//! ```
//! SPEC is a share link (`http://…/#data=…`) or the text after `#`. Output is JSON lines.

mod args;
mod ensemble;
mod eval;
mod export;
mod out;
mod render;
#[cfg(not(target_arch = "wasm32"))]
mod render_split;
mod sample;
mod strokes;
mod sweep;
mod train;
mod writing;

use mdn_playground::VERSION;
use out::{fail, out, Fail};
use std::process::ExitCode;

const USAGE: &str = "\
mdn — Mixture Density Network playground, command line

usage:
  mdn train [SPEC] [--save FILE] [--every N] [--threads N] [--folds F]
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
      --folds F     points that are split, not drawn (a real set: data=faithful,
                    data=mcycle; your own points): the final line adds cv, the
                    F-fold cross-validated NLL and CRPS (each fold's NLL too) of the
                    MDN, its MSE regressor, the same MDN with K = 1 and a
                    conditional kernel density estimate (default 5 on a real set,
                    0 — none — otherwise; 2 to 20). Fold 0 of 5 is the run itself.
      With ensemble=M (M > 1) the members train on the threads, one member per job,
      and the final line adds ensemble_val_nll, members_val_nll, the ensemble's and
      member 1's val_crps and HPD coverage, and the mean aleatoric and epistemic
      variance over x inside and outside the gap (inside_gap, outside_gap; with each
      member's Choi split, choi: [within, between]). --save is refused (it writes one
      network).
  mdn render [SPEC] [--out FILE.png|FILE.svg] [--width W] [--height H] [--target X] [--theme light|dark] [--threads N] [--split FILE]
      Train SPEC like `mdn train`, then draw the page's main plot (p(y|x) heatmap, data,
      the MSE regressor, the component means) into a PNG (default main.png, 1200×750),
      or an SVG when FILE ends in .svg (vectors, the heatmap as an embedded image;
      --theme dark for dark slides).
      For two outputs (data=arm) it draws the page's two views instead: the inputs (the
      arm's workspace with its poses) and p(y1, y2 | X) at the input --target X
      (comma-separated; default the page's starting target).
      With ensemble=M it trains the members on the threads and draws their even
      mixture, each member's mean as a faint line; a gap= is shaded.
      --split FILE  also the panel of the aleatoric and epistemic variance against x
                    (and member 1's split within and between its components), PNG or
                    SVG, half the height
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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("-h") | Some("--help") | Some("help") => out(USAGE),
        Some("-V") | Some("--version") => out(&format!("mdn {VERSION}\n")),
        Some("train") => train::train(&args[1..]),
        Some("eval") => eval::eval(&args[1..]),
        Some("sample") => sample::sample(&args[1..]),
        Some("sweep") => sweep::sweep(&args[1..]),
        Some("export") => export::export(&args[1..]),
        Some("render") => render::render(&args[1..]),
        Some("strokes") => strokes::run(&args[1..]),
        Some("keys") if args.get(1).map(String::as_str) == Some("--markdown") => {
            out(&mdn_playground::config::spec::keys_markdown())
        }
        Some("keys") => out(&mdn_playground::config::spec::key_docs()
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
