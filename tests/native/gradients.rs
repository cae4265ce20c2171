//! Analytic gradients against central finite differences, in f64, for every parameter
//! group: mixing logits, means and scales (through the last layer's weights and biases),
//! and every hidden layer's weights and biases; both σ maps, K = 1..5, D = 1..3.
//! Training runs in f32; the same generic code is instantiated here in f64.

use mdn_playground::base::rng::Rng;
use mdn_playground::data::dataset::Dataset;
use mdn_playground::mdn::head::Covariance;
use mdn_playground::mdn::head::Head;
use mdn_playground::mdn::head::SigmaMap;
use mdn_playground::mdn::model::Model;
use mdn_playground::mdn::network::Activation;
use mdn_playground::mdn::network::Network;
use mdn_playground::train::pass::loss_and_gradients;
use ndarray::Array2;

fn data(din: usize, dout: usize, n: usize, rng: &mut Rng) -> Dataset {
    Dataset {
        x: Array2::from_shape_fn((din, n), |_| rng.range(-1.0, 1.0)),
        y: Array2::from_shape_fn((dout, n), |_| rng.range(-1.5, 1.5)),
    }
}

fn model(
    din: usize,
    hidden: &[usize],
    k: usize,
    d: usize,
    sigma: SigmaMap,
    act: Activation,
    rng: &mut Rng,
) -> Model<f64> {
    model_cov(din, hidden, k, d, sigma, Covariance::Diagonal, act, rng)
}

fn model_cov(
    din: usize,
    hidden: &[usize],
    k: usize,
    d: usize,
    sigma: SigmaMap,
    cov: Covariance,
    act: Activation,
    rng: &mut Rng,
) -> Model<f64> {
    model_full(din, hidden, k, d, sigma, cov, 0.0, act, rng)
}

fn model_full(
    din: usize,
    hidden: &[usize],
    k: usize,
    d: usize,
    sigma: SigmaMap,
    cov: Covariance,
    pi_floor: f64,
    act: Activation,
    rng: &mut Rng,
) -> Model<f64> {
    let head = Head {
        k,
        d,
        sigma,
        sigma_min: 0.01,
        pi_floor,
        cov,
        ..Default::default()
    };
    let mut sizes = vec![din];
    sizes.extend(hidden);
    let mut s_mdn = sizes.clone();
    s_mdn.push(head.outputs());
    sizes.push(d);
    let mut mdn = Network::new(&s_mdn, act, rng, 1.0);
    // Non-zero biases, so that every parameter matters.
    for p in mdn.params.iter_mut() {
        *p += rng.range(-0.3, 0.3);
    }
    let baseline = Network::new(&sizes, act, rng, 1.0);
    Model {
        input_mean: vec![0.0; din],
        input_std: vec![1.0; din],
        head,
        mdn,
        baseline,
        baseline_sigma: vec![1.0; d],
    }
}

/// Largest relative error between the analytic gradient and central differences.
fn check(m: &Model<f64>, data: &Dataset, which: &str) -> f64 {
    let (_, g_mdn, _, g_base) = loss_and_gradients(m, data);
    let (g, len) = if which == "mdn" {
        (g_mdn, m.mdn.params.len())
    } else {
        (g_base, m.baseline.params.len())
    };
    let mut worst: f64 = 0.0;
    for i in 0..len {
        let h = 1e-6;
        let eval = |delta: f64| {
            let mut mm = m.clone();
            if which == "mdn" {
                mm.mdn.params[i] += delta
            } else {
                mm.baseline.params[i] += delta
            }
            let (l1, _, l2, _) = loss_and_gradients(&mm, data);
            if which == "mdn" {
                l1
            } else {
                l2
            }
        };
        let fd = (eval(h) - eval(-h)) / (2.0 * h);
        // Relative error, with a floor so that tiny gradients are not judged on rounding noise.
        let err = (fd - g[i]).abs() / (1e-4 + fd.abs().max(g[i].abs()));
        assert!(err.is_finite());
        worst = worst.max(err);
    }
    worst
}

#[test]
fn mdn_gradients_every_group_every_k_d_and_sigma_map() {
    let mut rng = Rng::new(7, 0);
    for sigma in [SigmaMap::Exp, SigmaMap::Softplus] {
        for d in 1..=3 {
            for k in 1..=5 {
                // 140 points: more than one block (128), so block accumulation is covered.
                let data = data(2, d, 140, &mut rng);
                let m = model(2, &[4, 3], k, d, sigma, Activation::Tanh, &mut rng);
                let worst = check(&m, &data, "mdn");
                assert!(
                    worst < 1e-5,
                    "sigma={sigma:?} d={d} k={k}: relative error {worst:e}"
                );
            }
        }
    }
}

/// Full covariance (Cholesky heads): means, diagonal and off-diagonal entries of L, and
/// every layer below, for D = 2 and 3, both σ maps. The off-diagonal raw outputs are
/// pushed to ±3 (|ρ| ≈ 0.95) so that the components are strongly correlated.
#[test]
fn mdn_gradients_full_covariance() {
    let mut rng = Rng::new(11, 0);
    for sigma in [SigmaMap::Exp, SigmaMap::Softplus] {
        for d in 2..=3 {
            for k in [1, 3] {
                let data = data(2, d, 140, &mut rng);
                let mut m = model_cov(
                    2,
                    &[4, 3],
                    k,
                    d,
                    sigma,
                    Covariance::Full,
                    Activation::Tanh,
                    &mut rng,
                );
                assert_eq!(m.head.outputs(), k + k * d + k * d * (d + 1) / 2);
                // Bias of each off-diagonal output: strong correlations.
                let last = m.mdn.offset(m.mdn.layers() - 1);
                let dout = m.head.outputs();
                let bias = last + m.mdn.sizes[m.mdn.layers() - 1] * dout;
                for c in 0..k {
                    for a in 1..d {
                        for b in 0..a {
                            let r = m.head.off_row(c, a, b);
                            m.mdn.params[bias + r] = if (a + b + c) % 2 == 0 { 3.0 } else { -3.0 };
                        }
                    }
                }
                // The off-diagonal entries matter (the checks below would pass vacuously
                // if the loss ignored them).
                let (_, g, _, _) = loss_and_gradients(&m, &data);
                assert!(
                    (0..k).all(|c| m.mdn.params.len() > bias
                        && g[bias + m.head.off_row(c, d - 1, 0)].abs() > 1e-6),
                    "off-diagonal gradients vanish"
                );
                let worst = check(&m, &data, "mdn");
                assert!(
                    worst < 1e-5,
                    "full sigma={sigma:?} d={d} k={k}: relative error {worst:e}"
                );
            }
        }
    }
}

/// The π floor (π = (1 − ε) softmax + ε/K): the logits' gradient goes through it.
#[test]
fn mdn_gradients_with_a_pi_floor() {
    let mut rng = Rng::new(12, 0);
    for (cov, d) in [(Covariance::Diagonal, 1), (Covariance::Full, 2)] {
        for eps in [0.05, 0.5] {
            let data = data(1, d, 140, &mut rng);
            let m = model_full(
                1,
                &[5],
                4,
                d,
                SigmaMap::Exp,
                cov,
                eps,
                Activation::Tanh,
                &mut rng,
            );
            let worst = check(&m, &data, "mdn");
            assert!(worst < 1e-5, "ε={eps} d={d}: relative error {worst:e}");
        }
    }
}

#[test]
fn mdn_gradients_relu() {
    let mut rng = Rng::new(8, 0);
    let data = data(1, 2, 40, &mut rng);
    let m = model(1, &[6], 3, 2, SigmaMap::Exp, Activation::Relu, &mut rng);
    let worst = check(&m, &data, "mdn");
    assert!(worst < 1e-5, "relative error {worst:e}");
}

#[test]
fn baseline_gradients() {
    let mut rng = Rng::new(9, 0);
    for d in 1..=3 {
        let data = data(1, d, 140, &mut rng);
        let m = model(1, &[5, 4], 2, d, SigmaMap::Exp, Activation::Tanh, &mut rng);
        let worst = check(&m, &data, "baseline");
        assert!(worst < 1e-5, "d={d}: relative error {worst:e}");
    }
}

/// The gradient of each named group is non-zero and matches: a targeted check that the
/// head's three parts (logits, means, scales) each receive their gradient.
#[test]
fn head_groups_receive_gradient() {
    let mut rng = Rng::new(10, 0);
    let data = data(1, 2, 30, &mut rng);
    let m = model(
        1,
        &[3],
        3,
        2,
        SigmaMap::Softplus,
        Activation::Tanh,
        &mut rng,
    );
    let (_, g, _, _) = loss_and_gradients(&m, &data);
    let last = m.mdn.offset(m.mdn.layers() - 1);
    let dout = m.head.outputs();
    let bias = &g[last + 3 * dout..last + 3 * dout + dout];
    for (name, rows) in [("logits", 0..3), ("means", 3..9), ("scales", 9..15)] {
        assert!(
            bias[rows.clone()].iter().all(|v| v.abs() > 1e-9),
            "{name} bias gradients: {:?}",
            &bias[rows]
        );
    }
}

/// Every family other than the Gaussian ([`mdn_playground::mdn::family`]): logits (with and
/// without a π floor), locations, scales (both σ maps), the hurdle's P(y = 0) logit, and
/// every layer below, against central differences. The hurdle's data mix dry days
/// (exactly 0) with wet ones; the von Mises data wrap around the circle.
#[test]
fn mdn_gradients_every_family() {
    use mdn_playground::mdn::family::Family;
    let mut rng = Rng::new(13, 0);
    for family in [
        Family::Laplace,
        Family::Student,
        Family::Hurdle,
        Family::VonMises,
    ] {
        for (d, k, sigma, eps) in [
            (1, 1, SigmaMap::Exp, 0.0),
            (1, 3, SigmaMap::Softplus, 0.0),
            (1, 3, SigmaMap::Exp, 0.1),
            (2, 2, SigmaMap::Exp, 0.0),
        ] {
            if family == Family::Hurdle && d > 1 {
                continue;
            }
            let mut data = data(2, d, 140, &mut rng);
            if family == Family::Hurdle {
                for i in 0..data.len() {
                    data.y[[0, i]] = if i % 3 == 0 {
                        0.0
                    } else {
                        rng.range(0.05, 4.0)
                    };
                }
            }
            if family == Family::VonMises {
                data.y.mapv_inplace(|v| 3.0 * v + 3.0);
            }
            let head = Head {
                k,
                d,
                sigma,
                sigma_min: 0.01,
                pi_floor: eps,
                cov: Covariance::Diagonal,
                family,
                nu: 3.0,
            };
            let mut mdn =
                Network::<f64>::new(&[2, 4, 3, head.outputs()], Activation::Tanh, &mut rng, 1.0);
            for p in mdn.params.iter_mut() {
                *p += rng.range(-0.3, 0.3);
            }
            let baseline = Network::new(&[2, 4, 3, d], Activation::Tanh, &mut rng, 1.0);
            let m = Model {
                input_mean: vec![0.0; 2],
                input_std: vec![1.0; 2],
                head,
                mdn,
                baseline,
                baseline_sigma: vec![1.0; d],
            };
            if family == Family::Hurdle {
                // The P(y = 0) logit's bias gets a gradient from dry and wet days alike.
                let (_, g, _, _) = loss_and_gradients(&m, &data);
                let last = m.mdn.offset(m.mdn.layers() - 1);
                let bias = last + 3 * head.outputs() + head.zero_row();
                assert!(g[bias].abs() > 1e-6, "the hurdle's logit gets no gradient");
            }
            let worst = check(&m, &data, "mdn");
            assert!(
                worst < 1e-5,
                "{family:?} d={d} k={k} {sigma:?} ε={eps}: relative error {worst:e}"
            );
        }
    }
}
