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

/// A number for a message: as written when it is of an ordinary size, in exponent form
/// when very large or small (1e300 is "1e300", not 301 digits).
pub fn number(v: f64) -> String {
    if v == 0.0 || !v.is_finite() || (1e-4..1e12).contains(&v.abs()) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}
