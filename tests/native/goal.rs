//! Exercises with a goal (`goal=`): read and checked like every link value, written back,
//! met only when every condition holds, and listed in the README as declared.

use crate::figures::metrics as at;
use mdn_playground::share::goal::{Goal, EXERCISES, MEASURES};
use mdn_playground::share::link::Link;
use mdn_playground::Spec;

#[test]
fn a_goal_is_read_written_back_and_met_only_when_every_condition_holds() {
    let g = Goal::parse(" val_nll < −1.0 , k>=3").unwrap();
    assert_eq!(g.format(), "val_nll<-1,k>=3");
    assert_eq!(Goal::parse(&g.format()).unwrap(), g);
    let spec = Spec::parse("k=3").unwrap();
    assert_eq!(
        g.met(&spec, 1, &at(50, -0.9, -0.2)),
        None,
        "NLL not low enough"
    );
    assert_eq!(
        g.met(&Spec::parse("k=2").unwrap(), 1, &at(50, -1.2, -0.2)),
        None,
        "too few components"
    );
    assert_eq!(
        g.met(&spec, 1, &at(50, -1.2, -0.2)).as_deref(),
        Some("Done at step 50: val_nll = −1.2, k = 3.")
    );
    // "<=" is not read as "<" then "=…".
    let le = Goal::parse("dead<=2").unwrap();
    assert_eq!(le.format(), "dead<=2");
    // A measure that is not there (no Bayes line, no arm) is not met.
    let gap = Goal::parse("bayes_gap<1").unwrap();
    assert_eq!(gap.met(&spec, 1, &at(9, -1.0, 0.0)), None);
    // Numbers are clamped; bad goals say why.
    assert_eq!(Goal::parse("step>1e300").unwrap().format(), "step>1000000");
    for (bad, why) in [
        ("loss<1", "\"loss\" is not a measure"),
        ("val_nll", "has no comparison"),
        ("val_nll<abc", "\"abc\" is not a number"),
        ("val_nll<inf", "is not a number"),
        ("k=1,k=1,k=1,k=1,k=1", "at most 4 conditions"),
    ] {
        let e = Goal::parse(bad).unwrap_err();
        assert!(e.contains(why), "{bad}: {e}");
    }
}

#[test]
fn the_built_in_exercises_are_the_seed_pages_two_and_can_be_done() {
    let names: Vec<&str> = EXERCISES.iter().map(|e| e.name).collect();
    assert_eq!(names, ["outputs", "k1"]);
    let outputs = Goal::parse("outputs").unwrap();
    assert_eq!(outputs.format(), "outputs");
    assert!(outputs.task().contains("30 numbers"));
    let m = at(0, 1.0, 1.0);
    assert!(outputs.met(&Spec::parse("k=10").unwrap(), 1, &m).is_some());
    assert!(outputs.met(&Spec::parse("k=9").unwrap(), 1, &m).is_none());
    let k1 = Goal::parse("k1").unwrap();
    assert!(k1.task().contains("which loss"));
    let one = Spec::parse("k=1").unwrap();
    assert!(
        k1.met(&one, 1, &at(0, -0.5, 1.0)).is_none(),
        "not before training"
    );
    assert!(k1.met(&one, 1, &at(300, -0.4, -0.2)).is_some());
    assert!(k1
        .met(&Spec::parse("k=3").unwrap(), 1, &at(300, -1.0, -0.2))
        .is_none());
}

#[test]
fn a_link_carries_its_goal_and_refuses_a_bad_one_with_a_reason() {
    let (l, issues) = Link::parse("k=3&goal=val_nll%3C-1.0");
    assert!(issues.is_empty(), "{issues:?}");
    assert!(l.goal.is_some());
    let text = l.format(true);
    assert!(text.ends_with("&goal=val_nll%3C-1"), "{text}");
    assert_eq!(Link::parse(&text).0, l);
    let (l, issues) = Link::parse("k=3&goal=loss%3C1");
    assert_eq!(l.goal, None);
    assert!(issues[0]
        .message
        .contains("goal: \"loss\" is not a measure"));
    // Too long: clamped like every text value, then read.
    let long = format!("k=3&goal=val_nll%3C-1{}", "0".repeat(300));
    assert!(Link::parse(&long).1.iter().any(|i| i.key == "goal"));
}

#[test]
fn the_readme_lists_every_measure_a_goal_can_name() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for m in MEASURES {
        let row = format!("| `{}` | {} |", m.name, m.meaning);
        assert!(readme.contains(&row), "README lacks {row}");
    }
}
