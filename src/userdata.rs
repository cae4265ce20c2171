//! Your own data: points from a CSV text (pasted, uploaded, or drawn on the page), and
//! their compact form inside a share link (`pts=`), so that a link reproduces the
//! experiment exactly, points and all.
//!
//! Link form: `z1.` + base64url(deflate(CSV text)), the CSV written with the shortest
//! text that reads back to the same f64, so decoding gives the very same numbers.

use std::fmt::Write;

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
                let _ = write!(out, "{v}");
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
}

/// Reads points from CSV text: two or three numeric columns separated by commas,
/// semicolons, tabs or spaces; an optional header line; empty lines and `#` comments are
/// ignored. Lines that cannot be read are skipped and reported with their numbers; the
/// error is for a text with no usable points, too large, or with too many points.
pub fn parse_csv(text: &str) -> Result<Parsed, String> {
    if text.len() > MAX_TEXT {
        return Err(format!(
            "the text is {} KB; at most {} KB of points are accepted",
            text.len() / 1024,
            MAX_TEXT / 1024
        ));
    }
    let mut cols = 0;
    let mut values = Vec::new();
    let mut skipped = Vec::new();
    let mut skipped_count = 0;
    let mut seen_data = false;
    for (no, line) in text.lines().enumerate() {
        let no = no + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line
            .split([',', ';', '\t', ' '])
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .collect();
        let nums: Vec<Option<f64>> = fields
            .iter()
            .map(|f| {
                f.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && v.abs() <= MAX_ABS)
            })
            .collect();
        if !seen_data && nums.iter().all(|v| v.is_none()) {
            // A header line (only before the first point).
            seen_data = true;
            continue;
        }
        seen_data = true;
        let mut skip = |why: String| {
            skipped_count += 1;
            if skipped.len() < 20 {
                skipped.push(format!("line {no}: {why}"));
            }
        };
        if !(2..=3).contains(&fields.len()) {
            skip(format!(
                "{} values; expected 2 (x, y) or 3 (x, y1, y2)",
                fields.len()
            ));
            continue;
        }
        if cols != 0 && fields.len() != cols {
            skip(format!(
                "{} values, but the first point had {cols}",
                fields.len()
            ));
            continue;
        }
        if let Some(j) = nums.iter().position(|v| v.is_none()) {
            skip(format!(
                "{} is not a number within ±{MAX_ABS}",
                crate::spec::quote(fields[j])
            ));
            continue;
        }
        cols = fields.len();
        if values.len() / cols >= MAX_POINTS {
            return Err(format!(
                "more than {MAX_POINTS} points (line {no}); use fewer points"
            ));
        }
        values.extend(nums.into_iter().flatten());
    }
    if values.is_empty() {
        let first = skipped
            .first()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        return Err(format!(
            "no points found: expected lines of 2 or 3 numbers{first}"
        ));
    }
    Ok(Parsed {
        data: UserData { cols, values },
        skipped,
        skipped_count,
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
    Some(out)
}

/// The link form of a data set.
pub fn encode(data: &UserData) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(data.to_csv().as_bytes(), 9);
    format!("z1.{}", base64url(&packed))
}

/// Reads the link form back (the same numbers, bit for bit).
pub fn decode(text: &str) -> Result<UserData, String> {
    let body = text
        .strip_prefix("z1.")
        .ok_or("pts: not points written by the playground (they start with z1.)")?;
    if body.len() > 4 * MAX_TEXT {
        return Err("pts: too long".into());
    }
    let packed = unbase64url(body).ok_or("pts: damaged (not base64url)")?;
    let csv = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_TEXT)
        .map_err(|_| "pts: damaged or too large (it does not decompress)".to_string())?;
    let csv = String::from_utf8(csv).map_err(|_| "pts: damaged (not text)".to_string())?;
    let p = parse_csv(&csv).map_err(|e| format!("pts: {e}"))?;
    if p.skipped_count > 0 {
        return Err(format!("pts: damaged ({})", p.skipped[0]));
    }
    Ok(p.data)
}
