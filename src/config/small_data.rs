//! Settings for a small set of your own points. The defaults suit the built-in sets'
//! 8000 points; on 60 points they overfit badly (12 components and three hidden layers of
//! 16 learn every point: validation NLL about +6 where a smaller, noise-regularised model
//! gets below 0). Measured on the inverse problem's curve at 30, 60 and 150 points
//! (validation NLL, defaults → these): +6.0 → −0.93, +6.7 → −0.19, +2.1 → −0.86.

use super::spec::Spec;
use crate::data::userdata::UserData;
use crate::lang::Lang;

/// Sets of fewer points than this get [`suited`]'s settings when they are loaded.
pub const SMALL_DATA: usize = 500;
/// Components, hidden layers and steps for small data.
pub const SMALL_K: usize = 3;
pub const SMALL_HIDDEN: [usize; 2] = [8, 8];
pub const SMALL_STEPS: u64 = 2000;
/// Noise on the standardised inputs (in standard deviations).
pub const SMALL_NOISE_X: f64 = 0.1;
/// Noise on the targets, as a share of their (smallest) standard deviation.
pub const SMALL_NOISE_Y: f64 = 0.15;

/// `spec` with the settings that suit `points` if they are few (K, hidden layers, steps
/// and noise regularisation; see the module's figures) where it has the defaults (a value
/// the link chose is kept), with the sentence that says so; None for [`SMALL_DATA`]
/// points or more.
pub fn suited(spec: &Spec, points: &UserData) -> Option<(Spec, String)> {
    let n = points.len();
    if n >= SMALL_DATA || n == 0 {
        return None;
    }
    let sd = (1..points.cols)
        .map(|j| {
            let col: Vec<f64> = (0..n).map(|i| points.row(i)[j]).collect();
            let mean = col.iter().sum::<f64>() / n as f64;
            (col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64).sqrt()
        })
        .fold(f64::INFINITY, f64::min);
    let noise_y = crate::base::text::significant((SMALL_NOISE_Y * sd).clamp(0.0, 1.0), 2)
        .parse::<f64>()
        .unwrap_or(0.0);
    let d = Spec::default();
    let mut out = spec.clone();
    if out.k == d.k {
        out.k = SMALL_K;
    }
    if out.hidden == d.hidden {
        out.hidden = SMALL_HIDDEN.to_vec();
    }
    if out.steps == d.steps {
        out.steps = SMALL_STEPS;
    }
    if (out.noise_x, out.noise_y) == (d.noise_x, d.noise_y) {
        (out.noise_x, out.noise_y) = (SMALL_NOISE_X, noise_y);
    }
    let said = note(n, &out, Lang::En);
    Some((out, said))
}

/// What the settings for few points are, and why, in a sentence for the page (in
/// `lang`; the keys' values as a link writes them).
pub fn note(n: usize, s: &Spec, lang: Lang) -> String {
    let hidden: Vec<String> = s.hidden.iter().map(|w| w.to_string()).collect();
    lang.fill(
        "{0} points are few for the defaults (made for 8000: 12 components and three hidden \
         layers learn every point and fail on new ones), so they train with K = {1}, hidden \
         layers {2}, {3} steps and noise regularisation (noise_x = {4}, noise_y = {5}); \
         change them in the form.",
        &[
            &n.to_string(),
            &s.k.to_string(),
            &hidden.join(","),
            &s.steps.to_string(),
            &s.noise_x.to_string(),
            &s.noise_y.to_string(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::userdata::parse_csv;

    #[test]
    fn few_points_get_a_small_model_and_many_keep_the_defaults() {
        let csv = |n: usize| {
            let mut t = String::from("x,y\n");
            for i in 0..n {
                t += &format!("{},{}\n", i as f64 / n as f64, (i % 2) as f64);
            }
            parse_csv(&t).unwrap().data
        };
        let (s, note) = suited(&Spec::default(), &csv(60)).unwrap();
        assert_eq!((s.k, s.hidden.clone(), s.steps), (3, vec![8, 8], 2000));
        // y alternates 0, 1: its standard deviation is 0.5.
        assert_eq!((s.noise_x, s.noise_y), (0.1, 0.075));
        assert!(note.starts_with("60 points are few"), "{note}");
        assert_eq!(s.lr, Spec::default().lr, "the rest as it was");
        assert!(suited(&Spec::default(), &csv(600)).is_none());
        // What the link chose is kept; only the defaults give way.
        let chosen = Spec {
            k: 5,
            steps: 300,
            ..Spec::default()
        };
        let (s, note) = suited(&chosen, &csv(60)).unwrap();
        assert_eq!(
            (s.k, s.hidden.clone(), s.steps, s.noise_x),
            (5, vec![8, 8], 300, 0.1)
        );
        assert!(
            note.contains("K = 5, hidden layers 8,8, 300 steps"),
            "{note}"
        );
    }
}
