//! The handwriting page's link: the experiment's keys ([`crate::strokes::train::KEYS`])
//! and the page's own ([`PAGE_KEYS`]: the embed, the text the synthesis network writes
//! first, its bias), read and clamped here, one message per problem.

use crate::config::keys::{self, Issue, Key, Kind, Reader, Value};
use crate::lang::{Lang, LANGS};
use crate::strokes::alphabet::ALPHABET;
use crate::strokes::train::StrokeSpec;
use crate::strokes::write::MAX_TEXT;

/// Every template a handwriting link's problems are written with: its keys', the run's,
/// and the page's own.
pub const SAID: &[&[&str]] = &[keys::SAID, crate::strokes::train::SAID, &[CANNOT_WRITE]];

const CANNOT_WRITE: &str = "the pen cannot write {0}";

/// What the page writes first when the link names no text.
pub const DEFAULT_TEXT: &str = "Mixture density";
/// The bias the page writes with when the link names none.
pub const DEFAULT_BIAS: f64 = 1.0;
/// The draws (seed) of the text written first when the link names none.
pub const DEFAULT_DRAW: u64 = 2;

/// The page's keys, in the order links write them (after the experiment's).
#[derive(Clone, Debug, PartialEq)]
pub struct HandPage {
    /// The embedded page: the text writer alone, fitted to its frame.
    pub embed: bool,
    /// The text written on arrival (characters of the writer's alphabet).
    pub text: String,
    /// Graves' bias b of the text written (0 to 4).
    pub bias: f64,
    /// The seed of the random draws it was written with.
    pub draw: u64,
    /// The page's language (`None`: the browser's first language the page has).
    pub lang: Option<Lang>,
}

impl Default for HandPage {
    fn default() -> Self {
        HandPage {
            embed: false,
            text: DEFAULT_TEXT.into(),
            bias: DEFAULT_BIAS,
            draw: DEFAULT_DRAW,
            lang: None,
        }
    }
}

/// The page's keys; a link carries those that differ from [`HandPage::default`].
pub const PAGE_KEYS: &[Key<HandPage>] = &[
    Key {
        name: "lang",
        label: "",
        kind: Kind::Choice(LANGS),
        meaning: "the page's language: en or es (default: the browser's first language of these, else English)",
        get: |p| p.lang.map_or(Value::Absent, |l| Value::Choice(l as usize)),
        set: |p, v| {
            if let Value::Choice(i) = v {
                p.lang = Some(Lang::ALL[i])
            }
        },
    },
    Key {
        name: "embed",
        label: "",
        kind: Kind::Flag,
        meaning: "the page for an iframe: the text writer alone, fitted to its frame",
        get: |p| Value::Flag(p.embed),
        set: |p, v| {
            if let Value::Flag(b) = v {
                p.embed = b
            }
        },
    },
    Key {
        name: "text",
        label: "",
        kind: Kind::Text(MAX_TEXT),
        meaning:
            "the text the synthesis network writes first (letters, digits, spaces and . , ' ! ? -)",
        get: |p| Value::Text(p.text.clone()),
        set: |p, v| {
            if let Value::Text(t) = v {
                p.text = t
            }
        },
    },
    Key {
        name: "bias",
        label: "",
        kind: Kind::Float(0.0, 4.0),
        meaning: "Graves' bias b of the text written first",
        get: |p| Value::Float(p.bias),
        set: |p, v| {
            if let Value::Float(b) = v {
                p.bias = b
            }
        },
    },
    Key {
        name: "draw",
        label: "",
        kind: Kind::Int(0, u32::MAX as u64),
        meaning:
            "the seed of the random draws the text was written with (the same link, the same line)",
        get: |p| Value::Int(p.draw),
        set: |p, v| {
            if let Value::Int(d) = v {
                p.draw = d
            }
        },
    },
];

/// A handwriting page's link, read leniently: the experiment, the page's keys, and one
/// message per problem (unknown keys included).
pub fn parse(text: &str) -> (StrokeSpec, HandPage, Vec<Issue>) {
    let text = keys::query_part(text);
    let mut page = HandPage::default();
    let (mut rest, mut issues) = (Vec::new(), Vec::new());
    {
        let mut r = Reader::new(&mut issues);
        for (key, value) in keys::pairs(text) {
            match PAGE_KEYS.iter().find(|k| k.name == key) {
                Some(k) => r.read(k, &value, &mut page, &HandPage::default()),
                None => rest.push(format!(
                    "{}={}",
                    keys::percent_encode(&key),
                    keys::percent_encode(&value)
                )),
            }
        }
        r.repeated(PAGE_KEYS, &page);
        let mut bad: Vec<char> = Vec::new();
        for c in page.text.chars().filter(|c| !ALPHABET.contains(*c)) {
            if !bad.contains(&c) {
                bad.push(c);
            }
        }
        if !bad.is_empty() {
            let list: Vec<String> = bad.iter().map(|c| format!("{c:?}")).collect();
            r.issue(
                "text",
                crate::lang::en(CANNOT_WRITE, &[&list.join(" ")]),
                "left out",
            );
            page.text.retain(|c| ALPHABET.contains(c));
        }
        if page.text.trim().is_empty() {
            page.text = DEFAULT_TEXT.into();
        }
    }
    let (spec, more) = StrokeSpec::parse_lenient(&rest.join("&"));
    issues.extend(more);
    (spec, page, issues)
}

/// The canonical link: the experiment's keys, then the page's that differ from their
/// defaults.
pub fn link(spec: &StrokeSpec, page: &HandPage) -> String {
    let mut out = spec.link();
    let own = keys::format_changed(PAGE_KEYS, page, &HandPage::default());
    if !own.is_empty() {
        out.push('&');
        out.push_str(&own);
    }
    out
}
