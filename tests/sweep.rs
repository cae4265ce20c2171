//! Choosing K on the inverse problem: the BIC picks three components, one per branch,
//! while the validation NLL keeps creeping down as K grows.

use mdn_playground::sweep::Sweep;
use mdn_playground::Spec;

#[test]
fn bic_picks_three_components_on_the_inverse_problem() {
    let spec = Spec::parse("n=2000&steps=1500").unwrap();
    let r = Sweep::run(&spec, 1, 5, 2).unwrap();
    for s in &r.summary {
        eprintln!(
            "K={} P={} val {:.3} BIC {:.1}",
            s.k, s.params, s.val_nll_mean, s.bic_mean
        );
    }
    assert_eq!(r.rows.len(), 10);
    assert_eq!(r.chosen_by_bic, Some(3));
    let val = |k: usize| r.summary[k - 1].val_nll_mean;
    assert!(
        val(1) > -0.7 && val(3) < -1.0,
        "K=1 {} K=3 {}",
        val(1),
        val(3)
    );
    // P grows by the same amount per component: (1 + D + D) outputs × (width + 1).
    let p: Vec<usize> = r.summary.iter().map(|s| s.params).collect();
    assert!(p.windows(2).all(|w| w[1] - w[0] == 3 * 17), "{p:?}");
}
