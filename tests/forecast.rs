//! Issue 12: the mixture's CDF, quantiles, HPD regions and CRPS against independent
//! references (tests/reference/forecast_reference.py: mpmath from the definitions — the
//! CRPS by numerical integration, not the closed form used here), and the calibration of
//! the truth and of a trained model.

use mdn_playground::calibration::{self, LEVELS};
use mdn_playground::forecast::{self, LevelGrid, Mixture1, Predictive};
use mdn_playground::mixture::Mixture;
use mdn_playground::{Experiment, Spec};
use serde_json::Value;

fn mixture(case: &Value) -> Mixture {
    let v = |k: &str| -> Vec<f64> {
        case[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    let (pi, mu, sigma) = (v("pi"), v("mu"), v("sigma"));
    Mixture {
        k: pi.len(),
        d: 1,
        log_pi: pi.iter().map(|p| p.ln()).collect(),
        pi,
        mu,
        sigma,
        off: Vec::new(),
        ..Default::default()
    }
}

fn cases() -> Vec<Value> {
    serde_json::from_str::<Value>(include_str!("data/forecast_reference.json"))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn cdf_and_crps_match_mpmath_including_far_tails_and_the_floor() {
    for case in cases() {
        let m = mixture(&case);
        let name = case["name"].as_str().unwrap();
        for o in case["outcomes"].as_array().unwrap() {
            let y = o["y"].as_f64().unwrap();
            let (cdf, crps) = (o["cdf"].as_f64().unwrap(), o["crps"].as_f64().unwrap());
            assert!(
                (m.cdf(y) - cdf).abs() < 1e-14,
                "{name} F({y}) = {} against {cdf}",
                m.cdf(y)
            );
            assert!(
                (Mixture1::new(&m).cdf(y) - cdf).abs() < 1e-14,
                "{name}: the prepared mixture"
            );
            let got = forecast::crps_mixture(&m, y);
            assert!(
                (got - crps).abs() <= 1e-12 * crps.max(1e-3),
                "{name} CRPS at {y}: {got} against {crps}"
            );
        }
    }
}

#[test]
fn quantiles_invert_the_cdf_to_1e9() {
    for case in cases() {
        let m = mixture(&case);
        let name = case["name"].as_str().unwrap();
        for q in case["quantiles"].as_array().unwrap() {
            let (p, want) = (q[0].as_f64().unwrap(), q[1].as_f64().unwrap());
            let got = forecast::quantile(&m, p);
            assert!(
                (m.cdf(got) - p).abs() < 1e-9,
                "{name}: F(F⁻¹({p})) = {}",
                m.cdf(got)
            );
            assert!(
                (got - want).abs() < 1e-9 * (1.0 + want.abs()),
                "{name}: F⁻¹({p}) = {got} against {want}"
            );
        }
    }
}

#[test]
fn hpd_regions_match_the_reference_with_equal_density_at_their_ends() {
    for case in cases() {
        let m = mixture(&case);
        let name = case["name"].as_str().unwrap();
        for h in case["hpd"].as_array().unwrap() {
            let nominal = h["nominal"].as_f64().unwrap();
            let got = forecast::hpd(&m, nominal);
            let want: Vec<(f64, f64)> = h["intervals"]
                .as_array()
                .unwrap()
                .iter()
                .map(|iv| (iv[0].as_f64().unwrap(), iv[1].as_f64().unwrap()))
                .collect();
            assert_eq!(
                got.intervals.len(),
                want.len(),
                "{name} {nominal}: {:?} against {want:?}",
                got.intervals
            );
            for (a, b) in got.intervals.iter().zip(&want) {
                assert!(
                    (a.0 - b.0).abs() < 1e-8 && (a.1 - b.1).abs() < 1e-8,
                    "{name} {nominal}: {a:?} against {b:?}"
                );
                // Its ends lie at equal density: the level.
                for end in [a.0, a.1] {
                    assert!(
                        (m.pdf(end) - got.level).abs() < 1e-7 * got.level,
                        "{name}: p({end}) = {} at level {}",
                        m.pdf(end),
                        got.level
                    );
                }
            }
            assert!(
                (got.mass - nominal).abs() < 1e-9,
                "{name}: mass {}",
                got.mass
            );
            let level = h["level"].as_f64().unwrap();
            assert!(
                (got.level - level).abs() < 1e-7 * level,
                "{name}: level {} against {level}",
                got.level
            );
            // Never longer than the central interval of the same mass.
            let (a, b) = forecast::central(&m, nominal);
            assert!(
                got.length() <= b - a + 1e-9,
                "{name}: HPD {} > central {}",
                got.length(),
                b - a
            );
        }
    }
}

#[test]
fn on_the_inverse_problem_the_hpd_region_splits_where_the_central_interval_covers_the_gap() {
    let case = &cases()[2]; // three branches
    let m = mixture(case);
    let h = forecast::hpd(&m, 0.9);
    assert_eq!(h.intervals.len(), 3, "{:?}", h.intervals);
    let (a, b) = forecast::central(&m, 0.9);
    // The gap between the first two branches is inside the central interval, not the HPD.
    let gap = 0.35;
    assert!(a < gap && gap < b && !h.contains(gap));
    assert!(
        h.length() < 0.7 * (b - a),
        "HPD {} against central {}",
        h.length(),
        b - a
    );
}

#[test]
fn the_hpd_rank_gives_the_hpd_coverage() {
    // For an outcome inside the 0.9 region the rank is ≤ 0.9, outside > 0.9.
    let m = mixture(&cases()[1]);
    let h = forecast::hpd(&m, 0.9);
    let f = Mixture1::new(&m);
    let g = LevelGrid::new(&f, 128);
    for y in [-3.5, -2.0, -1.2, 0.0, 1.5, 3.0, 4.1, 5.5] {
        let r = forecast::hpd_rank(&f, &g, y, 0.5);
        assert_eq!(
            r <= 0.9,
            h.contains(y),
            "y = {y}: rank {r}, region {:?}",
            h.intervals
        );
    }
}

/// A stated test: with seed 1 and 10,000 validation points, the truth's PIT histogram on
/// ring and regimes is uniform by Pearson's χ² test at the 0.1% level (9 degrees of
/// freedom: χ² < 27.88), and its central and HPD regions cover their nominal mass within
/// 4 standard errors.
#[test]
fn the_truth_is_calibrated_on_ring_regimes_and_the_inverse_problem() {
    for data in ["ring", "regimes", "bishop-inverse"] {
        let spec = Spec::parse(&format!("data={data}&steps=0&seed=1")).unwrap();
        let e = Experiment::new(&spec);
        let r = calibration::calibrate(&e.model, &e.val, spec.data, e.info.y_ranges[0], spec.seed);
        let t = r.truth.expect("the truth is known");
        let n = t.n as f64;
        assert_eq!(t.n, 10_000);
        let chi2: f64 = t
            .pit_hist
            .iter()
            .map(|p| (p * n - n / 10.0).powi(2) / (n / 10.0))
            .sum();
        assert!(chi2 < 27.88, "{data}: PIT χ² = {chi2:.1}: {:?}", t.pit_hist);
        for (i, m) in LEVELS.iter().enumerate() {
            let se = (m * (1.0 - m) / n).sqrt();
            for (what, cov) in [("central", t.central[i]), ("HPD", t.hpd[i])] {
                assert_eq!(cov[0], *m);
                assert!(
                    (cov[1] - m).abs() < 4.0 * se,
                    "{data} {what} {m}: {}",
                    cov[1]
                );
            }
        }
        // The truth's CRPS is the lowest a forecaster can expect.
        assert!(
            t.crps < r.baseline.crps,
            "{data}: truth {} against MSE {}",
            t.crps,
            r.baseline.crps
        );
    }
}

#[test]
fn rain_dry_days_get_a_randomised_pit() {
    // Dry days (y = 0 exactly) would all take the same u = F(0|x); randomised, they fill
    // [0, F(0|x)] and no single bin holds them all.
    let spec = Spec::parse("data=rain&steps=300&n=2000").unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    let r = calibration::calibrate(&e.model, &e.val, spec.data, e.info.y_ranges[0], spec.seed);
    let top = r.mdn.pit_hist.iter().cloned().fold(0.0, f64::max);
    assert!(top < 0.4, "{:?}", r.mdn.pit_hist);
    assert!((r.mdn.pit_hist.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(
        r.truth.is_none(),
        "rain's truth has a point mass: not scored"
    );
}

#[test]
fn a_pass_in_pieces_equals_one_pass() {
    let spec = Spec::parse("n=500&k=3&steps=200").unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    let whole = calibration::calibrate(&e.model, &e.val, spec.data, e.info.y_ranges[0], spec.seed);
    let mut p = calibration::Pass::new(spec.data, e.info.y_ranges[0], spec.seed, true);
    let mut calls = 0;
    let mut n = 0;
    while !p.advance(&e.model, &e.val, &mut || {
        n += 1;
        n % 777 == 0
    }) {
        calls += 1;
    }
    assert!(calls > 5);
    assert_eq!(p.report(), whole);
    // The truth of an earlier pass, reused.
    let mut q = calibration::Pass::new(spec.data, e.info.y_ranges[0], spec.seed, true)
        .with_truth(whole.truth.clone());
    q.advance(&e.model, &e.val, &mut || false);
    assert_eq!(q.report(), whole);
}
