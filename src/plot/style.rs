//! The plots' look: the colour scale, the component colours, legends and colour bars.

use super::frame::Rect;
use super::*;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Viridis, sampled at 9 points (matplotlib's values) and interpolated.
const VIRIDIS: [[f64; 3]; 9] = [
    [68.0, 1.0, 84.0],
    [71.0, 44.0, 122.0],
    [59.0, 81.0, 139.0],
    [44.0, 113.0, 142.0],
    [33.0, 144.0, 141.0],
    [39.0, 173.0, 129.0],
    [92.0, 200.0, 99.0],
    [170.0, 220.0, 50.0],
    [253.0, 231.0, 37.0],
];

/// The colour of `t` in [0, 1] (clamped; NaN is the bottom colour).
pub fn viridis(t: f64) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) } * 8.0;
    let i = (t.floor() as usize).min(7);
    let f = t - i as f64;
    let mut c = [0u8; 3];
    for (ch, out) in c.iter_mut().enumerate() {
        *out = (VIRIDIS[i][ch] * (1.0 - f) + VIRIDIS[i + 1][ch] * f).round() as u8;
    }
    c
}

/// How many nats of log density the colour scale spans below its top.
pub const COLOUR_SPAN: f64 = 8.0;

/// Samples drawn from the model, and the mode (most probable y), in every view.
pub const SAMPLE_COLOUR: RGBColor = RGBColor(255, 160, 210);
pub const MODE_COLOUR: RGBColor = RGBColor(255, 215, 0);

/// Component colours (Tableau 10), for lines that sit on the dark heatmap.
pub const PALETTE: [(u8, u8, u8); 10] = [
    (255, 127, 14),
    (214, 39, 40),
    (148, 103, 189),
    (227, 119, 194),
    (188, 189, 34),
    (23, 190, 207),
    (140, 86, 75),
    (31, 119, 180),
    (44, 160, 44),
    (127, 127, 127),
];

pub fn component_colour(k: usize) -> RGBColor {
    let (r, g, b) = PALETTE[k % PALETTE.len()];
    RGBColor(r, g, b)
}

/// A legend box with its top left at `at` (in `area`'s own pixels), `width` wide: one
/// line per item, a stroke of its colour and its label. `dark`: a translucent black box
/// with white text (over a heatmap), else a white one with black text.
pub(crate) fn legend_box<DB: DrawingBackend, S: AsRef<str>>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    width: i32,
    items: &[(S, RGBColor)],
    dark: bool,
    s: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * s).round() as i32;
    let font = ("sans-serif", 13.0 * s).into_font();
    let (x0, y0) = at;
    let lh = px(18.0);
    let (fill, text) = if dark {
        (BLACK.mix(0.55), WHITE)
    } else {
        (WHITE.mix(0.85), BLACK)
    };
    area.draw(&Rectangle::new(
        [
            (x0 - px(4.0), y0 - px(4.0)),
            (x0 + width, y0 + lh * items.len() as i32),
        ],
        fill.filled(),
    ))?;
    for (i, (label, colour)) in items.iter().enumerate() {
        let y = y0 + lh * i as i32 + lh / 2;
        area.draw(&PathElement::new(
            vec![(x0, y), (x0 + px(22.0), y)],
            colour.stroke_width(px(3.0) as u32),
        ))?;
        area.draw(&Text::new(
            label.as_ref().to_string(),
            (x0 + px(28.0), y - px(7.0)),
            font.clone().color(&text),
        ))?;
    }
    Ok(())
}

/// The colour bar of a heatmap, in `bar` beside the plot area `rect`: the colours with
/// the static layer, the ln p numbers (which move with the model) with the live one.
pub(crate) fn colour_bar<DB: DrawingBackend>(
    bar: &DrawingArea<DB, Shift>,
    rect: Rect,
    colour: (f64, f64),
    layer: Layer,
    text: bool,
    s: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * s).round() as i32;
    let font = ("sans-serif", 13.0 * s).into_font();
    // `rect` is in the backend's pixels, the drawing below in the bar's own.
    let rect = {
        let (bx, by) = bar.get_base_pixel();
        (rect.0 - bx, rect.1 - by, rect.2 - bx, rect.3 - by)
    };
    let bx = px(8.0);
    let bw = px(14.0);
    let steps = 64;
    let height = (rect.3 - rect.1).max(1);
    if layer != Layer::Live {
        for i in 0..steps {
            let t0 = rect.1 + height * i / steps;
            let t1 = rect.1 + height * (i + 1) / steps;
            let [r, g, bb] = viridis(1.0 - (i as f64 + 0.5) / steps as f64);
            bar.draw(&Rectangle::new(
                [(bx, t0), (bx + bw, t1)],
                RGBColor(r, g, bb).filled(),
            ))?;
        }
    }
    if text && layer != Layer::Static {
        let (lo, hi) = colour;
        for i in 0..=4 {
            let v = hi - (hi - lo) * i as f64 / 4.0;
            let y = rect.1 + height * i / 4;
            bar.draw(&Text::new(
                format!("{v:.1}"),
                (bx + bw + px(4.0), y - px(6.0)),
                font.clone().color(&BLACK),
            ))?;
        }
        bar.draw(&Text::new(
            "ln p",
            (bx, rect.3 + px(6.0)),
            font.clone().color(&BLACK),
        ))?;
    }
    Ok(())
}

/// The legend of a panel's labelled series, top right on a light box.
pub(crate) fn series_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    font: FontDesc<'a>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.2))
        .label_font(font)
        .draw()
}

pub(crate) fn light_chart_style(s: f64) -> FontDesc<'static> {
    ("sans-serif", 12.0 * s).into_font()
}
