//! An ensemble on the page: the pool of workers trains the members after the first
//! ([`MemberJob`], one member a job, the bits of `Experiment::member` whatever the pool),
//! their parameters come back to the [`Viewer`] as they train, and the page shows the
//! even mixture of all, each member's mean, and the panel of the two uncertainties.

use super::{deadline, js_err, on_canvas, Viewer};
use crate::plot::uncertainty::{draw_split, SplitCurves, SplitPlot};
use crate::share::link::Link;
use crate::train::experiment::Experiment;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// One member of an ensemble, in a pool worker (www/workers/sweep-worker.js).
#[wasm_bindgen]
pub struct MemberJob {
    exp: Experiment,
}

#[wasm_bindgen]
impl MemberJob {
    /// Member `j` (0 is the page's own run) of the spec in `link`.
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str, j: u32) -> MemberJob {
        let spec = Link::parse(link).0.spec;
        let j = (j as usize).min(spec.ensemble.saturating_sub(1));
        MemberJob {
            exp: Experiment::member(&spec, j),
        }
    }

    /// Trains for about `ms` milliseconds towards the planned steps, reading the
    /// validation NLL where `mdn train` does (where a blow-up is caught); true when done.
    pub fn advance_for(&mut self, ms: f64) -> bool {
        let e = &mut self.exp;
        let mut out = deadline(ms);
        while e.step < e.spec.steps && e.halted.is_none() {
            let stop = e.next_reading(e.step).min(e.spec.steps);
            e.train_within(stop - e.step, &mut out);
            if e.halted.is_none() && e.step == stop && e.reading_at(stop) {
                e.metrics();
            }
            if out() {
                break;
            }
        }
        self.done()
    }

    pub fn done(&self) -> bool {
        self.exp.step >= self.exp.spec.steps || self.exp.halted.is_some()
    }

    pub fn step(&self) -> f64 {
        self.exp.step as f64
    }

    /// How far the member is, from 0 to 1.
    pub fn fraction(&self) -> f64 {
        match self.exp.spec.steps {
            _ if self.done() => 1.0,
            0 => 1.0,
            n => self.exp.step as f64 / n as f64,
        }
    }

    /// The MDN's parameters (for the page's Viewer).
    pub fn params(&self) -> Vec<f64> {
        self.exp
            .model
            .mdn
            .params
            .iter()
            .map(|p| f64::from(*p))
            .collect()
    }

    /// The validation NLL (nats per point) where it stands.
    pub fn val_nll(&mut self) -> f64 {
        self.exp.metrics().val_nll
    }
}

#[wasm_bindgen]
impl Viewer {
    /// The members of the spec's ensemble (1: one network).
    pub fn ensemble(&self) -> u32 {
        self.link.spec.ensemble as u32
    }

    /// Member `j` (1 … ensemble − 1) at `step`, with the MDN parameters `params` from its
    /// [`MemberJob`]; false (and nothing kept) for a member or parameters not of this
    /// experiment.
    pub fn set_member(&mut self, j: u32, step: f64, params: Vec<f64>) -> bool {
        let ok = j >= 1
            && (j as usize) < self.link.spec.ensemble
            && params.len() == self.model.mdn.params.len()
            && params.iter().all(|p| p.is_finite());
        if !ok {
            return false;
        }
        let mut m = self.model.clone();
        for (d, s) in m.mdn.params.iter_mut().zip(&params) {
            *d = *s as _;
        }
        let step = step.max(0.0) as u64;
        match self.members.iter_mut().find(|x| x.0 == j) {
            Some(x) => *x = (j, step, m),
            None => {
                self.members.push((j, step, m));
                self.members.sort_by_key(|x| x.0);
            }
        }
        true
    }

    /// How many members the plots show (member 1 and those in).
    pub fn members_in(&self) -> u32 {
        1 + self.members.len() as u32
    }

    /// Draws the panel of the aleatoric and epistemic variance against x on `canvas`,
    /// with member `member`'s Choi split (1 … the members in; clamped).
    pub fn draw_split(
        &self,
        canvas: HtmlCanvasElement,
        scale: f64,
        member: u32,
    ) -> Result<(), JsValue> {
        let view = self.view();
        let curves = self.split_curves(200, member)?;
        let p = SplitPlot {
            curves: &curves,
            gap: self.link.spec.gap,
            x_range: view.x,
            x_label: self.page_lang().t(self.info.x_labels[0]),
            theme: self.theme(),
            scale,
        };
        on_canvas(canvas, Some(p.theme), |root| draw_split(root, &p))
    }

    /// The panel's numbers as a table `{caption, columns, rows}`: at 11 inputs across the
    /// plot, the aleatoric and epistemic variance and member `member`'s split; `undefined`
    /// for a family without a variance.
    pub fn split_table(&self, member: u32) -> Result<JsValue, JsValue> {
        use crate::base::text::significant;
        let lang = self.page_lang();
        let sig = |v: f64| lang.decimal(significant(v, 3));
        let Ok(c) = self.split_curves(11, member) else {
            return Ok(JsValue::UNDEFINED);
        };
        let in_gap = |x: f64| {
            self.link
                .spec
                .gap
                .is_some_and(|(a, b)| (a..=b).contains(&x))
        };
        let rows = (0..c.xs.len())
            .map(|i| {
                let x = lang.signed(c.xs[i], 2);
                vec![
                    if in_gap(c.xs[i]) {
                        lang.fill("{0} (in the gap)", &[&x])
                    } else {
                        x
                    },
                    sig(c.aleatoric[i]),
                    sig(c.epistemic[i]),
                    sig(c.within[i]),
                    sig(c.between[i]),
                ]
            })
            .collect();
        let m = (c.member + 1).to_string();
        super::to_js(&super::tables::Table {
            caption: lang.fill(
                "Variances at 11 inputs across the plot, of the ensemble's {0} members in, and \
                 member {1}'s split",
                &[&self.members_in().to_string(), &m],
            ),
            columns: vec![
                "x".into(),
                lang.t("aleatoric").into(),
                lang.t("epistemic").into(),
                lang.fill("member {0}: within", &[&m]),
                lang.fill("member {0}: between", &[&m]),
            ],
            rows,
        })
    }
}

impl Viewer {
    /// The panel's curves at `n` inputs across the plot, with member `member`'s split
    /// (its number; one not in yet: member 1).
    fn split_curves(&self, n: usize, member: u32) -> Result<SplitCurves, JsValue> {
        let view = self.view();
        let xs: Vec<f64> = (0..n)
            .map(|i| view.x.0 + i as f64 / (n - 1) as f64 * (view.x.1 - view.x.0))
            .collect();
        // Member m (its number) is member_mixtures' index 0 for m = 1, else its place among
        // the members in.
        let at = self.members.iter().position(|x| x.0 + 1 == member);
        let (index, number) = at.map_or((0, 1), |i| (i + 1, member as usize));
        let per = self.member_mixtures(&xs);
        let mut curves = SplitCurves::of(&xs, &per, index)
            .ok_or_else(|| js_err("this family has no variance to split"))?;
        curves.member = number - 1;
        Ok(curves)
    }
}

impl Viewer {
    /// With a gap or an ensemble: sentences saying what they do on this page (empty
    /// without). Play trains one network: with `ensemble=M` it is member 1, and the note
    /// says where the others train.
    pub(in crate::web) fn uncertainty_note(&self) -> String {
        let spec = &self.link.spec;
        let lang = self.page_lang();
        let mut out = Vec::new();
        if let Some((a, b)) = spec.gap {
            out.push(lang.fill(
                "No training point has x from {0} to {1} (gap=): the model never sees that \
                 stretch, while the validation set keeps it.",
                &[&lang.number(a), &lang.number(b)],
            ));
        }
        if spec.ensemble > 1 {
            let (all, others) = (spec.ensemble.to_string(), (spec.ensemble - 1).to_string());
            out.push(lang.fill(
                "ensemble={0}: Play trains member 1; the panel \"Two kinds of uncertainty\" \
                 trains the other {1} on the page's workers, and the plots then show the even \
                 mixture of all. `mdn train` trains all {0} and reports the ensemble's \
                 validation NLL and its aleatoric and epistemic variance.",
                &[&all, &others],
            ));
        }
        out.join(" ")
    }
}
