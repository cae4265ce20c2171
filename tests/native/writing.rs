//! Lines of text and writing them: the built-in lines and their transcripts (validation
//! words never trained on, the font's joins), the synthesis spec's keys, and
//! `mdn strokes write` (the window stops the pen; priming; bad input refused clearly).

use mdn_playground::lang::Lang;
use mdn_playground::strokes::alphabet::{decode, encode};
use mdn_playground::strokes::lines::{self, VOCABULARY};
use mdn_playground::strokes::train::{StrokeRun, StrokeSpec};

#[test]
fn the_lines_carry_their_transcripts_and_validation_words_are_never_trained_on() {
    let set = lines::stroke_set(300, 80, 2);
    assert_eq!(set.train_text.len(), 300);
    assert_eq!(set.val_text.len(), 80);
    let words = |texts: &[Vec<u16>]| -> Vec<String> {
        texts
            .iter()
            .flat_map(|t| {
                decode(t)
                    .split(' ')
                    .map(|w| w.trim_end_matches(['.', '!', '?', ',']).to_lowercase())
                    .collect::<Vec<_>>()
            })
            .filter(|w| w.chars().all(|c| c.is_ascii_lowercase()))
            .collect()
    };
    let (train, val) = (words(&set.train_text), words(&set.val_text));
    assert!(
        val.iter().all(|w| !train.contains(w)),
        "a validation word was trained on"
    );
    for w in &val {
        let i = VOCABULARY
            .iter()
            .position(|v| v == w)
            .expect("a vocabulary word");
        assert!(lines::held_out(i));
    }
    // Capitals, digits and spaces occur; every line's moves are in proportion to its text.
    let all: String = set.train_text.iter().map(|t| decode(t)).collect();
    assert!(all.chars().any(|c| c.is_ascii_uppercase()));
    assert!(all.chars().any(|c| c.is_ascii_digit()));
    assert!(all.contains(' '));
    for (m, t) in set.train.iter().zip(&set.train_text) {
        assert!(
            m.len() >= 3 * t.len() && m.len() <= 40 * t.len(),
            "{} moves for {:?}",
            m.len(),
            decode(t)
        );
    }
    // The same seed gives the same lines; another seed other ones.
    assert_eq!(lines::stroke_set(300, 80, 2), set);
    assert_ne!(lines::stroke_set(300, 80, 3).train_text, set.train_text);
}

#[test]
fn the_font_joins_the_letters_of_a_word_and_lifts_between_words() {
    // "all": one stroke (the font joins a to l to l); "a ll": two.
    assert_eq!(lines::typeset("all").unwrap().len(), 1);
    assert_eq!(lines::typeset("a ll").unwrap().len(), 2);
    // Letters side by side, left to right.
    let s = lines::typeset("mm").unwrap();
    let (first, last) = (s[0][0][0], s[s.len() - 1].last().unwrap()[0]);
    assert!(last > first + 40.0, "{first} to {last}");
    assert_eq!(encode("Hi 2!").map(|t| decode(&t)), Ok("Hi 2!".to_string()));
    let err = encode("tab\there <b>").unwrap_err();
    assert!(err.contains("'\\t'") && err.contains("'<'"), "{err}");
}

#[test]
fn the_window_keys_read_clamp_and_keep_old_links() {
    let spec = StrokeSpec::parse("data=lines&window=10&advance=softplus").unwrap();
    assert_eq!(
        (spec.window, spec.link().contains("advance=softplus")),
        (10, true)
    );
    // Without a window the link is what it was before the keys existed.
    let plain = StrokeSpec::default().link();
    assert!(
        !plain.contains("window") && !plain.contains("advance"),
        "{plain}"
    );
    let (s, issues) = StrokeSpec::parse_lenient("window=99");
    assert_eq!(s.window, 20);
    assert!(!issues.is_empty());
    // Drawn words without what they say: the window is refused with a message.
    let word = vec![vec![[0.0, 0.0], [3.0, 4.0], [6.0, 0.0]]];
    let drawn = mdn_playground::strokes::drawn::encode(&[word.clone(), word]);
    let link = format!("data=drawn&drawn={drawn}&window=3");
    let (s, issues) = StrokeSpec::parse_lenient(&link);
    assert_eq!(s.window, 0);
    assert!(
        issues.iter().any(|i| i.to_string().contains("window")),
        "{issues:?}"
    );
    // The synthesis run trains the network with a window beside the unconditional one.
    let run = StrokeRun::new(&StrokeSpec::parse("data=lines&window=2&n=20&hidden=4").unwrap());
    assert!(run.models[0].model.net.shape.window.is_some());
    assert!(run.models[1].model.net.shape.window.is_none());
}

#[test]
fn the_cli_writes_a_text_until_the_window_has_passed_it() {
    let dir = std::env::temp_dir().join(format!("mdn-write-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("w.json");
    let m = model.to_str().unwrap();
    let spec = "data=lines&window=3&n=60&hidden=16&steps=60&batch=8";
    let blind = dir.join("u.json");
    let u = blind.to_str().unwrap();
    let args = ["strokes", "train", spec, "--save", m, "--every", "20"];
    let out = crate::run::mdn(&[&args[..], &["--save-unconditional", u][..]].concat()).ok();
    // The unconditional model trained beside it: no window, the same normalisation.
    let (w, b) = (
        mdn_playground::strokes::file::Saved::from_json(&std::fs::read_to_string(&model).unwrap())
            .unwrap(),
        mdn_playground::strokes::file::Saved::from_json(&std::fs::read_to_string(&blind).unwrap())
            .unwrap(),
    );
    assert!(w.model.net.shape.window.is_some() && b.model.net.shape.window.is_none());
    assert_eq!(w.scale, b.scale);
    let plain = crate::run::mdn(&[
        "strokes",
        "train",
        "n=20&hidden=4&steps=1",
        "--save-unconditional",
        u,
    ]);
    assert_eq!(plain.code, 2, "{}", plain.stderr);
    // Report lines at steps 20 and 40, then the final line; the file holds the weights'
    // fingerprint after the first steps.
    let steps: Vec<u64> = out
        .stdout
        .lines()
        .map(|l| crate::run::last_json(l)["step"].as_u64().unwrap())
        .collect();
    assert_eq!(steps, [20, 40, 60]);
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    assert_eq!(file["early"]["step"], 3, "{}", file["early"]);
    let last = out.last_json();
    for k in ["synthesis", "lstm", "feed_forward"] {
        assert!(last["val_nll"][k].as_f64().unwrap().is_finite(), "{last}");
    }
    let out = crate::run::mdn(&["strokes", "write", "--model", m, "--text", "no", "--json"]).ok();
    let line = out.last_json();
    let moves = line["moves"].as_array().unwrap();
    let argmax = line["phi_argmax"].as_array().unwrap();
    assert_eq!(line["text"], "no");
    assert!(
        !moves.is_empty() && moves.len() <= 80,
        "{} moves",
        moves.len()
    );
    assert!(argmax.len() >= moves.len());
    // The same seed writes the same moves.
    let again = crate::run::mdn(&["strokes", "write", "--model", m, "--text", "no", "--json"]).ok();
    assert_eq!(again.last_json(), line);
    // Primed with its own writing, and drawn to a PNG.
    let prime = dir.join("p.json");
    std::fs::write(&prime, out.stdout.trim()).unwrap();
    let pic = dir.join("w.png");
    let args = ["strokes", "write", "--model", m, "--text", "on", "--prime"];
    let p = [
        prime.to_str().unwrap(),
        "--prime-text",
        "no",
        "--out",
        pic.to_str().unwrap(),
    ];
    let done = crate::run::mdn(&[&args[..], &p[..]].concat())
        .ok()
        .last_json();
    assert!(done["moves"].as_u64().unwrap() > 0, "{done}");
    assert_eq!(&std::fs::read(&pic).unwrap()[1..4], b"PNG");
    // The SVG: the line above the alignment, a row per character ("o", "n") labelled,
    // a cell per row and move.
    let svg = dir.join("w.svg");
    let args = ["strokes", "write", "--model", m, "--text", "on", "--out"];
    let done = crate::run::mdn(&[&args[..], &[svg.to_str().unwrap()][..]].concat()).ok();
    let moves = done.last_json()["moves"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(&svg).unwrap();
    let labels: Vec<&str> = text
        .split("</text>")
        .filter_map(|t| Some(t.rsplit_once('>')?.1.trim()))
        .collect();
    assert!(labels.contains(&"o") && labels.contains(&"n"), "{labels:?}");
    assert!(
        text.matches("<rect").count() >= 2 * moves,
        "the heatmap's cells"
    );
    // Bad input: a clear message and exit code 2, no panic.
    for (bad, says) in [
        (vec!["--text", "<script>"], "cannot write"),
        (vec!["--text", ""], "characters"),
        (vec!["--text", "ok", "--bias", "-1"], "--bias"),
        (vec!["--text", "ok", "--prime", m], "go together"),
    ] {
        let out = crate::run::mdn(&[&["strokes", "write", "--model", m][..], &bad[..]].concat());
        assert_eq!(out.code, 2, "{bad:?}: {}", out.stderr);
        assert!(out.stderr.contains(says), "{bad:?}: {}", out.stderr);
    }
    // A model without a window is told so.
    let plain = dir.join("plain.json");
    let p = plain.to_str().unwrap();
    crate::run::mdn(&["strokes", "train", "n=20&hidden=4&steps=2", "--save", p]).ok();
    let out = crate::run::mdn(&["strokes", "write", "--model", p, "--text", "ok"]);
    assert!(out.stderr.contains("window"), "{}", out.stderr);
    // Fine-tuning: from a file of the spec's shape it starts where the file ends (a step
    // at a rate of almost nothing leaves the NLL of the file's model), else a message.
    let tuned = crate::run::mdn(&[
        "strokes",
        "train",
        "data=lines&window=3&n=60&hidden=16&steps=1&batch=8&lr=1e-5",
        "--from",
        m,
    ])
    .ok();
    let fresh = crate::run::mdn(&[
        "strokes",
        "train",
        "data=lines&window=3&n=60&hidden=16&steps=1&batch=8&lr=1e-5",
    ])
    .ok();
    let nll = |r: &crate::run::Run| r.last_json()["val_nll"]["synthesis"].as_f64().unwrap();
    assert!(
        nll(&tuned) < nll(&fresh) - 0.3,
        "{} against {}",
        nll(&tuned),
        nll(&fresh)
    );
    let out = crate::run::mdn(&[
        "strokes",
        "train",
        "data=lines&window=3&n=60&hidden=8",
        "--from",
        m,
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("--from") && out.stderr.contains("shape"),
        "{}",
        out.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_handwriting_page_link_reads_its_own_keys_and_passes_the_rest_to_the_spec() {
    use mdn_playground::share::hand::{link, parse, DEFAULT_TEXT};
    let (spec, page, issues) =
        parse("#data=lines&window=10&embed=1&text=Hello%20world&bias=2&draw=7");
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(
        (
            spec.window,
            page.embed,
            page.text.as_str(),
            page.bias,
            page.draw
        ),
        (10, true, "Hello world", 2.0, 7)
    );
    let again = link(&spec, &page);
    assert!(
        again.ends_with("&embed=1&text=Hello%20world&bias=2&draw=7"),
        "{again}"
    );
    assert_eq!(parse(&again), (spec, page, vec![]));

    // Defaults are left out; the spec's own link is unchanged by the page's keys.
    let (spec, page, _) = parse("");
    assert_eq!(link(&spec, &page), StrokeSpec::default().link());
    assert_eq!(page.text, DEFAULT_TEXT);

    // What the pen cannot write is left out with one message naming each character once;
    // the bias is clamped; unknown keys are still named.
    let (_, page, issues) = parse("text=%3Cb%3Ehi%3C%2Fb%3E%C3%A9&bias=9&zzz=1");
    assert_eq!(page.text, "bhib");
    assert_eq!(page.bias, 4.0);
    let said: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
    assert!(
        said.iter()
            .any(|s| s.contains("cannot write '<' '>' '/' 'é'")),
        "{said:?}"
    );
    assert!(said.iter().any(|s| s.contains("bias")), "{said:?}");
    assert!(said.iter().any(|s| s.contains("unknown key")), "{said:?}");
    // A text with nothing writable in it: the default.
    assert_eq!(parse("text=%E2%9C%93").1.text, DEFAULT_TEXT);
    // A key given twice names the value in use, a default's too.
    let (_, _, issues) = parse("bias=2&bias=1");
    assert!(
        issues.len() == 1 && issues[0].to_string().contains("using the last value, 1"),
        "{issues:?}"
    );

    // What the text box and a kept word's transcript are checked by: one message each.
    use mdn_playground::strokes::write::{unwritable, MAX_TEXT};
    assert_eq!(unwritable("Hello, world!", Lang::En), None);
    assert!(unwritable("", Lang::En).is_some_and(|m| m.contains("Type something")));
    let long = "a".repeat(MAX_TEXT + 1);
    assert!(unwritable(&long, Lang::En).is_some_and(|m| m.contains("at most 120")));
    assert!(unwritable("mañana", Lang::En).is_some_and(|m| m.contains("cannot write 'ñ'")));
    assert_eq!(
        unwritable("mañana", Lang::Es).as_deref(),
        Some("El lápiz no puede escribir 'ñ' (escribe letras sin acentos, cifras, espacios y . , ' ! ? -).")
    );
}

#[test]
fn a_run_starts_from_a_saved_model_of_its_shape_only_before_its_first_step() {
    let spec =
        StrokeSpec::parse("data=lines&window=3&n=20&hidden=6&m=2&batch=4&steps=3&seed=5").unwrap();
    let mut trained = StrokeRun::new(&spec);
    for _ in 0..3 {
        trained.train_step();
    }
    let from = trained.models[0].model.clone();
    let mut run = StrokeRun::new(&spec);
    assert_ne!(run.weights(0), trained.weights(0));
    run.start_from(0, &from).unwrap();
    assert_eq!(run.weights(0), trained.weights(0));
    assert_eq!(run.models[0].model.net.params, from.net.params);
    // The baselines keep their own initialisation.
    assert_eq!(run.weights(1), StrokeRun::new(&spec).weights(1));

    let other =
        StrokeSpec::parse("data=lines&window=3&n=20&hidden=7&m=2&batch=4&steps=3&seed=5").unwrap();
    let err = StrokeRun::new(&other).start_from(0, &from).unwrap_err();
    assert!(err.contains("shape"), "{err}");
    run.train_step();
    let err = run.start_from(0, &from).unwrap_err();
    assert!(err.contains("before its first step"), "{err}");
}

/// Three drawn words of two strokes each, a little apart, in the link's form.
fn three_drawn_words() -> String {
    let word = |x: f64| {
        vec![
            vec![[x, 0.0], [x + 3.0, 4.0], [x + 6.0, 0.0]],
            vec![[x + 8.0, 2.0], [x + 9.0, -3.0]],
        ]
    };
    mdn_playground::strokes::drawn::encode(&[word(0.0), word(1.0), word(2.0)])
}

#[test]
fn drawn_words_carry_what_they_say_and_then_train_a_writer() {
    use mdn_playground::strokes::drawn;
    let words = three_drawn_words();
    // Old links (no transcripts) keep their link; transcripts ride in `said`, in order.
    let (old, issues) = StrokeSpec::parse_lenient(&format!("data=drawn&drawn={words}"));
    assert!(
        issues.is_empty() && !old.link().contains("said"),
        "{issues:?}"
    );
    let link = format!("data=drawn&drawn={words}&said=an%7Cam%7Cun&window=3&n=24&hidden=4&m=2");
    let (spec, issues) = StrokeSpec::parse_lenient(&link);
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!((spec.window, spec.said.as_str()), (3, "an|am|un"));
    assert_eq!(StrokeSpec::parse(&spec.link()).unwrap(), spec);
    // The run's words carry their texts: word 1 validates, 0 and 2 train.
    let run = StrokeRun::new(&spec);
    let texts = |t: &[Vec<u16>]| {
        t.iter()
            .map(|s| decode(s))
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(
        texts(&run.data.train_text),
        ["an", "un"].map(String::from).into()
    );
    assert_eq!(texts(&run.data.val_text), ["am".to_string()].into());

    // One word untold: no window, and the message says how many lack a text.
    let (s, issues) = StrokeSpec::parse_lenient(&format!(
        "data=drawn&drawn={words}&said=an%7C%7Cun&window=3"
    ));
    assert_eq!(s.window, 0);
    assert!(
        issues
            .iter()
            .any(|i| i.to_string().contains("1 of the 3 drawn words have none")),
        "{issues:?}"
    );
    // What the pen cannot write is left out, extra transcripts too, each with a message.
    let (s, issues) = StrokeSpec::parse_lenient(&format!(
        "data=drawn&drawn={words}&said=%3Cb%3Ea%7Cb%7Cc%7Cd"
    ));
    assert_eq!(s.said, "ba|b|c");
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert!(
        issues[0]
            .to_string()
            .contains("4 transcripts for 3 drawn words"),
        "{issues:?}"
    );
    assert!(
        issues[0]
            .to_string()
            .contains("2 characters the pen cannot write"),
        "{issues:?}"
    );
    assert_eq!(
        drawn::encode_said(&["a".into(), String::new(), String::new()]),
        "a"
    );
}

#[test]
fn a_run_fine_tunes_a_saved_writer_on_drawn_words_read_in_its_normalisation() {
    let lines =
        StrokeSpec::parse("data=lines&window=3&n=20&hidden=6&m=2&batch=4&steps=3&seed=5").unwrap();
    let mut trained = StrokeRun::new(&lines);
    trained.train_step();
    let words = three_drawn_words();
    let spec = StrokeSpec::parse(&format!(
        "data=drawn&drawn={words}&said=ab%7Cba%7Cab&window=3&n=20&hidden=6&m=2&batch=4&steps=3&seed=5"
    ))
    .unwrap();
    let mut run = StrokeRun::new(&spec);
    let font = run.data.scale.denormalise(&run.data.train[0]);
    assert_ne!(run.data.scale, trained.data.scale);
    run.rescale(trained.data.scale).unwrap();
    run.start_from(0, &trained.models[0].model).unwrap();
    assert_eq!(run.data.scale, trained.data.scale);
    // The same moves, in the model's units.
    let again = run.data.scale.denormalise(&run.data.train[0]);
    for (a, b) in font.iter().zip(&again) {
        assert!((a.dx - b.dx).abs() < 1e-9 && (a.dy - b.dy).abs() < 1e-9 && a.end == b.end);
    }
    run.train_step();
    assert!(run.models[0].train_nll.is_finite());
    assert!(
        run.rescale(trained.data.scale).is_err(),
        "only before the first step"
    );
}
