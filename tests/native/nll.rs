//! The mixture log-density against independent references (tests/reference/nll_reference.py,
//! 60-digit mpmath straight from the definition), including extreme cases; both the
//! per-sample path (`Head::mixture` + `Mixture::log_prob`) and the training path
//! (`loss::mixture_nll` on a block) must match, finite, to ~1e-14 relative.

use mdn_playground::base::math::{self, Real};
use mdn_playground::mdn::head::Covariance;
use mdn_playground::mdn::head::Head;
use mdn_playground::mdn::head::SigmaMap;
use mdn_playground::mdn::kernels::BLOCK;
use mdn_playground::mdn::loss::{mixture_nll, LossScratch};

use crate::shared;

use shared::{cases, Case};

fn head(c: &Case) -> Head {
    c.head()
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    got.is_finite() && (got - want).abs() <= tol * want.abs().max(1.0)
}

/// The block path in f64: see [`block_log_p_in`].
fn block_log_p(c: &Case) -> (f64, Vec<f64>) {
    block_log_p_in::<f64>(c)
}

/// The block path: the case's raw outputs in lane 3 of a block of 5 (the others hold
/// a benign sample), so that the lanes are seen to be independent.
fn block_log_p_in<R: Real>(c: &Case) -> (f64, Vec<f64>) {
    let h = head(c);
    let rows = h.outputs();
    let mut raw = vec![R::ZERO; rows * BLOCK];
    let mut y = vec![R::ZERO; c.d * BLOCK];
    for r in 0..rows {
        for i in 0..5 {
            raw[r * BLOCK + i] = R::of(if i == 3 { c.raw[r] } else { 0.1 * r as f64 });
        }
    }
    for j in 0..c.d {
        for i in 0..5 {
            y[j * BLOCK + i] = R::of(if i == 3 { c.y[j] } else { 0.2 });
        }
    }
    let mut sc = LossScratch::new(&h);
    let mut dz = vec![R::ZERO; rows * BLOCK];
    mixture_nll(&h, &raw, &y, 5, R::ONE, Some(&mut dz), &mut sc);
    let grad = (0..rows).map(|r| dz[r * BLOCK + 3].f64()).collect();
    (-sc.nll[3].f64(), grad)
}

/// The training path runs in f32: the same references (taken at the inputs rounded to
/// f32, which matters only for the nearly singular covariances), to f32 precision, finite.
#[test]
fn log_density_in_f32_matches_reference_to_single_precision() {
    for c in cases() {
        let want: f64 = c.log_p_f32_inputs.parse().unwrap();
        let (got, grad) = block_log_p_in::<f32>(&c);
        assert!(
            got.is_finite() && (got - want).abs() <= 1e-5 * want.abs().max(1.0),
            "{}: f32 block {got} vs reference {want}",
            c.name
        );
        assert!(
            grad.iter().all(|g| g.is_finite()),
            "{}: gradient {grad:?}",
            c.name
        );
    }
}

#[test]
fn log_density_matches_independent_reference() {
    for c in cases() {
        let want: f64 = c.log_p.parse().unwrap();
        let mix = head(&c).mixture(&c.raw);
        let got = mix.log_prob(&c.y);
        assert!(
            close(got, want, c.rel_tol),
            "{}: per-sample {got} vs reference {want}",
            c.name
        );
        let (got_block, grad) = block_log_p(&c);
        assert!(
            close(got_block, want, c.rel_tol),
            "{}: block {got_block} vs reference {want}",
            c.name
        );
        assert!(
            grad.iter().all(|g| g.is_finite()),
            "{}: gradient {grad:?}",
            c.name
        );
    }
}

/// K = 1 is heteroscedastic Gaussian regression: the NLL is the closed form
/// ½ ln 2π + ln σ + (y − μ)² / 2σ², and the gradient is the familiar one.
#[test]
fn single_component_is_heteroscedastic_gaussian() {
    for (mu, raw_s, y, map) in [
        (0.3f64, -1.2f64, 0.9f64, SigmaMap::Exp),
        (-2.0, 0.7, 1.5, SigmaMap::Softplus),
        (5.0, -4.0, 5.01, SigmaMap::Exp),
    ] {
        let h = Head {
            k: 1,
            d: 1,
            sigma: map,
            sigma_min: 0.0,
            cov: Covariance::Diagonal,
            pi_floor: 0.0,
            ..Default::default()
        };
        let s = match map {
            SigmaMap::Exp => raw_s.exp(),
            SigmaMap::Softplus => (1.0f64 + raw_s.exp()).ln(),
        };
        let closed =
            0.5 * (2.0 * std::f64::consts::PI).ln() + s.ln() + (y - mu) * (y - mu) / (2.0 * s * s);
        let c = Case {
            name: "k1".into(),
            k: 1,
            d: 1,
            sigma_map: if map == SigmaMap::Exp {
                "exp".into()
            } else {
                "softplus".into()
            },
            sigma_min: 0.0,
            cov: "diag".into(),
            pi_floor: 0.0,
            raw: vec![7.0, mu, raw_s],
            y: vec![y],
            log_p: String::new(),
            log_p_f32_inputs: String::new(),
            rel_tol: 1e-14,
        };
        let (lp, grad) = block_log_p(&c);
        assert!(
            (-lp - closed).abs() < 1e-13 * closed.abs().max(1.0),
            "{lp} vs {closed}"
        );
        assert_eq!(grad[0], 0.0, "a single logit has no gradient");
        let dmu = -(y - mu) / (s * s);
        assert!(
            (grad[1] - dmu).abs() < 1e-12 * dmu.abs().max(1.0),
            "dμ {} vs {dmu}",
            grad[1]
        );
        let _ = h;
    }
}

/// The portable kernels against the platform's libm over many arguments.
#[test]
fn kernels_match_libm_within_a_few_ulp() {
    fn ulps(a: f64, b: f64) -> u64 {
        if a == b {
            return 0;
        }
        let (x, y) = (a.to_bits() as i64, b.to_bits() as i64);
        (x - y).unsigned_abs()
    }
    let mut r = mdn_playground::base::rng::Rng::new(3, 9);
    let mut worst = [0u64; 5];
    for i in 0..200_000 {
        let x = match i % 4 {
            0 => r.range(-1.0, 1.0),
            1 => r.range(-30.0, 30.0),
            2 => r.range(-745.0, 709.0),
            _ => r.range(-1e-6, 1e-6),
        };
        worst[0] = worst[0].max(ulps(math::exp(x), x.exp()));
        worst[1] = worst[1].max(ulps(math::tanh(x), x.tanh()));
        worst[2] = worst[2].max(ulps(math::expm1(x.min(700.0)), x.min(700.0).exp_m1()));
        let p = x.abs() * 1e3 + 1e-300;
        worst[3] = worst[3].max(ulps(math::ln(p), p.ln()));
        let u = x.abs();
        worst[4] = worst[4].max(ulps(math::ln_1p(u), u.ln_1p()));
    }
    assert!(
        worst[0] <= 1 && worst[1] <= 3 && worst[2] <= 2 && worst[3] <= 1 && worst[4] <= 1,
        "worst ulps exp, tanh, expm1, ln, ln_1p: {worst:?}"
    );
    // Special values.
    assert_eq!(math::exp(f64::NEG_INFINITY), 0.0);
    assert_eq!(math::exp(f64::INFINITY), f64::INFINITY);
    assert_eq!(math::exp(710.0), f64::INFINITY);
    assert!(
        math::exp(f64::NAN).is_nan()
            && math::ln(f64::NAN).is_nan()
            && math::tanh(f64::NAN).is_nan()
    );
    assert_eq!(math::exp(-745.0), (-745.0f64).exp()); // subnormal result
    assert_eq!(math::ln(0.0), f64::NEG_INFINITY);
    assert!(math::ln(-1.0).is_nan());
    assert_eq!(math::ln(f64::INFINITY), f64::INFINITY);
    assert_eq!(math::ln(5e-324), (5e-324f64).ln()); // subnormal argument
    assert_eq!(math::tanh(1000.0), 1.0);
    assert_eq!(math::tanh(-1000.0), -1.0);
    assert_eq!(math::ln(1.0), 0.0);
    assert_eq!(math::exp(0.0), 1.0);
}

/// The f32 kernels against f64 references (correctly rounded to f32 is the ideal).
#[test]
fn f32_kernels_are_within_a_few_ulp() {
    fn ulps(a: f32, b: f32) -> u32 {
        if a == b {
            return 0;
        }
        (a.to_bits() as i32 - b.to_bits() as i32).unsigned_abs()
    }
    let mut r = mdn_playground::base::rng::Rng::new(4, 9);
    let mut worst = [0u32; 4];
    for i in 0..200_000 {
        let x = match i % 4 {
            0 => r.range(-1.0, 1.0),
            1 => r.range(-15.0, 15.0),
            2 => r.range(-87.3, 88.0),
            _ => r.range(-1e-4, 1e-4),
        } as f32;
        let xd = x as f64;
        worst[0] = worst[0].max(ulps(math::exp_f32(x), xd.exp() as f32));
        worst[1] = worst[1].max(ulps(math::tanh_f32(x), xd.tanh() as f32));
        let p = x.abs() * 1e3 + 1e-30;
        worst[2] = worst[2].max(ulps(math::ln_f32(p), (p as f64).ln() as f32));
        let u = x.abs();
        worst[3] = worst[3].max(ulps(math::ln_1p_f32(u), (u as f64).ln_1p() as f32));
    }
    assert!(
        worst.iter().all(|&w| w <= 3),
        "worst ulps exp, tanh, ln, ln_1p (f32): {worst:?}"
    );
    assert_eq!(math::exp_f32(f32::NEG_INFINITY), 0.0);
    assert_eq!(math::exp_f32(89.0), f32::INFINITY);
    assert_eq!(math::exp_f32(-100.0), 0.0); // flushed: no subnormal results
    assert!(math::exp_f32(-87.3) >= f32::MIN_POSITIVE);
    assert_eq!(math::ln_f32(0.0), f32::NEG_INFINITY);
    assert!(math::ln_f32(-1.0).is_nan());
    assert_eq!(math::tanh_f32(50.0), 1.0);
}
