//! The calibration panel's work in the page: a pass over the validation set a few
//! milliseconds per frame (on a copy of the parameters taken when it starts), so that
//! training in the worker never waits for it; each finished pass is shown, and the next
//! starts on the latest parameters. The numbers equal `mdn train`'s final line.

use super::{deadline, on_canvas, to_js, Viewer};
use crate::data::dataset::Data;
use crate::data::dataset::Dataset;
use crate::forecast::calibration::{Calibration, Report, Scoring};
use crate::mdn::model::Model;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

pub(super) struct State {
    val: Option<Dataset>,
    data: Data,
    y_range: (f64, f64),
    seed: u64,
    /// The pass under way, on the parameters it started with (member 1's and, with an
    /// ensemble's other members in, theirs: scored as their even mixture), and their step.
    pass: Option<(Scoring, Vec<Model>, u64)>,
    /// The last finished report, and the step its parameters were at.
    pub(in crate::web) report: Option<(Report, u64)>,
    /// The ensemble's other members (member, step) the last report and the pass scored.
    members: Vec<(u32, u64)>,
    /// How many members the last finished report scored together (1: one network).
    report_members: usize,
    /// The truth's calibration, once known (it does not change with the model).
    truth: Option<Calibration>,
}

impl State {
    pub(super) fn new(val: &Option<Dataset>, data: Data, y_range: (f64, f64), seed: u64) -> State {
        State {
            val: val.clone(),
            data,
            y_range,
            seed,
            pass: None,
            report: None,
            members: Vec::new(),
            report_members: 1,
            truth: None,
        }
    }
}

impl Viewer {
    /// The last finished report.
    pub(super) fn cal_report(&self) -> Option<Report> {
        self.cal.report.as_ref().map(|r| r.0.clone())
    }
}

#[wasm_bindgen]
impl Viewer {
    /// Works on the calibration for about `ms` milliseconds; true when a pass has just
    /// finished (the panel has a new report to draw). False at once for data with more
    /// than one input or output.
    pub fn calibrate_for(&mut self, ms: f64) -> bool {
        let step = self.snapshot.step;
        let Some(val) = self.cal.val.as_ref() else {
            return false;
        };
        let members: Vec<(u32, u64)> = self.members.iter().map(|m| (m.0, m.1)).collect();
        if self.cal.pass.is_none() {
            let same = self.cal.report.as_ref().is_some_and(|r| r.1 == step);
            if same && self.cal.members == members {
                return false; // nothing new to score
            }
            let pass = Scoring::new(self.cal.data, self.cal.y_range, self.cal.seed, false)
                .with_truth(self.cal.truth.clone());
            let mut models = vec![self.model.clone()];
            models.extend(self.members.iter().map(|m| m.2.clone()));
            self.cal.pass = Some((pass, models, step));
            self.cal.members = members;
        }
        let (pass, models, at) = self.cal.pass.as_mut().expect("started above");
        let members: Vec<_> = models.iter().collect();
        let finished = pass.advance(&members, val, &mut deadline(ms));
        if !finished {
            return false;
        }
        let report = pass.report();
        self.cal.report_members = models.len();
        self.cal.truth = report.truth.clone();
        self.cal.report = Some((report, *at));
        self.cal.pass = None;
        true
    }

    /// The step of the parameters the last report scored (−1 before the first).
    pub fn calibration_step(&self) -> f64 {
        self.cal.report.as_ref().map_or(-1.0, |r| r.1 as f64)
    }

    /// Points of the pass under way, and the validation set's size: [done, all].
    pub fn calibration_progress(&self) -> Vec<f64> {
        let all = self.cal.val.as_ref().map_or(0, Dataset::len) as f64;
        let done = self
            .cal
            .pass
            .as_ref()
            .map_or(all, |(p, _, _)| p.done() as f64);
        vec![done, all]
    }

    /// The last finished calibration report (`undefined` before the first), as
    /// `{mdn, baseline, truth?}` each with `{n, crps, nll, pit_hist, central, hpd}`.
    /// The last report scored the parameters shown now (member 1's step and the
    /// ensemble's other members in).
    pub fn calibration_fresh(&self) -> bool {
        let members: Vec<(u32, u64)> = self.members.iter().map(|m| (m.0, m.1)).collect();
        self.cal.pass.is_none()
            && self.cal.members == members
            && self
                .cal
                .report
                .as_ref()
                .is_some_and(|r| r.1 == self.snapshot.step)
    }

    pub fn calibration(&self) -> Result<JsValue, JsValue> {
        match &self.cal.report {
            Some((r, _)) => to_js(r),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The report in words (plain text): CRPS beside NLL for each forecaster.
    pub fn calibration_text(&self) -> String {
        let Some((r, step)) = &self.cal.report else {
            return String::new();
        };
        let lang = self.page_lang();
        let line = |name: &str, c: &Calibration| {
            let mut chars = name.chars();
            let name = &chars
                .next()
                .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect());
            let hpd90 = c.hpd.iter().find(|p| p[0] == 0.9).map_or(0.0, |p| p[1]);
            let central90 = c.central.iter().find(|p| p[0] == 0.9).map_or(0.0, |p| p[1]);
            lang.fill(
                "{0}: CRPS {1}, NLL {2} nats; 90% regions hold {3}% (central) and {4}% (HPD) \
                 of the outcomes.",
                &[
                    name,
                    &lang.signed(c.crps, 4),
                    &lang.signed(c.nll, 3),
                    &lang.signed(100.0 * central90, 1),
                    &lang.signed(100.0 * hpd90, 1),
                ],
            )
        };
        // A report of an older step is said to be one while the current one is scored.
        let now = self.steps() as u64;
        let when = if *step == now {
            lang.fill("At step {0}", &[&step.to_string()])
        } else {
            lang.fill(
                "Scoring step {0}… Shown: step {1}",
                &[&now.to_string(), &step.to_string()],
            )
        };
        let name = match self.cal.report_members {
            1 => "MDN".to_string(),
            n => lang.fill("Ensemble of {0} MDNs", &[&n.to_string()]),
        };
        let mut out = lang.fill(
            "{0}, on {1} validation points. {2} {3}",
            &[
                &when,
                &r.mdn.n.to_string(),
                &line(&name, &r.mdn),
                &line(lang.t("MSE regressor"), &r.baseline),
            ],
        );
        if let Some(t) = &r.truth {
            out.push(' ');
            out.push_str(&line(lang.t("Truth"), t));
        }
        out
    }

    /// Draws the calibration panel on `canvas` (before the first report, how far its
    /// scoring is).
    pub fn draw_calibration(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<(), JsValue> {
        let theme = self.theme();
        let Some((r, _)) = &self.cal.report else {
            let p = self.calibration_progress();
            let said = theme.lang.fill(
                "Scoring the {0} validation points… {1}%",
                &[
                    &p[1].to_string(),
                    &(100.0 * p[0] / p[1].max(1.0)).floor().to_string(),
                ],
            );
            return on_canvas(canvas, Some(theme), |root| {
                crate::plot::draw_waiting(root, &said, theme, scale)
            });
        };
        on_canvas(canvas, Some(theme), |root| {
            crate::plot::draw_calibration(root, r, theme, scale)
        })
    }
}
