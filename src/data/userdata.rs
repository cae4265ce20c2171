//! Your own data: points from a CSV text (pasted, uploaded, or drawn on the page), and
//! their compact form inside a share link (`pts=`), so that a link reproduces the
//! experiment exactly, points and all.
//!
//! Link form: `z2.` + base64url(zlib(CSV text)), the CSV written with the shortest
//! text that reads back to the same f64 (plain or exponent notation, whichever is
//! shorter), so decoding gives the very same numbers. zlib's Adler-32 checksum of the
//! text makes a damaged link fail to decode instead of giving other points; base64url
//! text whose unused last bits are not zero is refused too. Links of the first form,
//! `z1.` + base64url(raw deflate), still decode.

use crate::base::text::write_shortest;
use crate::lang::{english, Lang};

/// How reading a CSV text says what it skipped and why: in English (the command line
/// prints it), and told again in the page's language from these same templates
/// ([`Lang::retell`]).
pub const SAID: &[&str] = &[
    LINE,
    ONE_DROPPED,
    DROPPED,
    WRONG_COUNT,
    WRONG_COUNT_LINE,
    NOT_AS_FIRST,
    NOT_AS_FIRST_LINE,
    NOT_FINITE,
    NOT_FINITE_LINE,
    BEYOND,
    BEYOND_LINE,
    NOT_A_NUMBER,
    NOT_A_NUMBER_LINE,
    TOO_LARGE,
    TOO_MANY,
    NONE_FOUND,
    NONE_FOUND_BECAUSE,
];

const LINE: &str = "line {0}: {1}";
const ONE_DROPPED: &str = "1 line was dropped: {0}";
const DROPPED: &str = "{0} lines were dropped: {1}";
/// Why lines were skipped, for the summary (after how many) and for a line itself.
const WRONG_COUNT: &str = "with {0} values instead of 2 or 3";
const WRONG_COUNT_LINE: &str = "{0} values; expected 2 (x, y) or 3 (x, y1, y2)";
const NOT_AS_FIRST: &str = "with {0} values where the first point had {1}";
const NOT_AS_FIRST_LINE: &str = "{0} values, but the first point had {1}";
const NOT_FINITE: &str = english("with a value that is not a finite number (nan or inf)");
const NOT_FINITE_LINE: &str = "{0} is not a finite number";
const BEYOND: &str = "with a value beyond ±{0}";
const BEYOND_LINE: &str = "{0} is beyond ±{1}";
const NOT_A_NUMBER: &str = english("with a value that is not a number");
const NOT_A_NUMBER_LINE: &str = "{0} is not a number";
const TOO_LARGE: &str = "the text is {0} KB; at most {1} KB of points are accepted";
const TOO_MANY: &str = "more than {0} points (line {1}); use fewer points";
const NONE_FOUND: &str = english("no points found: expected lines of 2 or 3 numbers");
const NONE_FOUND_BECAUSE: &str = "no points found: expected lines of 2 or 3 numbers ({0})";

use crate::lang::en as said;

/// Points of 2 columns (x, y) or 3 (x, y1, y2), row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct UserData {
    pub cols: usize,
    pub values: Vec<f64>,
}

/// The most points a data set may have, and the least to train on.
pub const MAX_POINTS: usize = 20_000;
pub const MIN_POINTS: usize = 12;
/// The most text a CSV (or a decompressed link) may hold.
pub const MAX_TEXT: usize = 2 << 20;
/// The longest `pts=` value the page puts in a link it offers to share: longer links are
/// cut by chat programs and some servers.
pub const LINK_LIMIT: usize = 6000;
/// Values beyond this size are refused (they would overflow the network's arithmetic).
pub const MAX_ABS: f64 = 1e6;

impl UserData {
    pub fn len(&self) -> usize {
        self.values.len() / self.cols
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.cols..(i + 1) * self.cols]
    }

    /// As CSV text with a header line.
    pub fn to_csv(&self) -> String {
        let mut out = String::from(if self.cols == 2 { "x,y\n" } else { "x,y1,y2\n" });
        for i in 0..self.len() {
            for (j, v) in self.row(i).iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                write_shortest(&mut out, *v);
            }
            out.push('\n');
        }
        out
    }
}

/// What reading a CSV text gave: the points, and the lines that were skipped, each with
/// its line number and why (at most 20 listed).
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub data: UserData,
    pub skipped: Vec<String>,
    pub skipped_count: usize,
    /// Why lines were skipped, with how many of each, most frequent first.
    pub reasons: Vec<(String, usize)>,
}

impl Parsed {
    /// The skipped lines in one sentence: how many and why, e.g. "3 lines were dropped:
    /// 2 with a value that is not a finite number (nan or inf), 1 with 3 values
    /// where the first point had 2". Empty if none were.
    pub fn dropped(&self) -> String {
        self.dropped_in(Lang::En)
    }

    /// [`Parsed::dropped`] in `lang`.
    pub fn dropped_in(&self, lang: Lang) -> String {
        if self.skipped_count == 0 {
            return String::new();
        }
        let why: Vec<String> = self
            .reasons
            .iter()
            .map(|(r, n)| format!("{n} {}", lang.retell(r, &[SAID])))
            .collect();
        match self.skipped_count {
            1 => lang.fill(ONE_DROPPED, &[&why.join(", ")]),
            n => lang.fill(DROPPED, &[&n.to_string(), &why.join(lang.list_sep())]),
        }
    }
}

/// The values of a line: separated by semicolons or tabs where it has any, and then a
/// comma inside a value is a decimal comma (as spreadsheets write CSV in languages that
/// write one: `0,5;1,25`); else separated by commas. Spaces separate values too.
fn fields_of(line: &str) -> Vec<String> {
    let comma_decimal = line.contains([';', '\t']);
    let separators: &[char] = if comma_decimal {
        &[';', '\t', ' ']
    } else {
        &[',', ' ']
    };
    line.split(separators)
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|f| {
            let decimal = f.replacen(',', ".", 1);
            match comma_decimal && !f.contains('.') && number(&decimal).is_some() {
                true => decimal,
                false => f.to_string(),
            }
        })
        .collect()
}

/// A value as a number (`None`: not one).
fn number(f: &str) -> Option<f64> {
    f.parse().ok()
}

/// Why a line was skipped: the text for the summary, and the one for the line itself.
fn reason_of(fields: &[&str], nums: &[Option<f64>], cols: usize) -> Option<(String, String)> {
    let n = fields.len();
    if !(2..=3).contains(&n) {
        return Some((said(WRONG_COUNT, &[&n]), said(WRONG_COUNT_LINE, &[&n])));
    }
    if cols != 0 && n != cols {
        return Some((
            said(NOT_AS_FIRST, &[&n, &cols]),
            said(NOT_AS_FIRST_LINE, &[&n, &cols]),
        ));
    }
    let j = nums.iter().position(|v| v.is_none())?;
    let f = fields[j];
    let quoted = crate::base::text::quote(f);
    Some(match number(f) {
        Some(v) if !v.is_finite() => (NOT_FINITE.into(), said(NOT_FINITE_LINE, &[&quoted])),
        Some(_) => (
            said(BEYOND, &[&MAX_ABS]),
            said(BEYOND_LINE, &[&quoted, &MAX_ABS]),
        ),
        None => (NOT_A_NUMBER.into(), said(NOT_A_NUMBER_LINE, &[&quoted])),
    })
}

/// Reads points from CSV text: two or three numeric columns separated by commas,
/// semicolons, tabs or spaces; an optional header line; empty lines and `#` comments are
/// ignored, and so is a byte-order mark. Lines that cannot be read are skipped and
/// reported with their numbers and, in [`Parsed::dropped`], counted by reason; the error
/// is for a text with no usable points, too large, or with too many points.
pub fn parse_csv(text: &str) -> Result<Parsed, String> {
    if text.len() > MAX_TEXT {
        return Err(said(TOO_LARGE, &[&(text.len() / 1024), &(MAX_TEXT / 1024)]));
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut cols = 0;
    let mut values = Vec::new();
    let mut skipped = Vec::new();
    let mut skipped_count = 0;
    let mut reasons: Vec<(String, usize)> = Vec::new();
    let mut seen_data = false;
    for (no, line) in text.lines().enumerate() {
        let no = no + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields = fields_of(line);
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        let nums: Vec<Option<f64>> = fields
            .iter()
            .map(|f| number(f).filter(|v| v.is_finite() && v.abs() <= MAX_ABS))
            .collect();
        if !seen_data && fields.iter().all(|f| number(f).is_none()) {
            // A header line (only before the first point).
            seen_data = true;
            continue;
        }
        seen_data = true;
        if let Some((reason, line_why)) = reason_of(&fields, &nums, cols) {
            skipped_count += 1;
            if skipped.len() < 20 {
                skipped.push(said(LINE, &[&no, &line_why]));
            }
            match reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((reason, 1)),
            }
            continue;
        }
        cols = fields.len();
        if values.len() / cols >= MAX_POINTS {
            return Err(said(TOO_MANY, &[&MAX_POINTS, &no]));
        }
        values.extend(nums.into_iter().flatten());
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
    if values.is_empty() {
        return Err(match skipped.first() {
            Some(s) => said(NONE_FOUND_BECAUSE, &[s]),
            None => NONE_FOUND.into(),
        });
    }
    Ok(Parsed {
        data: UserData { cols, values },
        skipped,
        skipped_count,
        reasons,
    })
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Bytes as base64url without padding (the alphabet of URLs).
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let v = B64.iter().position(|&b| b == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // What is left must be the zero padding of the last byte (at most 4 bits): anything
    // else is text that `base64url` never writes.
    (bits <= 4 && acc == 0).then_some(out)
}

/// The link form of a data set.
pub fn encode(data: &UserData) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(data.to_csv().as_bytes(), 9);
    format!("z2.{}", base64url(&packed))
}

/// Reads the link form back (the same numbers, bit for bit). The error says what is wrong
/// (the caller names the key). A link changed by hand or cut
/// short fails its checksum and is refused with the reason, never read as other points.
pub fn decode(text: &str) -> Result<UserData, String> {
    let (body, zlib) = if let Some(b) = text.strip_prefix("z2.") {
        (b, true)
    } else if let Some(b) = text.strip_prefix("z1.") {
        (b, false)
    } else {
        return Err("not points written by the playground (they start with z2.)".into());
    };
    if body.len() > 4 * MAX_TEXT {
        return Err("too long".into());
    }
    let packed = unbase64url(body).ok_or("damaged (not base64url as the page writes it)")?;
    let csv = if zlib {
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_TEXT)
    } else {
        miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_TEXT)
    };
    let csv = csv.map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
            format!("too large (over {} KB of text)", MAX_TEXT / 1024)
        }
        miniz_oxide::inflate::TINFLStatus::Adler32Mismatch => {
            "damaged (the checksum does not match: the link was changed or cut)".into()
        }
        _ => "damaged or cut short (it does not decompress)".to_string(),
    })?;
    let csv = String::from_utf8(csv).map_err(|_| "damaged (not text)".to_string())?;
    let p = parse_csv(&csv).map_err(|e| e.to_string())?;
    if p.skipped_count > 0 {
        return Err(format!("damaged ({})", p.skipped[0]));
    }
    Ok(p.data)
}
