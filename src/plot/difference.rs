//! Two experiments' densities against each other (`compare=`): ln p_A(y|x) − ln p_B(y|x)
//! over the main plot's range on a diverging colour scale, red where A puts more
//! probability, blue where B does, white where they agree; grey where neither puts any
//! to speak of (the difference of two negligible densities says nothing).

use super::*;
use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The difference (nats) at which the colours saturate: e³ ≈ 20 times as probable.
pub const DIFFERENCE_LIMIT: f64 = 3.0;

/// Below this ln p for both, a cell is "neither" (grey): the main plot's darkest colour.
fn floor(view: &View) -> f64 {
    main_scale(view).lo
}

/// What the difference plot shows besides the two models: the main plot's frame (its
/// range, labels, text, scale and theme; no legend, one layer) and the cells' size.
pub struct DifferencePlot<'a> {
    pub frame: Frame<'a>,
    /// Pixels (of the backend) per cell of the grid.
    pub cell: f64,
}

/// ln p_A − ln p_B at `w × h` cells over `view` (rows from the top, as the main plot's
/// heatmap), clamped to ±[`DIFFERENCE_LIMIT`]; NaN where both are below the main plot's
/// colour floor or not finite.
pub fn log_ratio(
    a: &impl Forecasts,
    b: &impl Forecasts,
    view: &View,
    w: usize,
    h: usize,
) -> Array2<f64> {
    let (la, lb) = (log_density(a, view, w, h), log_density(b, view, w, h));
    let lo = floor(view);
    Array2::from_shape_fn((h, w), |ix| {
        let (p, q) = (la[ix], lb[ix]);
        if p.max(q) < lo || p.is_nan() || q.is_nan() {
            return f64::NAN;
        }
        if p == q {
            return 0.0; // also both infinite
        }
        (p - q).clamp(-DIFFERENCE_LIMIT, DIFFERENCE_LIMIT)
    })
}

/// ColorBrewer's RdBu (5 of its classes), from B higher (−1, blue) through agreement (0,
/// near white) to A higher (1, red).
const RDBU: [[f64; 3]; 5] = [
    [33.0, 102.0, 172.0],
    [146.0, 197.0, 222.0],
    [247.0, 247.0, 247.0],
    [244.0, 165.0, 130.0],
    [178.0, 24.0, 43.0],
];

/// A cell where neither experiment puts probability.
pub const NEITHER: RGBColor = RGBColor(128, 128, 128);

/// The colour of a difference `d` in nats (NaN: [`NEITHER`]).
pub fn diverging(d: f64) -> RGBColor {
    if d.is_nan() {
        return NEITHER;
    }
    let t = (d / DIFFERENCE_LIMIT).clamp(-1.0, 1.0);
    let u = (t + 1.0) * 2.0; // 0 … 4 across the anchors
    let i = (u.floor() as usize).min(3);
    let f = u - i as f64;
    let c = |j: usize| RDBU[i][j] + (RDBU[i + 1][j] - RDBU[i][j]) * f;
    RGBColor(c(0).round() as u8, c(1).round() as u8, c(2).round() as u8)
}

/// Draws the difference of `a` (A) and `b` (B): the grid as cells of about `p.cell`
/// pixels, the axes, and a colour bar from "B higher" to "A higher".
pub fn draw_difference<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &DifferencePlot,
    a: &impl Forecasts,
    b: &impl Forecasts,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let f = &p.frame;
    let px = |v: f64| (v * f.scale).round() as i32;
    let (w, _) = root.dim_in_pixel();
    let bar_w = if f.text { px(62.0) } else { px(20.0) };
    let (plot_area, bar) = root.split_horizontally(w as i32 - bar_w);
    let font = light_chart_style(f.scale).color(&f.theme.ink());
    let mut builder = ChartBuilder::on(&plot_area);
    builder.margin(px(6.0));
    if f.text {
        builder
            .x_label_area_size(px(36.0))
            .y_label_area_size(px(44.0));
    }
    let v = f.view;
    let mut chart = builder
        .build_cartesian_2d(v.x.0..v.x.1, v.y.0..v.y.1)
        .map_err(e)?;
    if f.text {
        let (dx, dy) = axis_decimals(&v);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(f.x_label)
            .y_desc(f.y_label)
            .axis_style(f.theme.ink())
            .label_style(font.clone())
            .axis_desc_style(font.clone())
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&|t| f.theme.tick(*t, dx))
            .y_label_formatter(&|t| f.theme.tick(*t, dy))
            .draw()
            .map_err(e)?;
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let cells = |span: i32| ((span.max(1) as f64 / p.cell.max(1.0)).round() as usize).clamp(1, 400);
    let (cw, ch) = (cells(xr.end - xr.start), cells(yr.end - yr.start));
    let grid = log_ratio(a, b, &v, cw, ch);
    let (sx, sy) = ((v.x.1 - v.x.0) / cw as f64, (v.y.1 - v.y.0) / ch as f64);
    chart
        .draw_series(grid.indexed_iter().map(|((r, c), d)| {
            let x = v.x.0 + c as f64 * sx;
            let y = v.y.1 - r as f64 * sy;
            Rectangle::new([(x, y), (x + sx, y - sy)], diverging(*d).filled())
        }))
        .map_err(e)?;
    difference_bar(&bar, yr.start, yr.end, f).map_err(e)
}

/// The colour bar beside the plot (rows `top` … `bottom` of the root): −3 … 3 nats,
/// "A higher" above it and "B higher" below, and under the plot the grey of "neither".
fn difference_bar<DB: DrawingBackend>(
    bar: &DrawingArea<DB, Shift>,
    top: i32,
    bottom: i32,
    p: &Frame,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let px = |v: f64| (v * p.scale).round() as i32;
    let (bx, bw) = (px(6.0), px(12.0));
    let by = bar.get_base_pixel().1;
    // Room for a line of text above and below the colours.
    let room = if p.text { px(19.0) } else { 0 };
    let (top, bottom) = (top - by + room, bottom - by - room);
    let height = (bottom - top).max(1);
    let steps = 48;
    for i in 0..steps {
        let t0 = top + height * i / steps;
        let t1 = top + height * (i + 1) / steps;
        let d = DIFFERENCE_LIMIT * (1.0 - 2.0 * (i as f64 + 0.5) / steps as f64);
        bar.draw(&Rectangle::new(
            [(bx, t0), (bx + bw, t1)],
            diverging(d).filled(),
        ))?;
    }
    if !p.text {
        return Ok(());
    }
    let font = ("sans-serif", 11.0 * p.scale)
        .into_font()
        .color(&p.theme.ink());
    for i in 0..=2 {
        let d = DIFFERENCE_LIMIT * (1.0 - i as f64);
        let y = top + height * i / 2;
        bar.draw(&Text::new(
            tick(d, 0),
            (bx + bw + px(3.0), y - px(5.0)),
            font.clone(),
        ))?;
    }
    let t = p.theme;
    let note = |text: &str, y: i32| Text::new(text.to_string(), (px(2.0), y), font.clone());
    bar.draw(&note(t.t("A higher"), top - px(18.0)))?;
    bar.draw(&note(t.t("B higher"), bottom + px(7.0)))?;
    let chip = bottom + room + px(6.0);
    bar.draw(&Rectangle::new(
        [(bx, chip), (bx + bw, chip + px(10.0))],
        NEITHER.filled(),
    ))?;
    bar.draw(&Text::new(
        t.t("neither").to_string(),
        (bx + bw + px(3.0), chip - px(1.0)),
        font,
    ))
}
