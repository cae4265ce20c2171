//! The characters a synthesis network reads and writes: the space, letters, digits and a
//! little punctuation, each a symbol (its place in [`ALPHABET`]).

/// The characters a synthesis network writes, in the order of their symbols.
pub const ALPHABET: &str = " abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,'!?-";

/// The symbols of `text`, or a message naming the characters the network cannot write.
pub fn encode(text: &str) -> Result<Vec<u16>, String> {
    let mut bad: Vec<char> = Vec::new();
    let symbols = text
        .chars()
        .filter_map(|c| match ALPHABET.chars().position(|a| a == c) {
            Some(i) => Some(i as u16),
            None => {
                if !bad.contains(&c) {
                    bad.push(c);
                }
                None
            }
        })
        .collect();
    if bad.is_empty() {
        Ok(symbols)
    } else {
        let list: String = bad.iter().map(|c| format!("{c:?} ")).collect();
        Err(format!(
            "cannot write {}(it writes letters, digits, spaces and . , ' ! ? -)",
            list
        ))
    }
}

/// The text of `symbols`.
pub fn decode(symbols: &[u16]) -> String {
    let chars: Vec<char> = ALPHABET.chars().collect();
    symbols
        .iter()
        .filter_map(|&s| chars.get(s as usize))
        .collect()
}
