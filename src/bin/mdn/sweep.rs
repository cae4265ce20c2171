//! `mdn sweep`: choosing K: validation NLL and BIC per K over several seeds.

use crate::args::*;
use crate::out::*;

pub(crate) fn sweep(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(args, &["k", "seeds", "threads"])?;
    let spec = spec_arg("sweep", &pos)?;
    let (lo, hi) = mdn_playground::mdn::head::K_RANGE;
    let bad_k = |v: &str| {
        Fail(
            format!("--k: {v:?} is not K or K1..K2 with {lo} ≤ K1 ≤ K2 ≤ {hi}"),
            2,
        )
    };
    let (k1, k2) = match opt(&opts, "k") {
        None => (1, 8),
        Some(v) => {
            let num = |t: &str| match mdn_playground::config::spec::whole(t) {
                Ok(mdn_playground::config::spec::Whole::Value(k)) => {
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
    let seeds = whole_in(
        &opts,
        "seeds",
        (1, mdn_playground::train::sweep::SEEDS_MAX),
        3,
    )?;
    let threads = threads_opt(&opts)?;
    let mut s = mdn_playground::train::sweep::Sweep::new(&spec, k1, k2, seeds)
        .map_err(|e| Fail(format!("--seeds: {e}"), 2))?;
    let show = |row: &mdn_playground::train::sweep::Row| {
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
