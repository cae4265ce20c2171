//! Plain text for messages. Every message is plain text: the page inserts it with
//! `textContent`, never as HTML, and the command line prints it as it is.

/// User text quoted in a message: shortened, control characters replaced.
/// (Messages are plain text; the page inserts them with `textContent`, never as HTML.)
pub fn quote(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(40)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    format!("'{out}'")
}

/// `v` to `digits` significant digits, for a message ([`number`]'s notation): 0.0100000001
/// reads 0.01, 1234.5 reads 1230 at three digits.
pub fn significant(v: f64, digits: usize) -> String {
    if !v.is_finite() || v == 0.0 {
        return number(v);
    }
    let rounded: f64 = format!("{:.*e}", digits.saturating_sub(1), v)
        .parse()
        .unwrap_or(v);
    number(rounded)
}

/// A number for a message: as written when it is of an ordinary size, in exponent form
/// when very large or small (1e300 is "1e300", not 301 digits).
pub fn number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || (1e-4..1e12).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// `v` with `decimals` places and a true minus sign, as the page writes numbers ("−0.40";
/// a value that rounds to zero has no sign).
pub fn signed(v: f64, decimals: usize) -> String {
    let text = format!("{v:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        Some(rest) => format!("−{rest}"),
        None => text,
    }
}

/// A short text that reads back to exactly `v`: Rust writes the fewest digits that
/// round-trip, in either notation; the exponent form is taken where it is more than two
/// characters shorter (`1e-300`, not 302 characters of zeros; but `1000`, `0.001`).
pub fn write_shortest(out: &mut String, v: f64) {
    let plain = format!("{v}");
    let exp = format!("{v:e}");
    out.push_str(if exp.len() + 2 < plain.len() {
        &exp
    } else {
        &plain
    });
}
