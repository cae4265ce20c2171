//! Graves' synthesis network (an LSTM-MDN with a soft window over the text) in the
//! training engine: every parameter's derivative against central differences (f64,
//! clipping off; exp and softplus advance; one and two layers, with and without skip
//! connections), the engine's forward pass against the one-step-at-a-time network the pen
//! writes with, and the f32 engine against the f64 one.

use mdn_playground::base::rng::Rng;
use mdn_playground::strokes::lstm::Clip;
use mdn_playground::strokes::pen_loss::HeadSpec;
use mdn_playground::strokes::window::{Advance, Window};
use mdn_playground::strokes::{Move, PenModel, START};

/// Random words of the given lengths, each with a text of 2 to 5 symbols below 5.
fn lines(rng: &mut Rng, lens: &[usize]) -> (Vec<Vec<Move>>, Vec<Vec<u16>>) {
    let moves = lens
        .iter()
        .map(|&len| {
            (0..len)
                .map(|i| Move {
                    dx: rng.range(-1.5, 1.5),
                    dy: rng.range(-1.5, 1.5),
                    end: i == len - 1 || rng.uniform() < 0.2,
                })
                .collect()
        })
        .collect();
    let texts = lens
        .iter()
        .map(|_| {
            let n = 2 + rng.below(4) as usize;
            (0..n).map(|_| rng.below(5) as u16).collect()
        })
        .collect();
    (moves, texts)
}

fn window(advance: Advance) -> Window {
    Window {
        k: 2,
        alphabet: 5,
        advance,
    }
}

/// A small synthesis network with weights larger than the initialisation (every gate
/// off its centre) and κ̂ about −1 (the window crosses the text within a word).
fn model(layers: usize, skip: bool, advance: Advance, rng: &mut Rng) -> PenModel {
    let mut model = PenModel::writer(4, layers, skip, window(advance), 2, 1e-3, rng);
    for p in &mut model.net.params {
        *p *= 2.0;
    }
    let s = model.net.shape;
    let b = s.window_start() + 6 * s.hidden;
    for p in &mut model.net.params[b + 4..b + 6] {
        *p = -1.0;
    }
    model
}

fn refs<T>(v: &[Vec<T>]) -> Vec<&[T]> {
    v.iter().map(|s| s.as_slice()).collect()
}

#[test]
fn synthesis_gradients_match_central_differences() {
    let mut rng = Rng::new(3, 0);
    for (layers, skip, advance) in [
        (1, false, Advance::Exp),
        (2, true, Advance::Exp),
        (2, false, Advance::Softplus),
        (1, false, Advance::Softplus),
    ] {
        let model = model(layers, skip, advance, &mut rng);
        let (moves, texts) = lines(&mut rng, &[9, 4, 7]);
        let (m, t) = (refs(&moves), refs(&texts));
        let (loss, grad) = model.loss_and_grad_on(&m, &t, Clip::OFF);
        assert!((loss - model.nll_on(&m, &t)).abs() < 1e-12);
        let mut worst = 0.0f64;
        for i in 0..grad.len() {
            let h = 1e-5;
            let (mut a, mut b) = (model.clone(), model.clone());
            a.net.params[i] += h;
            b.net.params[i] -= h;
            let num = (a.nll_on(&m, &t) - b.nll_on(&m, &t)) / (2.0 * h);
            // Relative, with an absolute floor of 1e-10 for the difference's own rounding.
            let err =
                ((num - grad[i]).abs() - 1e-10).max(0.0) / num.abs().max(grad[i].abs()).max(1e-300);
            assert!(
                err < 1e-5,
                "{layers} layers, skip {skip}, {advance:?}: parameter {i}: analytic {} numeric {num}",
                grad[i]
            );
            worst = worst.max(err);
        }
        // The window's own parameters matter: their derivatives are not all zero.
        let ws = model.net.shape.window_start();
        assert!(grad[ws..].iter().any(|g| g.abs() > 1e-4));
        eprintln!(
            "{} parameters, worst relative error {worst:.2e}",
            grad.len()
        );
    }
}

/// The NLL of one word written from its text one step at a time, as the pen writes.
fn stepwise_nll(model: &PenModel, moves: &[Move], text: &[u16]) -> f64 {
    let head = HeadSpec::<f64>::new(model.m, model.sigma_min);
    let mut tmp = vec![0.0; head.scratch()];
    let mut state = model.net.start();
    let mut input = START;
    let mut total = 0.0;
    for mv in moves {
        let x = [input.dx, input.dy, if input.end { 1.0 } else { 0.0 }];
        let y = model.net.step_on(&mut state, &x, text);
        total += head.nll_grad(&y, [mv.dx, mv.dy], mv.end, None, &mut tmp);
        input = *mv;
    }
    total
}

#[test]
fn the_engine_writes_as_the_pen_does() {
    let mut rng = Rng::new(5, 0);
    for (layers, skip) in [(1, false), (2, true), (3, false)] {
        let model = model(layers, skip, Advance::Exp, &mut rng);
        // Twenty words: two chunks, lanes that stop at different moves.
        let lens: Vec<usize> = (0..20).map(|i| 3 + (i * 5) % 11).collect();
        let (moves, texts) = lines(&mut rng, &lens);
        let engine = model.nll_on(&refs(&moves), &refs(&texts));
        let total: f64 = moves
            .iter()
            .zip(&texts)
            .map(|(m, t)| stepwise_nll(&model, m, t))
            .sum();
        let steps = total / lens.iter().sum::<usize>() as f64;
        assert!(
            (engine - steps).abs() < 1e-12 * steps.abs().max(1.0),
            "{layers} layers: engine {engine} one step at a time {steps}"
        );
    }
}

#[test]
fn the_f32_synthesis_engine_agrees_with_the_f64_engine() {
    let mut rng = Rng::new(9, 0);
    let model = PenModel::writer(20, 2, true, window(Advance::Exp), 3, 1e-3, &mut rng);
    let lens: Vec<usize> = (0..37).map(|i| 3 + (i * 7) % 29).collect();
    let (mut moves, mut texts) = lines(&mut rng, &lens);
    let mut order: Vec<usize> = (0..moves.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(moves[i].len()));
    moves = order.iter().map(|&i| moves[i].clone()).collect();
    texts = order.iter().map(|&i| texts[i].clone()).collect();
    let (m, t) = (refs(&moves), refs(&texts));
    let f64s = model.loss_and_grad_on(&m, &t, Clip::GRAVES);
    crate::strokes::f32_engine_agrees(&model, &m, &t, f64s);
}
