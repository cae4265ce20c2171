//! The handwriting MDN. The LSTM's backpropagation through time and the pen
//! head's gradient against central differences for every parameter (f64, clipping off),
//! with one and two layers, with and without skip connections; the clipping bounds act.

use mdn_playground::base::rng::Rng;
use mdn_playground::strokes::lstm::Clip;
use mdn_playground::strokes::pen::{self, Pen};
use mdn_playground::strokes::pen_loss::HeadSpec;
use mdn_playground::strokes::{Move, PenModel};

fn strokes(rng: &mut Rng, n: usize, len: usize) -> Vec<Vec<Move>> {
    (0..n)
        .map(|_| {
            (0..len)
                .map(|i| Move {
                    dx: rng.range(-1.5, 1.5),
                    dy: rng.range(-1.5, 1.5),
                    end: i == len - 1 || rng.uniform() < 0.2,
                })
                .collect()
        })
        .collect()
}

/// Every parameter's analytic derivative against a central difference.
fn check(model: &PenModel, seqs: &[Vec<Move>]) {
    let refs: Vec<&[Move]> = seqs.iter().map(|s| s.as_slice()).collect();
    let (loss, grad) = model.loss_and_grad(&refs, Clip::OFF);
    assert!(
        (loss - model.nll(&refs)).abs() < 1e-12,
        "{loss} vs {}",
        model.nll(&refs)
    );
    let mut worst = 0.0f64;
    for i in 0..grad.len() {
        let h = 1e-5;
        let mut a = model.clone();
        a.net.params[i] += h;
        let mut b = model.clone();
        b.net.params[i] -= h;
        let num = (a.nll(&refs) - b.nll(&refs)) / (2.0 * h);
        let err = (num - grad[i]).abs() / (1e-6 + num.abs().max(grad[i].abs()));
        assert!(
            err < 1e-5,
            "parameter {i}: analytic {} numeric {num}",
            grad[i]
        );
        worst = worst.max(err);
    }
    eprintln!(
        "{} parameters, worst relative error {worst:.2e}",
        grad.len()
    );
}

#[test]
fn bptt_gradients_match_central_differences() {
    let mut rng = Rng::new(7, 0);
    for (layers, skip, memory, m) in [
        (1, false, true, 1),
        (1, false, true, 3),
        (2, false, true, 2),
        (2, true, true, 3),
        (1, false, false, 2),
        (2, true, false, 2),
    ] {
        let mut model = PenModel::of(5, layers, skip, memory, m, 1e-3, &mut rng);
        // Larger weights than the initialisation, so that every gate is off its centre.
        for p in &mut model.net.params {
            *p *= 2.0;
        }
        check(&model, &strokes(&mut rng, 2, 7));
    }
}

/// The training engine's head in f64: −ln p of one move (σ floor 1e-3), and its gradient.
fn head_nll(raw: &[f64], m: usize, d: [f64; 2], end: bool, grad: Option<&mut [f64]>) -> f64 {
    let head = HeadSpec::<f64>::new(m, 1e-3);
    head.nll_grad(raw, d, end, grad, &mut vec![0.0; head.scratch()])
}

#[test]
fn the_head_gradient_covers_strong_correlations_and_every_raw_output() {
    let mut rng = Rng::new(3, 0);
    for _ in 0..200 {
        let m = 1 + rng.below(4) as usize;
        let raw: Vec<f64> = (0..pen::outputs(m)).map(|_| rng.range(-4.0, 4.0)).collect();
        let d = [rng.range(-3.0, 3.0), rng.range(-3.0, 3.0)];
        let end = rng.uniform() < 0.5;
        let mut g = vec![0.0; raw.len()];
        let nll = head_nll(&raw, m, d, end, Some(&mut g));
        assert!((nll - head_nll(&raw, m, d, end, None)).abs() < 1e-12);
        for i in 0..raw.len() {
            let h = 1e-6;
            let mut a = raw.clone();
            a[i] += h;
            let mut b = raw.clone();
            b[i] -= h;
            let f = |r: &[f64]| head_nll(r, m, d, end, None);
            let num = (f(&a) - f(&b)) / (2.0 * h);
            // Rounding of the loss itself (up to 1e8 where ρ is near ±1 and d far off)
            // bounds what the difference can resolve.
            let noise = 1e-15 * nll.abs() / h;
            assert!(
                (num - g[i]).abs() < 1e-6 * (1.0 + num.abs()) + noise,
                "output {i}: {} vs {num}",
                g[i]
            );
        }
    }
}

#[test]
fn clipping_holds_the_output_and_gate_derivatives() {
    let mut rng = Rng::new(11, 0);
    let mut model = PenModel::new(4, 2, true, 2, 1e-3, &mut rng);
    for p in &mut model.net.params {
        *p *= 6.0;
    }
    // Targets far from every mean give output derivatives far over the bounds.
    let seq: Vec<Move> = (0..6)
        .map(|i| Move {
            dx: 40.0 * (i as f64 - 2.5),
            dy: -30.0,
            end: i == 5,
        })
        .collect();
    let (_, free) = model.loss_and_grad(&[&seq], Clip::OFF);
    let tight = Clip {
        out: 1e-3,
        lstm: 1e-4,
    };
    let (_, held) = model.loss_and_grad(&[&seq], tight);
    let norm = |g: &[f64]| g.iter().map(|v| v * v).sum::<f64>().sqrt();
    assert!(
        norm(&held) < 0.01 * norm(&free),
        "{} vs {}",
        norm(&held),
        norm(&free)
    );
    // Bounds above every derivative change nothing, bit for bit.
    let (_, loose) = model.loss_and_grad(
        &[&seq],
        Clip {
            out: 1e300,
            lstm: 1e300,
        },
    );
    assert_eq!(loose, free);
}

use mdn_playground::strokes::data::{self, StrokeSet};
use mdn_playground::strokes::file::{Precision, Saved};
use mdn_playground::strokes::train::{StrokeRun, StrokeSpec, Variant};

#[test]
fn the_hershey_words_become_moves_and_back() {
    let all = data::templates();
    assert_eq!(all.len(), 58, "26 letters and 32 words");
    for g in &all {
        let mv = data::moves(&g.strokes);
        assert_eq!(
            mv.iter().filter(|m| m.end).count(),
            g.strokes.len(),
            "{}: one lift per stroke",
            g.text
        );
        assert!(mv.last().unwrap().end);
        let back = data::points(&mv, g.strokes[0][0]);
        assert_eq!(back, g.strokes, "{}", g.text);
    }
    let set = StrokeSet::hershey(200, 50, 9);
    assert_eq!((set.train.len(), set.val.len()), (200, 50));
    // Normalised as Graves does: the training moves have mean 0 and spread 1 per axis.
    let moves: Vec<_> = set.train.iter().flatten().collect();
    let n = moves.len() as f64;
    let mx = moves.iter().map(|m| m.dx).sum::<f64>() / n;
    let vy = moves.iter().map(|m| m.dy * m.dy).sum::<f64>() / n;
    assert!(mx.abs() < 1e-12 && (vy - 1.0).abs() < 1e-9, "{mx} {vy}");
    // The same seed draws the same set; another seed another.
    assert_eq!(StrokeSet::hershey(200, 50, 9), set);
    assert_ne!(StrokeSet::hershey(200, 50, 10).train, set.train);
}

#[test]
fn the_spec_reads_clamps_and_writes_back() {
    let (s, issues) =
        StrokeSpec::parse_lenient("hidden=9999&m=0&lr=abc&bogus=1&steps=300&layers=3");
    assert_eq!(
        (s.hidden, s.m, s.lr, s.steps),
        (400, 1, StrokeSpec::default().lr, 300)
    );
    assert_eq!(issues.len(), 4, "{issues:?}");
    assert!(issues.iter().any(|i| i.message.contains("unknown key")));
    let back = StrokeSpec::parse(&s.link()).unwrap();
    assert_eq!(back, s);
}

#[test]
fn training_learns_and_the_recurrence_pays() {
    let spec = StrokeSpec::parse("n=200&hidden=24&steps=300").unwrap();
    let mut run = StrokeRun::new(&spec);
    let before = run.val_nll();
    for _ in 0..spec.steps {
        run.train_step();
    }
    let after = run.val_nll();
    eprintln!("before {before:?} after {after:?}");
    for i in 0..3 {
        assert!(
            after[i] < before[i] - 0.5,
            "model {i}: {} -> {}",
            before[i],
            after[i]
        );
    }
    // The LSTM-MDN beats the feed-forward MDN that sees one move, and the single
    // component, on words it never trained on.
    assert!(after[0] < after[2] - 0.2, "{after:?}");
    assert!(after[0] < after[1] - 0.05, "{after:?}");
    // Its file reloads bit for bit and gives the same NLL.
    let saved = Saved {
        spec: spec.clone(),
        scale: run.data.scale,
        model: run.model(Variant::Lstm).clone(),
        precision: Precision::F32,
        early: None,
    };
    let back = Saved::from_json(&saved.to_json()).unwrap();
    assert_eq!(back, saved);
    // A version 1 file (before the precision was written) loads, as f64 parameters; a
    // parameter that is no f32 number in an f32 file is refused.
    let wide = Saved {
        precision: Precision::F64,
        ..saved.clone()
    };
    let v1 = wide
        .to_json()
        .replace("\"version\":2,\"precision\":\"f64\",", "\"version\":1,");
    assert_ne!(v1, wide.to_json());
    let old = Saved::from_json(&v1).unwrap();
    assert_eq!((old.precision, &old.model), (Precision::F64, &saved.model));
    let mut not_f32: serde_json::Value = serde_json::from_str(&saved.to_json()).unwrap();
    not_f32["params"][0] = serde_json::json!(0.1000000001);
    for bad in [
        not_f32.to_string(),
        saved.to_json().replace("mdn-strokes", "other"),
        saved.to_json().replace("\"precision\":\"f32\",", ""),
        saved.to_json().replace("\"version\":2", "\"version\":3"),
        saved.to_json().replace("\"params\":[", "\"params\":[1.0,"),
        saved.to_json().replace("hidden=24", "hidden=25"),
        "{".to_string(),
    ] {
        assert!(
            Saved::from_json(&bad).is_err(),
            "{}",
            &bad[..60.min(bad.len())]
        );
    }
}

#[test]
fn bias_sharpens_the_pen() {
    let mut rng = Rng::new(5, 0);
    let raw: Vec<f64> = (0..pen::outputs(4)).map(|_| rng.range(-1.0, 1.0)).collect();
    let p0 = Pen::new(&raw, 4, 1e-3, 0.0);
    let p3 = Pen::new(&raw, 4, 1e-3, 3.0);
    let top = |p: &Pen| p.log_pi.iter().cloned().fold(f64::MIN, f64::max);
    assert!(top(&p3) > top(&p0), "the likeliest component gains weight");
    for k in 0..4 {
        for a in 0..2 {
            assert!((p3.sigma[k][a] / p0.sigma[k][a] - (-3.0f64).exp()).abs() < 1e-12);
        }
    }
    // Draws at b = 3 scatter less around the likeliest move than at b = 0.
    let spread = |p: &Pen, rng: &mut Rng| {
        let c = p.likeliest();
        (0..4000)
            .map(|_| {
                let (d, _) = p.draw(1.0, rng);
                (d[0] - c[0]).powi(2) + (d[1] - c[1]).powi(2)
            })
            .sum::<f64>()
    };
    assert!(spread(&p3, &mut rng) < 0.5 * spread(&p0, &mut rng));
}

#[test]
fn the_cli_trains_saves_and_draws() {
    let dir = std::env::temp_dir().join(format!("mdn-strokes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("m.json");
    let spec = "n=40&hidden=6&steps=20&m=2";
    let out = crate::run::mdn(&["strokes", "train", spec, "--save", model.to_str().unwrap()]);
    let last = out.ok().last_json();
    for k in ["lstm", "one_component", "feed_forward"] {
        assert!(last["val_nll"][k].as_f64().unwrap().is_finite(), "{last}");
    }
    for ext in ["svg", "png"] {
        let pic = dir.join(format!("s.{ext}"));
        let (m, p) = (model.to_str().unwrap(), pic.to_str().unwrap());
        let args = [
            "strokes", "sample", "--bias", "0,3", "--n", "2", "--moves", "40",
        ];
        let out =
            crate::run::mdn(&[&args[..], &["--ellipses", "--model", m, "--out", p]].concat()).ok();
        assert_eq!(out.stdout.lines().count(), 4);
        let bytes = std::fs::read(&pic).unwrap();
        if ext == "svg" {
            assert!(String::from_utf8_lossy(&bytes).contains("<polyline"));
        } else {
            assert_eq!(&bytes[1..4], b"PNG");
        }
    }
    // Bad input: a clear message, no panic.
    let out = crate::run::mdn(&[
        "strokes",
        "sample",
        "--bias",
        "99",
        "--model",
        model.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--bias"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// ln p(d, end) against mpmath at 50 digits (`tests/reference/strokes_reference.py`,
/// cross-checked there with scipy): ρ at its bound, σ at its floor, far offsets, extreme
/// end-of-stroke logits.
#[test]
fn the_pen_density_matches_mpmath() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../data/strokes_reference.json")).unwrap();
    assert_eq!(cases.len(), 40);
    let mut worst = 0.0f64;
    for c in &cases {
        let m = c["m"].as_u64().unwrap() as usize;
        let raw: Vec<f64> = c["raw"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let d = [c["d"][0].as_f64().unwrap(), c["d"][1].as_f64().unwrap()];
        let want: f64 = c["log_prob"].as_str().unwrap().parse().unwrap();
        let got = -head_nll(&raw, m, d, c["end"].as_bool().unwrap(), None);
        let rel = (got - want).abs() / want.abs().max(1.0);
        worst = worst.max(rel);
        // ρ near ±1 loses digits in 1 − ρ² (the inputs' rounding alone moves ln p by
        // about 1e-12 relative there).
        assert!(rel < 1e-11, "{c}: got {got}, want {want}");
    }
    eprintln!("worst relative error {worst:.1e}");
}

/// A step cut short after any word, and validation likewise, go on with the bits of one
/// taken whole; no parameter changes before a step's end.
#[test]
fn steps_and_validation_in_pieces_give_the_bits_of_whole_ones() {
    let spec =
        StrokeSpec::parse("seed=3&n=40&hidden=10&layers=2&skip=1&m=3&batch=5&steps=4").unwrap();
    let mut whole = StrokeRun::new(&spec);
    let mut pieces = StrokeRun::new(&spec);
    for cut in [1usize, 2, 7] {
        whole.train_step();
        let before: Vec<Vec<f64>> = pieces
            .models
            .iter()
            .map(|t| t.model.net.params.clone())
            .collect();
        let mut n = 0;
        let mut calls = 0;
        while !pieces.train_within(&mut || {
            n += 1;
            n % cut == 0
        }) {
            calls += 1;
            let now: Vec<Vec<f64>> = pieces
                .models
                .iter()
                .map(|t| t.model.net.params.clone())
                .collect();
            assert_eq!(now, before, "a parameter changed before the step's end");
        }
        assert!(cut > 5 || calls > 0, "cut every {cut} words: never cut");
        for (a, b) in whole.models.iter().zip(&pieces.models) {
            assert_eq!(a.model.net.params, b.model.net.params);
            assert_eq!(a.train_nll.to_bits(), b.train_nll.to_bits());
        }
    }
    let want = whole.val_nll();
    let mut n = 0;
    let got = loop {
        if let Some(v) = pieces.validate_within(&mut || {
            n += 1;
            n % 3 == 0
        }) {
            break v;
        }
    };
    assert_eq!(
        want.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        got.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
    );
}

/// A model file whose weights overflow the network is refused with the reason.
#[test]
fn a_stroke_model_whose_outputs_overflow_is_refused() {
    let spec = StrokeSpec::parse("hidden=8&m=2").unwrap();
    let n = StrokeRun::new(&spec).models[0].model.net.params.len();
    let err = spec.model(vec![1e308; n]).unwrap_err();
    assert!(err.contains("not finite"), "{err}");
    assert!(spec.model(vec![0.01; n]).is_ok());
}

/// The f32 kernels (vector lanes natively) against the f64 ones (plain loops) on the same
/// chunks: words of many lengths, so that chunks of 16 and of 8 lanes occur and lanes stop
/// computing as words end; two layers with skip connections, rows that do not fill a tile.
#[test]
fn the_f32_engine_agrees_with_the_f64_engine() {
    let mut rng = Rng::new(11, 0);
    let model = PenModel::new(20, 2, true, 3, 1e-3, &mut rng);
    let mut seqs: Vec<Vec<Move>> = (0..37)
        .map(|i| strokes(&mut rng, 1, 3 + (i * 7) % 29).remove(0))
        .collect();
    seqs.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let refs: Vec<&[Move]> = seqs.iter().map(|s| s.as_slice()).collect();
    let f64s = model.loss_and_grad(&refs, Clip::GRAVES);
    f32_engine_agrees(&model, &refs, &[], f64s);
}

/// The f32 engine's loss and gradient on `words` (with `texts`, or none), in chunks of 16
/// lanes, against the f64 network's `(loss, gradient)`: within 1e-4 of the loss and
/// 2e-4 of the largest derivative.
pub fn f32_engine_agrees(
    model: &PenModel,
    words: &[&[Move]],
    texts: &[&[u16]],
    (loss64, grad64): (f64, Vec<f64>),
) {
    use mdn_playground::strokes::batch::{chunk, Grad, Weights, Work};
    let params: Vec<f32> = model.net.params.iter().map(|&p| p as f32).collect();
    let w = Weights::new(model.net.shape, &params);
    let head = HeadSpec::<f32>::new(model.m, model.sigma_min);
    let scale = 1.0 / words.iter().map(|s| s.len()).sum::<usize>() as f64;
    let mut grad32 = vec![0.0f32; params.len()];
    let mut work = Work::default();
    let mut total = 0.0;
    for (i, c) in words.chunks(16).enumerate() {
        let g = Grad {
            scale: scale as f32,
            clip: Clip::GRAVES,
            out: &mut grad32,
        };
        let t = texts
            .get(16 * i..(16 * i + c.len()).min(texts.len()))
            .unwrap_or(&[]);
        total += chunk(&w, &head, c, t, &mut work, Some(g));
    }
    let loss32 = total * scale;
    assert!(
        (loss32 - loss64).abs() < 1e-4 * loss64.abs().max(1.0),
        "{loss32} vs {loss64}"
    );
    let top = grad64.iter().fold(0.0f64, |a, g| a.max(g.abs()));
    for (i, (a, b)) in grad32.iter().zip(&grad64).enumerate() {
        assert!(
            (*a as f64 - b).abs() <= 2e-4 * top,
            "parameter {i}: f32 {a} against f64 {b} (largest {top})"
        );
    }
}
