//! The built-in stroke set: words of the Hershey script font (public domain; see
//! `hershey.py` beside this file for the source, the licence and how `hershey.txt` was
//! made), drawn anew for every instance with a seeded jitter (size, slant, rotation and
//! a wobble of every point), turned into pen moves and normalised as Graves (2013) does:
//! the offsets of the training moves to mean 0 and standard deviation 1 per axis.

use super::Move;
use crate::base::math;
use crate::base::rng::{stream, Rng};

/// The font's words, as `hershey.py` wrote them.
const HERSHEY: &str = include_str!("hershey.txt");

/// One template: its text and its strokes (points in font units, y up).
#[derive(Clone, Debug)]
pub struct Glyph {
    pub text: String,
    pub strokes: Vec<Vec<[f64; 2]>>,
}

/// Every template of the built-in set.
pub fn templates() -> Vec<Glyph> {
    HERSHEY
        .lines()
        .filter_map(|line| {
            let (text, rest) = line.split_once('\t')?;
            Some(Glyph {
                text: text.into(),
                strokes: parse_strokes(rest),
            })
        })
        .collect()
}

/// Strokes as `hershey.py` writes them: separated by ';', each its points 'x,y'
/// separated by spaces (strokes of fewer than two points left out).
pub fn parse_strokes(text: &str) -> Vec<Vec<[f64; 2]>> {
    text.split(';')
        .map(|s| {
            s.split(' ')
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some([x.parse().ok()?, y.parse().ok()?])
                })
                .collect::<Vec<[f64; 2]>>()
        })
        .filter(|s| s.len() > 1)
        .collect()
}

/// Strokes (absolute points, one list per stroke) as pen moves: each point after the
/// first, its offset from the point before and whether its stroke ends there.
pub fn moves(strokes: &[Vec<[f64; 2]>]) -> Vec<Move> {
    let mut out = Vec::new();
    let mut last: Option<[f64; 2]> = None;
    for s in strokes {
        for (i, p) in s.iter().enumerate() {
            if let Some(q) = last {
                out.push(Move {
                    dx: p[0] - q[0],
                    dy: p[1] - q[1],
                    end: i + 1 == s.len(),
                });
            }
            last = Some(*p);
        }
    }
    out
}

/// Pen moves back to absolute points from `origin`, one list per stroke.
pub fn points(moves: &[Move], origin: [f64; 2]) -> Vec<Vec<[f64; 2]>> {
    let at = positions(moves, origin);
    let mut out = vec![vec![origin]];
    for (m, p) in moves.iter().zip(&at[1..]) {
        out.last_mut().expect("a stroke").push(*p);
        if m.end {
            out.push(vec![]);
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// One instance of a template, jittered: scaled by 0.8–1.2, slanted by up to ±0.3,
/// turned by up to ±0.1 rad, every point moved by N(0, 0.25²) font units.
pub fn jitter(g: &Glyph, rng: &mut Rng) -> Vec<Vec<[f64; 2]>> {
    let s = rng.range(0.8, 1.2);
    let slant = rng.range(-0.3, 0.3);
    let a = rng.range(-0.1, 0.1);
    let (c, n) = (libm::cos(a), libm::sin(a));
    g.strokes
        .iter()
        .map(|st| {
            st.iter()
                .map(|p| {
                    let x = s * (p[0] + slant * p[1]) + 0.25 * rng.normal();
                    let y = s * p[1] + 0.25 * rng.normal();
                    [c * x - n * y, n * x + c * y]
                })
                .collect()
        })
        .collect()
}

/// The normalisation of pen moves: per axis, the training offsets' mean and standard
/// deviation (font units). A model trains and writes in normalised units.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scale {
    pub mean: [f64; 2],
    pub std: [f64; 2],
}

impl Scale {
    /// The scale of `moves` (a spread of 0 is taken as 1).
    pub fn of<'a>(moves: impl Iterator<Item = &'a Move> + Clone) -> Scale {
        let (mut sum, mut sq, mut count) = ([0.0; 2], [0.0; 2], 0.0f64);
        for m in moves.clone() {
            sum[0] += m.dx;
            sum[1] += m.dy;
            count += 1.0;
        }
        let mean = [sum[0] / count.max(1.0), sum[1] / count.max(1.0)];
        for m in moves {
            sq[0] += (m.dx - mean[0]) * (m.dx - mean[0]);
            sq[1] += (m.dy - mean[1]) * (m.dy - mean[1]);
        }
        let sd = |a: usize| {
            let v = libm::sqrt(sq[a] / count.max(1.0));
            if v > 1e-9 {
                v
            } else {
                1.0
            }
        };
        Scale {
            mean,
            std: [sd(0), sd(1)],
        }
    }

    /// Moves in font units, normalised.
    pub fn normalise(&self, moves: &[Move]) -> Vec<Move> {
        let (mean, std) = (self.mean, self.std);
        moves
            .iter()
            .map(|m| Move {
                dx: (m.dx - mean[0]) / std[0],
                dy: (m.dy - mean[1]) / std[1],
                end: m.end,
            })
            .collect()
    }

    /// Normalised moves back to font units.
    pub fn denormalise(&self, moves: &[Move]) -> Vec<Move> {
        moves
            .iter()
            .map(|m| Move {
                dx: m.dx * self.std[0] + self.mean[0],
                dy: m.dy * self.std[1] + self.mean[1],
                end: m.end,
            })
            .collect()
    }

    /// How much the normalisation adds to an NLL per move in normalised units to give
    /// it in font units: ln σx + ln σy.
    pub fn nll_shift(&self) -> f64 {
        math::ln(self.std[0]) + math::ln(self.std[1])
    }
}

/// A drawn stroke set: training and validation sequences (normalised moves), with the
/// scale that normalised them.
#[derive(Clone, Debug, PartialEq)]
pub struct StrokeSet {
    pub train: Vec<Vec<Move>>,
    pub val: Vec<Vec<Move>>,
    pub scale: Scale,
    /// Each sequence's text as symbols of [`super::alphabet::ALPHABET`] (empty when the set
    /// has no transcripts).
    pub train_text: Vec<Vec<u16>>,
    pub val_text: Vec<Vec<u16>>,
}

impl StrokeSet {
    /// `n` training and `n_val` validation instances of the templates, drawn in turn
    /// from a shuffled order, from `seed`'s own stream.
    pub fn hershey(n: usize, n_val: usize, seed: u64) -> StrokeSet {
        let all = templates();
        let (which, seqs) = templates_drawn(&all, n + n_val, seed);
        let texts: Vec<String> = which.iter().map(|&i| all[i].text.clone()).collect();
        StrokeSet::from_sequences(&seqs, n).with_texts(&texts)
    }

    /// The set with each sequence's text, in order (training, then validation).
    pub fn with_texts(mut self, texts: &[String]) -> StrokeSet {
        let enc = |t: &String| super::alphabet::encode(t).unwrap_or_default();
        let n = self.train.len();
        self.train_text = texts[..n].iter().map(enc).collect();
        self.val_text = texts[n..].iter().map(enc).collect();
        self
    }

    /// `n` jittered instances of the `train` words and `n_val` of the `val` words (words
    /// a person drew: the validation words are never trained on).
    pub fn from_words(
        train: &[Glyph],
        val: &[Glyph],
        n: usize,
        n_val: usize,
        seed: u64,
    ) -> StrokeSet {
        let (tw, mut seqs) = templates_drawn(train, n, seed);
        let (vw, vs) = templates_drawn(val, n_val, seed ^ 0x5eed);
        seqs.extend(vs);
        let texts: Vec<String> = (tw.iter().map(|&i| &train[i]))
            .chain(vw.iter().map(|&i| &val[i]))
            .map(|g| g.text.clone())
            .collect();
        StrokeSet::from_sequences(&seqs, n).with_texts(&texts)
    }

    /// Sequences of moves in font units (or a drawing's pixels): the first `n` train, the
    /// rest validate; all normalised by the training moves' mean and spread.
    pub fn from_sequences(seqs: &[Vec<Move>], n: usize) -> StrokeSet {
        let n = n.min(seqs.len());
        let scale = Scale::of(seqs[..n].iter().flatten());
        StrokeSet {
            train: seqs[..n].iter().map(|s| scale.normalise(s)).collect(),
            val: seqs[n..].iter().map(|s| scale.normalise(s)).collect(),
            scale,
            train_text: Vec::new(),
            val_text: Vec::new(),
        }
    }
}

/// Where the pen stands from `origin` on: `origin`, then after each move.
pub fn positions(moves: &[Move], origin: [f64; 2]) -> Vec<[f64; 2]> {
    let mut at = origin;
    std::iter::once(origin)
        .chain(moves.iter().map(|m| {
            at = [at[0] + m.dx, at[1] + m.dy];
            at
        }))
        .collect()
}

/// `count` jittered instances of the templates `all`, as moves in font units, and which
/// template each is.
fn templates_drawn(all: &[Glyph], count: usize, seed: u64) -> (Vec<usize>, Vec<Vec<Move>>) {
    if all.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut rng = Rng::new(seed, stream::STROKE_WORDS);
    let mut order: Vec<usize> = (0..all.len()).collect();
    let (mut which, mut out) = (Vec::with_capacity(count), Vec::with_capacity(count));
    while out.len() < count {
        rng.shuffle(&mut order);
        for &i in &order {
            if out.len() == count {
                break;
            }
            which.push(i);
            out.push(moves(&jitter(&all[i], &mut rng)));
        }
    }
    (which, out)
}
