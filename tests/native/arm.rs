//! The two-joint robot arm (Bishop 1994): the data, the forward kinematics, and the
//! playground's promise on the default arm spec — the MDN's most probable component puts
//! the hand on the target at least five times more closely than the MSE regressor, which
//! averages the elbow-up and elbow-down solutions.

use mdn_playground::base::text::signed;
use mdn_playground::data::dataset::Data;
use mdn_playground::data::dataset::{arm_forward, arm_miss, Dataset, ARM_L1, ARM_L2};
use mdn_playground::lang::Lang;
use mdn_playground::plot::plane::{Sampling, Scene};
use mdn_playground::{Experiment, Spec};
use std::f64::consts::{FRAC_PI_2, PI};

#[test]
fn forward_kinematics_by_hand() {
    // θ1 = π/2 (upper arm straight up), θ2 = π (forearm straight on): (0, L1 + L2).
    let (elbow, hand) = arm_forward(FRAC_PI_2, PI);
    assert!((elbow.0 - 0.0).abs() < 1e-12 && (elbow.1 - ARM_L1).abs() < 1e-12);
    assert!((hand.0 - 0.0).abs() < 1e-12 && (hand.1 - (ARM_L1 + ARM_L2)).abs() < 1e-12);
    // θ1 = 0, θ2 = π/2: the forearm points down from (0.8, 0): (0.8, −0.2).
    let (_, hand) = arm_forward(0.0, FRAC_PI_2);
    assert!(
        (hand.0 - 0.8).abs() < 1e-12 && (hand.1 + 0.2).abs() < 1e-12,
        "{hand:?}"
    );
    assert!(arm_miss(&[0.8, -0.2], &[0.0, FRAC_PI_2]) < 1e-12);
    assert!((arm_miss(&[0.8, 0.0], &[0.0, FRAC_PI_2]) - 0.2).abs() < 1e-12);
}

#[test]
fn data_are_the_arm_with_both_elbows() {
    let (train, val) = Dataset::generate(Data::Arm, 2000, 3);
    assert_eq!((train.x.nrows(), train.y.nrows()), (2, 2));
    assert_eq!(val.len(), 10_000);
    let mut up = 0;
    for i in 0..train.len() {
        let (t1, t2) = (train.y[[0, i]], train.y[[1, i]]);
        assert!((0.3..1.2).contains(&t1) && (FRAC_PI_2..3.0 * FRAC_PI_2).contains(&t2));
        assert!(arm_miss(&[train.x[[0, i]], train.x[[1, i]]], &[t1, t2]) < 1e-12);
        up += (t2 < PI) as usize;
    }
    // θ2 is uniform: about half the poses bend each way.
    assert!((900..1100).contains(&up), "{up} of 2000 with θ2 < π");
    // The mirror pose reaches the same point: θ2' = 2π − θ2, θ1' = θ1 + 2·(angle
    // between the upper arm and the line to the hand).
    let (t1, t2) = (0.75, 2.3);
    let (_, hand) = arm_forward(t1, t2);
    let phi = hand.1.atan2(hand.0);
    let mirror = [2.0 * phi - t1, 2.0 * PI - t2];
    assert!(arm_miss(&[hand.0, hand.1], &mirror) < 1e-12);
}

/// The default arm spec (`data=arm`, every other key at its default): validation end
/// effector error of the MDN's most probable component at least 5× smaller than the MSE
/// regressor's, and at the page's starting target two components, one per elbow.
#[test]
fn default_arm_spec_reaches_the_target() {
    let spec = Spec::parse("data=arm").unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    let m = e.metrics();
    eprintln!("{m:?}");
    let (mdn, base) = (m.mdn_fk_error.unwrap(), m.baseline_fk_error.unwrap());
    assert!(
        mdn * 5.0 <= base,
        "MDN misses by {mdn}, the MSE regressor by {base}: less than 5× apart"
    );
    assert!(mdn < 0.01, "MDN misses by {mdn}");
    assert!(
        base > 0.02,
        "the MSE regressor should average the elbows: {base}"
    );
    // The metric is recomputed independently here from per-sample mixtures.
    let n = 500;
    let mut sum = 0.0;
    let mut ws = e.model.queries();
    for i in 0..n {
        let x = [e.val.x[[0, i]], e.val.x[[1, i]]];
        sum += arm_miss(&x, &ws.mixture(&x).mode_mean());
    }
    assert!(sum / n as f64 * 5.0 <= base, "{}", sum / n as f64);

    let target = e.info.target.to_vec();
    let mix = ws.mixture(&target);
    let strong: Vec<usize> = (0..mix.k).filter(|&c| mix.pi[c] >= 0.2).collect();
    assert!(strong.len() >= 2, "π = {:?}", mix.pi);
    let elbows: Vec<bool> = strong.iter().map(|&c| mix.mu[c * 2 + 1] < PI).collect();
    assert!(
        elbows.contains(&true) && elbows.contains(&false),
        "the strong components do not bend both ways: {:?}",
        strong
            .iter()
            .map(|&c| mix.component_mean(c))
            .collect::<Vec<_>>()
    );
    for &c in &strong {
        let miss = arm_miss(&target, &mix.component_mean(c));
        assert!(miss < 0.02, "component {c} misses by {miss}");
    }

    // In words: both elbows named, each pose's weight and miss, and the MSE angles'.
    let scene = Scene::new(&e.model, &target, Sampling::default(), true);
    let report = scene.report();
    for a in &report.arms {
        // Elbow up: the elbow above the line from the base to the hand (the hand has x > 0
        // everywhere in the workspace).
        let [_, (ex, ey), (hx, hy)] = a.joints;
        assert!(hx > 0.0);
        assert_eq!(a.elbow_up(), ey > hy / hx * ex, "{a:?}");
    }
    let said = report.describe(Lang::En);
    eprintln!("{said}");
    assert!(
        said.contains("elbow up, component") && said.contains("elbow down, component"),
        "{said}"
    );
    for a in report.arms.iter().filter(|a| a.component.is_some()) {
        let miss = format!("its hand {} from the target", signed(a.miss, 3));
        assert!(said.contains(&miss), "{said} lacks {miss}");
    }
    let mse = report.arms.iter().find(|a| a.component.is_none()).unwrap();
    assert!(
        said.contains(&format!("put the hand {} from it", signed(mse.miss, 3))),
        "{said}"
    );
}

/// Metrics of other data sets carry no arm errors (and the JSON has no such fields).
#[test]
fn fk_error_only_for_the_arm() {
    let spec = Spec::parse("n=100&steps=1&hidden=4").unwrap();
    let mut e = Experiment::new(&spec);
    let m = e.metrics();
    assert!(m.mdn_fk_error.is_none() && m.baseline_fk_error.is_none());
    assert!(!serde_json::to_string(&m).unwrap().contains("fk_error"));
}

/// Two outputs that are not the arm: the likely components by weight, and the MSE
/// prediction.
#[test]
fn the_output_plane_in_words_lists_the_likely_components_by_weight() {
    use mdn_playground::plot::plane::{ComponentReport, SceneReport};
    let c = |k: usize, pi: f64, mean: Vec<f64>| ComponentReport {
        k,
        pi,
        mean,
        covariance: vec![1.0, 0.0, 0.0, 1.0],
        colour: String::new(),
    };
    let report = SceneReport {
        target: vec![0.5, -0.25],
        baseline: vec![0.0, 0.1],
        components: vec![c(0, 0.3, vec![-1.0, 0.0]), c(2, 0.7, vec![1.0, 0.25])],
        arms: vec![],
        samples: 0,
        mode: None,
    };
    assert_eq!(
        report.describe(Lang::En),
        "Target (0.500, −0.250). 2 likely components: component 3 with weight 0.70, mean \
         (1.000, 0.250); component 1 with weight 0.30, mean (−1.000, 0.000). The MSE \
         prediction (0.000, 0.100)."
    );
    // Many components, none of them likely on its own.
    let spread = SceneReport {
        components: vec![],
        ..report
    };
    assert_eq!(
        spread.describe(Lang::En),
        "Target (0.500, −0.250). No component has a weight of 0.05 or more. The MSE \
         prediction (0.000, 0.100)."
    );
}
