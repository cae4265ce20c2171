//! Words a person draws on the page's pad, in the link's short form and as training data.
//!
//! The pad works in font units (the Hershey grid: a small letter is about 9 units tall).
//! A drawing is resampled as it is drawn, a point kept once it lies [`SPACING`] units from
//! the last kept one, so that its moves are as long as the built-in set's.
//!
//! Link form (key `drawn`): words separated by `~`, a word's strokes by `_`, a stroke's
//! points by `-`, each point `x.y` in tenths of a unit offset by [`OFFSET`] (whole numbers
//! from 0 to 9999): only characters a link carries as they are.

use super::data;
use super::Move;

/// The distance between kept points, in font units.
pub const SPACING: f64 = 2.0;
/// Points are written as 10·(v + OFFSET), so that the pad's whole area is non-negative.
pub const OFFSET: f64 = 200.0;
/// At most this many words, strokes per word and points per stroke are read.
pub const MAX_WORDS: usize = 40;
pub const MAX_STROKES: usize = 40;
pub const MAX_POINTS: usize = 600;

/// A drawn word: its strokes, absolute points in font units.
pub type Word = Vec<Vec<[f64; 2]>>;

/// Keeps the points of a stroke at least [`SPACING`] apart (the first and last always).
pub fn resample(stroke: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::new();
    for p in stroke
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
    {
        match out.last() {
            Some(q) if (p[0] - q[0]).hypot(p[1] - q[1]) < SPACING => {}
            _ => out.push(*p),
        }
    }
    if let (Some(last), Some(kept)) = (stroke.last(), out.last()) {
        if last != kept && last[0].is_finite() && last[1].is_finite() {
            out.push(*last);
        }
    }
    out
}

fn point(p: [f64; 2]) -> String {
    let c = |v: f64| (10.0 * (v + OFFSET)).round().clamp(0.0, 9999.0) as u32;
    format!("{}.{}", c(p[0]), c(p[1]))
}

/// The link form of `words`.
pub fn encode(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| {
            w.iter()
                .map(|s| s.iter().map(|p| point(*p)).collect::<Vec<_>>().join("-"))
                .collect::<Vec<_>>()
                .join("_")
        })
        .collect::<Vec<_>>()
        .join("~")
}

/// Words from the link form; a message for what could not be read (the rest is kept).
pub fn decode(text: &str) -> (Vec<Word>, Option<String>) {
    let mut bad = 0;
    let mut words = Vec::new();
    for w in text.split('~').filter(|w| !w.is_empty()).take(MAX_WORDS) {
        let mut word: Word = Vec::new();
        for s in w.split('_').take(MAX_STROKES) {
            let stroke: Vec<[f64; 2]> = s
                .split('-')
                .take(MAX_POINTS)
                .filter_map(|p| {
                    let (x, y) = p.split_once('.')?;
                    let v = |t: &str| {
                        t.parse::<u32>()
                            .ok()
                            .filter(|v| *v <= 9999)
                            .map(|v| v as f64 / 10.0 - OFFSET)
                    };
                    match (v(x), v(y)) {
                        (Some(x), Some(y)) => Some([x, y]),
                        _ => {
                            bad += 1;
                            None
                        }
                    }
                })
                .collect();
            if stroke.len() > 1 {
                word.push(stroke);
            }
        }
        if !word.is_empty() {
            words.push(word);
        }
    }
    let why = (bad > 0).then(|| format!("drawn: {bad} points were not of the form x.y (whole numbers 0 to 9999) and were left out"));
    (words, why)
}

/// The link form of the drawn words' transcripts, in the words' order (`|` between them:
/// not a character of the alphabet); trailing words without one are left out.
pub fn encode_said(said: &[String]) -> String {
    let last = said
        .iter()
        .rposition(|s| !s.is_empty())
        .map_or(0, |i| i + 1);
    said[..last].join("|")
}

/// The transcripts of `words` drawn words from their link form: one per word (empty:
/// none), each of the writer's alphabet and at most [`super::write::MAX_TEXT`]
/// characters; a message for what was left out.
pub fn decode_said(text: &str, words: usize) -> (Vec<String>, Option<String>) {
    let alphabet = super::alphabet::ALPHABET;
    let given: Vec<&str> = if text.is_empty() {
        vec![]
    } else {
        text.split('|').collect()
    };
    let mut notes = Vec::new();
    if given.len() > words {
        notes.push(format!(
            "{} transcripts for {words} drawn words (the extra ones were left out)",
            given.len()
        ));
    }
    let mut dropped = 0;
    let mut said: Vec<String> = given
        .iter()
        .take(words)
        .map(|t| {
            let kept: String = t
                .chars()
                .filter(|c| alphabet.contains(*c))
                .take(super::write::MAX_TEXT)
                .collect();
            dropped += t.chars().count() - kept.chars().count();
            kept.trim().to_string()
        })
        .collect();
    if dropped > 0 {
        notes.push(format!(
            "{dropped} characters the pen cannot write (or past {} a word) were left out",
            super::write::MAX_TEXT
        ));
    }
    said.resize(words, String::new());
    (said, (!notes.is_empty()).then(|| notes.join("; ")))
}

/// The words as pen-move sequences (font units).
pub fn sequences(words: &[Word]) -> Vec<Vec<Move>> {
    words
        .iter()
        .map(|w| data::moves(w))
        .filter(|m| !m.is_empty())
        .collect()
}
