//! Choosing K on the inverse problem: the BIC picks three components, one per branch,
//! while the validation NLL keeps creeping down as K grows.

use mdn_playground::train::sweep::Sweep;
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

/// A sweep over several threads gives the rows of one thread, bit for bit and
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
        let count = |_: &mdn_playground::train::sweep::Row| {
            heard.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        };
        s.finish_parallel(threads, &count).unwrap();
        assert_eq!(s.report(), one, "{threads} threads");
        assert_eq!(heard.into_inner(), 7, "{threads} threads");
    }
}

/// The page's pool trains a sweep's runs from their links, in any order, and
/// hands the rows back; the report is the one of a sweep run in one go. A row the sweep
/// does not wait for (unknown, or already in) is refused with the reason.
#[test]
fn rows_trained_elsewhere_from_the_runs_links_give_the_same_report() {
    use mdn_playground::train::sweep::Job;
    let spec = Spec::parse("n=400&steps=120&hidden=12").unwrap();
    let one = Sweep::run(&spec, 1, 3, 2).unwrap();
    let mut s = Sweep::new(&spec, 1, 3, 2).unwrap();
    let links: Vec<String> = s.job_specs().iter().map(|j| j.format()).collect();
    assert_eq!(links.len(), 6);
    // Largest K first, as the pool hands them out; each from its link, as a worker gets it.
    let rows: Vec<_> = links
        .iter()
        .rev()
        .map(|l| Job::of(&Spec::parse(l).unwrap()).run())
        .collect();
    for r in rows.iter().cloned() {
        s.add_row(r).unwrap();
    }
    assert!(s.done());
    assert_eq!(s.report(), one);
    let again = s.add_row(rows[0].clone()).unwrap_err();
    assert!(again.contains("not a run this sweep waits for"), "{again}");
    let mut other = rows[0].clone();
    other.k = 9;
    assert!(Sweep::new(&spec, 1, 3, 2).unwrap().add_row(other).is_err());
}
