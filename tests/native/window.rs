//! Graves' soft window over the text (`strokes::window`): its values against the
//! formula written out here, its derivatives against central differences through a
//! sequence of moves, and the rule that says writing is over.

use mdn_playground::base::rng::Rng;
use mdn_playground::strokes::window::{Advance, Window};

const TEXT: [u16; 7] = [3, 0, 4, 4, 1, 3, 2];

fn window(advance: Advance) -> Window {
    Window {
        k: 3,
        alphabet: 5,
        advance,
    }
}

/// Raw outputs for `moves` moves (α̂, β̂ about 0, κ̂ about −1: steps of about a third of
/// a character), and a random linear loss on each move's window.
fn inputs(moves: usize, w: &Window) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let mut rng = Rng::new(7, 1);
    let raw = (0..moves)
        .map(|_| {
            (0..w.raw_len())
                .map(|i| 0.5 * rng.normal() - if i >= 2 * w.k { 1.0 } else { 0.0 })
                .collect()
        })
        .collect();
    let g = (0..moves)
        .map(|_| (0..w.alphabet).map(|_| rng.normal()).collect())
        .collect();
    (raw, g)
}

/// Σ_t g_t · w_t over the moves, and every move's centres.
fn loss(w: &Window, raw: &[Vec<f64>], g: &[Vec<f64>]) -> (f64, Vec<Vec<f64>>) {
    let mut kappa = vec![0.0; w.k];
    let (mut phi, mut win) = (vec![0.0; TEXT.len()], vec![0.0; w.alphabet]);
    let (mut total, mut kappas) = (0.0, Vec::new());
    for (r, gt) in raw.iter().zip(g) {
        let prev = kappa.clone();
        w.forward(r, &prev, &TEXT, &mut kappa, &mut phi, &mut win);
        total += gt.iter().zip(&win).map(|(a, b)| a * b).sum::<f64>();
        kappas.push(kappa.clone());
    }
    (total, kappas)
}

#[test]
fn the_window_reads_the_characters_under_its_bumps() {
    let w = window(Advance::Exp);
    let (raw, _) = inputs(4, &w);
    let mut kappa = vec![0.0; w.k];
    let (mut phi, mut win) = (vec![0.0; TEXT.len()], vec![0.0; w.alphabet]);
    let mut centres = vec![0.0; w.k];
    for r in &raw {
        let prev = kappa.clone();
        w.forward(r, &prev, &TEXT, &mut kappa, &mut phi, &mut win);
        let mut expected = vec![0.0; w.alphabet];
        for j in 0..w.k {
            centres[j] += r[2 * w.k + j].exp();
            assert!((kappa[j] - centres[j]).abs() < 1e-13 && kappa[j] > prev[j]);
        }
        for (i, &c) in TEXT.iter().enumerate() {
            let u = (i + 1) as f64;
            let p: f64 = (0..w.k)
                .map(|j| r[j].exp() * (-r[w.k + j].exp() * (centres[j] - u).powi(2)).exp())
                .sum();
            assert!((phi[i] - p).abs() < 1e-13 * (1.0 + p), "φ at {u}");
            expected[c as usize] += p;
        }
        for (a, b) in win.iter().zip(&expected) {
            assert!((a - b).abs() < 1e-13 * (1.0 + b.abs()));
        }
    }
}

#[test]
fn the_window_gradient_matches_central_differences_through_the_moves() {
    for advance in [Advance::Exp, Advance::Softplus] {
        let w = window(advance);
        let moves = 6;
        let (raw, g) = inputs(moves, &w);
        let (_, kappas) = loss(&w, &raw, &g);
        // Backwards: each move's derivatives from its window's and the later moves' κ.
        let mut dkappa = vec![0.0; w.k];
        let mut draw = vec![vec![0.0; w.raw_len()]; moves];
        for t in (0..moves).rev() {
            w.backward(&raw[t], &kappas[t], &TEXT, &g[t], &mut dkappa, &mut draw[t]);
        }
        let h = 1e-6;
        let mut largest = 0.0f64;
        for t in 0..moves {
            for i in 0..w.raw_len() {
                let mut up = raw.clone();
                up[t][i] += h;
                let mut down = raw.clone();
                down[t][i] -= h;
                let numeric = (loss(&w, &up, &g).0 - loss(&w, &down, &g).0) / (2.0 * h);
                let err = (numeric - draw[t][i]).abs() / (1.0 + numeric.abs());
                assert!(
                    err < 1e-7,
                    "{advance:?}: move {t}, raw {i}: {} against {numeric}",
                    draw[t][i]
                );
                largest = largest.max(draw[t][i].abs());
            }
        }
        // Derivatives that could have hidden an error by being all zero.
        assert!(largest > 0.1, "{advance:?}: largest derivative {largest}");
    }
}

#[test]
fn writing_ends_when_the_window_has_passed_the_last_character() {
    let w = window(Advance::Exp);
    let (mut phi, mut win) = (vec![0.0; TEXT.len()], vec![0.0; w.alphabet]);
    let mut kappa = vec![0.0; w.k];
    // Sharp bumps (β = e²) that move half a character per move.
    let raw: Vec<f64> = [0.0, 0.0, 0.0, 2.0, 2.0, 2.0]
        .into_iter()
        .chain([0.5f64.ln(); 3])
        .collect();
    let mut ended = None;
    for t in 0..40 {
        let prev = kappa.clone();
        w.forward(&raw, &prev, &TEXT, &mut kappa, &mut phi, &mut win);
        if w.past_the_end(&raw, &kappa, &phi) {
            ended = Some(t);
            break;
        }
    }
    // κ = (t + 1)/2 passes U + ½ = 7.5 (nearer 8 than 7) after the move with t = 15.
    assert_eq!(ended, Some(15), "κ = {kappa:?}");
}
