//! A training history (loss against step), kept short for drawing.

use crate::lang::Lang;

/// A loss history kept short: when it reaches `cap` points, neighbours are averaged in
/// pairs, so a long run costs the same to draw as a short one.
#[derive(Clone, Debug, Default)]
pub struct History {
    pub points: Vec<(f64, f64)>,
    pending: Option<(f64, f64, u32)>,
    stride: u32,
}

impl History {
    pub const CAP: usize = 1000;

    pub fn push(&mut self, step: f64, v: f64) {
        if !v.is_finite() {
            return;
        }
        if self.stride == 0 {
            self.stride = 1;
        }
        let (s, a, n) = self.pending.map_or((step, 0.0, 0), |p| p);
        let (s, a, n) = (s.max(step), a + v, n + 1);
        if n >= self.stride {
            self.points.push((s, a / n as f64));
            self.pending = None;
        } else {
            self.pending = Some((s, a, n));
        }
        if self.points.len() >= Self::CAP {
            self.points = self
                .points
                .chunks(2)
                .map(|c| {
                    (
                        c[c.len() - 1].0,
                        c.iter().map(|p| p.1).sum::<f64>() / c.len() as f64,
                    )
                })
                .collect();
            self.stride *= 2;
        }
    }
}

/// Where the page's validation curves are read in a run of `planned` steps: at 0, 1, 2,
/// 4, … while below a fiftieth of the run (the curves fall fastest at the start), then at
/// every fiftieth. By step, not by time: two loads of a link draw the same curves, on any
/// machine (`mdn train --every` of a fiftieth prints the same points after the start).
pub fn curve_point(step: u64, planned: u64) -> bool {
    let every = (planned / 50).max(1);
    step.is_power_of_two() || step == 0 || step % every == 0
}

/// The next curve point after `step`.
pub fn next_curve_point(step: u64, planned: u64) -> u64 {
    let every = (planned / 50).max(1);
    let by_every = (step / every + 1) * every;
    let by_power = (step + 1).next_power_of_two();
    by_every.min(by_power)
}

/// The loss panel in words (plain text, in `lang`), from its histories as (step,
/// value): the latest validation NLL of the MDN and of the regressor, how far the MDN
/// stands from `level` (a name and its NLL: the best possible, or a kernel estimate's),
/// how the MDN's moved since the reading before, and the latest training batches' NLL.
pub fn describe(
    train: &[(f64, f64)],
    val: &[(f64, f64)],
    base: &[(f64, f64)],
    level: Option<(&str, f64)>,
    lang: Lang,
) -> String {
    let n = |v: f64| lang.signed(v, 3);
    let Some(&(step, nll)) = val.last() else {
        return lang.t("No validation reading yet.").into();
    };
    let step = format!("{step:.0}");
    let mut out = lang.fill(
        "At step {0}, validation NLL in nats per point: the MDN {1}",
        &[&step, &n(nll)],
    );
    if let Some(&(_, b)) = base.last() {
        out += &lang.fill(", the MSE regressor {0}", &[&n(b)]);
    }
    if let Some((name, v)) = level {
        let template = if nll >= v {
            "; {0} {1}, the MDN {2} above it"
        } else {
            "; {0} {1}, the MDN {2} below it"
        };
        out += &lang.fill(template, &[name, &n(v), &n((nll - v).abs())]);
    }
    out.push('.');
    if let [.., (before, was), _] = val {
        let d = nll - was;
        let before = format!("{before:.0}");
        out += &match d {
            _ if d <= -0.0005 => lang.fill(
                " The MDN's NLL has fallen by {0} since step {1}.",
                &[&n(-d), &before],
            ),
            _ if d >= 0.0005 => lang.fill(
                " The MDN's NLL has risen by {0} since step {1}.",
                &[&n(d), &before],
            ),
            _ => lang.fill(
                " The MDN's NLL has stayed level since step {0}.",
                &[&before],
            ),
        };
    }
    if let Some(&(_, t)) = train.last() {
        out += &lang.fill(" On the latest training batches it scores {0}.", &[&n(t)]);
    }
    out
}
