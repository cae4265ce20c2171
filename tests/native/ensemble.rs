//! Deep ensembles and the gap: the keys (old links keep their text and bits), member 0 as
//! the single run, the same bits whatever the threads, the even mixture against the
//! average of its parts, and the variance split against the even mixture's variance by
//! quadrature.

use mdn_playground::config::spec::Spec;
use mdn_playground::forecast::Predictive;
use mdn_playground::mdn::family::Family;
use mdn_playground::mdn::mixture::Mixture;
use mdn_playground::mdn::pooled::uncertainty;
use mdn_playground::train::ensemble::Ensemble;
use mdn_playground::Experiment;

#[test]
fn the_ensemble_and_gap_keys_read_clamp_and_leave_old_links_as_they_were() {
    let plain = Spec::default().format();
    assert!(
        !plain.contains("ensemble") && !plain.contains("gap"),
        "{plain}"
    );
    let s = Spec::parse("ensemble=5&gap=0.55,0.35").unwrap();
    assert_eq!((s.ensemble, s.gap), (5, Some((0.35, 0.55))));
    assert!(
        s.format().contains("&ensemble=5&gap=0.35,0.55"),
        "{}",
        s.format()
    );
    assert_eq!(Spec::parse(&s.format()).unwrap(), s);
    let said = |link: &str| -> (Spec, String) {
        let (s, issues) = Spec::parse_lenient(link, &[]);
        let text: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
        (s, text.join("; "))
    };
    let (s, why) = said("ensemble=20");
    assert_eq!(s.ensemble, 10, "{why}");
    let (s, why) = said("gap=0.4");
    assert!(
        s.gap.is_none() && why.contains("two different numbers"),
        "{why}"
    );
    let (s, why) = said("gap=0.4,0.4");
    assert!(
        s.gap.is_none() && why.contains("two different numbers"),
        "{why}"
    );
    let (s, why) = said("data=arm&gap=0.1,0.2");
    assert!(s.gap.is_none() && why.contains("one input"), "{why}");
    let (s, why) = said("gap=-5,5");
    assert!(s.gap.is_none() && why.contains("three quarters"), "{why}");
    let (s, why) = said("gap=abc,1");
    assert!(s.gap.is_none() && !why.is_empty(), "{why}");
}

#[test]
fn a_gap_leaves_training_points_out_and_the_validation_set_keeps_them() {
    let spec = Spec::parse("n=2000&gap=0.35,0.55").unwrap();
    let (train, val) = spec.source().datasets();
    let inside = |d: &mdn_playground::data::dataset::Dataset| {
        (0..d.len())
            .filter(|&i| (0.35..=0.55).contains(&d.x[[0, i]]))
            .count()
    };
    assert_eq!(inside(&train), 0);
    assert!(inside(&val) > 1000, "{}", inside(&val));
    // The points outside the gap are the run's without one, in their order.
    let (all, val_all) = Spec::parse("n=2000").unwrap().source().datasets();
    assert_eq!(val.x, val_all.x);
    let kept: Vec<f64> = (0..all.len())
        .map(|i| all.x[[0, i]])
        .filter(|x| !(0.35..=0.55).contains(x))
        .collect();
    assert_eq!(train.x.row(0).to_vec(), kept);
    // Your own points: the gap is cut from their training part too.
    use mdn_playground::data::userdata::{encode, UserData};
    let own = UserData {
        cols: 2,
        values: (0..100)
            .flat_map(|i| [i as f64 / 100.0, ((i * 7) % 13) as f64 / 13.0])
            .collect(),
    };
    let spec = Spec::parse(&format!("data=custom&pts={}&gap=0.2,0.4", encode(&own))).unwrap();
    let (train, val) = spec.source().datasets();
    assert_eq!(inside_of(&train, 0.2, 0.4), 0);
    assert!(inside_of(&val, 0.2, 0.4) > 0);
    assert!(train.len() + val.len() < 100 && train.len() > 50);
    // A batch of n points is more than the gap leaves: it takes them all.
    let spec = Spec::parse("n=300&hidden=4&batch=300&gap=0.35,0.55").unwrap();
    let mut e = Experiment::new(&spec);
    assert!(e.train.len() < 300);
    e.train(3);
    assert!(e.halted.is_none() && e.metrics().val_nll.is_finite());
}

/// Points of `d` with x in [a, b].
fn inside_of(d: &mdn_playground::data::dataset::Dataset, a: f64, b: f64) -> usize {
    (0..d.len())
        .filter(|&i| (a..=b).contains(&d.x[[0, i]]))
        .count()
}

#[test]
fn member_zero_is_the_single_run_and_threads_change_no_bit() {
    let link = "n=400&k=3&hidden=8&batch=64&steps=30";
    let mut single = Experiment::new(&Spec::parse(link).unwrap());
    single.train(30);
    let spec = Spec::parse(&format!("{link}&ensemble=3")).unwrap();
    let mut one = Ensemble::new(&spec);
    one.train_to(30, 1);
    let mut two = Ensemble::new(&spec);
    two.train_to(30, 2);
    assert_eq!(one.members[0].model.mdn.params, single.model.mdn.params);
    assert_eq!(
        one.members[0].model.baseline.params,
        single.model.baseline.params
    );
    for (a, b) in one.members.iter().zip(&two.members) {
        assert_eq!(a.model.mdn.params, b.model.mdn.params);
    }
    // The members differ: their own initialisation and batches.
    assert_ne!(
        one.members[1].model.mdn.params,
        one.members[0].model.mdn.params
    );
    assert_ne!(
        one.members[2].model.mdn.params,
        one.members[1].model.mdn.params
    );
    // The data are the same for all.
    assert_eq!(one.members[2].train.x, one.members[0].train.x);
    // One member: the ensemble's NLL is its member's.
    let mut alone = Ensemble::new(&Spec::parse(link).unwrap());
    alone.train_to(30, 1);
    let (e, m) = (alone.val_nll(), alone.member_val_nll()[0]);
    assert!((e - m).abs() < 1e-5, "{e} vs {m}");
}

/// A Gaussian mixture of one output from (π, μ, σ).
fn gaussian(parts: &[(f64, f64, f64)]) -> Mixture {
    let pi: Vec<f64> = parts.iter().map(|p| p.0).collect();
    Mixture::gaussian(
        1,
        pi.clone(),
        pi.iter().map(|p| p.ln()).collect(),
        parts.iter().map(|p| p.1).collect(),
        parts.iter().map(|p| p.2).collect(),
        Vec::new(),
    )
}

/// ∫ f(y) p(y) dy by the midpoint rule on [lo, hi].
fn integral(p: &Mixture, lo: f64, hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    let n = 200_000;
    let h = (hi - lo) / n as f64;
    (0..n)
        .map(|i| {
            let y = lo + h * (i as f64 + 0.5);
            f(y) * p.pdf(y) * h
        })
        .sum()
}

#[test]
fn the_even_mixture_is_the_average_of_its_parts_and_its_variance_splits_exactly() {
    let members = [
        gaussian(&[(0.3, -1.0, 0.2), (0.7, 0.5, 0.4)]),
        gaussian(&[(1.0, 0.2, 0.3)]),
        gaussian(&[(0.5, 0.0, 0.1), (0.25, 1.0, 0.5), (0.25, 2.0, 0.2)]),
    ];
    let even = Mixture::even(&members).unwrap();
    assert_eq!(even.k, 6);
    for y in [-1.5, -0.3, 0.0, 0.4, 1.1, 2.5] {
        let avg = members.iter().map(|m| m.pdf(y)).sum::<f64>() / 3.0;
        assert!(
            (even.pdf(y) - avg).abs() < 1e-14 * avg.max(1.0),
            "pdf at {y}"
        );
        let cdf = members.iter().map(|m| m.cdf(y)).sum::<f64>() / 3.0;
        assert!((even.cdf(y) - cdf).abs() < 1e-14, "cdf at {y}");
    }
    // Aleatoric + epistemic is the even mixture's variance, by quadrature.
    let u = uncertainty(&members).unwrap();
    let mean = integral(&even, -6.0, 8.0, |y| y);
    let var = integral(&even, -6.0, 8.0, |y| (y - mean) * (y - mean));
    assert!((u.mean - mean).abs() < 1e-9, "{} {mean}", u.mean);
    assert!(
        (u.aleatoric + u.epistemic - var).abs() < 1e-8,
        "{u:?} against {var}"
    );
    // Epistemic is the variance of the members' means; one member has none.
    let means: Vec<f64> = members.iter().map(|m| m.spread().unwrap().mean).collect();
    let mm = means.iter().sum::<f64>() / 3.0;
    let ev = means.iter().map(|m| (m - mm) * (m - mm)).sum::<f64>() / 3.0;
    assert!((u.epistemic - ev).abs() < 1e-15);
    assert_eq!(uncertainty(&members[..1]).unwrap().epistemic, 0.0);
    // Choi's split of one member: its components' spread and their distance apart.
    let s = members[0].spread().unwrap();
    assert!((s.within - (0.3 * 0.04 + 0.7 * 0.16)).abs() < 1e-15);
    assert!((s.mean - (-0.3 + 0.7 * 0.5)).abs() < 1e-15);
    // Angles have no variance to split.
    let mut circ = members[1].clone();
    circ.family = Family::VonMises;
    assert!(circ.spread().is_none());
}

#[test]
fn the_even_mixture_of_hurdles_averages_the_dry_days_and_the_wet_density() {
    let hurdle = |p0: f64, parts: &[(f64, f64, f64)]| {
        let mut m = gaussian(parts);
        m.family = Family::Hurdle;
        m.p_zero = p0;
        m.ln_p_zero = p0.ln();
        m.ln_p_nonzero = (1.0 - p0).ln();
        m
    };
    let members = [
        hurdle(0.6, &[(0.5, 0.0, 0.5), (0.5, 1.0, 0.3)]),
        hurdle(0.2, &[(1.0, -0.5, 0.8)]),
    ];
    let even = Mixture::even(&members).unwrap();
    assert!((even.p_zero - 0.4).abs() < 1e-15);
    assert!((even.pi.iter().sum::<f64>() - 1.0).abs() < 1e-14);
    for y in [0.0, 0.3, 1.0, 2.7] {
        let avg = members.iter().map(|m| m.cdf(y)).sum::<f64>() / 2.0;
        assert!((even.cdf(y) - avg).abs() < 1e-14, "cdf at {y}");
        let lp = (members.iter().map(|m| m.log_prob(&[y]).exp()).sum::<f64>() / 2.0).ln();
        assert!((even.log_prob(&[y]) - lp).abs() < 1e-12, "ln p at {y}");
    }
    // The split holds with the point mass as a component at 0.
    let u = uncertainty(&members).unwrap();
    let total = even.spread().unwrap().total();
    assert!((u.aleatoric + u.epistemic - total).abs() < 1e-12 * total);
}

#[test]
fn an_ensemble_is_unsure_in_the_gap_and_its_calibration_reads_the_even_mixture() {
    let spec = Spec::parse("n=1500&k=4&hidden=16,16&batch=250&steps=600&ensemble=3&gap=0.35,0.55")
        .unwrap();
    let mut e = Ensemble::new(&spec);
    e.train_to(spec.steps, 2);
    let (inside, outside) = e.split_summary().unwrap();
    let inside = inside.unwrap();
    assert!(inside.epistemic > 0.0 && outside.epistemic > 0.0);
    assert!(
        inside.epistemic > outside.epistemic,
        "{inside:?} {outside:?}"
    );
    // Each member's Choi split: within + between, averaged over the members, is the
    // aleatoric part (both are means over the same x).
    assert_eq!(inside.choi.len(), 3);
    let choi = inside.choi.iter().map(|c| c[0] + c[1]).sum::<f64>() / 3.0;
    assert!(
        (choi - inside.aleatoric).abs() < 1e-12 * inside.aleatoric,
        "{inside:?}"
    );
    // Calibration scores the even mixture: its mean NLL is the ensemble's.
    let r = e.calibrate();
    assert!(
        (r.mdn.nll - e.val_nll()).abs() < 1e-9,
        "{} {}",
        r.mdn.nll,
        e.val_nll()
    );
}
