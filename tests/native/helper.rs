//! The page trains on two workers (the MDN on one, the MSE regressor on
//! the other, `split`) with the bits of one. Here both sides run in one process, their
//! messages as bytes, and every slice's joint state is compared, byte for byte, with an
//! experiment trained the usual way (`shared::split_equals_joint`; also in Chromium,
//! tests/wasm.rs).

use crate::shared;

use mdn_playground::train::experiment::Experiment;
use mdn_playground::train::helper::{follow, Lead};
use mdn_playground::Spec;
use shared::{helper_of, split_equals_joint};

#[test]
fn two_workers_give_the_bits_of_one() {
    for text in [
        "n=500&k=3&hidden=10&steps=300&lr=0.02",
        // Mini-batches, noise on both sides, dead components moved, a full covariance.
        "data=arm&n=600&k=3&hidden=12&batch=64&noise_x=0.05&noise_y=0.05&reinit_dead=25&steps=200",
        "data=ring&cov=full&n=400&k=2&hidden=8&batch=100&opt=sgd&momentum=0.9&steps=150",
    ] {
        let e = split_equals_joint(text, &[1, 7, 2, 30, 5, 64], &[]);
        assert!(e.halted.is_none(), "{text}");
        assert_eq!(e.step, e.spec.steps, "{text}");
    }
}

/// Runs that halt (in either model, or in the metrics) roll both models back at the same
/// step, with the same message, as one worker does; so does a helper that fails.
#[test]
fn a_halt_on_either_side_rolls_both_back_as_one_worker_does() {
    let mut messages = Vec::new();
    for text in [
        // The lab's blow-up: SGD at lr 1 with momentum 0.99, no σ floor.
        "opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500",
        "data=rain&opt=sgd&lr=1&momentum=0.999&sigma_min=0&n=200&act=relu&steps=300",
        "opt=sgd&lr=1&momentum=0.9&sigma_min=0&n=200&hidden=30,30&steps=300",
    ] {
        let mut e = split_equals_joint(text, &[3, 1, 9, 4], &[]);
        messages.push(e.metrics().halted.unwrap_or_default());
    }
    for m in &messages {
        eprintln!("{m}");
    }
    let saw = |what: &str| messages.iter().any(|m| m.contains(what));
    assert!(
        saw("the MSE regressor's loss") || saw("a gradient"),
        "{messages:?}"
    );
    assert!(saw("rolled back to step"), "{messages:?}");
}

/// A step that training alone left under way (cut short by its time slice) is finished
/// first, and counts as the slice's first step; with or without the helper's report.
#[test]
fn a_step_under_way_when_a_slice_begins_is_finished_first() {
    let spec = Spec::parse("n=700&k=3&hidden=10&steps=50&noise_x=0.1").unwrap();
    for with_report in [true, false] {
        let mut joint = Experiment::new(&spec);
        let mut lead_exp = Experiment::new(&spec);
        let mut helper = helper_of(&spec);
        let mut lead = Lead::default();
        lead_exp.train(3);
        let mut n = 0;
        // 6 blocks a step: stop after the third.
        assert_eq!(
            lead_exp.train_within(1, &mut || {
                n += 1;
                n == 3
            }),
            0
        );
        assert!(lead_exp.mid_step());
        let order = lead.begin(&mut lead_exp, 5);
        let steps = follow(&mut helper, &order).unwrap();
        assert_eq!(steps, 4, "the step under way is the slice's first");
        helper.train(steps);
        while !lead.train_within(&mut lead_exp, &mut || false) {}
        let report = helper.baseline_part();
        let losses = lead.finish(&mut lead_exp, with_report.then_some(&report[..]));
        joint.train(8);
        assert_eq!(losses.len(), 5);
        assert_eq!(losses.last().map(|l| l.0), Some(8));
        assert!(
            lead_exp.save().to_bytes() == joint.save().to_bytes(),
            "report {with_report}"
        );
    }
}

/// Training alone between two slices (the page does when a step gets slow) that halts
/// and rolls back to the very step of the last merged slice: the helper's state is no
/// longer the lead's (optimizers restarted, batches drawn), so the next order carries it.
#[test]
fn a_halt_alone_back_to_the_last_merged_step_resyncs_the_helper() {
    // The lab's blow-up: step 15 fails, rolled back to step 13.
    let spec = Spec::parse("opt=sgd&lr=1&momentum=0.99&sigma_min=0&n=200&steps=500").unwrap();
    let mut joint = Experiment::new(&spec);
    let mut lead_exp = Experiment::new(&spec);
    let mut helper = helper_of(&spec);
    let mut lead = Lead::default();
    let mut slice = |lead: &mut Lead, lead_exp: &mut Experiment, n: u64| {
        let order = lead.begin(lead_exp, n);
        let steps = follow(&mut helper, &order).unwrap();
        helper.train(steps);
        while !lead.train_within(lead_exp, &mut || false) {}
        let report = helper.baseline_part();
        lead.finish(lead_exp, Some(&report));
    };
    slice(&mut lead, &mut lead_exp, 13);
    joint.train(13);
    for e in [&mut lead_exp, &mut joint] {
        e.train(5);
        assert_eq!(e.step, 13, "{:?}", e.halted);
        e.resume();
    }
    slice(&mut lead, &mut lead_exp, 1);
    joint.train(1);
    assert!(lead_exp.save().to_bytes() == joint.save().to_bytes());
    assert_eq!(lead.replays, 0);
}

#[test]
fn a_helper_that_fails_costs_a_replay_not_the_bits() {
    split_equals_joint("n=400&k=3&hidden=10&steps=120", &[10, 3], &[0, 2, 3, 7]);
}

#[test]
fn damaged_messages_are_refused_without_a_change() {
    let spec = Spec::parse("n=300&k=2&hidden=6&steps=50").unwrap();
    let mut lead_exp = Experiment::new(&spec);
    let mut helper = helper_of(&spec);
    let mut lead = Lead::default();
    let order = lead.begin(&mut lead_exp, 5);
    let before = helper.save().to_bytes();
    for bad in [&order[..3], &order[..order.len() - 1], &[0u8; 40][..]] {
        assert!(follow(&mut helper, bad).is_err());
        assert!(helper.save().to_bytes() == before);
    }
    // A state of another spec's shape.
    let other = Experiment::new(&Spec::parse("n=300&k=3&hidden=6&steps=50").unwrap());
    assert!(helper.restore_bytes(&other.save().to_bytes()).is_err());
    // A report of the wrong step, or damaged, is not merged: the slice is replayed.
    let steps = follow(&mut helper, &order).unwrap();
    helper.train(steps - 1);
    let mut joint = Experiment::new(&spec);
    joint.train(5);
    let report = helper.baseline_part();
    while !lead.train_within(&mut lead_exp, &mut || false) {}
    let merged_before = lead_exp.save().to_bytes();
    assert!(lead_exp.take_baseline_part(&report).is_err());
    assert!(lead_exp
        .take_baseline_part(&report[..report.len() - 2])
        .is_err());
    assert!(lead_exp.save().to_bytes() == merged_before);
    let _ = lead.finish(&mut lead_exp, Some(&report));
    assert!(lead_exp.save().to_bytes() == joint.save().to_bytes());
}
