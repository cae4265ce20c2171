//! Every plot of the page as an SVG file (the same drawing code as on the canvases; see
//! [`crate::plot::svg`]), for slides and handouts.

use super::{js_err, Viewer};
use crate::plot::{self, plane, svg, Frame, Layer, MainPlot};
use wasm_bindgen::prelude::*;

/// Heatmap cells of an SVG: about 3 pixels each.
fn cells(w: u32, h: u32) -> (usize, usize) {
    (
        (w as usize / 3).clamp(1, 1024),
        (h as usize / 3).clamp(1, 1024),
    )
}

#[wasm_bindgen]
impl Viewer {
    /// The plot `which` (`main`, `slice` at `x0`, `params`, `loss`, `planes`) as an SVG of
    /// `w × h` pixels (each clamped to 200…4000), in the page's theme.
    pub fn svg(&mut self, which: &str, w: u32, h: u32, x0: f64) -> Result<String, JsValue> {
        let (w, h) = (w.clamp(200, 4000), h.clamp(200, 4000));
        let theme = self.theme();
        let scale = (w as f64 / 900.0).clamp(1.0, 3.0);
        let none = |_: &()| None;
        match which {
            "main" => self.main_svg(w, h, scale, theme),
            "slice" => {
                let (x0, mixture, baseline) = self.slice_at(x0);
                let iv = self.slice_intervals_shown(&mixture);
                let p = self.slice_plot(x0, &mixture, baseline, scale, iv.as_ref());
                svg::figure(w, h, theme, |root| plot::draw_slice(root, &p), none)
            }
            "params" => {
                let curves = plot::curves(&self.model, &self.view(), 300);
                let view = self.view();
                svg::figure(
                    w,
                    h,
                    theme,
                    |root| plot::draw_components(root, &view, &curves, true, scale, theme),
                    none,
                )
            }
            "loss" => {
                let p = self.loss_plot(scale);
                svg::figure(w, h, theme, |root| plot::draw_loss(root, &p), none)
            }
            "planes" => {
                let arm = self.is_arm();
                let poses = self.arm_truth();
                plane::planes_svg(
                    &self.model,
                    &self.info,
                    &self.points,
                    &self.target,
                    self.sampling,
                    arm,
                    &poses,
                    (w, h),
                    theme,
                )
            }
            "calibration" => match &self.cal_report() {
                Some(r) => svg::figure(
                    w,
                    h,
                    theme,
                    |root| plot::draw_calibration(root, r, theme, scale),
                    none,
                ),
                None => Err("no calibration yet: it is scored while the page is idle".into()),
            },
            other => Err(format!("no plot called {other:?}")),
        }
        .map_err(js_err)
    }
}

/// A K sweep's report (JSON, as `SweepRun::report_json` gives) as an SVG.
#[wasm_bindgen]
pub fn sweep_svg(report: &str, w: u32, h: u32, dark: bool, lang: &str) -> Result<String, JsValue> {
    let r: crate::train::sweep::Report = serde_json::from_str(report).map_err(js_err)?;
    let (w, h) = (w.clamp(200, 4000), h.clamp(200, 4000));
    let lang = crate::lang::Lang::from_tags([lang]);
    let theme = plot::Theme { dark, lang };
    let scale = (w as f64 / 900.0).clamp(1.0, 3.0);
    svg::figure(
        w,
        h,
        theme,
        |root| plot::draw_sweep(root, &r, true, scale, theme),
        |_: &()| None,
    )
    .map_err(js_err)
}

impl Viewer {
    /// The main plot as an SVG: its heatmap embedded as a PNG under the vectors.
    fn main_svg(&self, w: u32, h: u32, scale: f64, theme: plot::Theme) -> Result<String, String> {
        let view = self.view();
        let curves = plot::curves(&self.shown(), &view, 300);
        let (samples, modes) =
            plot::samples_and_modes(&self.shown(), &view, &curves, self.sampling);
        let (cw, ch) = cells(w, h);
        let fixed = self.fixed_scale().then(|| plot::main_scale(&view));
        let grid = plot::log_density(&self.shown(), &view, cw, ch);
        let (rgba, colour) = plot::density_rgba(&grid, fixed);
        let intervals = self.intervals_shown(&curves);
        let overlay = self.overlay(&curves.xs);
        let p = MainPlot {
            intervals: intervals.as_ref(),
            frame: Frame::main(&self.info, w >= 560, scale, Layer::All).themed(theme),
            points: &self.points,
            curves: &curves,
            samples: &samples,
            modes: &modes,
            colour,
            truth: self.truth_shown(),
            overlay: overlay.as_ref(),
        };
        let heat = |r: &_| Some((*r, rgba, cw, ch));
        svg::figure(w, h, theme, |root| plot::draw_main(root, &p), heat)
    }
}
