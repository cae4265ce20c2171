//! The plots' categorical colours for colour-blind viewers. Method (as in
//! tests/reference/colour_blind.py, which printed the figures checked here): the
//! Machado, Oliveira & Fernandes (2009) simulation of protanopia, deuteranopia and
//! tritanopia at severity 1, applied to linear sRGB, and the CIE76 distance ΔE*ab in
//! CIELAB between every two colours drawn together.

use mdn_playground::plot::{component_colour, Line, Theme};

const MACHADO: [(&str, [[f64; 3]; 3]); 4] = [
    (
        "normal",
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
    ),
    (
        "protan",
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ],
    ),
    (
        "deutan",
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ],
    ),
    (
        "tritan",
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ],
    ),
];

fn mul(m: &[[f64; 3]; 3], v: [f64; 3]) -> [f64; 3] {
    std::array::from_fn(|i| (0..3).map(|j| m[i][j] * v[j]).sum())
}

fn lab(c: (u8, u8, u8), m: &[[f64; 3]; 3]) -> [f64; 3] {
    let lin = |v: u8| {
        let x = v as f64 / 255.0;
        if x <= 0.04045 {
            x / 12.92
        } else {
            ((x + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = mul(m, [lin(c.0), lin(c.1), lin(c.2)]).map(|v| v.clamp(0.0, 1.0));
    let xyz = mul(
        &[
            [0.4124564, 0.3575761, 0.1804375],
            [0.2126729, 0.7151522, 0.0721750],
            [0.0193339, 0.1191920, 0.9503041],
        ],
        l,
    );
    let t = [xyz[0] / 0.95047, xyz[1], xyz[2] / 1.08883];
    let f = t.map(|v| {
        if v > (6.0f64 / 29.0).powi(3) {
            v.cbrt()
        } else {
            v / (3.0 * (6.0f64 / 29.0).powi(2)) + 4.0 / 29.0
        }
    });
    [
        116.0 * f[1] - 16.0,
        500.0 * (f[0] - f[1]),
        200.0 * (f[1] - f[2]),
    ]
}

/// For each vision, the smallest ΔE between two of `colours`.
fn worst(colours: &[(u8, u8, u8)]) -> Vec<(&'static str, f64)> {
    MACHADO
        .iter()
        .map(|(name, m)| {
            let seen: Vec<[f64; 3]> = colours.iter().map(|&c| lab(c, m)).collect();
            let mut d = f64::INFINITY;
            for i in 0..seen.len() {
                for j in i + 1..seen.len() {
                    let e = (0..3)
                        .map(|a| (seen[i][a] - seen[j][a]).powi(2))
                        .sum::<f64>();
                    d = d.min(e.sqrt());
                }
            }
            (*name, d)
        })
        .collect()
}

fn rgb(c: plotters::style::RGBColor) -> (u8, u8, u8) {
    (c.0, c.1, c.2)
}

#[test]
fn the_first_six_component_colours_stay_apart_for_colour_blind_viewers() {
    let colours: Vec<_> = (0..6).map(|k| rgb(component_colour(k))).collect();
    let got = worst(&colours);
    // The reference script's figures, to its printed precision.
    for ((name, d), want) in got.iter().zip([33.4, 20.7, 17.0, 16.1]) {
        assert!(
            (d - want).abs() < 0.06,
            "{name}: {d:.2}, the script says {want}"
        );
        assert!(
            *d >= 15.0,
            "{name}: two component colours only {d:.1} apart"
        );
    }
}

#[test]
fn the_palette_used_before_fails_the_same_check() {
    // Tableau 10's first six: orange and olive merge for deuteranopes (7.2).
    let before = [
        (255, 127, 14),
        (214, 39, 40),
        (148, 103, 189),
        (227, 119, 194),
        (188, 189, 34),
        (23, 190, 207),
    ];
    let deutan = worst(&before)[2].1;
    assert!((deutan - 7.2).abs() < 0.06 && deutan < 15.0, "{deutan}");
}

#[test]
fn the_loss_lines_stay_apart_in_both_themes() {
    for (theme, want) in [
        (Theme::LIGHT, [41.5, 23.4, 13.2, 17.0]),
        (Theme::DARK, [36.8, 21.9, 18.2, 16.1]),
    ] {
        let lines: Vec<_> = [Line::Mdn, Line::Validation, Line::Baseline, Line::Bayes]
            .iter()
            .map(|&l| rgb(theme.line(l)))
            .collect();
        for ((name, d), w) in worst(&lines).iter().zip(want) {
            assert!((d - w).abs() < 0.06, "{theme:?} {name}: {d:.2} against {w}");
            assert!(*d >= 12.0, "{theme:?} {name}: {d:.1}");
        }
    }
}
