//! The slice p(y | x₀): the mixture's density at one input with its components, the MSE
//! prediction and the mixture mean, the intervals and the truth where asked for, and on a
//! circle for angles.

use super::*;
use crate::lang::Lang;
use crate::mdn::mixture::Mixture;
use crate::plot::Chart;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The slice p(y | x0): the mixture density, each component's share π_k N(y; μ_k, σ_k),
/// the MSE regressor's prediction and the mixture mean marked.
pub struct Slice<'a> {
    pub x0: f64,
    pub mixture: &'a Mixture,
    pub baseline: f64,
    pub y: (f64, f64),
    pub y_label: &'a str,
    pub text: bool,
    pub scale: f64,
    pub theme: Theme,
    /// The 90% central interval and HPD region at x0, when asked for.
    pub intervals: Option<&'a SliceIntervals>,
    /// The outputs are angles (the wind): also draw the slice on a circle.
    pub circular: bool,
    /// The true p(y | x0), where it is known and asked for.
    pub truth: Option<super::truth::SliceTruth>,
    /// A second experiment's mixture at the same x0 and its name (`compare=`), drawn as a
    /// dashed line over the first's density.
    pub second: Option<(&'a Mixture, &'a str)>,
}

/// The intervals the slice draws: exact (see [`crate::forecast`]).
#[derive(Clone, Debug)]
pub struct SliceIntervals {
    pub central: (f64, f64),
    pub hpd: crate::forecast::Hpd,
}

impl SliceIntervals {
    /// A Gaussian mixture's from its closed forms; another family's from its table
    /// ([`crate::forecast::Table`]: its exact CDF costs a series or an incomplete beta
    /// function per component, too slow for a panel drawn while training), the ends
    /// placed on it to the last bits.
    pub fn of(m: &Mixture) -> Option<SliceIntervals> {
        use crate::forecast::{central, hpd_on, LevelGrid, Mixture1, Table};
        if m.d != 1 || m.check().is_err() {
            return None;
        }
        if m.family == crate::mdn::family::Family::Gaussian {
            let f = Mixture1::new(m);
            return Some(SliceIntervals {
                central: central(&f, INTERVAL_MASS),
                hpd: hpd_on(&f, &LevelGrid::new(&f, 512), INTERVAL_MASS, 60),
            });
        }
        let t = Table::new(m);
        Some(SliceIntervals {
            central: central(&t, INTERVAL_MASS),
            hpd: hpd_on(&t, &LevelGrid::new(&t, 512), INTERVAL_MASS, 60),
        })
    }

    /// What they are, in words (plain text, in `lang`).
    pub fn describe(&self, lang: Lang) -> String {
        let (a, b) = self.central;
        let n = |v: f64| lang.signed(v, 3);
        let pieces = self.hpd.intervals.len();
        let atom = match self.hpd.atom {
            Some((at, p)) => lang.fill(
                " and the point mass at {0} (probability {1})",
                &[&lang.number(at), &n(p)],
            ),
            None => String::new(),
        };
        let template = if pieces == 1 {
            "90% central interval [{0}, {1}]: length {2}. 90% HPD region: {3} piece of total \
             length {4}{5} (mass {6})."
        } else {
            "90% central interval [{0}, {1}]: length {2}. 90% HPD region: {3} pieces of total \
             length {4}{5} (mass {6})."
        };
        lang.fill(
            template,
            &[
                &n(a),
                &n(b),
                &n(b - a),
                &pieces.to_string(),
                &n(self.hpd.length()),
                &atom,
                &n(self.hpd.mass),
            ],
        )
    }
}

pub fn draw_slice<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Slice,
) -> Result<(), String> {
    if p.mixture.circular() || p.circular {
        // Angles: the slice as usual on the left, on a circle on the right.
        let w = root.dim_in_pixel().0;
        let (left, right) = root.split_horizontally((w as f64 * 0.6) as u32);
        draw_slice_line(&left, p)?;
        return draw_circle(&right, p.mixture, p).map_err(|e| e.to_string());
    }
    draw_slice_line(root, p)
}

fn draw_slice_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Slice,
) -> Result<(), String> {
    let m = p.mixture;
    let n = 300;
    let ys: Vec<f64> = (0..n)
        .map(|i| p.y.0 + (p.y.1 - p.y.0) * i as f64 / (n - 1) as f64)
        .collect();
    let density = |m: &Mixture| -> Vec<f64> {
        ys.iter()
            .map(|y| crate::base::math::exp(m.log_density(&[*y])))
            .collect()
    };
    let second = p.second.map(|(m, name)| (density(m), name));
    let dens = density(m);
    let truth_top = p
        .truth
        .iter()
        .flat_map(|t| &t.curve)
        .map(|v| v.1)
        .chain(second.iter().flat_map(|s| s.0.iter().copied()))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let top = dens
        .iter()
        .cloned()
        .filter(|v| v.is_finite())
        .fold(truth_top, f64::max)
        .max(1e-3)
        * headroom(p, legend_room(root, p.scale));
    let mut chart = slice_chart(root, p, top)?;
    draw_slice_density(&mut chart, p, &ys, &dens, top)?;
    if let Some((b, name)) = &second {
        draw_slice_second(&mut chart, p, &ys, b, name, top)?;
    }
    if let Some(truth) = &p.truth {
        draw_slice_truth(&mut chart, p, truth, top)?;
    }
    if let Some(iv) = p.intervals {
        draw_slice_intervals(&mut chart, p, iv, &ys, &dens, top)?;
    }
    draw_slice_marks(&mut chart, p, top)?;
    if p.text && p.intervals.is_some() {
        draw_slice_interval_keys(&mut chart, p.theme)?;
    }
    if m.p_zero > 0.0 && (p.y.0..=p.y.1).contains(&0.0) {
        draw_slice_point_mass(&mut chart, p, top)?;
    }
    if p.text && legend_room(root, p.scale) {
        let font = light_chart_style(p.scale).color(&p.theme.ink());
        series_legend(&mut chart, font, p.theme).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Whether the slice is large enough for its legend (at least [`LEGEND_ROOM`] CSS pixels
/// each way): in a small embed the legend's box would cover the density it names (the
/// page's caption names the lines there).
fn legend_room<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scale: f64) -> bool {
    let (w, h) = root.dim_in_pixel();
    w as f64 >= LEGEND_ROOM.0 * scale && h as f64 >= LEGEND_ROOM.1 * scale
}

/// See [`legend_room`].
const LEGEND_ROOM: (f64, f64) = (260.0, 180.0);

/// How far above the highest density the slice's axis goes: with text, enough that the
/// legend's box in the upper right (a line per entry) stays above the peaks.
fn headroom(p: &Slice, legend: bool) -> f64 {
    if !p.text || !legend {
        return 1.08;
    }
    let atoms = p.mixture.p_zero > 0.0 || p.truth.as_ref().is_some_and(|t| t.atom.is_some());
    let entries = 2
        + p.truth.is_some() as usize
        + 2 * p.intervals.is_some() as usize
        + atoms as usize
        + p.second.is_some() as usize;
    1.1 + 0.15 * entries as f64
}

/// The slice's chart: y across, the density up to `top`, its axes and title with text.
fn slice_chart<'a, DB: DrawingBackend + 'a>(
    root: &DrawingArea<DB, Shift>,
    p: &Slice,
    top: f64,
) -> Result<Chart<'a, DB>, String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * p.scale).round() as i32;
    let t = p.theme;
    let font = light_chart_style(p.scale).color(&t.ink());
    let mut b = ChartBuilder::on(root);
    b.margin(px(6.0));
    if p.text {
        b.x_label_area_size(px(40.0))
            .y_label_area_size(px(44.0))
            .caption(
                format!("p(y | x₀ = {})", t.lang.decimal(format!("{:.3}", p.x0))),
                font.clone(),
            );
    }
    let mut chart = b.build_cartesian_2d(p.y.0..p.y.1, 0.0..top).map_err(e)?;
    if p.text {
        chart
            .configure_mesh()
            .light_line_style(t.grid(0.04))
            .bold_line_style(t.grid(0.1))
            .axis_style(t.ink())
            .label_style(font.clone())
            .axis_desc_style(font.clone())
            .x_desc(p.y_label)
            .y_desc(t.t("density"))
            .x_labels(6)
            .y_labels(4)
            .x_label_formatter(&|v| t.tick(*v, tick_decimals(p.y.0, p.y.1, 6)))
            .y_label_formatter(&|v| t.tick(*v, 1))
            .draw()
            .map_err(e)?;
    }
    Ok(chart)
}

/// Each component's share π_k f_k(y), then the mixture's density, filled and outlined.
fn draw_slice_density<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &Slice,
    ys: &[f64],
    dens: &[f64],
    top: f64,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * p.scale).round() as i32;
    let (t, m) = (p.theme, p.mixture);
    for k in 0..m.k {
        if m.pi[k] < 1e-3 {
            continue;
        }
        let part: Vec<(f64, f64)> = ys
            .iter()
            .map(|y| (*y, m.component_density(k, &[*y]).min(top)))
            .collect();
        chart
            .draw_series(LineSeries::new(
                part,
                component_colour(k).mix(0.8).stroke_width(px(1.0) as u32),
            ))
            .map_err(e)?;
    }
    let total: Vec<(f64, f64)> = ys
        .iter()
        .cloned()
        .zip(dens.iter().map(|v| v.min(top)))
        .collect();
    chart
        .draw_series(AreaSeries::new(
            total.clone(),
            0.0,
            t.line(Line::Mdn).mix(0.15),
        ))
        .map_err(e)?;
    chart
        .draw_series(LineSeries::new(
            total,
            t.line(Line::Mdn).stroke_width(px(2.0) as u32),
        ))
        .map_err(e)?;
    Ok(())
}

/// A second experiment's density at the same x0 (`compare=`), dashed, with its name in
/// the legend.
fn draw_slice_second<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &Slice,
    ys: &[f64],
    dens: &[f64],
    name: &str,
    top: f64,
) -> Result<(), String> {
    let px = |v: f64| (v * p.scale).round() as i32;
    let style = p.theme.line(Line::Second).stroke_width(px(2.5) as u32);
    let curve: Vec<(f64, f64)> = ys.iter().zip(dens).map(|(y, d)| (*y, d.min(top))).collect();
    let s = chart
        .draw_series(DashedLineSeries::new(
            curve,
            px(7.0) as u32,
            px(3.0) as u32,
            style,
        ))
        .map_err(|e| e.to_string())?;
    if p.text {
        s.label(name.to_string())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    }
    Ok(())
}

/// The true density, dashed, with its legend entry; its point mass as a dashed bar on
/// the point-mass scale (full height at probability 1).
fn draw_slice_truth<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &Slice,
    truth: &super::truth::SliceTruth,
    top: f64,
) -> Result<(), String> {
    let px = |v: f64| (v * p.scale).round() as i32;
    let colour = p.theme.line(Line::Bayes);
    let style = colour.stroke_width(px(2.0) as u32);
    let dashed =
        |pts: Vec<(f64, f64)>| DashedLineSeries::new(pts, px(6.0) as u32, px(4.0) as u32, style);
    let curve = truth.curve.iter().map(|&(y, d)| (y, d.min(top))).collect();
    chart
        .draw_series(dashed(curve))
        .map_err(|e| e.to_string())?
        .label(p.theme.t("true density"))
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    if let Some((at, prob)) = truth.atom {
        let w = 0.012 * (p.y.1 - p.y.0);
        let h = prob * top;
        let outline = vec![(at - w, 0.0), (at - w, h), (at + w, h), (at + w, 0.0)];
        let s = chart
            .draw_series(dashed(outline))
            .map_err(|e| e.to_string())?;
        if p.text {
            s.label(p.theme.lang.fill(
                "true P(y = {0}) = {1}",
                &[&p.theme.tick(at, 0), &p.theme.tick(prob, 2)],
            ))
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![
                        (x + 3, y + 6),
                        (x + 3, y - 6),
                        (x + 11, y - 6),
                        (x + 11, y + 6),
                    ],
                    style,
                )
            });
        }
    }
    Ok(())
}

/// The HPD pieces shaded under the density; the central interval as a bar below.
fn draw_slice_intervals<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &Slice,
    iv: &SliceIntervals,
    ys: &[f64],
    dens: &[f64],
    top: f64,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let px = |v: f64| (v * p.scale).round() as i32;
    let t = p.theme;
    for &(a, b) in &iv.hpd.intervals {
        let piece: Vec<(f64, f64)> = ys
            .iter()
            .zip(dens)
            .filter(|(y, _)| **y >= a && **y <= b)
            .map(|(y, d)| (*y, d.min(top)))
            .collect();
        chart
            .draw_series(AreaSeries::new(piece, 0.0, t.line(Line::Bayes).mix(0.35)))
            .map_err(e)?;
    }
    let (a, b) = iv.central;
    let h = 0.03 * top;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(a, 2.0 * h), (a, h), (b, h), (b, 2.0 * h)],
            CENTRAL_COLOUR.stroke_width(px(3.0) as u32),
        )))
        .map_err(e)?;
    Ok(())
}

/// The MSE prediction and the mixture mean as vertical lines, with their legend entries.
fn draw_slice_marks<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &Slice,
    top: f64,
) -> Result<(), String> {
    let px = |v: f64| (v * p.scale).round() as i32;
    let t = p.theme;
    let mean = p.mixture.mean()[0];
    for (v, colour, label) in [
        (p.baseline, t.ink(), t.t("MSE prediction")),
        (mean, t.line(Line::Validation), t.t("mixture mean")),
    ] {
        if !(p.y.0..=p.y.1).contains(&v) {
            continue;
        }
        let s = chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(v, 0.0), (v, top)],
                colour.stroke_width(px(2.0) as u32),
            )))
            .map_err(|e| e.to_string())?;
        if p.text {
            s.label(label).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 14, y)], colour.stroke_width(2))
            });
        }
    }
    Ok(())
}

/// The legend's entries of the HPD region and the central interval.
fn draw_slice_interval_keys<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    t: Theme,
) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let bayes = t.line(Line::Bayes);
    chart
        .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
        .map_err(e)?
        .label("90% HPD region")
        .legend(move |(x, y)| {
            Rectangle::new([(x, y - 4), (x + 14, y + 4)], bayes.mix(0.5).filled())
        });
    chart
        .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
        .map_err(e)?
        .label("90% central interval")
        .legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + 14, y)], CENTRAL_COLOUR.stroke_width(3))
        });
    Ok(())
}

/// The point mass: a bar on its own scale (a probability, not a density), said in the
/// legend, where it cannot cover the density.
fn draw_slice_point_mass<DB: DrawingBackend>(
    chart: &mut Chart<DB>,
    p: &Slice,
    top: f64,
) -> Result<(), String> {
    let m = p.mixture;
    let colour = p.theme.line(Line::Validation);
    let bar = chart
        .draw_series(std::iter::once(Rectangle::new(
            [
                (0.0 - 0.006 * (p.y.1 - p.y.0), 0.0),
                (0.006 * (p.y.1 - p.y.0), m.p_zero * top),
            ],
            colour.filled(),
        )))
        .map_err(|e| e.to_string())?;
    if p.text {
        bar.label(p.theme.lang.fill(
            "P(y = 0) = {0} (a probability)",
            &[&p.theme.lang.signed(m.p_zero, 2)],
        ))
        .legend(move |(x, y)| Rectangle::new([(x + 5, y - 6), (x + 9, y + 6)], colour.filled()));
    }
    Ok(())
}

/// The slice on a circular axis: the density of each angle θ ∈ [0, 2π) drawn outward
/// from a circle (0 to the right, counter-clockwise).
/// Von Mises components join smoothly where 0 ≡ 2π; a Gaussian mixture's density jumps
/// there, and what it puts outside [0, 2π) is lost.
fn draw_circle<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    m: &Mixture,
    p: &Slice,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, h) = root.dim_in_pixel();
    let r0 = (0.19 * w.min(h) as f64).max(8.0);
    let (cx, cy) = (0.5 * w as f64, 0.5 * h as f64);
    let n = 360;
    let dens: Vec<f64> = (0..=n)
        .map(|i| {
            crate::base::math::exp(
                m.log_density(&[crate::mdn::family::TWO_PI * i as f64 / n as f64]),
            )
        })
        .collect();
    let top = dens
        .iter()
        .cloned()
        .filter(|v| v.is_finite())
        .fold(1e-9, f64::max);
    let at = |i: usize, r: f64| {
        let a = crate::mdn::family::TWO_PI * i as f64 / n as f64;
        ((cx + r * a.cos()) as i32, (cy - r * a.sin()) as i32)
    };
    let t = p.theme;
    let ring: Vec<(i32, i32)> = (0..=n).map(|i| at(i, r0)).collect();
    root.draw(&PathElement::new(ring, t.grid(0.4).stroke_width(1)))?;
    root.draw(&PathElement::new(
        vec![at(0, r0 * 0.9), at(0, r0 * 2.3)],
        t.grid(0.5).stroke_width(1),
    ))?;
    let curve: Vec<(i32, i32)> = (0..=n)
        .map(|i| at(i, r0 * (1.0 + 1.2 * (dens[i] / top).min(1.0))))
        .collect();
    root.draw(&PathElement::new(
        curve,
        t.line(Line::Mdn).stroke_width((2.0 * p.scale) as u32),
    ))?;
    let font = light_chart_style(p.scale).color(&t.ink());
    if p.text {
        let (x, y) = at(0, r0 * 1.05);
        root.draw(&Text::new(
            "0 ≡ 2π",
            (x, y - (14.0 * p.scale) as i32),
            font.clone(),
        ))?;
        root.draw(&Text::new(
            t.t("p(θ | x) on the circle"),
            ((0.08 * w as f64) as i32, (6.0 * p.scale) as i32),
            font,
        ))?;
    }
    Ok(())
}
