//! The data sets added for the pathology lab — ring, regimes, rain — against independent
//! references (tests/reference/datasets_reference.py: quadrature with scipy), and what an
//! MDN makes of them.

use mdn_playground::data::dataset::Data;
use mdn_playground::data::dataset::{Dataset, RING_NOISE};
use mdn_playground::{Experiment, Spec};
use serde_json::Value;

fn reference(key: &str) -> f64 {
    let v: Value = serde_json::from_str(include_str!("../data/datasets_reference.json")).unwrap();
    v[key].as_f64().unwrap()
}

/// The engine's Bayes NLL (the true density on the 10 000 validation points) agrees with
/// the quadrature value within three standard errors of a 10 000-point mean.
#[test]
fn bayes_nll_of_ring_and_regimes_matches_quadrature() {
    for (data, key) in [("ring", "ring_bayes_nll"), ("regimes", "regimes_bayes_nll")] {
        for seed in [1, 2] {
            let e =
                Experiment::new(&Spec::parse(&format!("data={data}&seed={seed}&n=100")).unwrap());
            let got = e.info.bayes_nll.unwrap();
            let want = reference(key);
            assert!(
                (got - want).abs() < 0.03,
                "{data} seed {seed}: {got} vs {want}"
            );
        }
    }
}

#[test]
fn ring_and_rain_look_as_documented() {
    let (ring, _) = Dataset::generate(Data::Ring, 20_000, 4);
    let mut upper = 0;
    let mut sq = 0.0;
    for i in 0..ring.len() {
        let (x, y) = (ring.x[[0, i]], ring.y[[0, i]]);
        assert!((-1.0..1.0).contains(&x));
        let r = (1.0 - x * x).sqrt();
        let d = if y >= 0.0 { y - r } else { y + r };
        sq += d * d;
        upper += (y > 0.0) as usize;
    }
    let sd = (sq / ring.len() as f64).sqrt();
    assert!((sd - RING_NOISE).abs() < 0.005, "noise {sd}");
    assert!(
        (9_600..10_400).contains(&upper),
        "{upper} of 20000 on the upper branch"
    );

    let (rain, _) = Dataset::generate(Data::Rain, 20_000, 5);
    let dry = (0..rain.len()).filter(|&i| rain.y[[0, i]] == 0.0).count() as f64 / 20_000.0;
    assert!(
        (dry - reference("rain_dry_fraction")).abs() < 0.015,
        "dry fraction {dry}"
    );
    let wet: Vec<f64> = (0..rain.len())
        .map(|i| rain.y[[0, i]])
        .filter(|y| *y > 0.0)
        .collect();
    let mean = wet.iter().sum::<f64>() / wet.len() as f64;
    assert!(
        (mean - reference("rain_wet_mean")).abs() < 0.2,
        "wet mean {mean}"
    );
    // Dry days are likelier at low humidity.
    let dry_at = |lo: f64, hi: f64| {
        let idx: Vec<usize> = (0..rain.len())
            .filter(|&i| (lo..hi).contains(&rain.x[[0, i]]))
            .collect();
        idx.iter().filter(|&&i| rain.y[[0, i]] == 0.0).count() as f64 / idx.len() as f64
    };
    assert!(dry_at(0.0, 0.3) > 0.85 && dry_at(0.8, 1.0) < 0.2);
}

/// Two components fit the ring and the regimes almost as well as the truth; one cannot.
#[test]
fn mdn_fits_ring_and_regimes() {
    for data in ["ring", "regimes"] {
        let run = |k: usize| {
            let spec = Spec::parse(&format!("data={data}&k={k}&n=4000&steps=2000")).unwrap();
            let mut e = Experiment::new(&spec);
            e.train(spec.steps);
            e.metrics()
        };
        let (one, two) = (run(1), run(2));
        let bayes = two.bayes_nll.unwrap();
        assert!(
            two.val_nll < bayes + 0.04,
            "{data}: K=2 {} vs Bayes {bayes}",
            two.val_nll
        );
        assert!(
            one.val_nll > two.val_nll + 0.1,
            "{data}: K=1 {} vs K=2 {}",
            one.val_nll,
            two.val_nll
        );
    }
}

/// Rain: the mixture squeezes a component onto the dry days' zero until σ reaches the
/// floor — the point mass it cannot represent.
#[test]
fn rain_puts_a_component_at_the_floor_on_zero() {
    let spec = Spec::parse("data=rain&k=4&n=4000&steps=2000").unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    assert!(
        e.info.bayes_nll.is_none(),
        "a point mass has no finite Bayes NLL"
    );
    let mut ws = e.model.queries();
    let mix = ws.mixture(&[0.2]);
    let zero = (0..mix.k)
        .filter(|&c| mix.mu[c].abs() < 0.01 && mix.sigma[c] < 1.2 * spec.sigma_min)
        .map(|c| mix.pi[c])
        .sum::<f64>();
    assert!(
        zero > 0.7,
        "weight on the zero component at humidity 0.2: {zero} ({mix:?})"
    );
}
