//! The default experiment does what the playground promises: the MDN fits the inverse
//! problem far better than the MSE regressor, and at x = 0.5, where t has three branches
//! (t ≈ 0.21, 0.5, 0.79), the regressor's answer lies between the outer ones while the
//! MDN keeps separate components on them.

use mdn_playground::{Experiment, Spec};

#[test]
fn default_spec_fits_the_inverse_problem() {
    let spec = Spec::default();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    let m = e.metrics();
    eprintln!("{m:?}");
    assert!(
        m.val_nll <= -1.10,
        "validation NLL {} (Bayes optimum -1.280)",
        m.val_nll
    );
    assert!(
        m.baseline_val_nll > -0.25,
        "the MSE baseline cannot beat the best homoscedastic Gaussian (-0.215): {}",
        m.baseline_val_nll
    );
    assert!(m.val_nll < m.baseline_val_nll - 0.8);

    // x = 0.5: the preimage of x is t ≈ 0.15 (± noise), 0.5 and 0.85.
    let mut ws = e.model.queries();
    let mix = ws.mixture(&[0.5]);
    let mut wsb = e.model.queries();
    let mse = wsb.baseline(&[0.5])[0];
    let strong: Vec<(f64, f64)> = (0..mix.k)
        .filter(|&c| mix.pi[c] >= 0.1)
        .map(|c| (mix.pi[c], mix.mu[c]))
        .collect();
    eprintln!("x=0.5: MSE {mse}, components with π ≥ 0.1: {strong:?}");
    let lo = strong.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
    let hi = strong.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
    assert!(
        strong.len() >= 2,
        "fewer than two components with π ≥ 0.1: {strong:?}"
    );
    assert!(
        hi - lo > 0.4,
        "the strong components' means are not clearly apart: {strong:?}"
    );
    assert!(
        lo < mse && mse < hi,
        "the MSE prediction {mse} is not between the branches {lo}..{hi}"
    );
    // The regressor's answer is (close to) the mixture's mean, as theory says.
    assert!(
        (mse - mix.mean()[0]).abs() < 0.1,
        "MSE {mse} vs mixture mean {}",
        mix.mean()[0]
    );
}

#[test]
fn forward_problem_is_unimodal_and_both_models_agree() {
    let spec = Spec::parse("data=bishop-forward&n=1000&hidden=20&k=3&steps=1000").unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    let m = e.metrics();
    // One mode: the mixture mean and the MSE regressor agree.
    let mut ws = e.model.queries();
    let mut wsb = e.model.queries();
    for t in [0.2, 0.5, 0.8] {
        let mean = ws.mixture(&[t]).mean()[0];
        let mse = wsb.baseline(&[t])[0];
        assert!(
            (mean - mse).abs() < 0.05,
            "t={t}: mixture mean {mean}, MSE {mse}"
        );
    }
    // Uniform noise of width 0.2: Bayes NLL is -ln 5 = -1.609; a Gaussian fit gets ~-1.43.
    assert!(m.val_nll < -1.3, "{m:?}");
}
