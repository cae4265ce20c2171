//! Writing a text with the synthesis network (Graves 2013, §5.3–5.5): one pen move at a
//! time, each drawn from the pen's distribution with Graves' bias and a temperature, the
//! window moving along the text as the network moves it, until the window has passed the
//! last character (Graves' rule, [`super::window::Window::past_the_end`]) — or, as a
//! safety net, after [`MOVES_PER_CHARACTER`] moves per character.
//!
//! Priming (§5.5, "write in my hand"): the network first reads a line the person wrote
//! with its transcript, the text to write following the transcript after a space, and
//! writes on from the state that leaves: the style of the recent strokes is in the LSTM's
//! state, and the window stands after the primed text.

use super::lstm::State;
use super::pen::Pen;
use super::{Move, PenModel, START};
use crate::base::rng::Rng;
use crate::lang::Lang;

/// The most pen moves written per character of the text (a line of the built-in set takes
/// about 10 per character).
pub const MOVES_PER_CHARACTER: usize = 40;

/// The longest text written at once, in characters.
pub const MAX_TEXT: usize = 120;

/// Why `text` cannot be written (`None`: it can): nothing to write, more than
/// [`MAX_TEXT`] characters, or characters the pen has no letters for.
pub fn unwritable(text: &str, lang: Lang) -> Option<String> {
    let n = text.chars().count();
    if n == 0 {
        return Some(lang.t("Type something to write.").into());
    }
    if n > MAX_TEXT {
        let (n, most) = (n.to_string(), MAX_TEXT.to_string());
        return Some(lang.fill(
            "{0} characters: the pen writes at most {1} at once.",
            &[&n, &most],
        ));
    }
    let mut bad: Vec<char> = Vec::new();
    for c in text
        .chars()
        .filter(|c| !super::alphabet::ALPHABET.contains(*c))
    {
        if !bad.contains(&c) {
            bad.push(c);
        }
    }
    (!bad.is_empty()).then(|| {
        let list: Vec<String> = bad.iter().map(|c| format!("{c:?}")).collect();
        lang.fill(
            "The pen cannot write {0} (it writes letters, digits, spaces and . , ' ! ? -).",
            &[&list.join(" ")],
        )
    })
}

/// A line the network reads before it writes: its moves (normalised) and its text.
#[derive(Clone, Copy, Debug)]
pub struct Prime<'a> {
    pub moves: &'a [Move],
    pub text: &'a [u16],
}

/// What writing gave: the moves (normalised), and at each move φ over the text and the
/// window's centres κ (the first of them is where the window stands before the first
/// move written).
#[derive(Clone, Debug, PartialEq)]
pub struct Written {
    pub moves: Vec<Move>,
    /// φ(t, u) over the whole text read (the prime's, a space, then the text written).
    pub phi: Vec<Vec<f64>>,
    pub kappa: Vec<Vec<f64>>,
    /// Each bump's weight α_k at each move.
    pub alpha: Vec<Vec<f64>>,
    /// Where the text written starts in the text read (after the prime's and a space).
    pub offset: usize,
    /// Whether the window passed the end (false: the cap stopped it).
    pub finished: bool,
    /// The distribution each move was drawn from (bias applied; normalised units).
    pub pens: Vec<Pen>,
}

impl Written {
    /// The character under the window at each move: φ's largest position, counted in the
    /// text written (negative while the window is still on the prime's text).
    pub fn phi_argmax(&self) -> Vec<i64> {
        self.phi
            .iter()
            .map(|p| {
                let mut best = 0;
                for (u, v) in p.iter().enumerate() {
                    if *v > p[best] {
                        best = u;
                    }
                }
                best as i64 - self.offset as i64
            })
            .collect()
    }
}

impl PenModel {
    /// Writes `text` (symbols of [`super::alphabet::ALPHABET`]) with bias `bias` and
    /// temperature `t`, after reading `prime` when given. A network without a window
    /// writes nothing.
    pub fn write_text(
        &self,
        text: &[u16],
        prime: Option<Prime>,
        bias: f64,
        t: f64,
        rng: &mut Rng,
    ) -> Written {
        let Some(window) = self.net.shape.window else {
            return Written {
                moves: vec![],
                phi: vec![],
                kappa: vec![],
                alpha: vec![],
                offset: 0,
                finished: false,
                pens: vec![],
            };
        };
        let mut all: Vec<u16> = Vec::new();
        if let Some(p) = prime {
            all.extend_from_slice(p.text);
            all.push(0);
        }
        let offset = all.len();
        all.extend_from_slice(text);
        let mut state = self.net.start();
        let mut x = START;
        for mv in prime.map_or(&[][..], |p| p.moves) {
            self.net.step_on(&mut state, &input(&x), &all);
            x = *mv;
        }
        let cap = MOVES_PER_CHARACTER * text.len().max(1);
        let mut out = Written {
            moves: Vec::new(),
            phi: Vec::new(),
            kappa: Vec::new(),
            alpha: Vec::new(),
            offset,
            finished: false,
            pens: Vec::new(),
        };
        while out.moves.len() < cap {
            let y = self.net.step_on(&mut state, &input(&x), &all);
            record(&mut out, &state);
            if window.past_the_end(&state.raw, &state.kappa, &state.phi) {
                out.finished = true;
                break;
            }
            let pen = Pen::new(&y, self.m, self.sigma_min, bias);
            let ([dx, dy], end) = pen.draw(t, rng);
            x = Move { dx, dy, end };
            out.moves.push(x);
            out.pens.push(pen);
        }
        out
    }
}

fn input(m: &Move) -> [f64; 3] {
    [m.dx, m.dy, if m.end { 1.0 } else { 0.0 }]
}

fn record(out: &mut Written, state: &State) {
    out.phi.push(state.phi.clone());
    out.kappa.push(state.kappa.clone());
    let k = state.kappa.len();
    out.alpha.push(
        state.raw[..k]
            .iter()
            .map(|&a| crate::base::math::exp(a))
            .collect(),
    );
}
