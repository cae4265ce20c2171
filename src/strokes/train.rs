//! A handwriting experiment: its spec (a link of its own, keys declared once) and its
//! run — the LSTM-MDN and two baselines trained side by side on the same batches: the
//! same network with one component (K = 1), and the feed-forward MDN that sees only the
//! previous move (the same cells with their memory cut).

use super::data::StrokeSet;
use super::engine::{self, Net, Pass, Works};
use super::lstm::Clip;
use super::window::{Advance, Window, MAX_K};
use super::{Move, PenModel};
use crate::base::named::Named;
use crate::base::rng::{stream, Rng};
use crate::base::text::quote;
use crate::config::keys::{self, Key, Kind, Reader, Value};
use crate::config::keys::{float, int, text};
use crate::lang::{en, english};
use crate::optim::optimizer::{Optimizer, OptimizerConfig};

/// Which words train.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrokeData {
    /// The built-in Hershey words.
    Hershey,
    /// The words drawn on the page's pad (key `drawn`).
    Drawn,
    /// The built-in lines of text (several words, capitals, digits), with transcripts.
    Lines,
}

crate::base::named::named!(StrokeData {
    Hershey => "hershey",
    Drawn => "drawn",
    Lines => "lines",
});

/// What a handwriting experiment is.
#[derive(Clone, Debug, PartialEq)]
pub struct StrokeSpec {
    pub data: StrokeData,
    /// The drawn words in the link form of [`super::drawn`] (empty: none).
    pub drawn: String,
    /// What each drawn word says, in the link form of [`super::drawn::encode_said`]
    /// (empty: none has a transcript).
    pub said: String,
    pub seed: u64,
    /// Training words (the validation set has a quarter as many, at least 20).
    pub n: usize,
    pub hidden: usize,
    pub layers: usize,
    pub skip: bool,
    /// Mixture components.
    pub m: usize,
    pub sigma_min: f64,
    pub lr: f64,
    /// Words per step.
    pub batch: usize,
    pub steps: usize,
    /// Graves' clipping (outputs ±100, gates ±10).
    pub clip: bool,
    /// The soft window's bumps (Graves §5's synthesis network); 0: none, the network
    /// writes unconditionally.
    pub window: usize,
    /// How the window moves on.
    pub advance: Advance,
}

impl Default for StrokeSpec {
    fn default() -> Self {
        StrokeSpec {
            data: StrokeData::Hershey,
            drawn: String::new(),
            said: String::new(),
            seed: 1,
            n: 400,
            hidden: 32,
            layers: 1,
            skip: false,
            m: 5,
            sigma_min: 1e-3,
            lr: 0.005,
            batch: 8,
            steps: 1500,
            clip: true,
            window: 0,
            advance: Advance::Softplus,
        }
    }
}

/// Every key of a handwriting experiment, in the order links write them.
pub const KEYS: &[Key<StrokeSpec>] = &[
    crate::config::keys::choice!(data: StrokeData, "words to train on: the built-in Hershey words, or your drawn ones (at least 2)"),
    text!(
        drawn,
        crate::data::userdata::LINK_LIMIT,
        "your drawn words (the pad writes it)"
    ),
    text!(
        said,
        crate::data::userdata::LINK_LIMIT,
        "what each drawn word says, in order, | between them (the synthesis network trains on drawn words only with their text)"
    ),
    int!(seed: u64, 0, crate::base::rng::SEED_MAX, "seed of the words' jitter, initialisation and batches"),
    int!(n: usize, 20, 5000, "training words (the validation set has a quarter as many, at least 20)"),
    int!(hidden: usize, 2, 400, "LSTM cells per layer"),
    int!(layers: usize, 1, 3, "LSTM layers"),
    Key {
        name: "skip",
        label: "",
        kind: Kind::Flag,
        meaning:
            "Graves' skip connections: every layer sees the input, the output sees every layer",
        get: |s| Value::Flag(s.skip),
        set: |s, v| {
            if let Value::Flag(b) = v {
                s.skip = b
            }
        },
    },
    int!(m: usize, 1, 20, "mixture components of the pen's next move"),
    float!(
        sigma_min,
        (1e-4, 1.0),
        "floor of every σ (normalised units)"
    ),
    float!(lr, (1e-5, 0.1), "Adam's learning rate"),
    int!(batch: usize, 1, 64, "words per step"),
    int!(steps: usize, 1, 100_000, "training steps"),
    Key {
        name: "clip",
        label: "",
        kind: Kind::Flag,
        meaning: "Graves' gradient clipping: output derivatives to ±100, gate derivatives to ±10",
        get: |s| Value::Flag(s.clip),
        set: |s, v| {
            if let Value::Flag(b) = v {
                s.clip = b
            }
        },
    },
    Key {
        name: "window",
        label: "",
        kind: Kind::Int(0, MAX_K as u64),
        meaning: "bumps of the soft window over the text (Graves' synthesis network; 0: none, the network writes without a text)",
        get: |s| {
            if s.window == 0 {
                Value::Absent
            } else {
                Value::Int(s.window as u64)
            }
        },
        set: |s, v| {
            if let Value::Int(k) = v {
                s.window = k as usize
            }
        },
    },
    Key {
        name: "advance",
        label: "",
        kind: Kind::Choice(Advance::NAMES),
        meaning: "how the window moves on at each pen move: softplus(κ̂), or exp(κ̂) as Graves (less stable here: one seed in three blew up)",
        get: |s| {
            if s.window == 0 {
                Value::Absent
            } else {
                Value::Choice(s.advance.index())
            }
        },
        set: |s, v| {
            if let Value::Choice(i) = v {
                s.advance = Advance::ALL[i]
            }
        },
    },
];

/// How a handwriting link's problems beyond a key's value are written, to be told again
/// in the page's language ([`crate::lang::Lang::retell`]).
pub const SAID: &[&str] = &[
    TWO_WORDS,
    UNTOLD,
    REST_OF_DRAWING,
    REST,
    english("using data=hershey"),
    english("using window=0"),
];

const TWO_WORDS: &str = "data=drawn needs at least 2 drawn words (the link has {0})";
const UNTOLD: &str = "the window reads each word's text, and {0} of the {1} drawn words have \
     none (type what a word says before keeping it)";
const REST_OF_DRAWING: &str = english("the rest of the drawing was kept");
const REST: &str = english("the rest was kept");

impl StrokeSpec {
    /// A lenient read of a link: always a spec, with one message per problem.
    pub fn parse_lenient(text: &str) -> (StrokeSpec, Vec<keys::Issue>) {
        let mut spec = StrokeSpec::default();
        let d = StrokeSpec::default();
        let mut issues = Vec::new();
        let mut r = Reader::new(&mut issues);
        for (key, value) in keys::pairs(text) {
            if r.full() {
                break;
            }
            match KEYS.iter().find(|k| k.name == key) {
                Some(k) => r.read(k, &value, &mut spec, &d),
                None => {
                    let names: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
                    r.issue(
                        &key,
                        en(keys::UNKNOWN, &[&quote(&key), &names.join(", ")]),
                        "ignored",
                    )
                }
            }
        }
        r.repeated(KEYS, &spec);
        let (words, bad) = super::drawn::decode(&spec.drawn);
        if let Some(why) = bad {
            r.issue("drawn", why, REST_OF_DRAWING);
        }
        spec.drawn = super::drawn::encode(&words);
        let (said, bad) = super::drawn::decode_said(&spec.said, words.len());
        if let Some(why) = bad {
            r.issue("said", why, REST);
        }
        spec.said = super::drawn::encode_said(&said);
        if spec.data == StrokeData::Drawn && words.len() < 2 {
            r.issue("data", en(TWO_WORDS, &[&words.len()]), "using data=hershey");
            spec.data = StrokeData::Hershey;
        }
        let untold = said.iter().filter(|s| s.is_empty()).count();
        if spec.window > 0 && spec.data == StrokeData::Drawn && untold > 0 {
            r.issue(
                "window",
                en(UNTOLD, &[&untold, &words.len()]),
                "using window=0",
            );
            spec.window = 0;
        }
        (spec, issues)
    }

    /// A strict read: the spec, or every problem found.
    pub fn parse(text: &str) -> Result<StrokeSpec, Vec<keys::Issue>> {
        let (spec, issues) = StrokeSpec::parse_lenient(text);
        if issues.is_empty() {
            Ok(spec)
        } else {
            Err(issues)
        }
    }

    /// The canonical link text: every key, in the table's order.
    pub fn link(&self) -> String {
        keys::format(KEYS, self)
    }

    pub fn clip(&self) -> Clip {
        if self.clip {
            Clip::GRAVES
        } else {
            Clip::OFF
        }
    }

    /// The LSTM-MDN of this spec with the parameters `params` (a model file's, a
    /// snapshot's): a message when they do not fit it or are not finite.
    pub fn model(&self, params: Vec<f64>) -> Result<PenModel, String> {
        self.variant_model(Variant::Lstm, params)
    }

    /// One of the three models of this spec, untrained, its weights drawn from `rng`.
    pub fn variant(&self, w: Variant, rng: &mut Rng) -> PenModel {
        if let (Variant::Lstm, Some(window)) = (w, self.window_shape()) {
            return PenModel::writer(
                self.hidden,
                self.layers,
                self.skip,
                window,
                self.m,
                self.sigma_min,
                rng,
            );
        }
        let (m, memory) = match w {
            Variant::Lstm | Variant::Unconditional => (self.m, true),
            Variant::OneComponent => (1, true),
            Variant::FeedForward => (self.m, false),
        };
        PenModel::of(
            self.hidden,
            self.layers,
            self.skip,
            memory,
            m,
            self.sigma_min,
            rng,
        )
    }

    /// The window this spec's network has, if any.
    pub fn window_shape(&self) -> Option<Window> {
        (self.window > 0).then_some(Window {
            k: self.window,
            alphabet: super::alphabet::ALPHABET.chars().count(),
            advance: self.advance,
        })
    }

    /// The three models this spec trains side by side: the network it asks for, then two
    /// baselines (with a window: the same network without one, writing unconditionally;
    /// without: one component), then the feed-forward MDN.
    pub fn variants(&self) -> [Variant; 3] {
        if self.window > 0 {
            [Variant::Lstm, Variant::Unconditional, Variant::FeedForward]
        } else {
            VARIANTS
        }
    }

    /// What the page calls the three models of [`StrokeSpec::variants`].
    pub fn variant_names(&self) -> [&'static str; 3] {
        if self.window > 0 {
            [
                english("synthesis LSTM-MDN"),
                english("unconditional LSTM-MDN"),
                english("feed-forward MDN"),
            ]
        } else {
            [
                "LSTM-MDN",
                english("LSTM K = 1"),
                english("feed-forward MDN"),
            ]
        }
    }

    /// [`StrokeSpec::model`] for any of the three models.
    pub fn variant_model(&self, w: Variant, params: Vec<f64>) -> Result<PenModel, String> {
        let mut m = self.variant(w, &mut Rng::new(0, stream::PLACEHOLDER));
        if params.len() != m.net.params.len() {
            return Err(format!(
                "it has {} parameters; its spec needs {}",
                params.len(),
                m.net.params.len()
            ));
        }
        if params.iter().any(|v| !v.is_finite()) {
            return Err("a parameter is not a finite number".into());
        }
        m.net.params = params;
        m.check_outputs()?;
        Ok(m)
    }

    pub fn n_val(&self) -> usize {
        (self.n / 4).max(20)
    }
}

/// Which of the three models.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// The LSTM-MDN the spec asks for.
    Lstm,
    /// The same network with one component.
    OneComponent,
    /// The same network without a window (the spec's asks for one).
    Unconditional,
    /// The feed-forward MDN: the previous move only.
    FeedForward,
}

pub const VARIANTS: [Variant; 3] = [Variant::Lstm, Variant::OneComponent, Variant::FeedForward];

/// One model in training: the f64 model that draws (its parameters the engine's f32
/// weights, widened), and its optimizer.
#[derive(Clone, Debug)]
pub struct Trained {
    pub model: PenModel,
    opt: Optimizer,
    /// The last batch's NLL per move.
    pub train_nll: f64,
}

impl Trained {
    /// The optimizer's step on the engine's weights, from a batch's gradient; `nll` the
    /// batch's NLL per move.
    fn step(&mut self, net: &mut Net, nll: f64, grad: &[f32]) {
        self.train_nll = nll;
        net.weights.update(|w| {
            self.opt.step(w, grad);
        });
    }

    /// The f64 model's parameters set to the engine's f32 weights, widened.
    fn widen(&mut self, net: &Net) {
        for (p, w) in self.model.net.params.iter_mut().zip(&net.weights.params) {
            *p = *w as f64;
        }
    }
}

/// A handwriting experiment in training.
#[derive(Clone, Debug)]
pub struct StrokeRun {
    pub spec: StrokeSpec,
    pub data: StrokeSet,
    pub models: Vec<Trained>,
    /// Each model as the engine runs it: its f32 weights, which the optimizer moves.
    nets: Vec<Net>,
    pub step: usize,
    batches: Rng,
    /// The step under way (its scale per move) and its pass, which may be taken a job at
    /// a time (see [`StrokeRun::train_within`]).
    stepping: Option<f64>,
    step_pass: Pass,
    /// The validation pass under way (see [`StrokeRun::validate_within`]).
    validating: bool,
    val_pass: Pass,
    /// The chunks' buffers: one per thread.
    works: Works,
    /// Whether a batch's words are ordered by length before they are cut into chunks
    /// (fewer idle lanes; the bits differ, so every run keeps the default, true).
    pub grouped: bool,
    #[cfg(not(target_arch = "wasm32"))]
    pool: Option<std::sync::Arc<rayon::ThreadPool>>,
}

impl StrokeRun {
    pub fn new(spec: &StrokeSpec) -> StrokeRun {
        let data = match spec.data {
            StrokeData::Hershey => StrokeSet::hershey(spec.n, spec.n_val(), spec.seed),
            StrokeData::Lines => super::lines::stroke_set(spec.n, spec.n_val(), spec.seed),
            StrokeData::Drawn => {
                // Every fourth word validates (at least one), and is never trained on.
                let (words, _) = super::drawn::decode(&spec.drawn);
                let (said, _) = super::drawn::decode_said(&spec.said, words.len());
                let glyphs: Vec<_> = words
                    .iter()
                    .zip(said)
                    .map(|(w, text)| super::data::Glyph {
                        text,
                        strokes: w.clone(),
                    })
                    .collect();
                let val: Vec<_> = glyphs.iter().skip(1).step_by(4).cloned().collect();
                let train: Vec<_> = glyphs
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % 4 != 1)
                    .map(|(_, g)| g.clone())
                    .collect();
                StrokeSet::from_words(&train, &val, spec.n, spec.n_val(), spec.seed)
            }
        };
        StrokeRun::with_data(spec, data)
    }

    /// A run on a stroke set of its own (the page's drawings).
    pub fn with_data(spec: &StrokeSpec, data: StrokeSet) -> StrokeRun {
        let s = spec;
        let mut init = Rng::new(s.seed, stream::STROKE_INIT);
        let opt = OptimizerConfig {
            lr: s.lr,
            ..OptimizerConfig::default()
        };
        let (mut models, mut nets) = (Vec::new(), Vec::new());
        for w in s.variants() {
            let mut model = s.variant(w, &mut init);
            let weights: Vec<f32> = model.net.params.iter().map(|&p| p as f32).collect();
            model.net.params = weights.iter().map(|&p| p as f64).collect();
            nets.push(Net::new(model.net.shape, &weights, model.m, s.sigma_min));
            models.push(Trained {
                opt: Optimizer::new(&opt, weights.len()),
                model,
                train_nll: f64::NAN,
            });
        }
        StrokeRun {
            spec: spec.clone(),
            data,
            models,
            nets,
            step: 0,
            batches: Rng::new(s.seed, stream::STROKE_BATCHES),
            stepping: None,
            step_pass: Pass::default(),
            validating: false,
            val_pass: Pass::default(),
            works: vec![Default::default()],
            grouped: true,
            #[cfg(not(target_arch = "wasm32"))]
            pool: None,
        }
    }

    /// Model i's f32 weights, as the engine trains them (its f64 model's parameters).
    pub fn weights(&self, i: usize) -> &[f32] {
        &self.nets[i].weights.params
    }

    /// Natively, spreads each pass's jobs over `n` threads (1: none); the bits are the
    /// same whatever `n`. In WebAssembly, where the run is one worker's, `n` is checked
    /// and the jobs stay on that thread.
    pub fn set_threads(&mut self, n: usize) -> Result<(), String> {
        let max = crate::train::experiment::MAX_THREADS;
        if n == 0 || n > max {
            return Err(format!("threads: {n} is not from 1 to {max}"));
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.pool = crate::train::threads::pool(n)?;
        }
        Ok(())
    }

    /// One step of every model on the same batch of words.
    pub fn train_step(&mut self) {
        self.train_within(&mut || false);
    }

    /// Goes on with the step under way (or starts the next), a job (one model, one chunk
    /// of words) at a time, until it is done (true) or `out_of_time()` says stop (asked
    /// after each job; false: the step is pending and goes on at the next call, with the
    /// same bits as one taken whole). No parameter changes before the step's end.
    pub fn train_within(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> bool {
        if self.data.train.is_empty() {
            return false;
        }
        let scale = match self.stepping {
            Some(scale) => scale,
            None => self.start_step(),
        };
        if !self.run(false, out_of_time) {
            return false;
        }
        let mut grad = Vec::new();
        for (i, (t, net)) in self.models.iter_mut().zip(&mut self.nets).enumerate() {
            self.step_pass.gradient(i, &mut grad);
            t.step(net, self.step_pass.total(i) * scale, &grad);
            t.widen(net);
        }
        self.stepping = None;
        self.step += 1;
        true
    }

    /// Draws the next step's batch from the batch stream and starts its pass; the scale
    /// of its moves.
    fn start_step(&mut self) -> f64 {
        let (scale, chunks) = self.next_batch();
        let grad = Some((scale as f32, self.spec.clip()));
        self.step_pass.start(&self.nets, chunks, grad);
        self.stepping = Some(scale);
        scale
    }

    /// The next batch of the batch stream, in chunks, and the scale of its moves (one
    /// over their number).
    fn next_batch(&mut self) -> (f64, Vec<Vec<usize>>) {
        let n = self.data.train.len() as u64;
        let batch: Vec<usize> = (0..self.spec.batch)
            .map(|_| self.batches.below(n) as usize)
            .collect();
        let seqs: Vec<&[Move]> = batch
            .iter()
            .map(|&i| self.data.train[i].as_slice())
            .collect();
        let scale = 1.0 / super::moves_in(&seqs).max(1) as f64;
        (
            scale,
            engine::chunks(&self.data.train, &batch, self.grouped),
        )
    }

    /// `n` steps of every model, with the bits of `n` calls of [`StrokeRun::train_step`].
    /// Natively on threads the models run out of step with each other, so that few jobs
    /// per step (small batches) still keep every thread busy (see [`super::pipeline`]).
    pub fn train_steps(&mut self, n: usize) {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(pool) = self.pool.clone() {
            if self.stepping.is_none() && !self.data.train.is_empty() {
                return self.pipelined(n, &pool);
            }
        }
        for _ in 0..n {
            self.train_step();
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn pipelined(&mut self, n: usize, pool: &rayon::ThreadPool) {
        use super::pipeline::{self, Step};
        let clip = self.spec.clip();
        let (mut scales, mut steps) = (Vec::new(), Vec::new());
        for _ in 0..n {
            let (scale, chunks) = self.next_batch();
            scales.push(scale);
            steps.push(Step {
                scale: scale as f32,
                clip,
                chunks,
            });
        }
        let finish = |_: usize, net: &mut Net, t: &mut Trained, done: pipeline::Done| {
            t.step(net, done.total * scales[done.step], done.grad);
        };
        let (nets, models) = (&mut self.nets, &mut self.models);
        let seqs = engine::Words {
            moves: &self.data.train,
            texts: &self.data.train_text,
        };
        pipeline::run(nets, models, &steps, seqs, pool, &mut self.works, &finish);
        for (t, net) in self.models.iter_mut().zip(&self.nets) {
            t.widen(net);
        }
        self.step += n;
    }

    /// Runs the step's pass (or with `val`, the validation pass): on the threads natively
    /// when there are some (`set_threads`), else a job at a time.
    fn run(&mut self, val: bool, out_of_time: &mut dyn FnMut() -> bool) -> bool {
        let d = &self.data;
        let (pass, seqs) = if val {
            let seqs = engine::Words {
                moves: &d.val,
                texts: &d.val_text,
            };
            (&mut self.val_pass, seqs)
        } else {
            let seqs = engine::Words {
                moves: &d.train,
                texts: &d.train_text,
            };
            (&mut self.step_pass, seqs)
        };
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(pool) = &self.pool {
            pass.run_on(&self.nets, seqs, pool, &mut self.works);
            return true;
        }
        pass.run_within(&self.nets, seqs, &mut self.works[0], out_of_time)
    }

    /// Each model's NLL per move on the validation words.
    pub fn val_nll(&mut self) -> Vec<f64> {
        self.validating = false;
        self.validate_within(&mut || false)
            .expect("not out of time")
    }

    /// Goes on with the validation pass under way (or starts one), a job at a time; each
    /// model's NLL per move once it is done, `None` while `out_of_time()` cut it short
    /// (asked after each job). The parameters must not change in between.
    pub fn validate_within(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> Option<Vec<f64>> {
        if !self.validating {
            let all: Vec<usize> = (0..self.data.val.len()).collect();
            let chunks = engine::chunks(&self.data.val, &all, self.grouped);
            self.val_pass.start(&self.nets, chunks, None);
            self.validating = true;
        }
        if !self.run(true, out_of_time) {
            return None;
        }
        self.validating = false;
        let moves = self.data.val.iter().map(|s| s.len()).sum::<usize>().max(1) as f64;
        Some(
            (0..self.models.len())
                .map(|i| self.val_pass.total(i) / moves)
                .collect(),
        )
    }

    /// Whether a step is under way (cut short by its time).
    pub fn mid_step(&self) -> bool {
        self.stepping.is_some()
    }

    /// Model `i` starts from the parameters of `from` (a model of the same shape, as a
    /// file holds it) instead of its initialisation: fine-tuning. Only before the first
    /// step; the optimizer starts afresh.
    pub fn start_from(&mut self, i: usize, from: &PenModel) -> Result<(), String> {
        if self.step > 0 || self.mid_step() {
            return Err("a run starts from a model only before its first step".into());
        }
        let (Some(t), Some(net)) = (self.models.get_mut(i), self.nets.get_mut(i)) else {
            return Err(format!("the run has no model {i}"));
        };
        let same = t.model.net.shape == from.net.shape
            && t.model.m == from.m
            && t.model.sigma_min == from.sigma_min
            && t.model.net.params.len() == from.net.params.len();
        if !same {
            return Err(
                "the model's shape (layers, cells, window, components or σ floor) is not the run's"
                    .into(),
            );
        }
        let weights: Vec<f32> = from.net.params.iter().map(|&p| p as f32).collect();
        net.weights.update(|w| w.copy_from_slice(&weights));
        t.widen(net);
        self.validating = false; // a validation under way measured the old weights
        Ok(())
    }

    /// The run's moves normalised by `scale` instead of their own (so that a model trained
    /// on other data reads them as it was trained to); only before the first step.
    pub fn rescale(&mut self, scale: super::data::Scale) -> Result<(), String> {
        if self.step > 0 || self.mid_step() {
            return Err("a run's data are rescaled only before its first step".into());
        }
        let d = &mut self.data;
        let old = d.scale;
        for s in d.train.iter_mut().chain(d.val.iter_mut()) {
            *s = scale.normalise(&old.denormalise(s));
        }
        d.scale = scale;
        self.validating = false;
        Ok(())
    }

    pub fn model(&self, w: Variant) -> &PenModel {
        let all = self.spec.variants();
        &self.models[all.iter().position(|x| *x == w).expect("a model")].model
    }
}
