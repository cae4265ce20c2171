//! `mdn sample`: draws of y | x at temperatures, or the most probable y.

use crate::args::*;
use crate::out::*;
use mdn_playground::base::rng::{stream, Rng};
use mdn_playground::mdn::mixture::Temperature;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct SampleOut {
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
pub(crate) struct ModeOut {
    x: Vec<f64>,
    /// The highest mode of p(y|x) and its log-density.
    mode: Vec<f64>,
    log_p: f64,
    /// The mean of the most probable component (what temp-pi = temp-sigma = 0 draws).
    mode_mean: Vec<f64>,
}

pub(crate) fn sample(args: &[String]) -> Result<(), Fail> {
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
    let seed = whole_in(&opts, "seed", (0, mdn_playground::base::rng::SEED_MAX), 1)?;
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
