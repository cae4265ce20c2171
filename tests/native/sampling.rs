//! Sampling with temperatures and the most probable point, on mixtures whose answers are
//! known in closed form. Statistical checks use enough draws that a wrong formula fails
//! by many standard errors, and fixed seeds so that they never flake.

use mdn_playground::base::rng::Rng;
use mdn_playground::mdn::mixture::{Mixture, Temperature};

/// A mixture from π, means and Cholesky factors given as (L00, L10, L11) per component.
fn mix2(pi: &[f64], mu: &[[f64; 2]], l: &[[f64; 3]]) -> Mixture {
    let k = pi.len();
    Mixture {
        k,
        d: 2,
        pi: pi.to_vec(),
        log_pi: pi.iter().map(|p| p.ln()).collect(),
        mu: mu.iter().flatten().copied().collect(),
        sigma: l.iter().flat_map(|c| [c[0], c[2]]).collect(),
        // N = L10 / L11 (the head's parameterisation).
        off: l.iter().map(|c| c[1] / c[2]).collect(),
        ..Default::default()
    }
}

fn mix1(pi: &[f64], mu: &[f64], sigma: &[f64]) -> Mixture {
    Mixture {
        k: pi.len(),
        d: 1,
        pi: pi.to_vec(),
        log_pi: pi.iter().map(|p| p.ln()).collect(),
        mu: mu.to_vec(),
        sigma: sigma.to_vec(),
        off: Vec::new(),
        ..Default::default()
    }
}

#[test]
fn tempered_weights_follow_the_power_law() {
    let m = mix1(&[0.6, 0.3, 0.1], &[0.0, 1.0, 2.0], &[1.0; 3]);
    for t in [0.25, 0.5, 2.0, 5.0] {
        let w = m.tempered_weights(t);
        let raw: Vec<f64> = m.pi.iter().map(|p| p.powf(1.0 / t)).collect();
        let z: f64 = raw.iter().sum();
        for (a, b) in w.iter().zip(&raw) {
            assert!((a - b / z).abs() < 1e-12, "t={t}: {w:?}");
        }
    }
    assert_eq!(m.tempered_weights(0.0), vec![1.0, 0.0, 0.0]);
    let flat = m.tempered_weights(1e6);
    assert!(
        flat.iter().all(|w| (w - 1.0 / 3.0).abs() < 1e-5),
        "{flat:?}"
    );
}

#[test]
fn weights_at_temperature_one_are_pi() {
    let m = mix1(&[0.6, 0.3, 0.1], &[0.0, 1.0, 2.0], &[1.0; 3]);
    for (a, b) in m.tempered_weights(1.0).iter().zip(&m.pi) {
        assert!((a - b).abs() < 1e-15);
    }
}

#[test]
fn component_frequencies_match_the_tempered_weights() {
    let m = mix1(&[0.7, 0.2, 0.1], &[0.0, 5.0, 10.0], &[0.1; 3]);
    let n = 40_000;
    for t in [1.0, 0.5, 3.0] {
        let w = m.tempered_weights(t);
        let s = m.samples(n, Temperature { pi: t, sigma: 1.0 }, &mut Rng::new(1, 6));
        for (c, wc) in w.iter().enumerate() {
            let f = s.iter().filter(|(k, _)| *k == c).count() as f64 / n as f64;
            let se = (wc * (1.0 - wc) / n as f64).sqrt();
            assert!((f - wc).abs() < 5.0 * se + 1e-9, "t={t} c={c}: {f} vs {wc}");
        }
    }
}

/// One correlated component: the sample mean and covariance are μ and τ_σ² Σ.
#[test]
fn samples_have_the_component_covariance_times_temperature_squared() {
    // L = [[0.5, 0], [0.9, 0.3]]: Σ = [[0.25, 0.45], [0.45, 0.9]], ρ ≈ 0.95.
    let m = mix2(&[1.0], &[[1.0, -2.0]], &[[0.5, 0.9, 0.3]]);
    let sigma = m.covariance(0);
    assert!((sigma[0] - 0.25).abs() < 1e-12 && (sigma[1] - 0.45).abs() < 1e-12);
    assert!((sigma[3] - 0.9).abs() < 1e-12 && (sigma[2] - 0.45).abs() < 1e-12);
    let n = 50_000;
    for ts in [1.0, 2.0, 0.5] {
        let s = m.samples(n, Temperature { pi: 1.0, sigma: ts }, &mut Rng::new(2, 6));
        let mean = |j: usize| s.iter().map(|(_, y)| y[j]).sum::<f64>() / n as f64;
        let (m0, m1) = (mean(0), mean(1));
        let cov = |a: usize, b: usize, ma: f64, mb: f64| {
            s.iter()
                .map(|(_, y)| (y[a] - ma) * (y[b] - mb))
                .sum::<f64>()
                / n as f64
        };
        let want = |v: f64| v * ts * ts;
        // Standard errors: mean ~ σ/√n, variance ~ σ²√(2/n).
        assert!(
            (m0 - 1.0).abs() < 5.0 * 0.5 * ts / (n as f64).sqrt(),
            "{m0}"
        );
        assert!(
            (m1 + 2.0).abs() < 5.0 * 0.95 * ts / (n as f64).sqrt(),
            "{m1}"
        );
        let tol = |v: f64| 5.0 * v * (2.0 / n as f64).sqrt();
        let (c00, c01, c11) = (cov(0, 0, m0, m0), cov(0, 1, m0, m1), cov(1, 1, m1, m1));
        assert!((c00 - want(0.25)).abs() < tol(want(0.25)), "τσ={ts}: {c00}");
        assert!((c11 - want(0.9)).abs() < tol(want(0.9)), "τσ={ts}: {c11}");
        assert!((c01 - want(0.45)).abs() < tol(want(0.9)), "τσ={ts}: {c01}");
    }
}

#[test]
fn zero_temperatures_give_the_most_probable_components_mean() {
    let m = mix2(
        &[0.3, 0.7],
        &[[0.0, 0.0], [3.0, 4.0]],
        &[[1.0, 0.5, 1.0]; 2],
    );
    let s = m.samples(
        20,
        Temperature {
            pi: 0.0,
            sigma: 0.0,
        },
        &mut Rng::new(3, 6),
    );
    assert!(
        s.iter().all(|(c, y)| *c == 1 && y == &vec![3.0, 4.0]),
        "{s:?}"
    );
    // The same seed draws the same samples.
    let t = Temperature::ONE;
    assert_eq!(
        m.samples(50, t, &mut Rng::new(9, 6)),
        m.samples(50, t, &mut Rng::new(9, 6))
    );
}

#[test]
fn mode_of_known_mixtures() {
    // One Gaussian: the mode is its mean.
    let one = mix2(&[1.0], &[[0.3, -0.7]], &[[0.2, 0.1, 0.4]]);
    let md = one.mode();
    assert!(
        (md[0] - 0.3).abs() < 1e-12 && (md[1] + 0.7).abs() < 1e-12,
        "{md:?}"
    );
    // Two far-apart components: the mode is at the one with the higher peak π/σ (here
    // the lighter but narrower one), not at the heavier.
    let two = mix1(&[0.4, 0.6], &[-5.0, 5.0], &[0.1, 1.0]);
    let md = two.mode()[0];
    assert!((md + 5.0).abs() < 1e-6, "{md}");
    // Two overlapping equal components at ±0.5 with σ = 1: unimodal, the mode at 0 —
    // between the means, where neither component's mean is.
    let merged = mix1(&[0.5, 0.5], &[-0.5, 0.5], &[1.0, 1.0]);
    let md = merged.mode()[0];
    assert!(md.abs() < 1e-6, "{md}");
    // Unequal overlapping components: the mode is where the density's derivative
    // vanishes (checked numerically) and the density there beats both means.
    let skew = mix1(&[0.3, 0.7], &[0.0, 1.2], &[1.0, 0.8]);
    let md = skew.mode()[0];
    let h = 1e-5;
    let d = (skew.log_prob(&[md + h]) - skew.log_prob(&[md - h])) / (2.0 * h);
    assert!(d.abs() < 1e-6, "slope {d} at {md}");
    assert!(skew.log_prob(&[md]) >= skew.log_prob(&[0.0]).max(skew.log_prob(&[1.2])));
}
