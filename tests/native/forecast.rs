//! The mixture's CDF, quantiles, HPD regions and CRPS against independent
//! references (tests/reference/forecast_reference.py: mpmath from the definitions — the
//! CRPS by numerical integration, not the closed form used here), and the calibration of
//! the truth and of a trained model.

use mdn_playground::forecast::calibration::{self, LEVELS};
use mdn_playground::forecast::{self, LevelGrid, Mixture1, Predictive};
use mdn_playground::lang::Lang;
use mdn_playground::mdn::family::Family;
use mdn_playground::mdn::mixture::Mixture;
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
    serde_json::from_str::<Value>(include_str!("../data/forecast_reference.json"))
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
    let mut p = calibration::Scoring::new(spec.data, e.info.y_ranges[0], spec.seed, true);
    let mut calls = 0;
    let mut n = 0;
    while !p.advance(&[&e.model], &e.val, &mut || {
        n += 1;
        n % 777 == 0
    }) {
        calls += 1;
    }
    assert!(calls > 5);
    assert_eq!(p.report(), whole);
    // The truth of an earlier pass, reused.
    let mut q = calibration::Scoring::new(spec.data, e.info.y_ranges[0], spec.seed, true)
        .with_truth(whole.truth.clone());
    q.advance(&[&e.model], &e.val, &mut || false);
    assert_eq!(q.report(), whole);
}

/// tests/data/mixed_regions_reference.json (tests/reference/mixed_regions_reference.py).
fn mixed_reference() -> Value {
    serde_json::from_str(include_str!("../data/mixed_regions_reference.json")).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn family_mixture(case: &Value, family: Family, p_zero: f64) -> Mixture {
    let (pi, mu, sigma) = (
        floats(&case["pi"]),
        floats(&case["mu"]),
        floats(&case["sigma"]),
    );
    Mixture {
        k: pi.len(),
        d: 1,
        log_pi: pi.iter().map(|p| p.ln()).collect(),
        pi,
        mu,
        sigma,
        family,
        nu: case["nu"].as_f64().unwrap_or(4.0),
        p_zero,
        ln_p_zero: p_zero.ln(),
        ln_p_nonzero: (1.0 - p_zero).ln(),
        ..Default::default()
    }
}

/// The hurdle's HPD regions are on its mixed measure: the point mass at 0 is inside when
/// its probability is at least the level, exactly (the mixture) and as tabulated (the
/// calibration pass); ranks and log scores likewise.
#[test]
fn hurdle_regions_hold_the_point_mass_as_scipy_says() {
    for case in mixed_reference()["hurdle"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let m = family_mixture(case, Family::Hurdle, case["p_zero"].as_f64().unwrap());
        let table = forecast::Prepared::new(&m);
        for r in case["regions"].as_array().unwrap() {
            let mass = r["mass"].as_f64().unwrap();
            let want_atom = r["atom"].as_bool().unwrap();
            let want_mass = r["region_mass"].as_f64().unwrap();
            let h = forecast::hpd(&m, mass);
            assert_eq!(h.atom.is_some(), want_atom, "{name} {mass}: {h:?}");
            assert!(
                (h.mass - want_mass).abs() < 1e-9,
                "{name} {mass}: {} vs {want_mass}",
                h.mass
            );
            let want: Vec<Vec<f64>> = r["intervals"]
                .as_array()
                .unwrap()
                .iter()
                .map(floats)
                .collect();
            assert_eq!(
                h.intervals.len(),
                want.len(),
                "{name} {mass}: {h:?} vs {want:?}"
            );
            for ((a, b), w) in h.intervals.iter().zip(&want) {
                assert!(
                    (a - w[0]).abs() < 1e-7 * w[0].max(1.0),
                    "{name} {mass}: start {a} vs {}",
                    w[0]
                );
                assert!(
                    (b - w[1]).abs() < 1e-7 * w[1].max(1.0),
                    "{name} {mass}: end {b} vs {}",
                    w[1]
                );
            }
            // The table of the calibration pass (a coarser grid, the same measure).
            let g = LevelGrid::new(&table, 128);
            let t = forecast::hpd_on(&table, &g, mass, 0);
            assert_eq!(
                t.atom.is_some(),
                want_atom,
                "{name} {mass} tabulated: {t:?}"
            );
            assert!(
                (t.mass - mass).abs() < 0.01 || want_atom && t.mass >= mass,
                "{name} {mass}: tabulated mass {}",
                t.mass
            );
        }
        let g = LevelGrid::new(&m, 2000);
        for o in case["outcomes"].as_array().unwrap() {
            let y = o["y"].as_f64().unwrap();
            // Twelve halvings place the rank's crossings (plenty for a coverage count); a
            // dry outcome ties with the whole point mass, and its rank is randomised by v.
            let (above, at_least) = (
                o["above"].as_f64().unwrap(),
                o["at_least"].as_f64().unwrap(),
            );
            for v in [0.0, 0.3, 1.0] {
                let rank = forecast::hpd_rank(&m, &g, y, v);
                let want = above + v * (at_least - above);
                assert!(
                    (rank - want).abs() < 1e-4,
                    "{name}: rank at {y} (v {v}) {rank} vs {want}"
                );
            }
            let score = forecast::mixed_density(&m, y).ln();
            let want = o["log_score"].as_f64().unwrap();
            assert!(
                (score - want).abs() < 1e-12 * want.abs().max(1.0),
                "{name}: ln p({y}) {score} vs {want}"
            );
        }
    }
}

/// A circular forecast scores the angle of an outcome: the CDF of outcomes given outside
/// [0, 2π) is that of the same angle (scipy's von Mises).
#[test]
fn circular_outcomes_are_read_as_angles() {
    for case in mixed_reference()["von_mises"].as_array().unwrap() {
        let m = family_mixture(case, Family::VonMises, 0.0);
        let t = forecast::Prepared::new(&m);
        for o in case["outcomes"].as_array().unwrap() {
            let (y, want) = (o["y"].as_f64().unwrap(), o["cdf"].as_f64().unwrap());
            let a = mdn_playground::mdn::family::wrap(y);
            assert!((a - o["angle"].as_f64().unwrap()).abs() < 1e-12);
            assert!(
                (m.cdf(a) - want).abs() < 1e-9,
                "exact F({y}) = {} vs {want}",
                m.cdf(a)
            );
            assert!(
                (t.cdf(a) - want).abs() < 1e-4,
                "tabulated F({y}) = {} vs {want}",
                t.cdf(a)
            );
        }
    }
}

/// Heavy tails: the CRPS of Student-t mixtures (ν = 1 included, where it is finite: the
/// squared CDF's tails fall as z⁻²) against mpmath's quadrature over the whole line.
#[test]
fn student_crps_matches_quadrature_down_to_cauchy() {
    for case in mixed_reference()["student"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let m = family_mixture(case, Family::Student, 0.0);
        let f = forecast::Prepared::new(&m);
        for o in case["outcomes"].as_array().unwrap() {
            let (y, want) = (o["y"].as_f64().unwrap(), o["crps"].as_f64().unwrap());
            let got = f.crps(y);
            assert!(
                (got - want).abs() < 2e-3 * want,
                "{name}: CRPS at {y} {got} vs {want}"
            );
        }
    }
}

/// Rain with the hurdle, end to end: the calibration's NLL is the status line's (one
/// measure), and its 90% HPD regions cover about 90% of the validation days.
#[test]
fn the_hurdle_is_calibrated_on_its_own_measure() {
    let spec = Spec::parse("data=rain&family=hurdle&steps=600&n=4000").unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    let m = e.metrics();
    let r = calibration::calibrate(&e.model, &e.val, spec.data, e.info.y_ranges[0], spec.seed);
    // The status line's NLL comes from the engine's float32 pass: equal to about 1e-5.
    assert!(
        (r.mdn.nll - m.val_nll).abs() < 1e-4,
        "calibration NLL {} vs status {}",
        r.mdn.nll,
        m.val_nll
    );
    let at = |v: &Vec<[f64; 2]>, mass: f64| v.iter().find(|c| c[0] == mass).unwrap()[1];
    for mass in [0.5, 0.8, 0.9, 0.95] {
        let (hpd, central) = (at(&r.mdn.hpd, mass), at(&r.mdn.central, mass));
        assert!((hpd - mass).abs() < 0.05, "HPD {mass}: {hpd}");
        assert!((central - mass).abs() < 0.05, "central {mass}: {central}");
    }
    assert!(
        r.mdn.hpd_length < r.mdn.central_length * 2.0 && r.mdn.hpd_length < 20.0,
        "{r:?}"
    );
}

/// Own points read as angles: a von Mises model scores the same whether the outcomes are
/// given in [0, 2π) or 2π below.
#[test]
fn von_mises_calibration_is_the_same_for_angles_a_turn_apart() {
    let shifted = |turns: f64| -> Vec<String> {
        (0..200)
            .map(|i| {
                let x = i as f64 / 199.0;
                let y = mdn_playground::mdn::family::wrap(
                    1.0 + 3.0 * x + 0.3 * ((i * 7919) % 13) as f64 / 13.0,
                );
                format!("{x},{}", y - turns * mdn_playground::mdn::family::TWO_PI)
            })
            .collect()
    };
    let report = |turns: f64| {
        let csv = format!("x,y\n{}", shifted(turns).join("\n"));
        let data = mdn_playground::data::userdata::parse_csv(&csv)
            .unwrap()
            .data;
        let spec = Spec {
            data: mdn_playground::data::dataset::Data::Custom,
            points: Some(data),
            family: Family::VonMises,
            k: 2,
            hidden: vec![8],
            steps: 0,
            ..Spec::default()
        };
        let e = Experiment::new(&spec);
        calibration::calibrate(&e.model, &e.val, spec.data, e.info.y_ranges[0], spec.seed).mdn
    };
    let (a, b) = (report(0.0), report(1.0));
    assert!((a.nll - b.nll).abs() < 1e-9, "{} vs {}", a.nll, b.nll);
    assert_eq!(a.pit_hist, b.pit_hist);
    assert_eq!(a.hpd, b.hpd);
}

#[test]
fn a_slice_in_words_names_its_peaks_their_weights_and_where_the_mse_prediction_falls() {
    use mdn_playground::forecast::peaks::{describe, peaks};
    let pi = vec![0.3, 0.4, 0.3];
    let log_pi = pi.iter().map(|p: &f64| p.ln()).collect();
    let m = Mixture::gaussian(1, pi, log_pi, vec![0.2, 0.5, 0.8], vec![0.03; 3], vec![]);
    let found = peaks(&m, (-0.2, 1.2), 600);
    assert_eq!(found.len(), 3);
    for (p, (at, w)) in found.iter().zip([(0.2, 0.3), (0.5, 0.4), (0.8, 0.3)]) {
        assert!((p.at - at).abs() < 0.003, "{p:?}");
        assert!((p.weight - w).abs() < 0.005, "{p:?}");
    }
    assert_eq!(
        describe(0.5, &m, 0.35, (-0.2, 1.2), "t", Lang::En),
        "At x₀ = 0.50 the density has 3 peaks: t = 0.20 (weight 0.30), t = 0.50 (weight 0.40), \
         t = 0.80 (weight 0.30); the MSE prediction 0.35 lies between them, where the density is \
         low: no likely answer."
    );
    assert!(
        describe(0.5, &m, 0.51, (-0.2, 1.2), "t", Lang::En).ends_with("lies on the peak at 0.50.")
    );
    // One broad component; nothing in range.
    let one = Mixture::gaussian(1, vec![1.0], vec![0.0], vec![0.4], vec![0.2], vec![]);
    assert!(describe(0.1, &one, 0.4, (-0.2, 1.2), "t", Lang::En)
        .contains("one peak: t = 0.40 (weight 1.00); the MSE prediction 0.40 lies on the peak."));
    let far = Mixture::gaussian(1, vec![1.0], vec![0.0], vec![9.0], vec![0.1], vec![]);
    assert!(describe(0.1, &far, 0.4, (-0.2, 1.2), "t", Lang::En).contains("almost nothing"));
}

#[test]
fn the_main_plot_in_words_says_how_many_branches_over_which_stretches_of_x() {
    use mdn_playground::forecast::peaks::describe_branches;
    let g = |mu: Vec<f64>| {
        let k = mu.len();
        let pi = vec![1.0 / k as f64; k];
        let log_pi = pi.iter().map(|p: &f64| p.ln()).collect();
        Mixture::gaussian(1, pi, log_pi, mu, vec![0.03; k], vec![])
    };
    let xs: Vec<f64> = (0..11).map(|i| i as f64 / 10.0).collect();
    let mixtures: Vec<Mixture> = xs
        .iter()
        .map(|&x| {
            if x < 0.35 || x > 0.75 {
                g(vec![x])
            } else {
                g(vec![0.1, 0.5, 0.9])
            }
        })
        .collect();
    assert_eq!(
        describe_branches(&xs, &mixtures, (-0.2, 1.2), Lang::En),
        "p(y | x) has one branch for x from 0.00 to 0.30; 3 branches for x from 0.40 to 0.70; \
         one branch for x from 0.80 to 1.00. Where there are several, the MSE regressor's \
         curve, their average, runs between them."
    );
}

#[test]
fn the_loss_panel_in_words_gives_the_latest_readings_the_gap_to_the_best_and_the_trend() {
    use mdn_playground::train::history::describe;
    let train = [(100.0, -0.2), (400.0, -0.95)];
    let val = [(0.0, 1.3), (300.0, -0.8), (400.0, -0.981)];
    let base = [(0.0, 1.4), (300.0, -0.21), (400.0, -0.214)];
    assert_eq!(
        describe(
            &train,
            &val,
            &base,
            Some(("the best possible", -1.052)),
            Lang::En
        ),
        "At step 400, validation NLL in nats per point: the MDN −0.981, the MSE regressor \
         −0.214; the best possible −1.052, the MDN 0.071 above it. The MDN's NLL has fallen \
         by 0.181 since step 300. On the latest training batches it scores −0.950."
    );
    // Below a kernel estimate, rising, no regressor yet.
    assert_eq!(
        describe(
            &[],
            &[(0.0, 0.5), (50.0, 0.6)],
            &[],
            Some(("the kernel estimate", 0.7)),
            Lang::En
        ),
        "At step 50, validation NLL in nats per point: the MDN 0.600; the kernel estimate \
         0.700, the MDN 0.100 below it. The MDN's NLL has risen by 0.100 since step 0."
    );
    assert_eq!(
        describe(&[], &[], &[], None, Lang::En),
        "No validation reading yet."
    );
}
