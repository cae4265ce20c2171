//! The experiment spec: round trips, documented ranges, clear errors, and no panic on
//! any input (a seeded fuzz run over random and adversarial strings).

use mdn_playground::base::named::Named;
use mdn_playground::base::rng::Rng;
use mdn_playground::config::spec::{Spec, KEYS};
use mdn_playground::data::dataset::Data;
use mdn_playground::mdn::family::Family;
use mdn_playground::mdn::head::Covariance;
use mdn_playground::mdn::head::Init;
use mdn_playground::mdn::head::SigmaMap;
use mdn_playground::mdn::network::Activation;
use mdn_playground::optim::batches::Batch;
use mdn_playground::optim::optimizer::OptimizerKind;
use mdn_playground::optim::optimizer::Schedule;

#[test]
fn empty_text_is_the_default_and_format_round_trips() {
    assert_eq!(Spec::parse("").unwrap(), Spec::default());
    let d = Spec::default();
    assert_eq!(Spec::parse(&d.format()).unwrap(), d);
    // A full share link, and the part after '#', both work.
    let link = format!("https://example.org/mdn/?x=1#{}", d.format());
    assert_eq!(Spec::parse(&link).unwrap(), d);
    // format writes every documented key, in the documented order (pts only with own
    // points: tests/native/userdata.rs; family only when not Gaussian, nu only with Student-t:
    // tests/native/families.rs; ensemble and gap only when set: tests/native/ensemble.rs).
    let f = d.format();
    let keys: Vec<&str> = f
        .split('&')
        .map(|kv| kv.split('=').next().unwrap())
        .collect();
    let documented: Vec<&str> = KEYS
        .iter()
        .map(|k| k.name)
        .filter(|k| !["pts", "family", "nu", "ensemble", "gap"].contains(k))
        .collect();
    assert_eq!(keys, documented);
}

fn random_spec(r: &mut Rng) -> Spec {
    let pick = |r: &mut Rng, n: u64| r.below(n) as usize;
    let mut s = Spec {
        data: [
            Data::BishopInverse,
            Data::BishopForward,
            Data::Arm,
            Data::Ring,
            Data::Regimes,
            Data::Rain,
            Data::Wind,
        ][pick(r, 7)],
        n: 10 + pick(r, 49_991),
        seed: r.below(9_007_199_254_740_992),
        k: 1 + pick(r, 30),
        hidden: (0..1 + pick(r, 4)).map(|_| 1 + pick(r, 256)).collect(),
        act: [Activation::Tanh, Activation::Relu][pick(r, 2)],
        sigma: [SigmaMap::Exp, SigmaMap::Softplus][pick(r, 2)],
        sigma_min: [0.0, 1.0, r.uniform(), 1e-7 * r.uniform()][pick(r, 4)],
        cov: [Covariance::Diagonal, Covariance::Full][pick(r, 2)],
        family: Family::ALL[pick(r, Family::ALL.len() as u64)],
        nu: 1.0 + 999.0 * r.uniform(),
        opt: [OptimizerKind::Adam, OptimizerKind::Sgd][pick(r, 2)],
        lr: 1e-6 + (1.0 - 1e-6) * r.uniform(),
        schedule: [Schedule::Constant, Schedule::Cosine][pick(r, 2)],
        momentum: 0.999 * r.uniform(),
        batch: if r.uniform() < 0.5 {
            Batch::All
        } else {
            Batch::Size(1 + pick(r, 50_000))
        },
        steps: r.below(1_000_001),
        clip: [0.0, 1e6 * r.uniform()][pick(r, 2)],
        pi_floor: [0.0, 0.5, 0.5 * r.uniform()][pick(r, 3)],
        reinit_dead: [0, 1, r.below(1_000_001)][pick(r, 3)],
        init: [Init::Plain, Init::Diverse][pick(r, 2)],
        noise_x: [0.0, 1.0, r.uniform()][pick(r, 3)],
        noise_y: [0.0, r.uniform()][pick(r, 2)],
        weight_decay: [0.0, 0.1, 0.1 * r.uniform()][pick(r, 3)],
        // Own points (data=custom) have their round trips in tests/native/userdata.rs.
        points: None,
        ensemble: 1 + pick(r, 10),
        gap: None,
    };
    if s.data == Data::BishopInverse && r.uniform() < 0.5 {
        s.gap = Some((0.4, 0.4 + 0.1 * r.uniform() + 1e-3));
    }
    // What the families need of the rest (each refused combination has its own test).
    if s.family != Family::Gaussian {
        s.cov = Covariance::Diagonal;
    }
    if s.family == Family::Hurdle {
        s.noise_y = 0.0;
        if !s.source().hurdle_fits() {
            s.family = Family::Laplace;
        }
    }
    if s.family != Family::Student {
        s.nu = Spec::default().nu;
    }
    s
}

#[test]
fn parse_of_format_is_identity_for_random_specs() {
    let mut r = Rng::new(11, 0);
    for _ in 0..5000 {
        let s = random_spec(&mut r);
        let text = s.format();
        assert_eq!(Spec::parse(&text).as_ref(), Ok(&s), "{text}");
        assert_eq!(Spec::parse(&text).unwrap().format(), text);
    }
}

#[test]
fn out_of_range_values_are_clamped_and_named() {
    let (s, issues) = Spec::parse_lenient(
        "n=3&k=999&lr=5&sigma_min=-1&hidden=0,300,2,2,2&batch=0&steps=99999999999999999999999",
        &[],
    );
    assert_eq!(s.n, 10);
    assert_eq!(s.k, 30);
    assert_eq!(s.lr, 1.0);
    assert_eq!(s.sigma_min, 0.0);
    assert_eq!(s.hidden, vec![1, 256, 2, 2]);
    assert_eq!(s.batch, Batch::Size(1));
    assert_eq!(s.steps, 1_000_000);
    let keys: Vec<&str> = issues.iter().map(|i| i.key.as_str()).collect();
    for k in ["n", "k", "lr", "sigma_min", "hidden", "batch", "steps"] {
        assert!(keys.contains(&k), "no issue for {k}: {issues:?}");
    }
    assert!(Spec::parse("n=3")
        .unwrap_err()
        .to_string()
        .contains("n: '3' is below the minimum 10"));
}

#[test]
fn malformed_values_and_unknown_keys_name_the_key_and_what_it_accepts() {
    let e = Spec::parse("act=sigmoid").unwrap_err().to_string();
    assert!(e.contains("act") && e.contains("tanh | relu"), "{e}");
    let e = Spec::parse("lr=NaN").unwrap_err().to_string();
    assert!(e.contains("lr") && e.contains("0.000001 to 1"), "{e}");
    let e = Spec::parse("lr=inf").unwrap_err().to_string();
    assert!(e.contains("lr"), "{e}");
    let e = Spec::parse("k=three").unwrap_err().to_string();
    assert!(e.contains("k:") && e.contains("1 to 30"), "{e}");
    let e = Spec::parse("colour=red").unwrap_err().to_string();
    assert!(
        e.contains("unknown key 'colour'") && e.contains("sigma_min"),
        "{e}"
    );
    let e = Spec::parse("hidden=20,x").unwrap_err().to_string();
    assert!(e.contains("hidden"), "{e}");
    // Lenient: the rest of the spec is kept.
    let (s, issues) = Spec::parse_lenient("k=3&act=sigmoid&n=500", &[]);
    assert_eq!((s.k, s.act, s.n), (3, Activation::Tanh, 500));
    assert_eq!(issues.len(), 1);
    assert!(issues[0].to_string().contains("using the default"));
    // Keys the page owns are ignored when asked.
    let (_, issues) = Spec::parse_lenient("play=1&embed=1&k=2", &["play", "embed"]);
    assert!(issues.is_empty());
}

#[test]
fn user_text_in_messages_is_shortened_and_stripped_of_control_characters() {
    let long = "x".repeat(10_000);
    let e = Spec::parse(&format!("data={long}"))
        .unwrap_err()
        .to_string();
    assert!(e.len() < 300, "{}", e.len());
    let e = Spec::parse("data=%0a%1b[31m").unwrap_err().to_string();
    assert!(!e.chars().any(|c| c.is_control()), "{e:?}");
}

#[test]
fn percent_encoding_and_case_are_accepted() {
    let s = Spec::parse("hidden=64%2C64&ACT=ReLU&data=bishop-forward").unwrap();
    assert_eq!(s.hidden, vec![64, 64]);
    assert_eq!(s.act, Activation::Relu);
    assert_eq!(s.data, Data::BishopForward);
}

/// The parser never panics and the lenient form always yields a valid spec.
#[test]
fn fuzz_never_panics() {
    let mut r = Rng::new(12, 0);
    let keys: Vec<&str> = KEYS
        .iter()
        .map(|k| k.name)
        .chain(["", "x", "play", "%", "&&"])
        .collect();
    let atoms = [
        "",
        "0",
        "-1",
        "1e308",
        "-0",
        "NaN",
        "inf",
        "all",
        "%",
        "%zz",
        "%ff%fe",
        "+",
        "=",
        "#",
        "?",
        "é",
        "\u{0}",
        "<script>alert(1)</script>",
        "\"'><img src=x onerror=alert(1)>",
        "64,64",
        ",,,",
        "9999999999999999999999999",
        "0.5",
        "1e-320",
        "tanh",
        "softplus",
    ];
    for i in 0..30_000 {
        let text = if i % 3 == 0 {
            // Random bytes, lossily made text.
            let len = r.below(64) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| r.below(256) as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            let parts = r.below(8) as usize;
            (0..parts)
                .map(|_| {
                    format!(
                        "{}={}{}",
                        keys[r.below(keys.len() as u64) as usize],
                        atoms[r.below(atoms.len() as u64) as usize],
                        atoms[r.below(atoms.len() as u64) as usize]
                    )
                })
                .collect::<Vec<_>>()
                .join(if r.uniform() < 0.9 { "&" } else { "#" })
        };
        let strict = std::panic::catch_unwind(|| Spec::parse(&text));
        assert!(strict.is_ok(), "panic on {text:?}");
        let (s, _) = std::panic::catch_unwind(|| Spec::parse_lenient(&text, &[]))
            .unwrap_or_else(|_| panic!("panic on {text:?}"));
        // Whatever came in, the result is inside every range and round-trips.
        assert!(
            (10..=50_000).contains(&s.n)
                && (1..=30).contains(&s.k)
                && s.lr.is_finite()
                && s.lr > 0.0
        );
        assert!(
            !s.hidden.is_empty()
                && s.hidden.len() <= 4
                && s.hidden.iter().all(|w| (1..=256).contains(w))
        );
        assert_eq!(Spec::parse(&s.format()).unwrap(), s);
    }
}

/// The documented defaults (KEYS, the README's table) are the real ones.
#[test]
fn documented_defaults_match_spec_default() {
    let f = Spec::default().format();
    let docs = mdn_playground::config::spec::key_docs();
    // Left out of a Gaussian spec's link: the family (its default, the first name) and ν.
    let family = docs.iter().find(|d| d[0] == "family").unwrap();
    assert_eq!(family[2], "gaussian");
    let docs = docs
        .into_iter()
        .filter(|d| d[0] != "family" && d[0] != "nu");
    for (kv, [key, _, default, _]) in f.split('&').zip(docs) {
        let (k, v) = kv.split_once('=').unwrap();
        assert_eq!(k, key);
        assert_eq!(v, default, "default of {k}");
    }
}

/// The README's table of keys is the key table itself.
#[test]
fn readme_lists_every_key_as_documented() {
    let readme = include_str!("../../README.md");
    let table = mdn_playground::config::spec::keys_markdown();
    assert!(
        readme.contains(&table),
        "README.md's key table is stale; replace it with the output of `mdn keys --markdown`:\n{table}"
    );
}
