//! Your own data: CSV reading (with line-numbered complaints), the link form (exact, and
//! safe against damaged or oversized input), and custom-data specs and experiments.

use mdn_playground::base::rng::Rng;
use mdn_playground::config::spec::Spec;
use mdn_playground::data::dataset::Data;
use mdn_playground::data::userdata::{self, decode, encode, parse_csv, UserData};
use mdn_playground::Experiment;

#[test]
fn csv_with_header_separators_comments_and_bad_lines() {
    let text = "x;y\n# a comment\n0.1;0.5\n\n0.2\t0.7\n0.3 , 0.9\nabc,1\n0.4,0.1,0.2\n1e7,1\n0.5,nan\n0.6,-2.5e-3\n";
    let p = parse_csv(text).unwrap();
    assert_eq!(p.data.cols, 2);
    assert_eq!(
        p.data.values,
        vec![0.1, 0.5, 0.2, 0.7, 0.3, 0.9, 0.6, -2.5e-3]
    );
    assert_eq!(p.skipped_count, 4);
    assert_eq!(
        p.skipped,
        vec![
            "line 7: 'abc' is not a number",
            "line 8: 3 values, but the first point had 2",
            "line 9: '1e7' is beyond ±1000000",
            "line 10: 'nan' is not a finite number",
        ]
    );
    assert_eq!(
        p.dropped(),
        "4 lines were dropped: 1 with a value that is not a number, 1 with 3 values where \
         the first point had 2, 1 with a value beyond ±1000000, 1 with a value that is not a \
         finite number (nan or inf)"
    );
    let three = parse_csv("1,2,3\n4,5,6\n").unwrap();
    assert_eq!((three.data.cols, three.data.len()), (3, 2));
    for (bad, want) in [
        ("", "no points"),
        ("a,b\nc,d\n", "no points"),
        ("1,2,3,4\n", "no points"),
    ] {
        let err = parse_csv(bad).unwrap_err();
        assert!(err.contains(want), "{bad:?}: {err}");
    }
    let many: String = (0..userdata::MAX_POINTS + 1)
        .map(|i| format!("{i},1\n"))
        .collect();
    assert!(parse_csv(&many)
        .unwrap_err()
        .contains("more than 20000 points"));
    let huge = "1,2\n".repeat(userdata::MAX_TEXT / 4 + 1);
    assert!(parse_csv(&huge).unwrap_err().contains("KB"));
}

#[test]
fn link_form_round_trips_exactly_and_refuses_damage() {
    let mut r = Rng::new(3, 0);
    for cols in [2, 3] {
        let values: Vec<f64> = (0..cols * 500)
            .map(|i| match i % 4 {
                0 => r.normal() * 1e-300,
                1 => r.range(-1e6, 1e6),
                2 => r.uniform(),
                _ => (r.uniform() * 100.0).round() / 10.0,
            })
            .collect();
        let u = UserData { cols, values };
        let text = encode(&u);
        assert!(
            text.starts_with("z2.")
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        );
        let back = decode(&text).unwrap();
        assert_eq!(back.cols, u.cols);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back.values), bits(&u.values), "bit for bit");
    }
    // Compression pays on the usual small sets.
    let u = UserData {
        cols: 2,
        values: (0..400).map(|i| (i as f64 * 0.37).sin()).collect(),
    };
    assert!(encode(&u).len() < u.to_csv().len());
    for (bad, want) in [
        ("abc", "start with z2."),
        ("z1.@@@", "base64url"),
        ("z1.AAAA", "decompress"),
    ] {
        let err = decode(bad).unwrap_err();
        assert!(err.contains(want), "{bad}: {err}");
    }
    // A deflate bomb: 3 MB of text packed small is refused, not inflated.
    let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'1'; 3 << 20], 9);
    let b64 = userdata::base64url(&bomb);
    assert!(decode(&format!("z1.{b64}"))
        .unwrap_err()
        .contains("too large"));
}

fn points(n: usize) -> UserData {
    UserData {
        cols: 2,
        values: (0..n)
            .flat_map(|i| [i as f64 / n as f64, ((i * 7) % 13) as f64 / 13.0])
            .collect(),
    }
}

#[test]
fn custom_specs_round_trip_and_complain_clearly() {
    let u = points(100);
    let text = format!("data=custom&k=3&pts={}", encode(&u));
    let s = Spec::parse(&text).unwrap();
    assert_eq!(s.data, Data::Custom);
    assert_eq!(s.n, 80, "n is the training part");
    assert_eq!(s.points.as_ref(), Some(&u));
    assert_eq!(Spec::parse(&s.format()).unwrap(), s);
    // Too few points, or none: Bishop's data, and a message.
    let (s, issues) = Spec::parse_lenient(&format!("data=custom&pts={}", encode(&points(5))), &[]);
    assert_eq!(s.data, Data::BishopInverse);
    assert!(
        issues[0].message.contains("at least 12 points")
            && issues[0].action == "using bishop-inverse"
    );
    let (s, issues) = Spec::parse_lenient("data=custom", &[]);
    assert_eq!((s.data, s.points.is_none()), (Data::BishopInverse, true));
    assert!(issues[0].message.contains("got 0"));
    // Points without data=custom are ignored, with a message; damaged points too.
    let (s, issues) = Spec::parse_lenient(&format!("data=ring&pts={}", encode(&u)), &[]);
    assert!(s.points.is_none() && issues[0].key == "pts");
    let (_, issues) = Spec::parse_lenient("data=custom&pts=z1.@@", &[]);
    assert!(issues
        .iter()
        .any(|i| i.key == "pts" && i.message.contains("damaged")));
}

#[test]
fn a_custom_experiment_splits_by_seed_and_trains() {
    let u = points(200);
    let spec = Spec::parse(&format!(
        "data=custom&k=3&hidden=8&steps=200&pts={}",
        encode(&u)
    ))
    .unwrap();
    let e = Experiment::new(&spec);
    assert_eq!((e.train.len(), e.val.len()), (160, 40));
    // Every point is in exactly one of the two sets.
    let mut all: Vec<(u64, u64)> = (0..e.train.len())
        .map(|i| (e.train.x[[0, i]].to_bits(), e.train.y[[0, i]].to_bits()))
        .chain((0..e.val.len()).map(|i| (e.val.x[[0, i]].to_bits(), e.val.y[[0, i]].to_bits())))
        .collect();
    all.sort();
    let mut want: Vec<(u64, u64)> = (0..u.len())
        .map(|i| (u.row(i)[0].to_bits(), u.row(i)[1].to_bits()))
        .collect();
    want.sort();
    assert_eq!(all, want);
    let mut e = e;
    let before = e.metrics().val_nll;
    e.train(spec.steps);
    assert!(e.metrics().val_nll < before);
    // Another seed, another split.
    let other =
        Experiment::new(&Spec::parse(&spec.format().replace("seed=1&", "seed=9&")).unwrap());
    assert_ne!(other.val.x, Experiment::new(&spec).val.x);
}

#[test]
fn mdn_train_takes_a_custom_link() {
    let u = points(60);
    let link = format!(
        "http://127.0.0.1:8080/#data=custom&k=2&hidden=4&steps=30&pts={}",
        encode(&u)
    );
    let last = crate::run::mdn(&["train", &link]).ok().last_json();
    assert_eq!(last["step"], 30);
    assert!(last["spec"].as_str().unwrap().contains("&pts=z2."));
}

#[test]
fn csv_drops_are_counted_by_reason_and_a_byte_order_mark_is_ignored() {
    // How many lines were dropped and why; a BOM is not a damaged first line.
    let text = "\u{FEFF}x,y\n0.1,0.2\nNaN,1\n0.3,inf\n0.4,0.5,0.6\n-Infinity,2\n0.5,0.5\n";
    let p = parse_csv(text).unwrap();
    assert_eq!(p.data.values, vec![0.1, 0.2, 0.5, 0.5]);
    assert_eq!(
        p.dropped(),
        "4 lines were dropped: 3 with a value that is not a finite number (nan or \
         inf), 1 with 3 values where the first point had 2"
    );
    let no_header = parse_csv("\u{FEFF}0.1,0.2\n0.3,0.4\n").unwrap();
    assert_eq!(no_header.data.values, vec![0.1, 0.2, 0.3, 0.4]);
    assert_eq!(no_header.skipped_count, 0);
    assert_eq!(no_header.dropped(), "");
}

#[test]
fn tiny_and_huge_numbers_are_written_short_and_read_back_exactly() {
    // 1e-300 was written as a 302-character decimal, so 4000 such rows made a
    // link whose text no longer fitted the decoder's limit.
    let u = UserData {
        cols: 2,
        values: (0..4000).flat_map(|_| [1e-300, 2e-300]).collect(),
    };
    let csv = u.to_csv();
    assert!(
        csv.lines().nth(1) == Some("1e-300,2e-300"),
        "{:?}",
        csv.lines().nth(1)
    );
    let back = decode(&encode(&u)).unwrap();
    assert_eq!(back, u);
    // The worst case: the most points, each value as long as an f64 gets, still decodes.
    let mut r = Rng::new(5, 0);
    let worst = UserData {
        cols: 3,
        values: (0..3 * userdata::MAX_POINTS)
            .map(|_| -r.uniform() * 1e-200 - 1e-300)
            .collect(),
    };
    assert!(worst.to_csv().len() < userdata::MAX_TEXT);
    assert_eq!(decode(&encode(&worst)).unwrap(), worst);
    // Ordinary numbers keep their plain form.
    let plain = UserData {
        cols: 2,
        values: vec![0.25, -3.5, 1000.0, 0.001],
    };
    assert_eq!(plain.to_csv(), "x,y\n0.25,-3.5\n1000,0.001\n");
}

#[test]
fn a_link_changed_by_one_character_is_refused_never_read_as_other_points() {
    // About one in five one-character changes decoded to other data.
    let u = points(40);
    let text = encode(&u);
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // Each change is refused, or (rarely: bits zlib does not read) gives the same points.
    let mut refused = 0;
    let mut tried = 0;
    for i in 3..text.len() {
        for &c in alphabet.iter().step_by(7) {
            if text.as_bytes()[i] == c {
                continue;
            }
            let mut b = text.clone().into_bytes();
            b[i] = c;
            let changed = String::from_utf8(b).unwrap();
            tried += 1;
            match decode(&changed) {
                Ok(v) => assert_eq!(v, u, "position {i}: other points without a warning"),
                Err(e) => {
                    assert!(!e.is_empty(), "{e}");
                    refused += 1;
                }
            }
        }
    }
    assert!(
        refused * 100 >= tried * 99,
        "{refused} of {tried} changes refused"
    );
    let cut = &text[..text.len() - 3];
    assert!(decode(cut).unwrap_err().contains("damaged"));
    let flipped = {
        let mut b = text.clone().into_bytes();
        let n = b.len();
        b[n - 8] = if b[n - 8] == b'A' { b'B' } else { b'A' };
        String::from_utf8(b).unwrap()
    };
    assert!(decode(&flipped).is_err());
}

#[test]
fn links_of_the_first_form_still_decode() {
    // Links written before the checksum (z1: raw deflate) keep their points.
    let u = points(30);
    let z1 = format!(
        "z1.{}",
        userdata::base64url(&miniz_oxide::deflate::compress_to_vec(
            u.to_csv().as_bytes(),
            9
        ))
    );
    assert_eq!(decode(&z1).unwrap(), u);
}

#[test]
fn semicolon_separated_points_may_write_a_decimal_comma() {
    use mdn_playground::data::userdata::parse_csv;
    // As a spreadsheet in Spanish or German saves CSV.
    let p = parse_csv("x;y\n0,5;1,25\n-1,5;2\n3;4,75\n").unwrap();
    assert_eq!(p.data.values, [0.5, 1.25, -1.5, 2.0, 3.0, 4.75]);
    // Commas still separate values where no semicolon or tab does.
    let q = parse_csv("x,y\n0.5,1.25\n").unwrap();
    assert_eq!(q.data.values, [0.5, 1.25]);
    // A comma that makes no number is not read as one.
    let r = parse_csv("1;2\n1,2,3;4\n").unwrap();
    assert_eq!(r.skipped, ["line 2: '1,2,3' is not a number"]);
}

#[test]
fn what_reading_points_skipped_is_said_in_the_page_s_language() {
    use mdn_playground::data::userdata::{parse_csv, SAID};
    use mdn_playground::lang::Lang;
    let p = parse_csv("x,y\n1,2\n3,abc\n4,5,6,7\n8,nan\n").unwrap();
    assert_eq!(
        p.dropped(),
        "3 lines were dropped: 1 with a value that is not a number, 1 with 4 values instead \
         of 2 or 3, 1 with a value that is not a finite number (nan or inf)"
    );
    assert_eq!(
        p.dropped_in(Lang::Es),
        "3 líneas se descartaron: 1 con un valor que no es un número; 1 con 4 valores en \
         lugar de 2 o 3; 1 con un valor que no es un número finito (nan o inf)"
    );
    assert_eq!(
        Lang::Es.retell(&p.skipped[0], &[SAID]),
        "línea 3: 'abc' no es un número"
    );
}
