//! The slice p(y | x₀) in words, for a reader who cannot see the plot: its peaks, each
//! with the probability of the stretch of y it rises over, and where the MSE prediction
//! falls among them ("at x₀ = 0.50 the density has 3 peaks: t = 0.18 (weight 0.31), …;
//! the MSE prediction 0.49 lies between them"); and the main plot's branches over x.

use crate::base::math;
use crate::lang::Lang;
use crate::mdn::mixture::Mixture;

/// A peak of a one-dimensional density: where it is, and the probability between the
/// lowest points on either side of it (within the range looked at).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Peak {
    pub at: f64,
    pub weight: f64,
}

/// Peaks holding less than this probability are not named (ripples, far tails).
const MIN_WEIGHT: f64 = 0.02;

/// The peaks of `m` (one output) over `lo..hi`, read on `n` points: local maxima of the
/// density, each weighed by the mass of its basin (from the lowest point before it to
/// the lowest after it); peaks below [`MIN_WEIGHT`] are left out.
pub fn peaks(m: &Mixture, (lo, hi): (f64, f64), n: usize) -> Vec<Peak> {
    let n = n.max(3);
    let step = (hi - lo) / (n - 1) as f64;
    let ys: Vec<f64> = (0..n).map(|i| lo + step * i as f64).collect();
    let d: Vec<f64> = ys
        .iter()
        .map(|y| math::exp(m.log_density(&[*y])))
        .map(|v| if v.is_finite() { v } else { 0.0 })
        .collect();
    // Basins: split at each local minimum; a peak is a basin's highest point.
    let mut cuts = vec![0];
    for i in 1..n - 1 {
        if d[i] < d[i - 1] && d[i] <= d[i + 1] {
            cuts.push(i);
        }
    }
    cuts.push(n - 1);
    let mut out: Vec<Peak> = cuts
        .windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let top = (a..=b).max_by(|&i, &j| d[i].total_cmp(&d[j])).unwrap_or(a);
            // Trapezoids over the basin.
            let mass = (a..b).map(|i| 0.5 * (d[i] + d[i + 1]) * step).sum();
            Peak {
                at: ys[top],
                weight: mass,
            }
        })
        .collect();
    // Ripples and far tails are not named.
    out.retain(|p| p.weight >= MIN_WEIGHT);
    out
}

/// The slice in words (plain text, in `lang`): its peaks with their weights, and where
/// the MSE prediction `baseline` falls. `y_name` is the output's name in the sentence (a
/// short one: "t", "y").
pub fn describe(
    x0: f64,
    m: &Mixture,
    baseline: f64,
    range: (f64, f64),
    y_name: &str,
    lang: Lang,
) -> String {
    let found = peaks(m, range, 600);
    let at = |v: f64| lang.signed(v, 2);
    if found.is_empty() {
        return lang.fill(
            "At x₀ = {0} the density puts almost nothing in the plot's range.",
            &[&at(x0)],
        );
    }
    let list: Vec<String> = found
        .iter()
        .map(|p| {
            lang.fill(
                "{0} = {1} (weight {2})",
                &[y_name, &at(p.at), &at(p.weight)],
            )
        })
        .collect();
    let peaks = match found.len() {
        1 => lang.fill("one peak: {0}", &[&list[0]]),
        k => lang.fill(
            "{0} peaks: {1}",
            &[&k.to_string(), &list.join(lang.list_sep())],
        ),
    };
    let density = |y: f64| math::exp(m.log_density(&[y]));
    let highest = found.iter().map(|p| density(p.at)).fold(0.0, f64::max);
    let near = found
        .iter()
        .min_by(|a, b| (a.at - baseline).abs().total_cmp(&(b.at - baseline).abs()))
        .expect("not empty");
    let low = density(baseline) < 0.25 * highest;
    let between = found.first().is_some_and(|f| f.at < baseline)
        && found.last().is_some_and(|l| l.at > baseline);
    let mse = if low && between {
        lang.t("lies between them, where the density is low: no likely answer")
            .to_string()
    } else if low {
        lang.t("lies where the density is low").to_string()
    } else if found.len() > 1 {
        lang.fill("lies on the peak at {0}", &[&at(near.at)])
    } else {
        lang.t("lies on the peak").to_string()
    };
    lang.fill(
        "At x₀ = {0} the density has {1}; the MSE prediction {2} {3}.",
        &[&at(x0), &peaks, &at(baseline), &mse],
    )
}

/// How many branches (peaks of at least [`BRANCH_WEIGHT`]) the density has at each of
/// `xs` (ascending, one mixture each), as runs: (first x, last x, branches).
pub fn branch_runs(xs: &[f64], mixtures: &[Mixture], range: (f64, f64)) -> Vec<(f64, f64, usize)> {
    let mut runs: Vec<(f64, f64, usize)> = Vec::new();
    for (x, m) in xs.iter().zip(mixtures) {
        let n = peaks(m, range, 300)
            .iter()
            .filter(|p| p.weight >= BRANCH_WEIGHT)
            .count();
        match runs.last_mut() {
            Some(last) if last.2 == n => last.1 = *x,
            _ => runs.push((*x, *x, n)),
        }
    }
    runs
}

/// A branch is a peak holding at least this probability.
pub const BRANCH_WEIGHT: f64 = 0.1;

/// The main plot in words (in `lang`): how many branches p(y | x) has over which
/// stretches of x.
pub fn describe_branches(
    xs: &[f64],
    mixtures: &[Mixture],
    range: (f64, f64),
    lang: Lang,
) -> String {
    let runs = branch_runs(xs, mixtures, range);
    let part = |&(a, b, n): &(f64, f64, usize)| {
        let (a, b) = (lang.signed(a, 2), lang.signed(b, 2));
        match n {
            0 => lang.fill("no clear branch for x from {0} to {1}", &[&a, &b]),
            1 => lang.fill("one branch for x from {0} to {1}", &[&a, &b]),
            n => lang.fill(
                "{0} branches for x from {1} to {2}",
                &[&n.to_string(), &a, &b],
            ),
        }
    };
    let all: Vec<String> = runs.iter().map(part).collect();
    let several = runs.iter().any(|r| r.2 > 1);
    let mse = if several {
        lang.t(" Where there are several, the MSE regressor's curve, their average, runs between them.")
    } else {
        ""
    };
    lang.fill("p(y | x) has {0}.", &[&all.join("; ")]) + mse
}
