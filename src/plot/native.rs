//! Native rendering of the main plot into an RGB image (`mdn render`), with the bundled
//! DejaVu Sans for text.

pub use super::overlay::Overlay;
use super::*;
use plotters::backend::BitMapBackend;
use plotters::prelude::*;

/// The main plot's frame in an image `w` pixels wide: text on, the legend where there is
/// room, fonts and strokes scaled with the width.
fn image_frame<'a>(
    view: View,
    labels: (&'a str, &'a str),
    w: u32,
    layer: Layer,
    theme: Theme,
) -> Frame<'a> {
    Frame {
        view,
        x_label: labels.0,
        y_label: labels.1,
        text: true,
        legend: w >= 560,
        scale: (w as f64 / 900.0).clamp(1.0, 3.0),
        layer,
        theme,
    }
}

/// Draws the main plot (heatmap, data, curves, legend, colour bar; an ensemble's members
/// and the gap when `overlay` has them) into an RGB buffer of `w × h` pixels. `view` and
/// labels as on the page.
pub fn main_plot_rgb(
    model: &impl Forecasts,
    overlay: Option<&Overlay>,
    points: &[(f64, f64)],
    view: View,
    labels: (&str, &str),
    w: u32,
    h: u32,
) -> Result<Vec<u8>, String> {
    super::font::register_font();
    let curves = curves(model, &view, 300);
    let mut plot = MainPlot {
        frame: image_frame(view, labels, w, Layer::Static, Theme::LIGHT),
        points,
        curves: &curves,
        samples: &[],
        modes: &[],
        colour: ColourScale::NONE,
        intervals: None,
        truth: None,
        overlay,
    };
    // Where the plot area falls (the layout does not depend on the data drawn).
    let mut scratch = vec![0u8; (w * h * 3) as usize];
    let rect = {
        let root = BitMapBackend::with_buffer(&mut scratch, (w, h)).into_drawing_area();
        draw_main(&root, &plot)?
    };
    let (x0, y0, x1, y1) = rect;
    let (cw, ch) = ((x1 - x0).max(1) as usize, (y1 - y0).max(1) as usize);
    let grid = log_density(model, &view, cw, ch);
    let (rgba, colour) = density_rgba(&grid, Some(main_scale(&view)));
    plot.colour = colour;
    plot.frame.layer = Layer::All;
    let mut buf = vec![255u8; (w * h * 3) as usize];
    // The heatmap, one cell per pixel, straight into the image.
    blit(&mut buf, w, h, &rgba, cw, ch, x0, y0);
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw_main(&root, &plot)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(buf)
}

/// The main plot as SVG (see [`super::svg`]): `w × h`, the heatmap embedded at about 3
/// pixels a cell, in `theme`.
pub fn main_plot_svg(
    model: &impl Forecasts,
    overlay: Option<&Overlay>,
    points: &[(f64, f64)],
    view: View,
    labels: (&str, &str),
    (w, h): (u32, u32),
    theme: Theme,
) -> Result<String, String> {
    super::font::register_font();
    let curves = curves(model, &view, 300);
    let (cw, ch) = ((w as usize / 3).max(1), (h as usize / 3).max(1));
    let (rgba, colour) = density_rgba(&log_density(model, &view, cw, ch), Some(main_scale(&view)));
    let plot = MainPlot {
        frame: image_frame(view, labels, w, Layer::All, theme),
        points,
        curves: &curves,
        samples: &[],
        modes: &[],
        colour,
        intervals: None,
        truth: None,
        overlay,
    };
    super::svg::figure(
        w,
        h,
        theme,
        |root| draw_main(root, &plot),
        |rect| Some((*rect, rgba, cw, ch)),
    )
}

/// Writes the main plot as a PNG file.
pub fn main_plot_png(
    path: &std::path::Path,
    model: &impl Forecasts,
    overlay: Option<&Overlay>,
    points: &[(f64, f64)],
    view: View,
    labels: (&str, &str),
    w: u32,
    h: u32,
) -> Result<(), String> {
    write_png(
        path,
        &main_plot_rgb(model, overlay, points, view, labels, w, h)?,
        w,
        h,
    )
}

/// Writes an RGB buffer of `w × h` pixels as a PNG file.
pub fn write_png(path: &std::path::Path, buf: &[u8], w: u32, h: u32) -> Result<(), String> {
    let img = plotters::backend::BitMapBackend::new(path, (w, h));
    let area = img.into_drawing_area();
    // Blit the finished pixels into the file backend.
    for y in 0..h {
        for x in 0..w {
            let i = ((y * w + x) * 3) as usize;
            area.draw_pixel(
                (x as i32, y as i32),
                &RGBColor(buf[i], buf[i + 1], buf[i + 2]),
            )
            .map_err(|e| e.to_string())?;
        }
    }
    area.present().map_err(|e| e.to_string())
}

/// Copies an RGBA heatmap of `cw × ch` cells, one cell per pixel, into the RGB
/// buffer `buf` (`w` pixels wide) at (x0, y0).
pub fn blit(buf: &mut [u8], w: u32, h: u32, rgba: &[u8], cw: usize, ch: usize, x0: i32, y0: i32) {
    for r in 0..ch {
        for c in 0..cw {
            let (px, py) = (x0 as usize + c, y0 as usize + r);
            if px < w as usize && py < h as usize {
                let i = (py * w as usize + px) * 3;
                let j = (r * cw + c) * 4;
                buf[i..i + 3].copy_from_slice(&rgba[j..j + 3]);
            }
        }
    }
}

/// Writes handwriting panels (see [`super::strokes`]) as a PNG file of `w × h`.
pub fn writing_png(
    path: &std::path::Path,
    panels: &[super::strokes::Writing],
    cols: usize,
    (w, h): (u32, u32),
    theme: Theme,
) -> Result<(), String> {
    super::font::register_font();
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        super::strokes::draw_writing(&root, panels, cols, theme)?;
    }
    write_png(path, &buf, w, h)
}

/// Writes the panel of the two kinds of uncertainty (the page's drawing function) to
/// `path`, as an SVG when it ends in `.svg`, else as a PNG, `w × h`.
pub fn split_figure(
    path: &str,
    (w, h): (u32, u32),
    p: &super::uncertainty::SplitPlot,
) -> Result<(), String> {
    use super::uncertainty::draw_split;
    super::font::register_font();
    if path.to_ascii_lowercase().ends_with(".svg") {
        let text = super::svg::figure(w, h, p.theme, |root| draw_split(root, p), |_: &()| None)?;
        return std::fs::write(path, text).map_err(|e| e.to_string());
    }
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        draw_split(&root, p)?;
        root.present().map_err(|e| e.to_string())?;
    }
    write_png(std::path::Path::new(path), &buf, w, h)
}
