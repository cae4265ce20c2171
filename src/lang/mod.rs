//! The page's languages. English is written where each text is (the page's HTML, the
//! scripts, the engine's messages); every other language is one table from those English
//! texts to its own ([`es`]), so a text is declared once and a translation cannot name a
//! text that does not exist without a test saying so.
//!
//! A text with parts that change (numbers, names, a link inside a sentence) is a template:
//! `{0}`, `{1}`, … mark the parts, and a translation may put them in another order
//! ([`fill`]). Numbers are written for the language ([`Lang::signed`]): Spanish with a
//! decimal comma.

pub mod es;

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A language the page can be read in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Es,
}

/// The languages' names in links and in `<html lang>`, in [`Lang`]'s order.
pub const LANGS: &[&str] = &["en", "es"];

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The language's name in links and in `<html lang>`.
    pub fn code(self) -> &'static str {
        LANGS[self as usize]
    }

    /// The first of a browser's preferred languages (BCP 47 tags such as `es-MX`) that the
    /// page has; English when none is.
    pub fn from_tags<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
                Lang::ALL.into_iter().find(|l| l.code() == primary)
            })
            .unwrap_or_default()
    }

    /// The tables from English texts to this language's (none for English itself).
    pub fn tables(self) -> &'static [&'static [(&'static str, &'static str)]] {
        match self {
            Lang::En => &[],
            Lang::Es => es::TABLES,
        }
    }

    /// The tables of the pages' own HTML among [`Lang::tables`] (what the pages' text
    /// nodes are checked against).
    pub fn html_tables(self) -> &'static [&'static [(&'static str, &'static str)]] {
        match self {
            Lang::En => &[],
            Lang::Es => es::HTML,
        }
    }

    /// Every (English, this language's) pair of this language's tables.
    pub fn pairs(self) -> impl Iterator<Item = (&'static str, &'static str)> {
        self.tables().iter().flat_map(|t| t.iter().copied())
    }

    /// `english` in this language: the table's text, or the English one where the table
    /// has none (a test keeps every table whole).
    pub fn t<'a>(self, english: &'a str) -> &'a str {
        static ES: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
        match self {
            Lang::En => english,
            Lang::Es => ES
                .get_or_init(|| Lang::Es.pairs().collect())
                .get(english)
                .copied()
                .unwrap_or(english),
        }
    }

    /// A template in this language with its parts filled in ([`fill`]).
    pub fn fill(self, english: &'static str, parts: &[&str]) -> String {
        fill(self.t(english), parts)
    }

    /// `v` with `decimals` places as this language writes it: a true minus sign, and a
    /// decimal comma in Spanish.
    pub fn signed(self, v: f64, decimals: usize) -> String {
        self.decimal(crate::base::text::signed(v, decimals))
    }
}

impl Lang {
    /// `v` as written ([`crate::base::text::number`]: its shortest digits) with this
    /// language's decimal mark.
    pub fn number(self, v: f64) -> String {
        self.decimal(crate::base::text::number(v))
    }

    /// A number written with a decimal point, with this language's decimal mark.
    pub fn decimal(self, text: String) -> String {
        match self {
            Lang::En => text,
            Lang::Es => text.replace('.', ","),
        }
    }

    /// What separates the items of a list that hold numbers: a comma in English, a
    /// semicolon where the comma is the decimal mark.
    pub fn list_sep(self) -> &'static str {
        match self {
            Lang::En => ", ",
            Lang::Es => "; ",
        }
    }

    /// This language writes a decimal comma.
    pub fn decimal_comma(self) -> bool {
        self == Lang::Es
    }
}

impl Lang {
    /// An English sentence the engine wrote with one of `templates` (the same constants
    /// it was written with), told again in this language: its parts read back and put in
    /// the template's translation; a part that is a number takes the language's decimal
    /// mark, a part that is itself a sentence of `templates` or a text of the table is
    /// told again too. For sentences kept as English text in data that outlives the
    /// page's language (a snapshot's alarms, a halted run's reason). A sentence of no
    /// template is looked up as it is.
    pub fn retell(self, english: &str, templates: &[&[&'static str]]) -> String {
        if self == Lang::En {
            return english.to_string();
        }
        for template in templates.iter().flat_map(|t| t.iter()) {
            if let Some(parts) = read_back(english, template) {
                let told: Vec<String> = parts
                    .iter()
                    .map(|p| match p.parse::<f64>() {
                        Ok(_) => self.decimal(p.to_string()),
                        Err(_) => self.retell(p, templates),
                    })
                    .collect();
                let told: Vec<&str> = told.iter().map(String::as_str).collect();
                return self.fill(template, &told);
            }
        }
        self.t(english).to_string()
    }
}

/// The parts of `text` written with `template` (its `{0}`, `{1}`, … in order; each mark
/// once), or `None` when `text` is not of that template. Each part ends at the first
/// place the template's next fixed text follows.
fn read_back<'a>(text: &'a str, template: &str) -> Option<Vec<&'a str>> {
    let mut fixed: Vec<&str> = Vec::new();
    let mut order: Vec<usize> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        let i: usize = rest[open + 1..close].parse().ok()?;
        fixed.push(&rest[..open]);
        order.push(i);
        rest = &rest[close + 1..];
    }
    fixed.push(rest);
    let mut text = text.strip_prefix(fixed[0])?;
    let mut parts = vec![""; order.len()];
    for (n, &i) in order.iter().enumerate() {
        let next = fixed[n + 1];
        let end = if n + 1 == order.len() {
            text.strip_suffix(next)?.len()
        } else if next.is_empty() {
            return None; // two marks side by side cannot be told apart
        } else {
            text.find(next)?
        };
        *parts.get_mut(i)? = &text[..end];
        text = &text[end + next.len()..];
    }
    Some(parts)
}

/// `template` filled in English with `parts` (anything written as text): how the engine
/// writes a sentence it keeps as text, to be told again in another language with
/// [`Lang::retell`].
pub fn en(template: &'static str, parts: &[&dyn std::fmt::Display]) -> String {
    let parts: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    Lang::En.fill(template, &parts)
}

/// Marks an English text that is translated where it is shown rather than where it is
/// written (a name kept in a struct, a word returned by a method): the tests find every
/// text a language's table must have by these marks, by the `t` and `fill` calls, and by
/// the `{0}` of a template.
pub const fn english(text: &'static str) -> &'static str {
    text
}

/// `template` with each `{i}` replaced by `parts[i]` (a `{i}` with no part stays as it is).
pub fn fill(template: &str, parts: &[&str]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        match close.and_then(|c| after[..c].parse::<usize>().ok().map(|i| (c, i))) {
            Some((c, i)) if i < parts.len() => {
                out.push_str(parts[i]);
                rest = &after[c + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{i}` marks of a template, sorted (a translation must have the same ones).
pub fn marks(template: &str) -> Vec<usize> {
    let mut out: Vec<usize> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').and_then(|(i, _)| i.parse().ok()))
        .collect();
    out.sort_unstable();
    out
}
