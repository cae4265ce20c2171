//! Share links as a whole (spec, view, page keys): links written before the key table
//! open to the same experiment, bit for bit; the view keys are clamped with messages like
//! the spec's; a link round-trips.

use mdn_playground::data::userdata::decode;
use mdn_playground::share::link::{Link, Scale, View};
use mdn_playground::{Experiment, Spec};

/// Links as the page wrote them before the key table (version 0.10), with what that version's `mdn train`
/// printed for them (`tests/reference/stored_links.sh`).
#[test]
fn stored_links_open_to_the_same_experiment() {
    let stored = include_str!("../data/stored_links.jsonl");
    let mut n = 0;
    for line in stored.lines() {
        let want: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = want["link"].as_str().unwrap();
        let (link, issues) = Link::parse(text);
        assert!(issues.is_empty(), "{text}: {issues:?}");
        // The same spec: the same text, but for the points, which are now written with a
        // checksum (z2) and must be the same numbers.
        let old = Spec::parse(want["spec"].as_str().unwrap()).unwrap();
        assert_eq!(link.spec, old, "{text}");
        let (now, then) = (
            link.spec.format(),
            want["spec"].as_str().unwrap().to_string(),
        );
        let strip = |s: &str| s.split("&pts=").next().unwrap().to_string();
        assert_eq!(strip(&now), strip(&then));
        if let (Some(a), Some(b)) = (now.split("&pts=").nth(1), then.split("&pts=").nth(1)) {
            assert_eq!(decode(a).unwrap(), decode(b).unwrap());
        }
        let mut e = Experiment::new(&link.spec);
        e.train(link.spec.steps);
        let m = e.metrics();
        assert_eq!(m.step, want["step"].as_u64().unwrap());
        for (got, key) in [
            (m.train_nll, "train_nll"),
            (m.val_nll, "val_nll"),
            (m.baseline_val_nll, "baseline_val_nll"),
        ] {
            assert_eq!(
                got.to_bits(),
                want[key].as_f64().unwrap().to_bits(),
                "{text}: {key}"
            );
        }
        n += 1;
    }
    assert_eq!(n, 5);
    // The view and page keys of those links.
    let (arm, _) = Link::parse(stored.lines().nth(1).unwrap().split('"').nth(3).unwrap());
    assert_eq!(
        arm.view,
        View {
            target: Some(vec![0.7, 0.45]),
            temp_pi: 0.5,
            temp_sigma: 2.0,
            samples: 300,
            mode: true,
            intervals: false,
            // Links written before `scale=` open with today's default: a fixed scale.
            scale: Scale::Fixed,
            truth: true,
        }
    );
    let (page, _) = Link::parse(stored.lines().nth(3).unwrap().split('"').nth(3).unwrap());
    assert!(page.play && page.embed);
}

#[test]
fn view_keys_are_clamped_and_named_like_the_spec_keys() {
    let (l, issues) =
        Link::parse("#k=3&target=abc,1e308&tpi=NaN&tsigma=-5&samples=99999&mode=<b>x</b>&tpi=9");
    assert_eq!(l.spec.k, 3);
    assert_eq!(l.view.target, None, "not numbers: the data's own target");
    assert_eq!((l.view.temp_pi, l.view.temp_sigma), (3.0, 0.0));
    assert_eq!(l.view.samples, 1000);
    assert!(!l.view.mode);
    let text: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    for want in [
        "target: 'abc,1e308' is not numbers (accepted: 1 to 2 numbers, comma-separated); using the default",
        "tpi: 9 is above the maximum 3; using 3",
        "tsigma: -5 is below the minimum 0; using 0",
        "samples: '99999' is above the maximum 1000; using 1000",
        "mode: '<b>x</b>' is not 1 or 0 (accepted: 1 | 0); using the default",
        "tpi: given 2 times; using the last value, 3",
    ] {
        assert!(text.iter().any(|t| t == want), "{want:?} not in {text:#?}");
    }
    // A count between the page's goes to the nearest one.
    assert_eq!(Link::parse("samples=40").0.view.samples, 50);
    assert_eq!(Link::parse("samples=200").0.view.samples, 300);
}

#[test]
fn links_round_trip_and_write_only_what_differs() {
    let text = "data=arm&n=600&k=4&target=0.7,0.45&tpi=0.25&samples=50&mode=1&play=1";
    let (l, issues) = Link::parse(text);
    assert!(issues.is_empty(), "{issues:?}");
    let written = l.format(true);
    assert!(
        written.ends_with("&target=0.7,0.45&tpi=0.25&samples=50&mode=1&play=1"),
        "{written}"
    );
    assert_eq!(Link::parse(&written).0, l);
    // Without the page keys; and the defaults are not written.
    assert!(!l.format(false).contains("play"));
    let (d, _) = Link::parse("");
    assert_eq!(d.format(true), Spec::default().format());
    // The CLI takes the same link and names what it ignores.
    let (spec, ignored) = Link::parse_cli(text).unwrap();
    assert_eq!(spec, l.spec);
    assert_eq!(ignored, ["target", "tpi", "samples", "mode", "play"]);
}

#[test]
fn every_key_is_documented_once_and_the_page_keys_follow_the_table() {
    let docs = Link::key_docs();
    let names: Vec<&str> = docs.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "target",
            "tpi",
            "tsigma",
            "samples",
            "mode",
            "intervals",
            "scale",
            "truth",
            "play",
            "speed",
            "embed",
            "panels",
            "controls",
            "caption",
            "lock",
            "theme",
            "lang",
            "compare",
            "goal",
            "tour"
        ]
    );
    assert_eq!(
        mdn_playground::share::link::page_keys(),
        [
            "play",
            "speed",
            "embed",
            "panels",
            "controls",
            "caption",
            "lock",
            "theme",
            "lang",
            "compare",
            "goal",
            "tour",
            "target",
            "tpi",
            "tsigma",
            "samples",
            "mode",
            "intervals",
            "scale",
            "truth"
        ]
    );
    for row in mdn_playground::config::spec::key_docs().iter().chain(&docs) {
        assert!(!row[1].is_empty() && !row[3].is_empty(), "{row:?}");
    }
}

/// The README's table of the view and page keys is the key table itself.
#[test]
fn readme_lists_the_view_and_page_keys_as_declared() {
    let readme = include_str!("../../README.md");
    let table = Link::keys_markdown();
    assert!(
        readme.contains(&table),
        "README.md's table of view and page keys is stale; replace it with:\n{table}"
    );
}

/// Embeds shaped by the link.
#[test]
fn embeds_are_shaped_by_checked_keys() {
    let (l, issues) = Link::parse(
        "k=3&embed=1&panels=slice,MAIN,bogus,slice&controls=k,sigma_min,colour&caption=Look%20at%20the%20%3Cb%3Eslice%3C%2Fb%3E&lock=lr",
    );
    assert_eq!(l.panels, ["slice", "main"]);
    assert_eq!(
        l.controls,
        Some(vec!["k".to_string(), "sigma_min".to_string()])
    );
    assert_eq!(
        l.caption, "Look at the <b>slice</b>",
        "plain text, kept as written"
    );
    assert_eq!(l.lock, ["lr"]);
    let text: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("panels: 'bogus' is not one of main | slice")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|t| t.starts_with("controls: 'colour' is not one of data | n")),
        "{text:?}"
    );
    // Written back exactly, the caption percent-encoded.
    let written = l.format(true);
    assert!(written.contains("&panels=slice,main&controls=k,sigma_min&caption=Look%20at%20the%20%3Cb%3Eslice%3C%2Fb%3E&lock=lr"), "{written}");
    assert_eq!(Link::parse(&written).0, l);
    // A caption longer than 280 characters is cut, and said so; control characters go.
    let long = format!("caption={}", "x".repeat(300));
    let (l, issues) = Link::parse(&long);
    assert_eq!(l.caption.chars().count(), 280);
    assert_eq!(
        issues[0].to_string(),
        "caption: longer than 280 characters; cut to 280"
    );
    assert_eq!(Link::parse("caption=a%0Ab%00c").0.caption, "a b c");
    // The CLI ignores them all.
    let (_, ignored) = Link::parse_cli("k=3&panels=loss&caption=hi&lock=k&controls=k").unwrap();
    assert_eq!(ignored, ["panels", "caption", "lock", "controls"]);
}
