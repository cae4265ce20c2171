//! The handwriting page's writer: a synthesis network (the model shipped with the page,
//! or the run's latest one when its spec has a window) writes a typed text, optionally
//! after reading the pad's word with its transcript (priming). The page reveals the
//! line move by move; this handle draws it with the pen's mixture at the tip, says which
//! letter the window stands on, and draws the alignment φ(t, u) with the window's
//! centres κ. No maths here: `crate::strokes::write` does it.

use super::on_canvas;
use super::strokes::HandViewer;
use crate::base::rng::{stream, Rng};
use crate::lang::Lang;
use crate::plot::alignment::{draw_alignment, Alignment};
use crate::plot::strokes::{draw_writing, fitted, Writing};
use crate::plot::Theme;
use crate::strokes::alphabet::{decode, encode};
use crate::strokes::data::{moves, points, positions, Scale};
use crate::strokes::file::Saved;
use crate::strokes::pen::Pen;
use crate::strokes::train::{StrokeData, StrokeSpec};
use crate::strokes::write::{unwritable, Prime, Written};
use crate::strokes::{Move, PenModel};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Fine-tuning from a saved writer: a smaller rate than training from scratch (Adam's
/// first steps move every weight by about the rate, which at the spec's 0.005 undoes
/// part of the model) and fewer steps.
const TUNE_LR: f64 = 0.001;
const TUNE_STEPS: usize = 300;

/// How many moves behind the pen's tip still show their mixture (the rest would hide
/// the line).
const TRAIL: usize = 8;

/// Who wrote what is shown, and from what.
struct Line {
    written: Written,
    /// The moves in font units.
    font: Vec<Move>,
    /// The text the window read: the prime's transcript and a space, then the text.
    read: Vec<char>,
    /// The pad's word it was primed with (font units; empty without a prime).
    prime: Vec<Vec<[f64; 2]>>,
    /// The model's normalisation (to show its pens in font units).
    scale: Scale,
    /// The name of the model that wrote it.
    by: String,
    /// What the unconditional model wrote with the same draws, as many moves (font units).
    blind: Vec<Move>,
}

/// The text writer of the handwriting page.
#[wasm_bindgen]
pub struct TextWriter {
    /// The network that writes, its normalisation, and its name for the page.
    model: Option<(PenModel, Scale, String)>,
    /// The unconditional network of the same run, to write beside it without the text.
    blind: Option<PenModel>,
    /// The spec of the model file loaded last (what "train your own" starts from).
    file: Option<StrokeSpec>,
    line: Option<Line>,
    /// How many of the written moves are shown.
    shown: usize,
    pub dark: bool,
    pub ellipses: bool,
    /// The page's language (the page tells).
    lang: Lang,
}

impl Default for TextWriter {
    fn default() -> Self {
        TextWriter::new()
    }
}

#[wasm_bindgen]
impl TextWriter {
    #[wasm_bindgen(constructor)]
    pub fn new() -> TextWriter {
        TextWriter {
            model: None,
            blind: None,
            file: None,
            line: None,
            shown: 0,
            dark: false,
            ellipses: true,
            lang: Lang::En,
        }
    }

    /// The page tells the language it is in (`en`, `es`).
    pub fn set_lang(&mut self, code: &str) {
        self.lang = Lang::from_tags([code]);
    }

    /// Reads a model file (its JSON text) and writes with it from now on, under the name
    /// `by`; returns why not when it cannot ('' when it can).
    pub fn load(&mut self, json: &str, by: &str) -> String {
        match Saved::from_json(json) {
            Err(e) => self
                .lang
                .fill("The model file cannot be read: {0}.", &[&e.to_string()]),
            Ok(s) if s.model.net.shape.window.is_none() => self
                .lang
                .t("The model file has no window over a text: it cannot write a typed text.")
                .into(),
            Ok(s) => {
                self.model = Some((s.model, s.scale, by.to_string()));
                self.file = Some(s.spec);
                self.blind = None;
                String::new()
            }
        }
    }

    /// Reads the model file of the unconditional network trained beside the loaded one
    /// (after [`TextWriter::load`]); returns why not ('' when it can).
    pub fn load_blind(&mut self, json: &str) -> String {
        match Saved::from_json(json) {
            Err(e) => self.lang.fill(
                "The unconditional model's file cannot be read: {0}.",
                &[&e.to_string()],
            ),
            Ok(s) if s.model.net.shape.window.is_some() => self
                .lang
                .t("That file is a synthesis model, not an unconditional one.")
                .into(),
            Ok(s) if self.model.as_ref().is_none_or(|m| m.1 != s.scale) => self
                .lang
                .t("The unconditional model was not trained beside the loaded one.")
                .into(),
            Ok(s) => {
                self.blind = Some(s.model);
                String::new()
            }
        }
    }

    /// Writes from now on with the run's latest synthesis network (its first model, when
    /// the run's spec has a window); false when it has none yet.
    pub fn adopt(&mut self, viewer: &HandViewer) -> bool {
        match viewer.synthesis() {
            Some((m, blind, scale, step)) => {
                let by = self
                    .lang
                    .fill("your model at step {0}", &[&step.to_string()]);
                self.model = Some((m, scale, by));
                self.blind = Some(blind);
                true
            }
            None => false,
        }
    }

    /// The link of a run of one's own: the loaded file's spec, keeping `viewer`'s drawn
    /// words; with `tune`, fine-tuning from the file (a smaller rate and fewer steps, on
    /// the drawn words when [`HandViewer::tunes_on_drawn`]); '' before a file is loaded.
    pub fn own_link(&self, viewer: &HandViewer, tune: bool) -> String {
        let Some(file) = &self.file else {
            return String::new();
        };
        let mut spec = file.clone();
        (spec.drawn, spec.said) = viewer.words();
        if tune {
            (spec.lr, spec.steps) = (TUNE_LR, TUNE_STEPS);
            if viewer.tunes_on_drawn() {
                spec.data = StrokeData::Drawn;
            }
        }
        // Read back as a link would be: clamped, with the drawn words' checks.
        StrokeSpec::parse_lenient(&spec.link()).0.link()
    }

    /// A network is there to write with.
    pub fn ready(&self) -> bool {
        self.model.is_some()
    }

    /// Why `text` cannot be written ('' when it can).
    pub fn check(&self, text: &str) -> String {
        unwritable(text, self.lang).unwrap_or_default()
    }

    /// Writes `text` with bias `bias`, temperature `temp` and the draws of `seed`; with
    /// a `prime_text`, first reads the pad's word of `viewer` as that text (Graves §5.5).
    /// Returns why nothing was written ('' when it was).
    pub fn write(
        &mut self,
        text: &str,
        bias: f64,
        temp: f64,
        seed: u32,
        viewer: &HandViewer,
        prime_text: &str,
    ) -> String {
        let why = self.check(text);
        if !why.is_empty() {
            return why;
        }
        let Some((model, scale, by)) = &self.model else {
            return self.lang.t("The model is still loading.").into();
        };
        let symbols = encode(text).unwrap_or_default();
        let pad = viewer.pad_word();
        let prime = if prime_text.trim().is_empty() {
            None
        } else if pad.is_empty() {
            return self
                .lang
                .t("To write in your hand, draw a word on the pad below first.")
                .into();
        } else {
            let why = self.check(prime_text);
            if !why.is_empty() {
                return self.lang.fill("What the pad says: {0}", &[&why]);
            }
            Some((
                scale.normalise(&moves(&pad)),
                encode(prime_text).unwrap_or_default(),
            ))
        };
        let (bias, temp) = (bias.clamp(0.0, 10.0), temp.clamp(0.05, 3.0));
        let mut rng = Rng::new(seed as u64, stream::STROKE_WRITE);
        let p = prime.as_ref().map(|(m, t)| Prime { moves: m, text: t });
        let written = model.write_text(&symbols, p, bias, temp, &mut rng);
        let blind = self.blind.as_ref().map_or(vec![], |b| {
            let mut rng = Rng::new(seed as u64, stream::STROKE_WRITE);
            scale.denormalise(&b.write(&[], written.moves.len(), bias, temp, &mut rng))
        });
        let mut read = prime
            .as_ref()
            .map(|p| decode(&p.1) + " ")
            .unwrap_or_default();
        read.push_str(&decode(&symbols));
        self.line = Some(Line {
            font: scale.denormalise(&written.moves),
            written,
            read: read.chars().collect(),
            prime: if prime.is_some() { pad } else { vec![] },
            scale: *scale,
            by: by.clone(),
            blind,
        });
        self.shown = 0;
        String::new()
    }

    /// The moves of the line written (0 before any).
    pub fn moves(&self) -> u32 {
        self.line.as_ref().map_or(0, |l| l.font.len() as u32)
    }

    /// The line's moves in font units, [dx, dy, end of stroke] one after the other (as
    /// `mdn strokes write --json` prints them).
    pub fn line_moves(&self) -> Vec<f64> {
        self.line.as_ref().map_or(vec![], |l| {
            l.font
                .iter()
                .flat_map(|m| [m.dx, m.dy, f64::from(u8::from(m.end))])
                .collect()
        })
    }

    /// The character under the window at each move (as `--json`'s `phi_argmax`).
    pub fn line_argmax(&self) -> Vec<i32> {
        self.line.as_ref().map_or(vec![], |l| {
            l.written.phi_argmax().iter().map(|&u| u as i32).collect()
        })
    }

    /// Shows the first `n` moves (all of them past the end); true once all are.
    pub fn reveal(&mut self, n: u32) -> bool {
        let all = self.line.as_ref().map_or(0, |l| l.font.len());
        self.shown = (n as usize).min(all);
        self.shown == all
    }

    /// The character of the typed text the window stands on at the pen's tip (its place
    /// among the text's characters), or −1 (nothing written, or still on the prime).
    pub fn letter(&self) -> i32 {
        let Some(l) = &self.line else {
            return -1;
        };
        let argmax = l.written.phi_argmax();
        let at = self.shown.min(argmax.len().saturating_sub(1));
        argmax.get(at).map_or(-1, |&u| {
            let typed = (l.read.len() - l.written.offset) as i64;
            if u < 0 || u >= typed {
                -1
            } else {
                u as i32
            }
        })
    }

    /// What is shown, in a sentence (empty before any writing).
    pub fn note(&self) -> String {
        let Some(l) = &self.line else {
            return String::new();
        };
        let n = l.font.len();
        let per = n as f64 / (l.read.len() - l.written.offset).max(1) as f64;
        let lang = self.lang;
        let end = if l.written.finished {
            lang.t("it stopped when the window passed the last character")
        } else {
            lang.t("it was stopped by the cap of moves per character (the window had not passed the end)")
        };
        let primed = if l.prime.is_empty() {
            ""
        } else {
            lang.t(", after reading your word on the pad (grey)")
        };
        lang.fill(
            "Written by {0}{1} in {2} pen moves ({3} per character): {4}.",
            &[
                &l.by,
                primed,
                &n.to_string(),
                &lang.decimal(format!("{per:.1}")),
                end,
            ],
        )
    }

    /// Draws the line as far as it is shown, with the pen's mixture for the next move at
    /// the tip (bold) and for the last [`TRAIL`] moves when `ellipses` (none once the
    /// whole line is shown: scrub back to see them); the whole line's
    /// view from the start, so that it does not move while it is revealed.
    pub fn draw_line(&self, canvas: HtmlCanvasElement) -> Result<(), JsValue> {
        let theme = self.theme();
        let dims = (canvas.width(), canvas.height());
        let Some(l) = &self.line else {
            return on_canvas(canvas, None, |root| draw_writing(root, &[], 1, theme));
        };
        let start = l
            .prime
            .last()
            .and_then(|s| s.last())
            .copied()
            .unwrap_or([0.0, 0.0]);
        let strokes = |font: &[Move]| {
            let mut s = points(font, start);
            if !l.prime.is_empty() {
                if let Some(first) = s.first_mut() {
                    first.remove(0); // the pen travels from the prime: not drawn
                }
            }
            s
        };
        let mut whole: Writing = Writing {
            caption: String::new(),
            strokes: strokes(&l.font),
            prompt: l.prime.clone(),
            pens: vec![],
            tip: None,
            view: None,
        };
        whole.view = Some(fitted(&whole, dims));
        let shown = &l.font[..self.shown];
        let at = positions(&l.font, start);
        let pen = |i: usize| -> Option<([f64; 2], Pen)> {
            Some((*at.get(i)?, l.written.pens.get(i)?.scaled(&l.scale)))
        };
        let panel = Writing {
            strokes: strokes(shown),
            pens: if self.ellipses && self.shown < l.font.len() {
                (self.shown.saturating_sub(TRAIL)..self.shown)
                    .filter_map(pen)
                    .collect()
            } else {
                vec![]
            },
            tip: if self.ellipses && self.shown < l.font.len() {
                pen(self.shown)
            } else {
                None
            },
            ..whole
        };
        on_canvas(canvas, None, |root| draw_writing(root, &[panel], 1, theme))
    }

    /// Draws what the unconditional network wrote with the same draws, as far as the line
    /// is shown (empty without that network).
    pub fn draw_blind(&self, canvas: HtmlCanvasElement) -> Result<(), JsValue> {
        let theme = self.theme();
        let dims = (canvas.width(), canvas.height());
        let empty = Vec::new();
        let blind = self.line.as_ref().map_or(&empty, |l| &l.blind);
        let mut whole = Writing {
            caption: String::new(),
            strokes: points(blind, [0.0, 0.0]),
            prompt: vec![],
            pens: vec![],
            tip: None,
            view: None,
        };
        whole.view = Some(fitted(&whole, dims));
        let panel = Writing {
            strokes: points(&blind[..self.shown.min(blind.len())], [0.0, 0.0]),
            ..whole
        };
        on_canvas(canvas, None, |root| draw_writing(root, &[panel], 1, theme))
    }

    /// An unconditional network writes beside the synthesis one.
    pub fn has_blind(&self) -> bool {
        self.blind.is_some()
    }

    /// Draws the alignment: φ over the text read at each move shown, and the window's
    /// centres κ, on the whole line's axis of moves.
    pub fn draw_alignment(&self, canvas: HtmlCanvasElement) -> Result<(), JsValue> {
        let empty: Vec<Vec<f64>> = Vec::new();
        let l = self.line.as_ref();
        let upto = |v: &'_ Vec<Vec<f64>>| -> usize { v.len().min(self.shown + 1) };
        let (phi, kappa, alpha) = match l {
            Some(l) => (
                &l.written.phi[..upto(&l.written.phi)],
                &l.written.kappa[..upto(&l.written.kappa)],
                &l.written.alpha[..upto(&l.written.alpha)],
            ),
            None => (&empty[..], &empty[..], &empty[..]),
        };
        let a = Alignment {
            phi,
            kappa,
            alpha,
            text: l.map_or(&[][..], |l| &l.read),
            steps: l.map_or(0, |l| l.written.phi.len()),
            theme: self.theme(),
        };
        on_canvas(canvas, None, |root| draw_alignment(root, &a))
    }

    fn theme(&self) -> Theme {
        Theme {
            dark: self.dark,
            lang: self.lang,
        }
    }
}
