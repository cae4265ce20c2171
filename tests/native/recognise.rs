//! Is the shipped synthesis model's writing legible, and has it learned to align? Measured
//! on words it was never trained on (the held-out words of the vocabulary).
//!
//! Legibility: a small recogniser by dynamic time warping. A written word and the font's
//! rendering of each candidate word become pen paths of the same number of points,
//! spaced evenly along the path (lifts joined), centred and scaled to unit height; the
//! distance is the DTW cost of aligning the two paths point to point. The written word is
//! read as the nearest candidate; the test counts how often that is its own text.
//!
//! Alignment: the network read over each validation line with its text (teacher
//! forcing); where φ(t, u) is largest at each move must reach the last character and go
//! forwards, allowing steps back of at most one character.

use mdn_playground::base::rng::{stream, Rng};
use mdn_playground::strokes::alphabet::encode;
use mdn_playground::strokes::data::{points, Scale};
use mdn_playground::strokes::file::Saved;
use mdn_playground::strokes::lines::{self, held_out, VOCABULARY};
use mdn_playground::strokes::{Move, PenModel, START};

/// The model file the page ships (or, to measure another, the file `MDN_MODEL` names:
/// `MDN_MODEL=m.json cargo test --release --test native recognise -- --nocapture`).
pub fn shipped() -> Saved {
    let path = std::env::var("MDN_MODEL").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/www/models/synthesis.json").to_string()
    });
    let text = std::fs::read_to_string(&path).expect("the shipped model");
    Saved::from_json(&text).expect("a model file")
}

/// Points per character of the paths compared.
const PER_CHAR: usize = 12;

/// `n` points evenly spaced along the strokes (one path, lifts joined), centred and
/// scaled by the height of their box.
fn path(strokes: &[Vec<[f64; 2]>], n: usize) -> Vec<[f64; 2]> {
    let pts: Vec<[f64; 2]> = strokes.iter().flatten().copied().collect();
    let mut along = vec![0.0];
    for w in pts.windows(2) {
        let d = ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt();
        along.push(along.last().unwrap() + d);
    }
    let total = *along.last().unwrap();
    let mut out = Vec::with_capacity(n);
    let mut j = 0;
    for i in 0..n {
        let at = total * i as f64 / (n - 1).max(1) as f64;
        while j + 2 < along.len() && along[j + 1] < at {
            j += 1;
        }
        let span = (along[j + 1] - along[j]).max(1e-12);
        let f = ((at - along[j]) / span).clamp(0.0, 1.0);
        let (a, b) = (pts[j], pts[j + 1]);
        out.push([a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])]);
    }
    let mean = |k: usize| out.iter().map(|p| p[k]).sum::<f64>() / n as f64;
    let (mx, my) = (mean(0), mean(1));
    let (lo, hi) = out
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), p| (l.min(p[1]), h.max(p[1])));
    let s = (hi - lo).max(1e-9);
    out.iter()
        .map(|p| [(p[0] - mx) / s, (p[1] - my) / s])
        .collect()
}

/// The cost of the best monotone alignment of `a` with `b`, per step of the longer.
fn dtw(a: &[[f64; 2]], b: &[[f64; 2]]) -> f64 {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![f64::INFINITY; (n + 1) * (m + 1)];
    d[0] = 0.0;
    for i in 1..=n {
        for j in 1..=m {
            let c =
                ((a[i - 1][0] - b[j - 1][0]).powi(2) + (a[i - 1][1] - b[j - 1][1]).powi(2)).sqrt();
            let best = d[(i - 1) * (m + 1) + j]
                .min(d[i * (m + 1) + j - 1])
                .min(d[(i - 1) * (m + 1) + j - 1]);
            d[i * (m + 1) + j] = c + best;
        }
    }
    d[n * (m + 1) + m] / n.max(m) as f64
}

/// Which of `candidates` the strokes are nearest to.
fn read(strokes: &[Vec<[f64; 2]>], candidates: &[&str]) -> usize {
    let mut best = (f64::INFINITY, 0);
    for (i, c) in candidates.iter().enumerate() {
        let n = PER_CHAR * c.len();
        let d = dtw(&path(strokes, n), &path(&lines::typeset(c).unwrap(), n));
        if d < best.0 {
            best = (d, i);
        }
    }
    best.1
}

/// The held-out words of four letters or more (shorter ones are too alike to tell apart).
fn unseen() -> Vec<&'static str> {
    VOCABULARY
        .iter()
        .enumerate()
        .filter(|(i, w)| held_out(*i) && w.len() >= 4)
        .map(|(_, w)| *w)
        .collect()
}

/// Samples written of each word.
const SAMPLES: u64 = 2;

/// The share of `words` written at bias `b` (each [`SAMPLES`] times, seeds 1, 2, …)
/// that the recogniser reads as their own text.
pub fn legibility(model: &PenModel, scale: &Scale, words: &[&str], b: f64) -> f64 {
    let mut right = 0;
    for (i, w) in words.iter().enumerate() {
        let text = encode(w).unwrap();
        for s in 0..SAMPLES {
            let mut rng = Rng::new(1 + s + SAMPLES * i as u64, stream::STROKE_WRITE);
            let written = model.write_text(&text, None, b, 1.0, &mut rng);
            let strokes = points(&scale.denormalise(&written.moves), [0.0, 0.0]);
            if strokes.iter().flatten().count() > 1 && read(&strokes, words) == i {
                right += 1;
            }
        }
    }
    right as f64 / (SAMPLES as usize * words.len()) as f64
}

/// Over lines read with their texts: the share whose φ argmax reaches the last character,
/// and the share that never steps back more than one character.
fn alignment(model: &PenModel, lines: &[(Vec<Move>, Vec<u16>)]) -> (f64, f64) {
    let (mut reach, mut forwards) = (0, 0);
    for (moves, text) in lines {
        let mut state = model.net.start();
        let mut x = START;
        let mut argmax = Vec::new();
        for mv in moves {
            model
                .net
                .step_on(&mut state, &[x.dx, x.dy, x.end as u8 as f64], text);
            let p = &state.phi;
            argmax.push((0..p.len()).fold(0, |b, u| if p[u] > p[b] { u } else { b }));
            x = *mv;
        }
        if argmax.last() == Some(&(text.len() - 1)) {
            reach += 1;
        }
        let mut top = 0;
        let mut ok = true;
        for &a in &argmax {
            ok &= a + 1 >= top;
            top = top.max(a);
        }
        forwards += ok as usize;
    }
    let n = lines.len() as f64;
    (reach as f64 / n, forwards as f64 / n)
}

#[test]
fn the_shipped_model_aligns_and_writes_unseen_words_legibly() {
    let saved = shipped();
    let set = lines::stroke_set(saved.spec.n, 40, saved.spec.seed);
    let val: Vec<(Vec<Move>, Vec<u16>)> = set
        .val
        .iter()
        .cloned()
        .zip(set.val_text.iter().cloned())
        .collect();
    let (reach, forwards) = alignment(&saved.model, &val);
    eprintln!("alignment on {} validation lines: argmax reaches the end {reach:.2}, forwards {forwards:.2}", val.len());
    assert!(
        reach >= 0.8 && forwards >= 0.8,
        "reach {reach}, forwards {forwards}"
    );
    let words = unseen();
    let mut shares = Vec::new();
    for b in [0.0, 1.0, 2.0] {
        let share = legibility(&saved.model, &saved.scale, &words, b);
        eprintln!(
            "b = {b}: {share:.2} of {} unseen words read as written (chance {:.2})",
            words.len(),
            1.0 / words.len() as f64
        );
        shares.push(share);
    }
    // The texts themselves, as the font sets them, are read right: the recogniser works.
    for (i, w) in words.iter().enumerate() {
        assert_eq!(read(&lines::typeset(w).unwrap(), &words), i, "{w}");
    }
    assert!(shares[1] >= 0.5, "legibility at b = 1: {shares:?}");
}

/// The shipped file is what its spec trains: the first steps of a run of that spec give
/// the weights whose fingerprint the file holds.
#[test]
fn the_shipped_model_is_reproducible_from_its_spec() {
    use mdn_playground::strokes::file::{fingerprint, EARLY};
    use mdn_playground::strokes::train::StrokeRun;
    let saved = shipped();
    let early = saved
        .early
        .clone()
        .expect("the shipped file holds its early fingerprint");
    assert_eq!(early.step, EARLY);
    let mut run = StrokeRun::new(&saved.spec);
    run.train_steps(EARLY);
    assert_eq!(fingerprint(run.weights(0)), early.fingerprint);
    // The file's normalisation is the spec's data's.
    assert_eq!(run.data.scale, saved.scale);
}

/// The unconditional model shipped beside the writer comes from the same run
/// (`--save-unconditional`): the writer's spec without its window, the same normalisation,
/// a network of the same size without a window.
#[test]
fn the_shipped_unconditional_model_is_the_writers_companion() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/models/unconditional.json");
    let text = std::fs::read_to_string(path).expect("the unconditional model");
    let blind = Saved::from_json(&text).expect("a model file");
    let writer = shipped();
    assert!(blind.model.net.shape.window.is_none());
    assert_eq!(blind.scale, writer.scale, "trained on the same lines");
    let plain = mdn_playground::strokes::train::StrokeSpec {
        window: 0,
        ..writer.spec.clone()
    };
    assert_eq!(blind.spec, plain);
    assert_eq!(
        (blind.model.net.shape.hidden, blind.model.m),
        (writer.model.net.shape.hidden, writer.model.m)
    );
}
