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
