//! Every language has every text: each text the engine or the scripts show in English has
//! its entry in every other language's table, with the same `{0}` marks, and no entry is
//! left over. The texts are found where the code names them: the typed tables (keys, tour,
//! exercises, lab, families, data sets), and in the source, each string literal inside a
//! `t(…)`, `fill(…)`, `english(…)` or `heads(…)` call and each literal with a `{0}` mark.
//! (The pages' own HTML is checked in the browser, where it is parsed: lang.test.mjs.)

use mdn_playground::base::named::Named;
use mdn_playground::config::spec::KEYS;
use mdn_playground::data::dataset::{Data, Source, HELD_OUT};
use mdn_playground::lang::{fill, marks, Lang};
use mdn_playground::mdn::family::{self, Family};
use mdn_playground::share::{goal, lab, tour};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The string literals of Rust or JS source `text`, each with its byte offset. Rust's
/// line continuations and escapes are read as the compiler reads them; JS template
/// literals with `${` are skipped (they are not texts a table can hold).
fn literals(text: &str, rust: bool) -> Vec<(usize, String)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = text[i + 2..].find("*/").map_or(b.len(), |j| i + 2 + j + 2);
            continue;
        }
        if rust && c == b'\'' {
            // A char literal ('x', '\n', '"'); a lifetime has no closing quote.
            let rest = &text[i + 1..];
            let mut chars = rest.char_indices();
            let len = match chars.next() {
                Some((_, '\\')) => rest[1..].find('\'').map(|j| j + 2),
                Some((_, ch)) => {
                    (rest[ch.len_utf8()..].starts_with('\'')).then(|| ch.len_utf8() + 1)
                }
                None => None,
            };
            i += 1 + len.unwrap_or(0);
            continue;
        }
        let quote = match c {
            b'"' => b'"',
            b'\'' | b'`' if !rust => c,
            _ => {
                i += 1;
                continue;
            }
        };
        let start = i;
        i += 1;
        let mut s = String::new();
        let mut dynamic = false;
        while i < b.len() && b[i] != quote {
            if b[i] == b'\\' {
                match b.get(i + 1) {
                    Some(b'\n') if rust => {
                        i += 2;
                        while i < b.len() && (b[i] as char).is_whitespace() {
                            i += 1;
                        }
                        continue;
                    }
                    Some(b'n') => s.push('\n'),
                    Some(&e) => s.push(e as char),
                    None => {}
                }
                i += 2;
                continue;
            }
            if quote == b'`' && b[i] == b'$' && b.get(i + 1) == Some(&b'{') {
                dynamic = true;
            }
            let ch = text[i..].chars().next().expect("a char");
            s.push(ch);
            i += ch.len_utf8();
        }
        i += 1;
        if !dynamic {
            out.push((start, s));
        }
    }
    out
}

/// The byte ranges of the argument lists of every call to one of `names` in `text`.
fn calls(text: &str, names: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for name in names {
        let pattern = format!("{name}(");
        for (at, _) in text.match_indices(&pattern) {
            let before = text[..at].chars().next_back();
            let word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
            if !name.starts_with('.') && before.is_some_and(word) {
                continue; // another name that ends the same way
            }
            let open = at + pattern.len();
            let mut depth = 1;
            let mut end = open;
            for (j, c) in text[open..].char_indices() {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = open + j;
                    break;
                }
            }
            out.push((open, end));
        }
    }
    out
}

fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("a source folder") {
        let p = e.expect("an entry").path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

/// Every text the source asks a language's table for, with where it was found.
fn asked_in_source() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = BTreeMap::new();
    for (dir, ext, rust, names) in [
        ("src", "rs", true, &[".t", ".fill", "english", "heads"][..]),
        ("www", "js", false, &["t"][..]),
    ] {
        let mut list = Vec::new();
        files(&root.join(dir), ext, &mut list);
        for path in list {
            let rel = path
                .strip_prefix(root)
                .expect("inside")
                .display()
                .to_string();
            if rel.starts_with("src/lang") || rel.starts_with("src/bin") || rel.ends_with("sw.js") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable");
            let ranges = calls(&text, names);
            for (at, s) in literals(&text, rust) {
                let inside = ranges.iter().any(|&(a, b)| (a..b).contains(&at));
                let template = s.contains("{0}");
                let letters = s.chars().filter(|c| c.is_alphabetic()).count();
                // A format string's `{name}` or `{:.1}` is no text of a table.
                let format = s.contains("{:")
                    || s.split('{')
                        .skip(1)
                        .any(|p| p.starts_with(char::is_alphabetic));
                if format && !template {
                    continue;
                }
                if template || (inside && letters > 2) {
                    out.entry(s).or_insert_with(|| rel.clone());
                }
            }
        }
    }
    out
}

/// Every text of the typed tables the page shows.
fn asked_in_tables() -> Vec<&'static str> {
    let mut out = Vec::new();
    for k in KEYS {
        out.push(k.label());
        out.push(k.meaning);
    }
    for s in tour::STEPS {
        out.extend([s.title, s.look, s.try_this]);
    }
    for m in goal::MEASURES {
        out.push(m.meaning);
    }
    for e in goal::EXERCISES {
        out.push(e.task);
    }
    for p in lab::PRESETS {
        out.extend([p.title, p.shows]);
        out.extend(p.fixes.iter().map(|f| f.0));
    }
    for k in mdn_playground::strokes::train::KEYS {
        out.push(k.meaning);
    }
    for f in Family::ALL {
        out.push(family::note(*f));
    }
    for d in Data::ALL {
        let source = Source {
            data: *d,
            n: 10,
            seed: 1,
            points: None,
            gap: None,
            fold: HELD_OUT,
        };
        let info = source.info();
        out.push(info.note);
        out.extend(info.x_labels.iter().chain(info.y_labels));
    }
    // Names and labels of one or two letters are the same in every language.
    out.retain(|s| s.chars().filter(|c| c.is_alphabetic()).count() > 2);
    out
}

#[test]
fn every_language_has_every_text_with_the_same_marks() {
    let mut asked: BTreeMap<String, String> = asked_in_source();
    for s in asked_in_tables() {
        asked.entry(s.to_string()).or_insert("a typed table".into());
    }
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let mut seen = BTreeSet::new();
        let mut twice = Vec::new();
        for (en, other) in lang.pairs() {
            if !seen.insert(en) {
                twice.push(en);
            }
            assert_eq!(
                marks(en),
                marks(other),
                "{}: the marks of {en:?}",
                lang.code()
            );
        }
        assert!(
            twice.is_empty(),
            "{}: in the tables twice: {twice:?}",
            lang.code()
        );
        let missing: Vec<String> = asked
            .iter()
            .filter(|(en, _)| lang.t(en) == en.as_str() && !seen.contains(en.as_str()))
            .map(|(en, at)| format!("{at}: {en:?}"))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: {} texts have no translation:\n{}",
            lang.code(),
            missing.len(),
            missing.join("\n")
        );
        // The code's tables have no entry that nothing asks for.
        let stale: Vec<&str> = mdn_playground::lang::es::CODE
            .iter()
            .flat_map(|t| t.iter().map(|p| p.0))
            .filter(|en| !asked.contains_key(*en))
            .collect();
        assert!(
            stale.is_empty(),
            "{}: entries nothing asks for: {stale:?}",
            lang.code()
        );
    }
}

#[test]
fn a_template_is_filled_in_any_order_and_numbers_take_the_language_s_mark() {
    assert_eq!(fill("{1} before {0}", &["a", "b"]), "b before a");
    assert_eq!(fill("{0} and {2}", &["a"]), "a and {2}");
    assert_eq!(Lang::En.signed(-0.125, 2), "−0.12");
    assert_eq!(Lang::Es.signed(-0.125, 2), "−0,12");
    assert_eq!(Lang::Es.signed(-0.0001, 2), "0,00");
    assert_eq!(Lang::from_tags(["de-DE", "es-MX", "en"]), Lang::Es);
    assert_eq!(Lang::from_tags(["fr"]), Lang::En);
    assert_eq!(
        Lang::Es.fill("Done at step {0}: {1}.", &["3", "x"]),
        "Hecho en el paso 3: x."
    );
}

#[test]
fn the_source_scan_finds_texts_where_the_code_names_them() {
    let rust = "let a = lang.t(if x { \"one \\\n     two\" } else { \"three\" });\n\
                let c = '\"'; let d = \"{0} four\"; let e = \"plain\";";
    let found: Vec<String> = literals(rust, true).into_iter().map(|l| l.1).collect();
    assert_eq!(found, ["one two", "three", "{0} four", "plain"]);
    let ranges = calls(rust, &[".t"]);
    assert_eq!(ranges.len(), 1);
    let js = "x = t('It\\'s {0}', n) + `a ${b}` + tx('no');";
    let found: Vec<String> = literals(js, false).into_iter().map(|l| l.1).collect();
    assert_eq!(found, ["It's {0}", "no"]);
    assert_eq!(calls(js, &["t"]).len(), 1, "tx( is another name");
}

#[test]
fn a_sentence_kept_in_english_is_told_again_from_the_templates_it_was_written_with() {
    use mdn_playground::train::diagnostics::{NOT_FINITE, PAUSED, ROLLED_BACK, SAID};
    let back = Lang::En.fill(ROLLED_BACK, &["41"]);
    let why = Lang::En.fill(NOT_FINITE, &["42", "the MDN's loss", &back]);
    let halted = Lang::En.fill(PAUSED, &[&why]);
    assert_eq!(Lang::En.retell(&halted, &[SAID]), halted);
    assert_eq!(
        Lang::Es.retell(&halted, &[SAID]),
        "paso 42: la pérdida de la MDN no fue un número finito; se volvió al paso 41. El \
         entrenamiento se pausó con los modelos como estaban antes. Baja lr, pon clip o sube \
         sigma_min, y sigue."
    );
    let alarm = "divergence: the validation NLL rose to 3.25 from its best -0.50";
    assert_eq!(
        Lang::Es.retell(alarm, &[SAID]),
        "divergencia: la NLL de validación subió a 3,25 desde su mejor valor, -0,50"
    );
    // A sentence of no template is looked up as it is.
    assert_eq!(Lang::Es.retell("a gradient", &[SAID]), "un gradiente");
    assert_eq!(
        Lang::Es.retell("no such sentence", &[SAID]),
        "no such sentence"
    );
}

#[test]
fn a_link_s_problems_are_told_in_the_page_s_language() {
    use mdn_playground::config::keys::SAID;
    use mdn_playground::share::link::Link;
    let (_, issues) = Link::parse("k=99&act=sigmoid&lr=abc&zz=1");
    let said: Vec<String> = issues
        .iter()
        .map(|i| Lang::Es.retell(&i.to_string(), &[SAID]))
        .collect();
    assert_eq!(said[0], "k: '99' está por encima del máximo 30; se usa 30");
    assert!(
        said[1].starts_with("act: 'sigmoid' no es ninguno de "),
        "{}",
        said[1]
    );
    assert!(
        said[2].starts_with("lr: 'abc' no es un número finito (se acepta: 0,00000"),
        "{}",
        said[2]
    );
    assert!(
        said[3].starts_with("clave desconocida 'zz' (claves aceptadas: data, n, "),
        "{}",
        said[3]
    );
    assert!(
        said.iter()
            .all(|s| !s.contains("using") && !s.contains(" is ")),
        "{said:?}"
    );
}
