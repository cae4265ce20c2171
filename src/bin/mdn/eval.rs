//! `mdn eval`: a saved model's mixture at x (π, μ, σ, its mean), and at y its ln p, CDF
//! and CRPS; quantiles, the central interval and the HPD region of a mass.

use crate::args::*;
use crate::out::*;
use serde::Serialize;

#[derive(Serialize)]
pub(crate) struct EvalOut {
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
pub(crate) fn probabilities(v: &str) -> Result<Vec<f64>, Fail> {
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

pub(crate) fn eval(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(args, &["model", "x", "y", "q", "mass"])?;
    let (model, x) = model_and_x("eval", &pos, &opts)?;
    let y = opt(&opts, "y")
        .map(|v| numbers("y", v, model.dout()))
        .transpose()?;
    let mix = model
        .checked_mixture(&x)
        .map_err(|e| Fail(format!("--x: {e}"), 2))?;
    let baseline = model.queries().baseline(&x);
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
            mdn_playground::mdn::family::wrap(y[0])
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
