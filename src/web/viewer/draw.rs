//! The Viewer's drawing: the main plot, its panels, the 2-D views.

use super::super::{deadline, on_canvas};
use super::*;
use crate::mdn::pooled;

/// CSS pixels per cell of the difference plot: fine enough to show a branch, cheap
/// enough for a panel drawn four times a second while training.
const DIFFERENCE_CELL: f64 = 5.0;

/// Drawing: the main plot, its panels, the 2-D views.
#[wasm_bindgen]
impl Viewer {
    /// The p(y|x) heatmap at `w × h` cells over the main plot's view, as RGBA bytes.
    pub fn heatmap(&mut self, w: u32, h: u32) -> Vec<u8> {
        let (w, h) = (w.clamp(1, 1024) as usize, h.clamp(1, 1024) as usize);
        let view = self.view();
        let grid = plot::log_density(&self.shown(), &view, w, h);
        let fixed = self.fixed_scale().then(|| plot::main_scale(&view));
        let (rgba, colour) = plot::density_rgba(&grid, fixed);
        self.colour = colour;
        rgba
    }

    /// Draws one layer of the main plot on `canvas` (transparent): `live` = the curves and
    /// colour-scale numbers (every snapshot), otherwise the axes, labels, legend, data and
    /// colour bar (once per data set and size). Returns the plot area [x0, y0, x1, y1] in
    /// canvas pixels, where the heatmap goes.
    pub fn draw_main(
        &mut self,
        canvas: HtmlCanvasElement,
        scale: f64,
        legend: bool,
        live: bool,
    ) -> Result<Vec<i32>, JsValue> {
        let view = self.view();
        let curves = if live {
            plot::curves(&self.shown(), &view, 160)
        } else {
            plot::Curves {
                xs: Vec::new(),
                baseline: Vec::new(),
                mixtures: Vec::new(),
            }
        };
        let (samples, modes) = if live {
            plot::samples_and_modes(&self.shown(), &view, &curves, self.sampling)
        } else {
            (Vec::new(), Vec::new())
        };
        let shown = live && self.link.view.intervals && self.info.dout == 1;
        let intervals = shown.then(|| {
            let key = self.params_seen;
            self.track
                .update(key, &curves, 2, &mut deadline(INTERVALS_MS));
            self.track.intervals()
        });
        let overlay = self.overlay(&curves.xs);
        let p = MainPlot {
            intervals: intervals.as_ref(),
            frame: Frame::main(&self.info, legend, scale, plot::Layer::of(live))
                .themed(self.theme()),
            points: &self.points,
            curves: &curves,
            samples: &samples,
            modes: &modes,
            colour: self.colour,
            truth: self.truth_shown(),
            overlay: overlay.as_ref(),
        };
        let r = on_canvas(canvas, None, |root| plot::draw_main(root, &p))?;
        Ok(vec![r.0, r.1, r.2, r.3])
    }

    /// Whether the main plot's intervals are still being brought up to date (the page
    /// draws again in the next frame).
    pub fn intervals_pending(&self) -> bool {
        self.link.view.intervals && self.info.dout == 1 && !self.track.done()
    }

    /// The main plot's data range: [x0, x1, y0, y1].
    pub fn view_range(&self) -> Vec<f64> {
        let v = self.view();
        vec![v.x.0, v.x.1, v.y.0, v.y.1]
    }

    /// Draws π_k(x) and μ_k(x) ± σ_k(x) on `canvas`.
    pub fn draw_components(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<(), JsValue> {
        let curves = plot::curves(&self.model, &self.view(), 160);
        let theme = self.theme();
        on_canvas(canvas, Some(theme), |root| {
            plot::draw_components(root, &self.view(), &curves, true, scale, theme)
        })
    }

    /// Draws the slice p(y | x0) on `canvas` (x0 is clamped to the plot's range).
    pub fn draw_slice(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        x0: f64,
    ) -> Result<(), JsValue> {
        let (x0, mixture, baseline) = self.slice_at(x0);
        let iv = self.slice_intervals_shown(&mixture);
        let p = self.slice_plot(x0, &mixture, baseline, scale, iv.as_ref());
        on_canvas(canvas, Some(p.theme), |root| plot::draw_slice(root, &p))
    }

    /// Draws the slice p(y | x0) on `canvas` with the second experiment's (`compare=`,
    /// whose Viewer is `second`) density at the same x0 over it.
    pub fn draw_slice_with(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        x0: f64,
        second: &Viewer,
    ) -> Result<(), JsValue> {
        let (x0, mixture, baseline) = self.slice_at(x0);
        let (_, b, _) = second.slice_at(x0);
        let name = format!("B ({})", self.compare_labels().pop().unwrap_or_default());
        let iv = self.slice_intervals_shown(&mixture);
        let p = plot::Slice {
            second: Some((&b, &name)),
            ..self.slice_plot(x0, &mixture, baseline, scale, iv.as_ref())
        };
        on_canvas(canvas, Some(p.theme), |root| plot::draw_slice(root, &p))
    }

    /// Draws ln p_A(y|x) − ln p_B(y|x) over the main plot's range on `canvas`: this
    /// experiment (A) against the second one (`compare=`, whose Viewer is `second`).
    pub fn draw_difference(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        second: &Viewer,
    ) -> Result<(), JsValue> {
        let p = plot::difference::DifferencePlot {
            frame: Frame::main(&self.info, false, scale, plot::Layer::All).themed(self.theme()),
            cell: DIFFERENCE_CELL * scale,
        };
        on_canvas(canvas, Some(p.frame.theme), |root| {
            plot::difference::draw_difference(root, &p, &self.shown(), &second.shown())
        })
    }

    /// Draws the loss panel on `canvas`.
    pub fn draw_loss(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<(), JsValue> {
        let p = self.loss_plot(scale);
        on_canvas(canvas, Some(p.theme), |root| plot::draw_loss(root, &p))
    }

    /// Draws the loss panel on `canvas` with the second experiment's (`compare=`, whose
    /// Viewer is `second`) validation NLL over it.
    pub fn draw_loss_with(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        second: &Viewer,
    ) -> Result<(), JsValue> {
        let name = self.page_lang().fill(
            "B ({0}), validation",
            &[&self.compare_labels().pop().unwrap_or_default()],
        );
        let p = plot::LossPlot {
            second: Some((&second.snapshot.histories[1], &name)),
            ..self.loss_plot(scale)
        };
        on_canvas(canvas, Some(p.theme), |root| plot::draw_loss(root, &p))
    }

    /// The output-plane heatmap (ln p(y1, y2 | target)) at `w × h` cells, as RGBA.
    pub fn plane_heatmap(&mut self, w: u32, h: u32) -> Vec<u8> {
        let (w, h) = (w.clamp(1, 1024) as usize, h.clamp(1, 1024) as usize);
        let view = View::outputs(&self.info);
        let intervals = self.link.view.intervals;
        let fixed = self.fixed_scale().then(|| plane::fixed_scale(&view));
        let m = &self.scene().mixture;
        let (rgba, colour) = if intervals {
            plane::density_rgba_hpd(m, &view, w, h, plot::INTERVAL_MASS, fixed)
        } else {
            plane::density_rgba(m, &view, w, h, fixed)
        };
        self.plane_colour = colour;
        rgba
    }

    /// Draws one layer of the input plane (static: axes and data; live: target, poses,
    /// legend). Returns [x0, y0, x1, y1] of the plot area in canvas pixels and the data
    /// range shown [vx0, vx1, vy0, vy1] (widened to keep the arm's proportions).
    pub fn draw_inputs(
        &mut self,
        canvas: HtmlCanvasElement,
        scale: f64,
        legend: bool,
        live: bool,
    ) -> Result<Vec<f64>, JsValue> {
        self.scene();
        let p = InputPlot {
            frame: Frame::inputs(&self.info, legend, scale, plot::Layer::of(live))
                .themed(self.theme()),
            equal_aspect: self.is_arm(),
            points: &self.points,
            scene: self.scene.as_ref().expect("built above"),
        };
        let (r, v) = on_canvas(canvas, None, |root| plane::draw_inputs(root, &p))?;
        Ok(vec![
            r.0 as f64, r.1 as f64, r.2 as f64, r.3 as f64, v.x.0, v.x.1, v.y.0, v.y.1,
        ])
    }

    /// Draws one layer of the output plane (static: axes and colour bar; live: ellipses,
    /// MSE prediction, samples, mode, colour-scale numbers). Returns the plot area.
    pub fn draw_outputs(
        &mut self,
        canvas: HtmlCanvasElement,
        scale: f64,
        legend: bool,
        live: bool,
    ) -> Result<Vec<i32>, JsValue> {
        self.scene();
        let poses = self.arm_truth();
        let p = OutputPlot {
            frame: Frame::outputs(&self.info, legend, scale, plot::Layer::of(live))
                .themed(self.theme()),
            scene: self.scene.as_ref().expect("built above"),
            colour: self.plane_colour,
            truth: &poses,
        };
        let r = on_canvas(canvas, None, |root| plane::draw_outputs(root, &p))?;
        Ok(vec![r.0, r.1, r.2, r.3])
    }
}

impl Viewer {
    /// What the plots show: the model, or with an ensemble's other members in, the even
    /// mixture of all.
    pub(in crate::web) fn shown(&self) -> plot::Shown<'_> {
        if self.members.is_empty() {
            return plot::Shown::One(&self.model);
        }
        let mut members = vec![&self.model];
        members.extend(self.members.iter().map(|m| &m.2));
        plot::Shown::Even(plot::Even { members })
    }

    /// The gap left out of the training data, and each member's mean at `xs` when an
    /// ensemble's other members are in (none without either).
    pub(in crate::web) fn overlay(&self, xs: &[f64]) -> Option<plot::overlay::Overlay> {
        if self.link.spec.gap.is_none() && self.members.is_empty() {
            return None;
        }
        let per = self.member_mixtures(xs);
        let shown: &[Vec<_>] = if per.len() > 1 { &per } else { &[] };
        Some(plot::overlay::Overlay::of(xs, shown, self.link.spec.gap))
    }

    /// Every member's mixtures at `xs` (member 1 first).
    pub(in crate::web) fn member_mixtures(
        &self,
        xs: &[f64],
    ) -> Vec<Vec<crate::mdn::mixture::Mixture>> {
        let members = self.members.iter().map(|m| &m.2);
        pooled::member_mixtures(
            std::iter::once(&self.model).chain(members),
            &pooled::column(xs),
        )
    }
}
