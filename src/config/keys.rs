//! Keys of a link, declared once. A [`Key`] has its name, its [`Kind`] (what it accepts),
//! what it means, and a getter and a setter on the value it describes; everything else
//! follows from the table of keys: reading a query string (clamping, with one message
//! per problem), writing it back, the documentation (`mdn keys`, the README's table) and
//! the page's form (the kind travels to JavaScript). The experiment's keys are
//! [`crate::config::spec::KEYS`], the page's view keys [`crate::share::link::VIEW_KEYS`].

use crate::base::text::quote;
use crate::data::userdata::{self, UserData};
use crate::lang::{english, Lang};
use std::fmt;

/// What a key accepts.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// One of these names (any letter case).
    Choice(&'static [&'static str]),
    /// A whole number from lo to hi (`1e3` and `3.0` are whole numbers too).
    Int(u64, u64),
    /// A finite number from lo to hi.
    Float(f64, f64),
    /// 1 to `layers` comma-separated whole numbers, each from lo to hi.
    Widths { layers: usize, lo: u64, hi: u64 },
    /// `all`, or a whole number from lo to hi.
    AllOrInt(u64, u64),
    /// Points in the page's link form ([`crate::data::userdata`]).
    Points,
    /// `true`/`false` (also 1/0, yes/no, on/off).
    Flag,
    /// 1 to `n` comma-separated finite numbers (clamped by the value's setter).
    Numbers(usize),
    /// Comma-separated names, each one of the names the function gives, in the order
    /// given (each at most once).
    List(fn() -> Vec<&'static str>),
    /// Plain text of at most this many characters (control characters removed).
    Text(usize),
}

/// A key's value, as read or to be written.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An index into [`Kind::Choice`]'s names.
    Choice(usize),
    Int(u64),
    Float(f64),
    Widths(Vec<usize>),
    /// `all` ([`Kind::AllOrInt`]).
    All,
    Points(Option<UserData>),
    Flag(bool),
    Numbers(Vec<f64>),
    List(Vec<String>),
    Text(String),
    /// Not set: the key is left out when written.
    Absent,
}

/// One key of a link, on values of type `T`.
pub struct Key<T> {
    pub name: &'static str,
    /// What the page's form calls the key, in plain words (empty: its name).
    pub label: &'static str,
    pub kind: Kind,
    pub meaning: &'static str,
    pub get: fn(&T) -> Value,
    pub set: fn(&mut T, Value),
}

impl<T> Key<T> {
    /// What the form calls the key: its label, or its name.
    pub fn label(&self) -> &'static str {
        if self.label.is_empty() {
            self.name
        } else {
            self.label
        }
    }
}

/// One problem found while reading a link. `key` is the key it concerns.
#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    pub key: String,
    /// What is wrong, naming the key and what it accepts.
    pub message: String,
    /// What the lenient reader did instead ("using 10", "ignored", ...).
    pub action: String,
}

impl fmt::Display for Issue {
    /// The message and what was done about it: the form a share link's reader sees.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Lang::En.fill(ISSUE, &[&self.message, &self.action]))
    }
}

/// How a key's problems are written: in English (the command line prints them), and told
/// again in the page's language from these same templates ([`Lang::retell`]), the most
/// particular first.
pub const SAID: &[&str] = &[
    ISSUE,
    NOT,
    NOT_ONE_OF,
    NOT_WIDTHS,
    BELOW,
    ABOVE,
    LONGER,
    LAYERS,
    GIVEN,
    UNKNOWN,
    USING_LAST,
    USING_FIRST,
    CUT_TO,
    USING,
    english("{0} to {1}"),
    english("all | {0}"),
    english("using the default"),
    english("ignored"),
    english("left out"),
    english("too many problems"),
    english("the rest of the link was ignored"),
    english("not a whole number"),
    english("not a finite number"),
    english("not 1 or 0"),
    english("not numbers"),
    english("(the last one)"),
];

/// A problem and what was done about it.
const ISSUE: &str = "{0}; {1}";
/// A value that cannot be read: the key, the value, why, what the key accepts.
const NOT: &str = "{0}: {1} is {2} (accepted: {3})";
const NOT_ONE_OF: &str = "{0}: {1} is not one of {2}";
const NOT_WIDTHS: &str = "{0}: {1} is not a comma list of widths (accepted: {2})";
const BELOW: &str = "{0}: {1} is below the minimum {2}";
const ABOVE: &str = "{0}: {1} is above the maximum {2}";
const LONGER: &str = "{0}: longer than {1} characters";
const LAYERS: &str = "{0}: at most {1} layers";
const GIVEN: &str = "{0}: given {1} times";
/// An unknown key: the key, and the keys there are.
pub const UNKNOWN: &str = "unknown key {0} (accepted keys: {1})";
const USING_LAST: &str = "using the last value, {0}";
const USING_FIRST: &str = "using the first {0}";
const CUT_TO: &str = "cut to {0}";
const USING: &str = "using {0}";

use crate::lang::en as said;

/// At most this many problems are listed for one link; the rest of it is ignored.
const MAX_ISSUES: usize = 20;

impl PartialEq for Kind {
    /// The same kind with the same bounds (lists: the same names).
    fn eq(&self, other: &Kind) -> bool {
        use Kind::*;
        match (self, other) {
            (Choice(a), Choice(b)) => a == b,
            (Int(a, b), Int(c, d)) | (AllOrInt(a, b), AllOrInt(c, d)) => (a, b) == (c, d),
            (Float(a, b), Float(c, d)) => (a, b) == (c, d),
            (
                Widths { layers, lo, hi },
                Widths {
                    layers: l,
                    lo: o,
                    hi: h,
                },
            ) => (layers, lo, hi) == (l, o, h),
            (Numbers(a), Numbers(b)) | (Text(a), Text(b)) => a == b,
            (List(a), List(b)) => a() == b(),
            (Points, Points) | (Flag, Flag) => true,
            _ => false,
        }
    }
}

impl Kind {
    /// What the kind accepts, in words (the documentation's "accepts" column).
    pub fn accepts(&self) -> String {
        self.accepts_in(Lang::En)
    }

    /// What the key accepts, in `lang`.
    pub fn accepts_in(&self, lang: Lang) -> String {
        let range = |lo: &dyn std::fmt::Display, hi: &dyn std::fmt::Display| {
            lang.fill("{0} to {1}", &[&lo.to_string(), &hi.to_string()])
        };
        match self {
            Kind::Choice(names) => names.join(" | "),
            Kind::Int(lo, hi) => range(lo, hi),
            Kind::Float(lo, hi) => range(lo, hi),
            Kind::Widths { layers, lo, hi } => lang.fill(
                "1 to {0} widths of {1} to {2}, comma-separated",
                &[&layers.to_string(), &lo.to_string(), &hi.to_string()],
            ),
            Kind::AllOrInt(lo, hi) => lang.fill("all | {0}", &[&range(lo, hi)]),
            Kind::Points => lang.t("points written by the page (z2.…)").into(),
            Kind::Flag => "1 | 0".into(),
            Kind::Numbers(n) => lang.fill("1 to {0} numbers, comma-separated", &[&n.to_string()]),
            Kind::List(names) => lang.fill("any of {0}, comma-separated", &[&names().join(" ")]),
            Kind::Text(n) => lang.fill("text of at most {0} characters", &[&n.to_string()]),
        }
    }

    /// The kind's name for the page's form.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Choice(_) => "choice",
            Kind::Int(..) => "int",
            Kind::Float(..) => "float",
            Kind::Widths { .. } => "widths",
            Kind::AllOrInt(..) => "all-or-int",
            Kind::Points => "points",
            Kind::Flag => "flag",
            Kind::Numbers(_) => "numbers",
            Kind::List(_) => "list",
            Kind::Text(_) => "text",
        }
    }
}

/// A value as the text written in a link (`None`: left out).
pub fn format_value(kind: &Kind, v: &Value) -> Option<String> {
    Some(match (kind, v) {
        (Kind::Choice(names), Value::Choice(i)) => names[*i].to_string(),
        (_, Value::Int(x)) => x.to_string(),
        (_, Value::Float(x)) => x.to_string(),
        (_, Value::Widths(w)) => w
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>()
            .join(","),
        (_, Value::All) => "all".into(),
        (_, Value::Points(Some(u))) => userdata::encode(u),
        (_, Value::Flag(b)) => (if *b { "1" } else { "0" }).into(),
        (_, Value::Numbers(v)) => v
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(","),
        (_, Value::List(v)) => v.join(","),
        (_, Value::Text(t)) => percent_encode(t),
        _ => return None,
    })
}

impl<T> Key<T> {
    /// The key's value in `t`, as written in a link (`None`: left out).
    pub fn text(&self, t: &T) -> Option<String> {
        format_value(&self.kind, &(self.get)(t))
    }

    /// The key's value in `t` as a form and the documentation show it: as written, or
    /// for a key left out of the link, the value that stands for "none" (a flag's 0, a
    /// whole number's least, a choice's first name); `None` for other kinds left out.
    pub fn shown_value(&self, t: &T) -> Option<String> {
        self.text(t).or_else(|| match self.kind {
            Kind::Flag => Some("0".into()),
            Kind::Int(lo, _) => Some(lo.to_string()),
            Kind::Choice(names) => Some(names[0].into()),
            _ => None,
        })
    }

    /// [`Key::shown_value`], empty for a value left out that has no "none".
    pub fn shown(&self, t: &T) -> String {
        self.shown_value(t).unwrap_or_default()
    }
}

/// `key=value` pairs of every key that has a value, in the table's order, joined by `&`.
pub fn format<T>(keys: &[Key<T>], t: &T) -> String {
    keys.iter()
        .filter_map(|k| Some(format!("{}={}", k.name, k.text(t)?)))
        .collect::<Vec<_>>()
        .join("&")
}

/// [`format`] of the keys whose value in `t` differs from theirs in `default`: the form
/// of the page's own keys, which a link carries only when they are changed.
pub fn format_changed<T>(keys: &[Key<T>], t: &T, default: &T) -> String {
    keys.iter()
        .filter(|k| (k.get)(t) != (k.get)(default))
        .filter_map(|k| Some(format!("{}={}", k.name, k.text(t)?)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A whole number as read by [`whole`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whole {
    Value(u64),
    /// Below zero.
    Negative,
    /// Above `u64::MAX`.
    Huge,
}

/// Reads a whole number however it is written: `1000`, `1e3`, `1000.0`, `-0` are all whole
/// numbers (the value decides, not the notation). The error says what the text is instead:
/// "not a whole number" (e.g. `2.5`).
pub fn whole(text: &str) -> Result<Whole, &'static str> {
    let t = text.trim();
    if let Ok(x) = t.parse::<u64>() {
        return Ok(Whole::Value(x));
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() && f.fract() == 0.0 => Ok(if f == 0.0 {
            Whole::Value(0)
        } else if f < 0.0 {
            Whole::Negative
        } else if f >= 18_446_744_073_709_551_616.0 {
            Whole::Huge
        } else {
            Whole::Value(f as u64)
        }),
        Ok(f) if f.is_finite() => Err("not a whole number"),
        // Digits beyond f64's range (1e400); "inf" and "NaN" are no whole numbers.
        Ok(f) if t.bytes().any(|b| b.is_ascii_digit()) => Ok(if f > 0.0 {
            Whole::Huge
        } else {
            Whole::Negative
        }),
        _ => Err("not a whole number"),
    }
}

/// Decodes `%XX` escapes and `+` (as a space); invalid escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Text as it goes into a link: every byte but letters, digits and `-_.~` as `%XX`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The part of a share URL or spec text that holds the keys: after `#`, else after `?`.
pub fn query_part(s: &str) -> &str {
    let s = s.trim();
    if let Some(i) = s.find('#') {
        &s[i + 1..]
    } else if let Some(i) = s.find('?') {
        &s[i + 1..]
    } else {
        s
    }
}

/// The `(key, value)` pairs of a link's query part, decoded (keys in lower case).
pub fn pairs(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query_part(text)
        .split('&')
        .filter(|p| !p.trim().is_empty())
        .map(|piece| {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            (
                percent_decode(k).trim().to_ascii_lowercase(),
                percent_decode(v),
            )
        })
}

/// What a lenient read collects: the issues, and how often each key was given.
pub struct Reader<'a> {
    pub issues: &'a mut Vec<Issue>,
    seen: Vec<(&'static str, usize)>,
}

impl<'a> Reader<'a> {
    pub fn new(issues: &'a mut Vec<Issue>) -> Self {
        Reader {
            issues,
            seen: Vec::new(),
        }
    }

    pub fn issue(&mut self, key: &str, message: String, action: &str) {
        self.issues.push(Issue {
            key: key.to_string(),
            message,
            action: action.to_string(),
        });
    }

    /// Too many problems already: the rest of the link is ignored (said once).
    pub fn full(&mut self) -> bool {
        if self.issues.len() == MAX_ISSUES {
            self.issue(
                "",
                "too many problems".into(),
                "the rest of the link was ignored",
            );
        }
        self.issues.len() > MAX_ISSUES
    }

    /// Reads `value` for `key` into `t`: clamped, or the default (from `default`) with a
    /// message when it cannot be read.
    pub fn read<T>(&mut self, key: &Key<T>, value: &str, t: &mut T, default: &T) {
        match self.seen.iter_mut().find(|(k, _)| *k == key.name) {
            Some((_, times)) => *times += 1,
            None => self.seen.push((key.name, 1)),
        }
        match self.value(key, value) {
            Some(v) => (key.set)(t, v),
            None if key.kind == Kind::Points => {}
            None => (key.set)(t, (key.get)(default)),
        }
    }

    /// One message for each key given more than once, naming the value in use.
    /// Keys of other tables stay counted for their own call.
    pub fn repeated<T>(&mut self, keys: &[Key<T>], t: &T) {
        let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut self.seen)
            .into_iter()
            .partition(|(name, _)| keys.iter().any(|k| k.name == *name));
        self.seen = others;
        for (name, times) in mine.into_iter().filter(|(_, n)| *n > 1) {
            let Some(key) = keys.iter().find(|k| k.name == name) else {
                continue;
            };
            let used = key.text(t).unwrap_or_default();
            let used = if used.chars().count() > 40 {
                "(the last one)".to_string()
            } else {
                used
            };
            self.issue(
                name,
                said(GIVEN, &[&name, &times]),
                &said(USING_LAST, &[&used]),
            );
        }
    }

    fn value<T>(&mut self, key: &Key<T>, v: &str) -> Option<Value> {
        let name = key.name;
        let not = |what: &str| said(NOT, &[&name, &quote(v), &what, &key.kind.accepts()]);
        let default = "using the default";
        match key.kind {
            Kind::Choice(names) => {
                let lower = v.trim().to_ascii_lowercase();
                let i = names.iter().position(|n| *n == lower);
                if i.is_none() {
                    let msg = said(NOT_ONE_OF, &[&name, &quote(v), &key.kind.accepts()]);
                    self.issue(name, msg, default);
                }
                i.map(Value::Choice)
            }
            Kind::Int(lo, hi) => match whole(v) {
                Ok(w) => Some(Value::Int(self.clamp_int(name, w, lo, hi, v))),
                Err(why) => {
                    self.issue(name, not(why), default);
                    None
                }
            },
            Kind::AllOrInt(_, _) if v.trim().eq_ignore_ascii_case("all") => Some(Value::All),
            Kind::AllOrInt(lo, hi) => match whole(v) {
                Ok(w) => Some(Value::Int(self.clamp_int(name, w, lo, hi, v))),
                Err(why) => {
                    self.issue(name, not(why), default);
                    None
                }
            },
            Kind::Float(lo, hi) => match v.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => Some(Value::Float(self.clamp_float(name, x, lo, hi))),
                _ => {
                    self.issue(name, not("not a finite number"), default);
                    None
                }
            },
            Kind::Widths { layers, lo, hi } => self.widths(name, v, layers, lo, hi, &key.kind),
            Kind::Points => match userdata::decode(v.trim()) {
                Ok(u) => Some(Value::Points(Some(u))),
                Err(e) => {
                    self.issue(name, format!("{name}: {e}"), "ignored");
                    None
                }
            },
            Kind::Flag => match v.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" | "" => Some(Value::Flag(true)),
                "0" | "false" | "no" | "off" => Some(Value::Flag(false)),
                _ => {
                    self.issue(name, not("not 1 or 0"), default);
                    None
                }
            },
            Kind::List(names) => Some(Value::List(self.list(name, v, &names()))),
            Kind::Text(max) => Some(self.text(name, v, max)),
            Kind::Numbers(n) => self.numbers(name, v, n, not),
        }
    }

    /// Free text with control characters blanked, cut to `max` characters.
    fn text(&mut self, name: &str, v: &str, max: usize) -> Value {
        let clean: String = v
            .trim()
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if clean.chars().count() > max {
            let msg = said(LONGER, &[&name, &max]);
            self.issue(name, msg, &said(CUT_TO, &[&max]));
        }
        Value::Text(clean.chars().take(max).collect())
    }

    /// One to `n` comma-separated numbers (no NaN).
    fn numbers(
        &mut self,
        name: &str,
        v: &str,
        n: usize,
        not: impl Fn(&str) -> String,
    ) -> Option<Value> {
        let xs: Option<Vec<f64>> = v
            .split(',')
            .map(|p| p.trim().parse::<f64>().ok().filter(|x| !x.is_nan()))
            .collect();
        match xs.filter(|xs| (1..=n).contains(&xs.len())) {
            Some(xs) => Some(Value::Numbers(xs)),
            None => {
                self.issue(name, not("not numbers"), "using the default");
                None
            }
        }
    }

    /// The names of `v` that are among `names`, in order, each once; the others are
    /// named in a message and left out.
    fn list(&mut self, name: &str, v: &str, names: &[&'static str]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for item in v.split(',').map(|p| p.trim().to_ascii_lowercase()) {
            if item.is_empty() || out.contains(&item) {
                continue;
            }
            if names.contains(&item.as_str()) {
                out.push(item);
            } else {
                let msg = said(NOT_ONE_OF, &[&name, &quote(&item), &names.join(" | ")]);
                self.issue(name, msg, "left out");
            }
        }
        out
    }

    fn widths(
        &mut self,
        name: &str,
        v: &str,
        layers: usize,
        lo: u64,
        hi: u64,
        kind: &Kind,
    ) -> Option<Value> {
        let mut out = Vec::new();
        for p in v.split(',').map(str::trim) {
            match whole(p) {
                Ok(w) => out.push(self.clamp_int(name, w, lo, hi, p) as usize),
                Err(_) => {
                    let msg = said(NOT_WIDTHS, &[&name, &quote(v), &kind.accepts()]);
                    self.issue(name, msg, "using the default");
                    return None;
                }
            }
        }
        if out.len() > layers {
            self.issue(
                name,
                said(LAYERS, &[&name, &layers]),
                &said(USING_FIRST, &[&layers]),
            );
            out.truncate(layers);
        }
        Some(Value::Widths(out))
    }

    /// The whole number `w` (read from the text `v`) clamped to lo..=hi, with a message
    /// when it is not within.
    fn clamp_int(&mut self, key: &str, w: Whole, lo: u64, hi: u64, v: &str) -> u64 {
        let x = match w {
            Whole::Value(x) => x,
            Whole::Negative => 0,
            Whole::Huge => u64::MAX,
        };
        if x < lo || w == Whole::Negative {
            self.issue(
                key,
                said(BELOW, &[&key, &quote(v.trim()), &lo]),
                &said(USING, &[&lo]),
            );
            lo
        } else if x > hi {
            self.issue(
                key,
                said(ABOVE, &[&key, &quote(v.trim()), &hi]),
                &said(USING, &[&hi]),
            );
            hi
        } else {
            x
        }
    }

    fn clamp_float(&mut self, key: &str, x: f64, lo: f64, hi: f64) -> f64 {
        if x < lo {
            self.issue(key, said(BELOW, &[&key, &x, &lo]), &said(USING, &[&lo]));
            lo
        } else if x > hi {
            self.issue(key, said(ABOVE, &[&key, &x, &hi]), &said(USING, &[&hi]));
            hi
        } else if x == 0.0 {
            0.0 // normalise -0
        } else {
            x
        }
    }
}

/// The documentation of a table of keys, one row each: name, accepts, default, meaning.
pub fn docs<T>(keys: &[Key<T>], defaults: &T) -> Vec<[String; 4]> {
    keys.iter()
        .map(|k| {
            [
                k.name.to_string(),
                k.kind.accepts(),
                k.shown_value(defaults).unwrap_or_else(|| "(none)".into()),
                k.meaning.to_string(),
            ]
        })
        .collect()
}

/// Rows as a Markdown table (`|` escaped).
pub fn markdown(rows: &[[String; 4]]) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::from("| key | accepts | default | meaning |\n|---|---|---|---|\n");
    for [key, accepts, default, meaning] in rows {
        out.push_str(&format!(
            "| `{key}` | {} | {} | {} |\n",
            cell(accepts),
            cell(default),
            cell(meaning)
        ));
    }
    out
}

/// A key of one of a spec's choices (an enum with [`crate::base::named::Named`]).
macro_rules! choice {
    ($field:ident: $t:ty, $meaning:literal, label = $label:literal) => {
        Key {
            label: $label,
            ..choice!($field: $t, $meaning)
        }
    };
    ($field:ident: $t:ty, $meaning:literal) => {
        Key {
            name: stringify!($field),
            label: "",
            kind: Kind::Choice(<$t>::NAMES),
            meaning: $meaning,
            get: |s| Value::Choice(s.$field.index()),
            set: |s, v| {
                if let Value::Choice(i) = v {
                    s.$field = <$t>::ALL[i]
                }
            },
        }
    };
}

/// A key of a whole number of a spec, from lo to hi.
macro_rules! int {
    ($field:ident: $t:ty, $lo:expr, $hi:expr, $meaning:literal, label = $label:literal) => {
        Key {
            label: $label,
            ..int!($field: $t, $lo, $hi, $meaning)
        }
    };
    ($field:ident: $t:ty, $lo:expr, $hi:expr, $meaning:literal) => {
        Key {
            name: stringify!($field),
            label: "",
            kind: Kind::Int($lo as u64, $hi as u64),
            meaning: $meaning,
            get: |s| Value::Int(s.$field as u64),
            set: |s, v| {
                if let Value::Int(x) = v {
                    s.$field = x as $t
                }
            },
        }
    };
}

/// A key of a number of a spec, within a range.
macro_rules! float {
    ($field:ident, $range:expr, $meaning:literal, label = $label:literal) => {
        Key {
            label: $label,
            ..float!($field, $range, $meaning)
        }
    };
    ($field:ident, $range:expr, $meaning:literal) => {
        Key {
            name: stringify!($field),
            label: "",
            kind: Kind::Float($range.0, $range.1),
            meaning: $meaning,
            get: |s| Value::Float(s.$field),
            set: |s, v| {
                if let Value::Float(x) = v {
                    s.$field = x
                }
            },
        }
    };
}

/// A key of plain text of at most `$limit` characters, left out of links when empty.
macro_rules! text {
    ($field:ident, $limit:expr, $meaning:literal) => {
        Key {
            name: stringify!($field),
            label: "",
            kind: Kind::Text($limit),
            meaning: $meaning,
            get: |s| {
                if s.$field.is_empty() {
                    Value::Absent
                } else {
                    Value::Text(s.$field.clone())
                }
            },
            set: |s, v| {
                if let Value::Text(t) = v {
                    s.$field = t
                }
            },
        }
    };
}

// Every key table (the experiment's spec, the strokes' spec) declares its keys with these.
pub(crate) use {choice, float, int, text};
