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

/// Issue 14: a sweep over several threads gives the rows of one thread, bit for bit and
/// in the same order, whatever the thread count; `on_row` hears of every run.
#[test]
fn a_parallel_sweep_gives_the_rows_of_a_sequential_one() {
    let spec = Spec::parse("n=400&steps=120&hidden=12").unwrap();
    let one = Sweep::run(&spec, 1, 4, 2).unwrap();
    for threads in [1, 2, 3, 8] {
        let mut s = Sweep::new(&spec, 1, 4, 2).unwrap();
        // A run under way when the rest goes parallel is finished first.
        s.advance(30);
        let heard = std::sync::atomic::AtomicUsize::new(0);
        let count = |_: &mdn_playground::sweep::Row| {
            heard.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        };
        s.finish_parallel(threads, &count).unwrap();
        assert_eq!(s.report(), one, "{threads} threads");
        assert_eq!(heard.into_inner(), 7, "{threads} threads");
    }
}
