//! Where the synthesis network read while it wrote, generic over plotters'
//! DrawingBackend: the soft window's weights φ(t, u) as a heatmap, one row per character
//! of the text (the first at the top) and one column per pen move, each column scaled to
//! its largest weight (where the window stands at that move); over it the centre κ_k(t)
//! of each bump that carries at least a tenth of the weight on average, as a line (a
//! character's row spans u − ½ to u + ½).

use super::style::{component_colour, light_chart_style, viridis, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// What the alignment plot shows.
pub struct Alignment<'a> {
    /// φ over the text at each move (position u at `phi[t][u − 1]`).
    pub phi: &'a [Vec<f64>],
    /// Each bump's centre and weight α at each move.
    pub kappa: &'a [Vec<f64>],
    pub alpha: &'a [Vec<f64>],
    /// The text read, one character per row.
    pub text: &'a [char],
    /// The moves the x axis spans (at least `phi`'s: more while a line is revealed).
    pub steps: usize,
    pub theme: Theme,
}

pub fn draw_alignment<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    a: &Alignment,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let t = a.theme;
    root.fill(&t.paper()).map_err(e)?;
    let (steps, u) = (a.steps.max(a.phi.len()).max(1), a.text.len().max(1));
    let font = light_chart_style(1.0).color(&t.ink());
    // As many character labels as fit one above the other (about 11 pixels each).
    let label_rows = (root.dim_in_pixel().1.saturating_sub(40) / 11).max(1) as usize;
    let text = a.text;
    let mut chart = ChartBuilder::on(root)
        .margin(8)
        .margin_right(18)
        .x_label_area_size(32)
        .y_label_area_size(28)
        .build_cartesian_2d(0.0..steps as f64, 0.5..(u as f64 + 0.5))
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(t.t("pen move"))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_labels(u.min(40).min(label_rows))
        .y_label_formatter(&|v| {
            // Row y holds character u + 1 − y (the first at the top).
            let y = v.round();
            if (*v - y).abs() > 1e-6 || y < 1.0 || y > u as f64 {
                return String::new();
            }
            match text[u - y as usize] {
                ' ' => "␣".to_string(),
                c => c.to_string(),
            }
        })
        .label_style(font.clone())
        .axis_desc_style(font)
        .axis_style(t.ink())
        .draw()
        .map_err(e)?;
    let cells = a.phi.iter().enumerate().flat_map(|(s, row)| {
        let top = row
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
            .max(1e-300);
        row.iter().enumerate().map(move |(i, v)| {
            let [r, g, b] = viridis((v / top).clamp(0.0, 1.0));
            let y = (u - i) as f64;
            Rectangle::new(
                [(s as f64, y - 0.5), (s as f64 + 1.0, y + 0.5)],
                RGBColor(r, g, b).filled(),
            )
        })
    });
    chart.draw_series(cells).map_err(e)?;
    let bumps = a.kappa.first().map_or(0, Vec::len);
    for k in (0..bumps).filter(|&k| share(a.alpha, k) >= 0.1) {
        let line = a.kappa.iter().enumerate().filter_map(|(s, c)| {
            let v = *c.get(k)?;
            let y = u as f64 + 1.0 - v;
            (v.is_finite() && y >= 0.5).then_some((s as f64 + 0.5, y))
        });
        chart
            .draw_series(LineSeries::new(line, component_colour(k).stroke_width(1)))
            .map_err(e)?;
    }
    root.present().map_err(e)
}

/// Bump k's share of the weight α, averaged over the moves.
fn share(alpha: &[Vec<f64>], k: usize) -> f64 {
    let n = alpha.len().max(1) as f64;
    alpha
        .iter()
        .map(|a| {
            let total: f64 = a.iter().sum();
            a.get(k).map_or(0.0, |v| v / total.max(1e-300))
        })
        .sum::<f64>()
        / n
}

/// A written line above the alignment that wrote it, into `root`.
pub fn draw_written<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    line: &super::strokes::Writing,
    a: &Alignment,
) -> Result<(), String> {
    let h = root.dim_in_pixel().1;
    let (upper, lower) = root.split_vertically(h / 2);
    super::strokes::draw_writing(&upper, std::slice::from_ref(line), 1, a.theme)?;
    draw_alignment(&lower, a)
}

/// [`draw_written`] as an SVG of `w × h`.
#[cfg(not(target_arch = "wasm32"))]
pub fn written_svg(
    line: &super::strokes::Writing,
    a: &Alignment,
    (w, h): (u32, u32),
) -> Result<String, String> {
    super::font::register_font();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
        draw_written(&root, line, a)?;
    }
    Ok(s)
}

/// [`draw_written`] as a PNG file of `w × h`.
#[cfg(not(target_arch = "wasm32"))]
pub fn written_png(
    path: &std::path::Path,
    line: &super::strokes::Writing,
    a: &Alignment,
    (w, h): (u32, u32),
) -> Result<(), String> {
    super::font::register_font();
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw_written(&root, line, a)?;
    }
    super::native::write_png(path, &buf, w, h)
}
