//! The handwriting page's handles: a [`HandTrainer`] trains in its worker (the LSTM-MDN
//! and both baselines, `crate::strokes::train`) and writes [`HandSnapshot`]s; a
//! [`HandViewer`] owns what the page shows (the link, the drawn words, the latest model)
//! and draws the pad and the loss curves. No maths here: the core does it.

use super::{deadline, js_err, on_canvas, to_js};
use crate::base::rng::{stream, Rng};
use crate::lang::{english, Lang};
use crate::plot::strokes::{draw_hand_losses, draw_writing, HandLosses, Writing};
use crate::plot::Theme;
use crate::share::hand::HandPage;
use crate::strokes::data::{points, positions, Scale};
use crate::strokes::drawn::{self, Word};
use crate::strokes::pen::Pen;
use crate::strokes::train::{StrokeRun, StrokeSpec, KEYS};
use crate::strokes::{Move, PenModel};
use crate::train::history::History;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// What the worker sends the page: the step, the losses, their histories, and the three
/// models' parameters with the data's normalisation (to write with on the page).
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct HandSnapshot {
    pub step: usize,
    pub steps: usize,
    /// Validation NLL of each model, as last measured.
    pub val: Vec<f64>,
    pub train_history: Vec<(f64, f64)>,
    pub val_history: Vec<Vec<(f64, f64)>>,
    pub scale: Scale,
    /// Each model's parameters, in the order of [`StrokeSpec::variants`]: f32 values (what the engine
    /// trains), carried as one Float32Array each (see [`params_to_js`]), not as numbers
    /// one by one.
    #[serde(skip)]
    pub params: Vec<Vec<f32>>,
    pub train_words: usize,
    pub val_words: usize,
}

/// The handwriting run in the worker.
#[wasm_bindgen]
pub struct HandTrainer {
    run: StrokeRun,
    train: History,
    val: [History; 3],
    last_val: Vec<f64>,
    /// The step the last validation measured.
    validated: Option<usize>,
}

#[wasm_bindgen]
impl HandTrainer {
    /// The run of a link (the page's canonical one), untrained and not yet validated
    /// ([`HandTrainer::validate_for`]): building it takes no long time whatever its size.
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str) -> HandTrainer {
        let (spec, _, _) = crate::share::hand::parse(link);
        HandTrainer {
            run: StrokeRun::new(&spec),
            train: History::default(),
            val: Default::default(),
            last_val: Vec::new(),
            validated: None,
        }
    }

    /// Trains for about `ms` milliseconds, at most `max` steps; returns the steps
    /// completed. The time is checked after every word of a batch, so a step longer than
    /// `ms` goes on over several calls (0 steps completed in between, the same bits).
    pub fn train_for(&mut self, ms: f64, max: u32) -> u32 {
        let mut out = deadline(ms);
        let mut n = 0;
        while n < max && self.run.step < self.run.spec.steps {
            if !self.run.train_within(&mut out) {
                break;
            }
            n += 1;
            self.train
                .push(self.run.step as f64, self.run.models[0].train_nll);
            if out() {
                break;
            }
        }
        n
    }

    /// Works on every model's validation NLL for about `ms` milliseconds (checked after
    /// every word); true once it is measured (into the histories).
    pub fn validate_for(&mut self, ms: f64) -> bool {
        if self.validated == Some(self.run.step) {
            return true; // nothing has changed since
        }
        let Some(v) = self.run.validate_within(&mut deadline(ms)) else {
            return false;
        };
        self.validated = Some(self.run.step);
        self.last_val = v;
        for (h, v) in self.val.iter_mut().zip(&self.last_val) {
            h.push(self.run.step as f64, *v);
        }
        true
    }

    /// The LSTM-MDN starts from a model file's network (its JSON text) before the first
    /// step (fine-tuning); returns why not ('' when it does).
    pub fn start_from(&mut self, json: &str) -> String {
        let saved = match crate::strokes::file::Saved::from_json(json) {
            Ok(s) => s,
            Err(e) => return format!("The model file cannot be read: {e}."),
        };
        // The run's moves as the model was trained to read them.
        let started = self
            .run
            .rescale(saved.scale)
            .and_then(|_| self.run.start_from(0, &saved.model));
        match started {
            Ok(()) => {
                self.validated = None;
                String::new()
            }
            Err(e) => format!("Cannot start from the model: {e}."),
        }
    }

    /// A step is under way (cut short by its time; no parameter has changed yet).
    pub fn mid_step(&self) -> bool {
        self.run.mid_step()
    }

    pub fn done(&self) -> bool {
        self.run.step >= self.run.spec.steps
    }

    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        let snap = HandSnapshot {
            step: self.run.step,
            steps: self.run.spec.steps,
            val: self.last_val.clone(),
            train_history: self.train.points.clone(),
            val_history: self.val.iter().map(|h| h.points.clone()).collect(),
            scale: self.run.data.scale,
            params: Vec::new(),
            train_words: self.run.data.train.len(),
            val_words: self.run.data.val.len(),
        };
        let out = to_js(&snap)?;
        let weights: Vec<&[f32]> = (0..self.run.models.len())
            .map(|i| self.run.weights(i))
            .collect();
        params_to_js(&out, &weights)?;
        Ok(out)
    }
}

/// Sets `params` on a snapshot object: one Float32Array per model (a copy of its memory).
fn params_to_js(snap: &JsValue, params: &[&[f32]]) -> Result<(), JsValue> {
    let all = js_sys::Array::new();
    for p in params {
        all.push(&js_sys::Float32Array::from(*p));
    }
    js_sys::Reflect::set(snap, &JsValue::from_str("params"), &all).map(|_| ())
}

/// Reads a snapshot's `params`: one Float32Array per model, each checked to be one.
fn params_from_js(snap: &JsValue) -> Result<Vec<Vec<f32>>, JsValue> {
    let all = js_sys::Reflect::get(snap, &JsValue::from_str("params"))?;
    let all: js_sys::Array = all
        .dyn_into()
        .map_err(|_| js_err("the snapshot's params are not a list"))?;
    all.iter()
        .map(|p| {
            p.dyn_into::<js_sys::Float32Array>()
                .map(|a| a.to_vec())
                .map_err(|_| js_err("the snapshot's params are not Float32Arrays"))
        })
        .collect()
}

/// The pad's view: at least 46 font units tall (a small letter is about 9) and 150 wide,
/// whichever is the larger scale, centred on y = −5 (the Hershey letters' middle).
fn pad_view(w: f64, h: f64) -> (f64, f64, f64, f64) {
    let (w, h) = (w.max(1.0), h.max(1.0));
    let units = (46.0 / h).max(150.0 / w);
    (
        -4.0,
        -4.0 + w * units,
        -5.0 - 0.5 * h * units,
        -5.0 + 0.5 * h * units,
    )
}

/// The handwriting page.
#[wasm_bindgen]
pub struct HandViewer {
    spec: StrokeSpec,
    /// The page's own keys (the embed, the first text and its bias).
    page: HandPage,
    issues: Vec<String>,
    /// The words kept (from the link, or added on the pad).
    words: Vec<Word>,
    /// The word on the pad now (the prompt).
    pad: Word,
    /// What the LSTM-MDN wrote after the prompt (moves in font units).
    written: Vec<Move>,
    /// What each of the three models wrote after the prompt, with the same draws.
    compared: Vec<Vec<Move>>,
    /// The training step of the models that wrote.
    written_at: Option<usize>,
    /// How many of the written moves are shown (the page reveals them one by one).
    shown: usize,
    snap: Option<HandSnapshot>,
    /// The three models of the latest snapshot, in the order of [`StrokeSpec::variants`].
    models: Vec<PenModel>,
    pub dark: bool,
    pub ellipses: bool,
    /// The page's language (the page tells: the link's `lang=`, else the browser's).
    lang: Lang,
}

#[wasm_bindgen]
impl HandViewer {
    /// The page of a link: every key read and clamped, one message per problem.
    #[wasm_bindgen(constructor)]
    pub fn new(hash: &str) -> HandViewer {
        let (spec, page, issues) = crate::share::hand::parse(hash);
        let (words, _) = drawn::decode(&spec.drawn);
        HandViewer {
            spec,
            page,
            issues: issues.iter().map(|i| i.to_string()).collect(),
            words,
            pad: Vec::new(),
            written: Vec::new(),
            compared: Vec::new(),
            written_at: None,
            shown: 0,
            snap: None,
            models: Vec::new(),
            dark: false,
            ellipses: true,
            lang: Lang::En,
        }
    }

    /// The page tells the language it is in (`en`, `es`).
    pub fn set_lang(&mut self, code: &str) {
        self.lang = Lang::from_tags([code]);
    }

    /// The canonical link (what the address bar shows and the worker trains).
    pub fn link(&self) -> String {
        crate::share::hand::link(&self.spec, &self.page)
    }

    /// The link asked for the embedded page (`embed`).
    pub fn embed(&self) -> bool {
        self.page.embed
    }

    /// The text the page writes first (`text`), and its bias (`bias`).
    pub fn first_text(&self) -> String {
        self.page.text.clone()
    }

    pub fn first_bias(&self) -> f64 {
        self.page.bias
    }

    /// The seed of the draws the text is written with first (`draw`).
    pub fn first_draw(&self) -> u32 {
        self.page.draw as u32
    }

    /// Keeps the text written, its bias and its draws in the link (`text`, `bias`,
    /// `draw`: read and clamped as from a link); returns the new link.
    pub fn set_text(&mut self, text: &str, bias: f64, draw: u32) -> String {
        let e = crate::config::keys::percent_encode;
        let query = format!("text={}&bias={bias}&draw={draw}", e(text));
        let (_, page, _) = crate::share::hand::parse(&query);
        self.page = crate::share::hand::HandPage {
            embed: self.page.embed,
            ..page
        };
        self.link()
    }

    pub fn issues(&self) -> Vec<String> {
        let said = crate::share::hand::SAID;
        self.issues
            .iter()
            .map(|i| self.lang.retell(i, said))
            .collect()
    }

    /// The spec's keys with their values, kinds and ranges, to build the form.
    pub fn form(&self) -> Result<JsValue, JsValue> {
        let rows: Vec<(String, String, String, String)> = KEYS
            .iter()
            .filter(|k| k.name != "drawn" && k.name != "said")
            .map(|k| {
                (
                    k.name.to_string(),
                    k.shown(&self.spec),
                    k.kind.accepts_in(self.lang),
                    self.lang.t(k.meaning).to_string(),
                )
            })
            .collect();
        to_js(&rows)
    }

    /// The link with one key set from the form (read, clamped, with its messages).
    pub fn link_with(&self, key: &str, value: &str) -> String {
        let mut text = self.link();
        text.push('&');
        text.push_str(&crate::config::keys::percent_encode(key));
        text.push('=');
        text.push_str(&crate::config::keys::percent_encode(value));
        let (spec, page, _) = crate::share::hand::parse(&text);
        crate::share::hand::link(&spec, &page)
    }

    /// How many words are kept, and how many the link carries.
    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// Takes the worker's latest snapshot.
    pub fn apply(&mut self, snap: JsValue) -> Result<(), JsValue> {
        let params = params_from_js(&snap)?;
        let mut s: HandSnapshot = serde_wasm_bindgen::from_value(snap).map_err(js_err)?;
        s.params = params;
        let models = self
            .spec
            .variants()
            .iter()
            .zip(&s.params)
            .map(|(w, p)| {
                self.spec
                    .variant_model(*w, p.iter().map(|&v| v as f64).collect())
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| js_err(format!("the snapshot's parameters: {e}")))?;
        self.models = models;
        self.snap = Some(s);
        Ok(())
    }

    /// The status line: step and each model's validation NLL per pen move.
    pub fn status(&self) -> String {
        let lang = self.lang;
        let Some(s) = &self.snap else {
            return lang.t("Not trained yet.").into();
        };
        let v = |i: usize| {
            s.val
                .get(i)
                .map_or("–".into(), |v| lang.decimal(format!("{v:.3}")))
        };
        let [a, b, c] = self.spec.variant_names().map(|n| lang.t(n));
        let template = if self.spec.window > 0 {
            "step {0} of {1} · validation NLL per pen move: {2} {3}, {4} {5}, {6} {7} · {8} \
             training and {9} validation lines"
        } else {
            "step {0} of {1} · validation NLL per pen move: {2} {3}, {4} {5}, {6} {7} · {8} \
             training and {9} validation words"
        };
        let (step, steps) = (s.step.to_string(), s.steps.to_string());
        let (train, val) = (s.train_words.to_string(), s.val_words.to_string());
        let values = [v(0), v(1), v(2)];
        lang.fill(
            template,
            &[
                &step, &steps, a, &values[0], b, &values[1], c, &values[2], &train, &val,
            ],
        )
    }

    /// A pointer's pixel on the pad as font units.
    pub fn pad_point(&self, px: f64, py: f64, w: f64, h: f64) -> Vec<f64> {
        let (x0, x1, y0, y1) = pad_view(w, h);
        vec![
            x0 + px / w.max(1.0) * (x1 - x0),
            y1 - py / h.max(1.0) * (y1 - y0),
        ]
    }

    /// Adds a stroke drawn on the pad (font units, x and y interleaved), resampled.
    /// Returns what the page should say: nothing, or why the stroke was not kept.
    pub fn add_stroke(&mut self, xy: Vec<f64>) -> String {
        let pts: Vec<[f64; 2]> = xy.chunks_exact(2).map(|p| [p[0], p[1]]).collect();
        let s = drawn::resample(&pts);
        self.forget_writing();
        self.shown = 0;
        if s.len() < 2 {
            return String::new();
        }
        if self.pad.len() >= drawn::MAX_STROKES {
            return self.lang.fill(
                "The pad holds a word of at most {0} strokes: this stroke was not kept. Keep \
                 the word or clear the pad to draw another.",
                &[&drawn::MAX_STROKES.to_string()],
            );
        }
        self.pad.push(s);
        String::new()
    }

    pub fn clear_pad(&mut self) {
        self.pad.clear();
        self.forget_writing();
    }

    /// Keeps the pad's word among the drawn words with what it says (`said`: its
    /// transcript, or empty; the link has the new `drawn` and `said` keys); returns why
    /// nothing was kept ('' when it was): an empty pad, a transcript the pen cannot write,
    /// too many words, or a link that would be too long.
    pub fn keep_word(&mut self, said: &str) -> String {
        let said = said.trim();
        if self.pad.is_empty() {
            return self.lang.t("Draw a word first.").into();
        }
        if let Some(why) = (!said.is_empty())
            .then(|| crate::strokes::write::unwritable(said, self.lang))
            .flatten()
        {
            return why;
        }
        if self.words.len() >= drawn::MAX_WORDS {
            let most = drawn::MAX_WORDS.to_string();
            return self
                .lang
                .fill("{0} words are the most a link keeps.", &[&most]);
        }
        let mut words = self.words.clone();
        words.push(self.pad.clone());
        let text = drawn::encode(&words);
        let mut told = drawn::decode_said(&self.spec.said, self.words.len()).0;
        told.push(said.to_string());
        let told = drawn::encode_said(&told);
        if text.len() + told.len() > crate::data::userdata::LINK_LIMIT {
            return self
                .lang
                .t("The words would no longer fit in the link.")
                .into();
        }
        self.words = words;
        self.spec.drawn = text;
        self.spec.said = told;
        self.pad.clear();
        self.forget_writing();
        String::new()
    }

    /// The drawn words in link form (for localStorage).
    pub fn drawn(&self) -> String {
        drawn::encode(&self.words)
    }

    /// What the drawn words say, in link form (for localStorage).
    pub fn said(&self) -> String {
        self.spec.said.clone()
    }

    /// How many drawn words carry what they say.
    pub fn said_count(&self) -> usize {
        drawn::decode_said(&self.spec.said, self.words.len())
            .0
            .iter()
            .filter(|s| !s.is_empty())
            .count()
    }

    /// A synthesis network can train on the drawn words: at least 2, each with what it
    /// says.
    pub fn tunes_on_drawn(&self) -> bool {
        let n = self.words.len();
        n >= 2 && self.said_count() == n
    }

    /// Writes on from the pad's word for at most `moves` moves with Graves' bias and a
    /// temperature, stopping where the pen would leave a pad of `w × h` pixels; false
    /// when there is no model yet.
    /// Each of the three models writes on too, from the same draws, for
    /// [`HandViewer::draw_compared`].
    pub fn write(&mut self, moves: u32, bias: f64, temp: f64, seed: u32, w: f64, h: f64) -> bool {
        let Some(s) = &self.snap else {
            return false;
        };
        if self.models.is_empty() {
            return false;
        }
        let prompt = s.scale.normalise(&crate::strokes::data::moves(&self.pad));
        let x1 = pad_view(w, h).1;
        let start = self.pen_start();
        let compared: Vec<Vec<Move>> = self
            .models
            .iter()
            .map(|m| {
                let mut rng = Rng::new(seed as u64, stream::STROKE_WRITE);
                let out = m.write(
                    &prompt,
                    moves.clamp(1, 1000) as usize,
                    bias.clamp(0.0, 10.0),
                    temp.clamp(0.05, 3.0),
                    &mut rng,
                );
                let mut written = s.scale.denormalise(&out);
                // Up to the first move past the pad's right edge (the line is full).
                let at = positions(&written, start);
                let inside = at[1..].iter().position(|p| p[0] > x1);
                written.truncate(inside.unwrap_or(written.len()));
                written
            })
            .collect();
        self.written = compared[0].clone();
        self.compared = compared;
        self.written_at = Some(s.step);
        self.shown = 0;
        true
    }

    /// The run has a synthesis network to write a text with (its spec has a window).
    pub fn has_window(&self) -> bool {
        self.snap.is_some()
            && self
                .models
                .first()
                .is_some_and(|m| m.net.shape.window.is_some())
    }

    /// The steps the spec plans.
    pub fn planned_steps(&self) -> u32 {
        self.spec.steps as u32
    }

    /// The training step of the models that wrote what is shown (undefined before any
    /// writing), so that the page can write again as training goes on.
    pub fn written_step(&self) -> Option<u32> {
        self.written_at.map(|s| s as u32)
    }

    /// What the writing shown is, in a sentence (empty before any writing).
    pub fn written_note(&self) -> String {
        match self.written_at {
            None => String::new(),
            Some(0) => self
                .lang
                .t(
                    "Black: written by the untrained model (step 0), a scribble; it is written \
                    again as training goes on.",
                )
                .into(),
            Some(n) => {
                let n = n.to_string();
                self.lang
                    .fill("Black: written by the model at step {0}.", &[&n])
            }
        }
    }

    /// The pad's word changed: what was written on from it goes.
    fn forget_writing(&mut self) {
        self.written.clear();
        self.compared.clear();
        self.written_at = None;
    }

    /// The strokes of moves written after the pad's word.
    fn strokes_after(&self, written: &[Move]) -> Vec<Vec<[f64; 2]>> {
        if written.is_empty() {
            return vec![];
        }
        let mut strokes = points(written, self.pen_start());
        // After the pad's word the pen has lifted: the first move travels, not drawn.
        if !self.pad.is_empty() {
            if let Some(first) = strokes.first_mut() {
                first.remove(0);
            }
        }
        strokes
    }

    /// Where the model starts writing: the pad's last point (the origin on an empty pad).
    fn pen_start(&self) -> [f64; 2] {
        self.pad
            .last()
            .and_then(|s| s.last())
            .copied()
            .unwrap_or([0.0, 0.0])
    }

    /// Shows the first `n` written moves (all of them past the end); true once all are.
    pub fn reveal(&mut self, n: u32) -> bool {
        self.shown = (n as usize).min(self.written.len());
        self.shown == self.written.len()
    }

    /// Draws the pad: the prompt in grey, what the model wrote after it (as far as it is
    /// revealed), and with `ellipses` the predicted mixture at each written pen step,
    /// the pen's tip bold.
    pub fn draw_pad(&self, canvas: HtmlCanvasElement, bias: f64) -> Result<(), JsValue> {
        let (w, h) = (canvas.width() as f64, canvas.height() as f64);
        let theme = self.theme();
        let start = self.pen_start();
        let shown = &self.written[..self.shown.min(self.written.len())];
        let strokes = self.strokes_after(shown);
        let mut pens = if self.ellipses {
            self.pens_along(shown, start, bias)
        } else {
            vec![]
        };
        let tip = if self.shown < self.written.len() {
            pens.pop()
        } else {
            None
        };
        let panel = Writing {
            caption: String::new(),
            strokes,
            prompt: self.pad.clone(),
            pens,
            tip,
            view: Some(pad_view(w, h)),
        };
        on_canvas(canvas, None, |root| {
            draw_writing(root, std::slice::from_ref(&panel), 1, theme)
        })
    }

    /// The draws' distributions along the written moves `shown` from `start`: at the
    /// place after each move, the prediction of the next (in font units).
    fn pens_along(&self, shown: &[Move], start: [f64; 2], bias: f64) -> Vec<([f64; 2], Pen)> {
        let (Some(m), Some(s)) = (self.models.first(), &self.snap) else {
            return vec![];
        };
        let mut all = crate::strokes::data::moves(&self.pad);
        let skip = all.len();
        all.extend_from_slice(shown);
        let pens = m.pens(&s.scale.normalise(&all), bias);
        let at = positions(shown, start);
        at[1..]
            .iter()
            .zip(pens.into_iter().skip(skip + 1))
            .map(|(a, p)| (*a, p.scaled(&s.scale)))
            .collect()
    }

    /// Draws what each of the three models wrote on from the pad's word, side by side
    /// (a column each, or a row each on a narrow canvas), the word in grey.
    pub fn draw_compared(&self, canvas: HtmlCanvasElement) -> Result<(), JsValue> {
        let theme = self.theme();
        let m = [self.spec.m.to_string()];
        let names = if self.spec.window > 0 {
            [
                "synthesis (no text), K = {0}",
                "unconditional LSTM-MDN, K = {0}",
                "feed-forward MDN, K = {0}",
            ]
        } else {
            [
                "LSTM-MDN, K = {0}",
                english("the same LSTM, K = 1"),
                "feed-forward MDN, K = {0}",
            ]
        };
        let captions = names.map(|n| self.lang.fill(n, &[&m[0]]));
        let panels: Vec<Writing> = captions
            .into_iter()
            .enumerate()
            .map(|(i, caption)| {
                let written = self.compared.get(i).map_or(&[][..], |w| w.as_slice());
                Writing {
                    caption,
                    strokes: self.strokes_after(written),
                    prompt: self.pad.clone(),
                    pens: vec![],
                    tip: None,
                    view: None,
                }
            })
            .collect();
        let cols = if canvas.width() >= 2 * canvas.height() {
            3
        } else {
            1
        };
        on_canvas(canvas, None, |root| {
            draw_writing(root, &panels, cols, theme)
        })
    }

    /// The captions of the side-by-side writing and of the loss curves, for this run's
    /// three models.
    pub fn captions(&self) -> Vec<String> {
        let both = if self.spec.window == 0 {
            [
                english("The same word written on by each of the three models, with the same random draws, bias and temperature. The feed-forward MDN sees one move at a time and cannot know where it is in a letter: its writing wanders. The LSTM with one component knows where it is, but must cover every way the pen may go with one wide Gaussian: its moves are averages of those ways, and its letters blur. The LSTM-MDN writes letter-like shapes."),
                english("Validation NLL per pen move (normalised units; lower is better) of the LSTM-MDN, the same LSTM with one component, and a feed-forward MDN that sees only the previous move — all trained on the same batches."),
            ]
        } else {
            [
                english("The pad's word written on by each of the three models, with the same random draws. The synthesis network is given no text here (its window reads nothing): it writes blind, and its writing shows what it learned of the pen alone. Its text-writing is above."),
                english("Validation NLL per pen move (normalised units; lower is better) of the synthesis network, which reads each line's text through its window, an LSTM-MDN of the same size without a window, and a feed-forward MDN — all trained on the same batches. The gap between the first two is what knowing the text is worth."),
            ]
        };
        both.iter().map(|c| self.lang.t(c).to_string()).collect()
    }

    /// The loss curves' numbers as a table `{caption, columns, rows}`: the three models'
    /// validation NLL at each reading (the latest 30), by step.
    pub fn loss_table(&self) -> Result<JsValue, JsValue> {
        let lang = self.lang;
        let signed = |v: f64, d: usize| lang.signed(v, d);
        let empty = Vec::new();
        let val = |i: usize| {
            self.snap
                .as_ref()
                .and_then(|s| s.val_history.get(i))
                .unwrap_or(&empty)
        };
        let first = val(0);
        let at = |i: usize, step: f64| {
            val(i)
                .iter()
                .find(|p| p.0 == step)
                .map_or("—".to_string(), |p| signed(p.1, 3))
        };
        let rows = first[first.len().saturating_sub(30)..]
            .iter()
            .map(|&(step, v)| vec![format!("{step:.0}"), signed(v, 3), at(1, step), at(2, step)])
            .collect();
        let names = self.spec.variant_names();
        let mut columns = vec![lang.t("step").to_string()];
        columns.extend(names.iter().map(|n| lang.t(n).to_string()));
        super::to_js(&super::tables::Table {
            caption: lang
                .t(
                    "Validation NLL per pen move (normalised units) at each reading, the \
                    latest 30",
                )
                .into(),
            columns,
            rows,
        })
    }

    /// Draws the three models' loss curves.
    pub fn draw_losses(&self, canvas: HtmlCanvasElement) -> Result<(), JsValue> {
        let empty = Vec::new();
        let s = self.snap.as_ref();
        let val = |i: usize| {
            s.and_then(|s| s.val_history.get(i))
                .unwrap_or(&empty)
                .as_slice()
        };
        let p = HandLosses {
            train: s.map_or(&empty, |s| &s.train_history),
            val: [val(0), val(1), val(2)],
            names: self.spec.variant_names(),
            theme: self.theme(),
        };
        on_canvas(canvas, None, |root| draw_hand_losses(root, &p))
    }
}

impl HandViewer {
    /// The drawn words and what they say, as the link's `drawn` and `said` values.
    pub(crate) fn words(&self) -> (String, String) {
        (self.spec.drawn.clone(), self.spec.said.clone())
    }

    /// The word on the pad (font units).
    pub(crate) fn pad_word(&self) -> Vec<Vec<[f64; 2]>> {
        self.pad.clone()
    }

    /// The run's latest synthesis network (its first model when the spec has a window)
    /// and the unconditional one trained beside it, their normalisation and their step.
    pub(crate) fn synthesis(&self) -> Option<(PenModel, PenModel, Scale, usize)> {
        let s = self.snap.as_ref()?;
        let (m, blind) = (self.models.first()?, self.models.get(1)?);
        m.net.shape.window?;
        Some((m.clone(), blind.clone(), s.scale, s.step))
    }
}

impl HandViewer {
    /// The plots' paper and words: dark or light, in the page's language.
    fn theme(&self) -> Theme {
        Theme {
            dark: self.dark,
            lang: self.lang,
        }
    }
}
