//! The plots' look: the colour scale, the component colours, legends and colour bars.

use super::frame::Rect;
use super::*;
use crate::lang::Lang;
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

/// Component colours: Okabe & Ito's palette for colour-blind viewers (2008), without its
/// black. Checked (tests/native/colours.rs): under the Machado, Oliveira & Fernandes (2009)
/// simulation of protanopia, deuteranopia and tritanopia (severity 1), any two of the
/// first six stay at least 15 apart in CIELAB (ΔE*76); Tableau 10, used before, fell to
/// 7.2 (orange against olive, deuteranopia). Lines of these colours are drawn on a dark
/// casing (see [`Theme::casing`]), which keeps the light ones (yellow, sky blue) visible on
/// white paper and on the heatmap's yellow ridge.
pub const PALETTE: [(u8, u8, u8); 7] = [
    (230, 159, 0),
    (86, 180, 233),
    (204, 121, 167),
    (0, 158, 115),
    (240, 228, 66),
    (213, 94, 0),
    (0, 114, 178),
];

pub fn component_colour(k: usize) -> RGBColor {
    let (r, g, b) = PALETTE[k % PALETTE.len()];
    RGBColor(r, g, b)
}

/// A legend box with its top left at `at` (in `area`'s own pixels), `width` wide: one
/// line per item, a stroke of its colour and its label, on a translucent box: black with
/// white text over a heatmap, else of the theme's paper and ink.
pub(crate) fn legend_box<DB: DrawingBackend, S: AsRef<str>>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    width: i32,
    items: &[(S, RGBColor, Marker)],
    on: Paper,
    s: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * s).round() as i32;
    let font = ("sans-serif", 13.0 * s).into_font();
    let (x0, y0) = at;
    let lh = px(18.0);
    let (fill, text) = match on {
        Paper::Heatmap => (BLACK.mix(0.55), WHITE),
        Paper::Page(theme) => (theme.paper().mix(0.85), theme.ink()),
    };
    area.draw(&Rectangle::new(
        [
            (x0 - px(4.0), y0 - px(4.0)),
            (x0 + width, y0 + lh * items.len() as i32),
        ],
        fill.filled(),
    ))?;
    for (i, (label, colour, marker)) in items.iter().enumerate() {
        let y = y0 + lh * i as i32 + lh / 2;
        if *marker == Marker::Point {
            for dx in [5.0, 11.0, 17.0] {
                area.draw(&Circle::new(
                    (x0 + px(dx), y),
                    px(2.5) as u32,
                    colour.filled(),
                ))?;
            }
        } else {
            area.draw(&PathElement::new(
                vec![(x0, y), (x0 + px(22.0), y)],
                colour.stroke_width(px(3.0) as u32),
            ))?;
        }
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
    colour: ColourScale,
    layer: Layer,
    text: bool,
    theme: Theme,
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
        let (lo, hi) = (colour.lo, colour.hi);
        for i in 0..=4 {
            let v = hi - (hi - lo) * i as f64 / 4.0;
            let y = rect.1 + height * i / 4;
            // A fixed scale's ticks are whole numbers; one that follows the model's, tenths.
            let text = theme.tick(v, if colour.fixed { 0 } else { 1 });
            bar.draw(&Text::new(
                text,
                (bx + bw + px(4.0), y - px(6.0)),
                font.clone().color(&theme.ink()),
            ))?;
        }
        bar.draw(&Text::new(
            "ln p",
            (bx, rect.3 + px(6.0)),
            font.clone().color(&theme.ink()),
        ))?;
        // Whether the scale stays put over training (`scale=`), under its name.
        let small = ("sans-serif", 11.0 * s).into_font().color(&theme.ink());
        let how = if colour.fixed {
            theme.t("fixed")
        } else {
            theme.t("auto")
        };
        bar.draw(&Text::new(how, (bx, rect.3 + px(22.0)), small))?;
    }
    Ok(())
}

/// The legend of a panel: its labelled series in a row above the chart (wrapping onto
/// more rows where narrow), so that it never covers a curve. Returns the area left for
/// the chart.
pub(crate) fn legend_row<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[(&str, RGBColor, Marker)],
    theme: Theme,
    s: f64,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * s).round() as i32;
    let font = light_chart_style(s).color(&theme.ink());
    let (w, h) = root.dim_in_pixel();
    let (gap, line, lh) = (px(14.0), px(18.0), px(18.0));
    // Lay the items out first: where each goes, and how many rows that takes.
    let mut at = Vec::with_capacity(items.len());
    let (mut x, mut y) = (px(50.0), px(4.0));
    for (label, _, _) in items {
        let tw = root
            .estimate_text_size(label, &font)
            .map(|t| t.0 as i32)
            .unwrap_or(0);
        let width = line + px(6.0) + tw;
        if x + width > w as i32 - px(4.0) && x > px(50.0) {
            x = px(50.0);
            y += lh;
        }
        at.push((x, y));
        x += width + gap;
    }
    let used = (y + lh + px(2.0)).min(h as i32 / 2);
    let (top, rest) = root.split_vertically(used);
    for ((label, colour, marker), &(x, y)) in items.iter().zip(&at) {
        let mid = y + lh / 2;
        if *marker != Marker::Point {
            top.draw(&PathElement::new(
                vec![(x, mid), (x + line, mid)],
                colour.stroke_width(px(2.0) as u32),
            ))?;
        }
        if *marker != Marker::Line {
            top.draw(&Circle::new((x + line / 2, mid), px(3.0), colour.filled()))?;
        }
        top.draw(&Text::new(
            label.to_string(),
            (x + line + px(6.0), mid - px(7.0)),
            font.clone(),
        ))?;
    }
    Ok(rest)
}

/// How a series is marked in a legend: a line, or a line with a dot (measured points).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    /// A curve.
    Line,
    /// A curve with its points marked.
    Dot,
    /// Points only (data, samples, a mode).
    Point,
}

/// The legend of a panel's labelled series, top right on a box of the theme's paper.
pub(crate) fn series_legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    font: TextStyle<'a>,
    theme: Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(theme.paper().mix(0.85))
        .border_style(theme.ink().mix(0.2))
        .label_font(font)
        .draw()
}

/// An axis tick's text: `decimals` places, the true minus sign (as every figure's other text
/// writes it), and no "−0.0".
pub(crate) fn tick(v: f64, decimals: usize) -> String {
    crate::base::text::signed(v, decimals)
}

/// The decimals ticks need over `lo..hi` with about `n` of them: none from a step of 1 up
/// ("−4000", not "−4000.0"), else as many as the step's first digit needs (at most 4).
pub(crate) fn tick_decimals(lo: f64, hi: f64, n: usize) -> usize {
    let step = (hi - lo) / n.max(1) as f64;
    if !(step > 0.0) || step >= 1.0 {
        0
    } else {
        (-libm::log10(step)).ceil().clamp(0.0, 4.0) as usize
    }
}

/// The decimals of a plot's x and y tick labels over `view`, about six ticks each way:
/// one for the toy sets' ranges of a few units, none where the ticks are whole numbers
/// (Old Faithful's waiting times, "50", not "50.0"), more for a narrow range.
pub(crate) fn axis_decimals(view: &super::View) -> (usize, usize) {
    (
        tick_decimals(view.x.0, view.x.1, 6),
        tick_decimals(view.y.0, view.y.1, 6),
    )
}

pub(crate) fn light_chart_style(s: f64) -> FontDesc<'static> {
    ("sans-serif", 12.0 * s).into_font()
}

/// What a legend box sits on: the heatmap (a dark box) or the page (the theme's paper).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Paper {
    Heatmap,
    Page(Theme),
}

/// The plots' paper and ink: light (the default, and print) or dark (`theme=dark`, or the
/// system's dark mode), and the language of their words (`lang=`). The heatmap's colour
/// scale is the same in both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Theme {
    pub dark: bool,
    pub lang: Lang,
}

/// The lines of the loss panel and the slice, by what they show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// The MDN's training-batch NLL; the mixture's density in the slice.
    Mdn,
    /// The MDN's validation NLL; the mixture's mean in the slice.
    Validation,
    /// The MSE regressor.
    Baseline,
    /// The Bayes optimum.
    Bayes,
    /// A second experiment's (`compare=`): its density in the slice, its validation NLL
    /// in the loss panel.
    Second,
}

impl Theme {
    pub const LIGHT: Theme = Theme {
        dark: false,
        lang: Lang::En,
    };
    pub const DARK: Theme = Theme {
        dark: true,
        lang: Lang::En,
    };

    /// A tick label: `v` with `decimals` places, in the figure's language.
    pub fn tick(self, v: f64, decimals: usize) -> String {
        self.lang.signed(v, decimals)
    }

    /// `english` in the figure's language.
    pub fn t<'a>(self, english: &'a str) -> &'a str {
        self.lang.t(english)
    }

    pub fn paper(self) -> RGBColor {
        if self.dark {
            RGBColor(24, 26, 30)
        } else {
            WHITE
        }
    }

    pub fn ink(self) -> RGBColor {
        if self.dark {
            RGBColor(228, 230, 235)
        } else {
            BLACK
        }
    }

    /// Grid lines: the ink, faint.
    pub fn grid(self, alpha: f64) -> RGBAColor {
        self.ink().mix(if self.dark { alpha * 2.0 } else { alpha })
    }

    /// The dark edge drawn under a component's line (over the heatmap, and on light paper),
    /// so that light colours stay visible; none is needed on dark paper.
    pub fn casing(self) -> Option<RGBAColor> {
        (!self.dark).then(|| BLACK.mix(0.45))
    }

    /// The colour of a panel's line (Okabe–Ito hues; lighter ones on dark paper). Checked
    /// for colour-blind viewers with the component colours (tests/native/colours.rs).
    pub fn line(self, which: Line) -> RGBColor {
        match (which, self.dark) {
            (Line::Mdn, false) => RGBColor(0, 114, 178),
            (Line::Mdn, true) => RGBColor(86, 180, 233),
            (Line::Validation, false) => RGBColor(213, 94, 0),
            (Line::Validation, true) => RGBColor(230, 159, 0),
            (Line::Baseline, false) => RGBColor(110, 110, 110),
            (Line::Baseline, true) => RGBColor(175, 175, 175),
            (Line::Bayes, _) => RGBColor(0, 158, 115),
            (Line::Second, false) => RGBColor(204, 121, 167),
            (Line::Second, true) => RGBColor(230, 160, 200),
        }
    }
}
