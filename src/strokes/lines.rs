//! Lines of text in pen moves, with their transcripts: what the synthesis network learns
//! to write. The characters are the Hershey script font's (`glyphs.txt`, written by
//! `hershey.py --glyphs`: public domain, see there), set side by side as the font sets
//! them, letters of a word joined where the font joins them. The lines are made of words
//! from [`VOCABULARY`], a number now and then, a capital and a full stop now and then;
//! every fifth word of the vocabulary only ever appears in validation lines, so a model is
//! judged on words it has never seen.
//!
//! Each line is drawn anew for every instance with a seeded jitter, per line: size
//! 0.85–1.15, slant −0.2 to 0.35 (x += slant·y), the baseline turned by up to ±0.04 rad;
//! per word: the baseline moved by N(0, 0.5²) font units and the gap before it 0.7–1.3
//! times the font's; per character: up to 1.2 font units more space after it (a joined
//! letter's connecting stroke stretches to reach it); per point: N(0, 0.2²).

use super::alphabet::encode;
use super::data::{moves, parse_strokes, StrokeSet};
use super::Move;
use crate::base::rng::{stream, Rng};

/// The font's characters, as `hershey.py --glyphs` wrote them.
const GLYPHS: &str = include_str!("glyphs.txt");

/// Words of the lines, common English words of two to eight letters.
pub const VOCABULARY: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "you",
    "that",
    "it",
    "he",
    "was",
    "for",
    "on",
    "are",
    "as",
    "with",
    "his",
    "they",
    "at",
    "be",
    "this",
    "have",
    "from",
    "or",
    "one",
    "had",
    "by",
    "word",
    "but",
    "not",
    "what",
    "all",
    "were",
    "we",
    "when",
    "your",
    "can",
    "said",
    "there",
    "use",
    "an",
    "each",
    "which",
    "she",
    "do",
    "how",
    "their",
    "if",
    "will",
    "up",
    "other",
    "about",
    "out",
    "many",
    "then",
    "them",
    "these",
    "so",
    "some",
    "her",
    "would",
    "make",
    "like",
    "him",
    "into",
    "time",
    "has",
    "look",
    "two",
    "more",
    "write",
    "go",
    "see",
    "number",
    "no",
    "way",
    "could",
    "people",
    "my",
    "than",
    "first",
    "water",
    "been",
    "call",
    "who",
    "oil",
    "its",
    "now",
    "find",
    "long",
    "down",
    "day",
    "did",
    "get",
    "come",
    "made",
    "may",
    "part",
    "over",
    "new",
    "sound",
    "take",
    "only",
    "little",
    "work",
    "know",
    "place",
    "year",
    "live",
    "me",
    "back",
    "give",
    "most",
    "very",
    "after",
    "thing",
    "our",
    "just",
    "name",
    "good",
    "man",
    "think",
    "say",
    "great",
    "where",
    "help",
    "through",
    "much",
    "before",
    "line",
    "right",
    "too",
    "mean",
    "old",
    "any",
    "same",
    "tell",
    "boy",
    "follow",
    "came",
    "want",
    "show",
    "also",
    "around",
    "form",
    "three",
    "small",
    "set",
    "put",
    "end",
    "does",
    "another",
    "well",
    "large",
    "must",
    "big",
    "even",
    "such",
    "because",
    "turn",
    "here",
    "why",
    "ask",
    "went",
    "men",
    "read",
    "need",
    "land",
    "different",
    "home",
    "us",
    "move",
    "try",
    "kind",
    "hand",
    "picture",
    "again",
    "change",
    "off",
    "play",
    "spell",
    "air",
    "away",
    "animal",
    "house",
    "point",
    "page",
    "letter",
    "mother",
    "answer",
    "found",
    "study",
    "still",
    "learn",
    "should",
    "world",
    "high",
    "every",
    "near",
    "add",
    "food",
    "between",
    "own",
    "below",
    "country",
    "plant",
    "last",
    "school",
    "father",
    "keep",
    "tree",
    "never",
    "start",
    "city",
    "earth",
    "eye",
    "light",
    "thought",
    "head",
    "under",
    "story",
    "saw",
    "left",
    "few",
    "while",
    "along",
    "might",
    "close",
    "something",
    "seem",
    "next",
    "hard",
    "open",
    "example",
    "begin",
    "life",
    "always",
    "those",
    "both",
    "paper",
    "together",
    "got",
    "group",
    "often",
    "run",
    "important",
    "until",
    "children",
    "side",
    "feet",
    "car",
    "mile",
    "night",
    "walk",
    "white",
    "sea",
    "began",
    "grow",
    "took",
    "river",
    "four",
    "carry",
    "state",
    "once",
    "book",
    "hear",
    "stop",
    "without",
    "second",
    "later",
    "miss",
    "idea",
    "enough",
    "eat",
    "face",
    "watch",
    "far",
    "real",
    "almost",
    "let",
    "above",
    "girl",
    "sometimes",
    "mountain",
    "cut",
    "young",
    "talk",
    "soon",
    "list",
    "song",
    "being",
    "leave",
    "family",
    "quick",
];

/// Whether vocabulary word `i` belongs to the validation lines only.
pub fn held_out(i: usize) -> bool {
    i % 5 == 4
}

/// One character of the font: where its pen starts and where the next character
/// starts (font units), and its strokes in its own coordinates (y up).
#[derive(Clone, Debug)]
struct Glyph {
    left: f64,
    right: f64,
    strokes: Vec<Vec<[f64; 2]>>,
}

/// The font's characters, in the order of [`ALPHABET`] (read from the file once).
fn glyphs() -> &'static [Glyph] {
    static FONT: std::sync::OnceLock<Vec<Glyph>> = std::sync::OnceLock::new();
    FONT.get_or_init(read_glyphs)
}

fn read_glyphs() -> Vec<Glyph> {
    GLYPHS
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, '\t');
            let _char = parts.next()?;
            let (l, r) = parts.next()?.split_once(' ')?;
            let strokes = parse_strokes(parts.next().unwrap_or(""));
            Some(Glyph {
                left: l.parse().ok()?,
                right: r.parse().ok()?,
                strokes,
            })
        })
        .collect()
}

/// How a line is drawn: per-word baseline shifts and gaps, per-character spacing, and
/// the line's size, slant and turn (see the module's account).
struct Hand<'a> {
    rng: &'a mut Rng,
    size: f64,
    slant: f64,
    turn: (f64, f64),
    wobble: f64,
}

/// The strokes of `text` (symbols of [`ALPHABET`]) in font units, set by the font and,
/// with a hand, jittered by it.
fn compose(text: &[u16], font: &[Glyph], mut hand: Option<Hand>) -> Vec<Vec<[f64; 2]>> {
    let mut out: Vec<Vec<[f64; 2]>> = Vec::new();
    // The font's pen position, and what the hand has added to it so far.
    let (mut x, mut extra, mut lift) = (0.0, 0.0, 0.0);
    // The font's end of the last stroke, to tell which strokes the font joins.
    let mut last_end: Option<[f64; 2]> = None;
    for &c in text {
        let g = &font[c as usize];
        if let Some(h) = hand.as_mut() {
            if c == 0 {
                lift = 0.5 * h.rng.normal();
                extra += (h.rng.range(0.7, 1.3) - 1.0) * (g.right - g.left);
            } else {
                extra += h.rng.range(0.0, 1.2);
            }
        }
        let at = x - g.left;
        for st in &g.strokes {
            let font_start = [st[0][0] + at, st[0][1]];
            let pts = st.iter().map(|p| [p[0] + at + extra, p[1] + lift]);
            match (last_end == Some(font_start), out.last_mut()) {
                (true, Some(prev)) => prev.extend(pts),
                _ => out.push(pts.collect()),
            }
            let e = st[st.len() - 1];
            last_end = Some([e[0] + at, e[1]]);
        }
        x += g.right - g.left;
        if g.strokes.is_empty() {
            last_end = None;
        }
    }
    if let Some(h) = hand {
        let (c, s) = h.turn;
        for p in out.iter_mut().flatten() {
            let px = h.size * (p[0] + h.slant * p[1]) + h.wobble * h.rng.normal();
            let py = h.size * p[1] + h.wobble * h.rng.normal();
            *p = [c * px - s * py, s * px + c * py];
        }
    }
    out
}

/// The strokes of `text` as the font sets it, without jitter (font units, y up).
pub fn typeset(text: &str) -> Result<Vec<Vec<[f64; 2]>>, String> {
    Ok(compose(&encode(text)?, glyphs(), None))
}

/// One jittered instance of `text`, as pen moves in font units.
fn written(text: &[u16], font: &[Glyph], rng: &mut Rng) -> Vec<Move> {
    let size = rng.range(0.85, 1.15);
    let slant = rng.range(-0.2, 0.35);
    let a = rng.range(-0.04, 0.04);
    let hand = Hand {
        rng,
        size,
        slant,
        turn: (libm::cos(a), libm::sin(a)),
        wobble: 0.2,
    };
    moves(&compose(text, font, Some(hand)))
}

/// A line of text: one to three words of the vocabulary (the held-out words, or all the
/// others), a number of one to three digits now and then, the first letter a capital and
/// a stop at the end now and then.
fn line(rng: &mut Rng, words: &[&str]) -> String {
    let n = 1 + rng.below(3) as usize;
    let mut parts: Vec<String> = (0..n)
        .map(|_| {
            if rng.uniform() < 0.12 {
                let digits = 1 + rng.below(3);
                (0..digits)
                    .map(|_| char::from(b'0' + rng.below(10) as u8))
                    .collect()
            } else {
                words[rng.below(words.len() as u64) as usize].to_string()
            }
        })
        .collect();
    if rng.uniform() < 0.3 {
        let first = &mut parts[0];
        let mut cs = first.chars();
        if let Some(c) = cs.next() {
            *first = c.to_uppercase().chain(cs).collect();
        }
    }
    let mut text = parts.join(" ");
    if rng.uniform() < 0.2 {
        text.push(['.', '!', '?', ','][rng.below(4) as usize]);
    }
    text
}

/// `n` training and `n_val` validation lines from `seed`'s own stream, normalised by the
/// training moves, with their transcripts.
pub fn stroke_set(n: usize, n_val: usize, seed: u64) -> StrokeSet {
    let (texts, seqs) = lines(n, n_val, seed);
    StrokeSet::from_sequences(&seqs, n).with_texts(&texts)
}

/// `n` training and `n_val` validation lines from `seed`'s own stream: their texts and
/// their pen moves in font units. The validation lines' words are the held-out words.
pub fn lines(n: usize, n_val: usize, seed: u64) -> (Vec<String>, Vec<Vec<Move>>) {
    let font = glyphs();
    let mut rng = Rng::new(seed, stream::STROKE_LINES);
    let (mut train, mut val) = (Vec::new(), Vec::new());
    for (i, w) in VOCABULARY.iter().enumerate() {
        if held_out(i) {
            val.push(*w);
        } else {
            train.push(*w);
        }
    }
    let mut texts = Vec::with_capacity(n + n_val);
    let mut seqs = Vec::with_capacity(n + n_val);
    for i in 0..n + n_val {
        let text = line(&mut rng, if i < n { &train } else { &val });
        let symbols = encode(&text).expect("the vocabulary is in the alphabet");
        seqs.push(written(&symbols, &font, &mut rng));
        texts.push(text);
    }
    (texts, seqs)
}
