//! A second experiment beside a link's own (`compare=`): the same data, points and seed
//! with some of the spec's keys changed, written as they would be in a link
//! (`compare=k%3D1`, or `compare=sigma_min%3D0%26k%3D2` for two changes: `=` and `&`
//! percent-encoded). Both draw their data, initialisation and batches from the same seed,
//! so where the networks have the same shape they start from the same weights, and every
//! difference between the two is the changed keys' doing.

use crate::config::keys::{self, Issue};
use crate::config::spec::{Spec, KEYS};
use crate::lang::{en, english};

/// Keys a comparison may not change: they would make it another data set, or more than
/// one network.
pub const FIXED: &[&str] = &["data", "n", "seed", "pts", "gap", "ensemble"];

/// How the comparison's problems are written, to be told again in the page's language
/// ([`crate::lang::Lang::retell`]).
pub const SAID: &[&str] = &[
    COMPARE,
    LEFT_AS_IT_IS,
    FIXED_KEY,
    NOT_A_KEY,
    SAME,
    english("no comparison"),
];

const COMPARE: &str = "compare: {0}";
const LEFT_AS_IT_IS: &str = "{0} is left as it is";
const FIXED_KEY: &str = "compare: {0} cannot change: both experiments train on the same data \
     (data, n, seed, pts, gap) as one network each (ensemble)";
const NOT_A_KEY: &str = "compare: {0} is not a spec key";
const SAME: &str = english("compare: the second experiment would be the same as the first");

/// The longest `compare=` text.
pub const COMPARE_MAX: usize = 400;

/// The spec B of the comparison: `a` with the changes (`key=value&…`). Changes to a key of
/// [`FIXED`], unknown keys and bad values are left out with an issue (key `compare`);
/// `None` when nothing is left to change.
pub fn second(a: &Spec, changes: &str) -> (Option<Spec>, Vec<Issue>) {
    let mut issues = Vec::new();
    let mut own: Vec<(String, String)> = keys::pairs(&a.format()).collect();
    for (key, value) in keys::pairs(changes) {
        let issue = |message: String| Issue {
            key: "compare".into(),
            message,
            action: en(LEFT_AS_IT_IS, &[&key]),
        };
        if FIXED.contains(&key.as_str()) {
            issues.push(issue(en(FIXED_KEY, &[&key])));
        } else if !KEYS.iter().any(|k| k.name == key) {
            issues.push(issue(en(NOT_A_KEY, &[&key])));
        } else {
            own.retain(|(k, _)| *k != key);
            own.push((key, value));
        }
    }
    let text: Vec<String> = own
        .iter()
        .map(|(k, v)| format!("{k}={}", keys::percent_encode(v)))
        .collect();
    let (b, bad) = Spec::parse_with_points(&text.join("&"), &[], || a.points.clone());
    issues.extend(bad.into_iter().map(|i| Issue {
        key: "compare".into(),
        message: en(COMPARE, &[&i.message]),
        action: i.action,
    }));
    if changed(a, &b).is_empty() {
        issues.push(Issue {
            key: "compare".into(),
            message: SAME.into(),
            action: english("no comparison").into(),
        });
        return (None, issues);
    }
    (Some(b), issues)
}

/// The keys where `b` differs from `a`, as `key=value&…` in the order of [`KEYS`].
pub fn changed(a: &Spec, b: &Spec) -> String {
    KEYS.iter()
        .filter(|k| k.text(a) != k.text(b))
        .map(|k| format!("{}={}", k.name, k.shown(b)))
        .collect::<Vec<_>>()
        .join("&")
}
