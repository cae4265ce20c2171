//! Each figure's numbers as a table, for a reader who would rather read than look (or
//! cannot look): the slice's components, the loss panel's readings, the main plot's
//! branches, the mixture's parameters over x, the calibration's coverages, the 2-D views'
//! poses and components (the K sweep's is in `sweep`). Plain strings; the page builds
//! the table with `textContent`.

use super::*;
use serde::Serialize;

/// A table: its caption, column heads and rows of cells (plain text).
#[derive(Serialize)]
pub(in crate::web) struct Table {
    pub(in crate::web) caption: String,
    pub(in crate::web) columns: Vec<String>,
    pub(in crate::web) rows: Vec<Vec<String>>,
}

/// Column heads in `lang`.
pub(in crate::web) fn heads(lang: crate::lang::Lang, english: &[&str]) -> Vec<String> {
    english.iter().map(|h| lang.t(h).to_string()).collect()
}

/// The most loss readings listed (the latest ones).
const LOSS_ROWS: usize = 60;

#[wasm_bindgen]
impl Viewer {
    /// The numbers of figure `which` ("slice" at `x0`, "loss", "main", "params",
    /// "calibration", "planes") as a table `{caption, columns, rows}`; `undefined` for
    /// another name, for a figure the data's shape does not have, or a calibration not yet
    /// scored.
    pub fn figure_table(&mut self, which: &str, x0: f64) -> Result<JsValue, JsValue> {
        let one = self.info.dout == 1;
        let table = match which {
            "loss" => Some(self.loss_table()),
            "planes" if self.info.dout == 2 => Some(self.plane_table()),
            _ if !one => None,
            "slice" => Some(self.slice_table(x0)),
            "main" => Some(self.branch_table()),
            "params" => Some(self.params_table()),
            "calibration" => self.calibration_table(),
            _ => None,
        };
        match table {
            Some(t) => to_js(&t),
            None => Ok(JsValue::UNDEFINED),
        }
    }
}

impl Viewer {
    fn slice_table(&self, x0: f64) -> Table {
        let lang = self.page_lang();
        let (x0, m, baseline) = self.slice_at(x0);
        let mut order: Vec<usize> = (0..m.k).filter(|&k| m.pi[k] >= 1e-3).collect();
        order.sort_by(|&a, &b| m.mu[a].total_cmp(&m.mu[b]));
        let mut rows: Vec<Vec<String>> = order
            .iter()
            .map(|&k| {
                vec![
                    lang.fill("component {0}", &[&(k + 1).to_string()]),
                    lang.signed(m.pi[k], 3),
                    lang.signed(m.mu[k], 3),
                    lang.signed(m.sigma[k], 3),
                ]
            })
            .collect();
        let dash = || "—".to_string();
        rows.push(vec![
            lang.t("MSE prediction").into(),
            dash(),
            lang.signed(baseline, 3),
            dash(),
        ]);
        rows.push(vec![
            lang.t("mixture mean").into(),
            dash(),
            lang.signed(m.mean()[0], 3),
            dash(),
        ]);
        Table {
            caption: lang.fill(
                "p(y | x₀ = {0}): the components with weight π ≥ 0.001, by their means",
                &[&lang.signed(x0, 3)],
            ),
            columns: heads(lang, &["which", "weight π", "mean μ", "scale σ"]),
            rows,
        }
    }

    fn loss_table(&self) -> Table {
        let lang = self.page_lang();
        let [_, val, base] = &self.snapshot.histories;
        let n = val.len().min(base.len());
        let from = n.saturating_sub(LOSS_ROWS);
        let rows = (from..n)
            .map(|i| {
                vec![
                    format!("{}", val[i].0),
                    lang.signed(val[i].1, 3),
                    lang.signed(base[i].1, 3),
                ]
            })
            .collect();
        Table {
            caption: lang
                .t(if from > 0 {
                    "Validation NLL (nats per point) at each reading, the latest 60"
                } else {
                    "Validation NLL (nats per point) at each reading"
                })
                .into(),
            columns: heads(lang, &["step", "MDN", "MSE regressor"]),
            rows,
        }
    }

    fn branch_table(&self) -> Table {
        let lang = self.page_lang();
        let (xs, mixtures) = self.branch_columns();
        let rows = crate::forecast::peaks::branch_runs(&xs, &mixtures, self.view().y)
            .iter()
            .map(|&(a, b, n)| vec![lang.signed(a, 2), lang.signed(b, 2), n.to_string()])
            .collect();
        Table {
            caption: lang
                .t("p(y | x): its branches (peaks holding at least 0.1) over x")
                .into(),
            columns: heads(lang, &["x from", "x to", "branches"]),
            rows,
        }
    }
}

#[wasm_bindgen]
impl Viewer {
    /// The difference view's numbers as a table `{caption, columns, rows}`: at 11 inputs
    /// across the plot, where this experiment (A) puts the most probability above the
    /// second one (`second`, B) and where B does, by how many nats (in the same cells as
    /// the view: ±3 nats at most, none where neither puts any to speak of).
    pub fn difference_table(&self, second: &Viewer) -> Result<JsValue, JsValue> {
        let lang = self.page_lang();
        use crate::plot::difference::{log_ratio, DIFFERENCE_LIMIT};
        let (w, h) = (11, 140);
        let v = self.view();
        let d = log_ratio(&self.shown(), &second.shown(), &v, w, h);
        let y_at = |r: usize| v.y.1 - (r as f64 + 0.5) / h as f64 * (v.y.1 - v.y.0);
        let said = |(r, by): (usize, f64)| {
            if by.abs() < 0.05 {
                return [lang.t("nowhere").to_string(), "—".to_string()];
            }
            let at_least = if by.abs() >= DIFFERENCE_LIMIT {
                "≥ "
            } else {
                ""
            };
            [
                lang.signed(y_at(r), 2),
                format!("{at_least}{}", lang.signed(by.abs(), 2)),
            ]
        };
        let rows = (0..w)
            .map(|c| {
                let x = v.x.0 + (c as f64 + 0.5) / w as f64 * (v.x.1 - v.x.0);
                let column = || (0..h).map(|r| (r, d[[r, c]])).filter(|p| p.1.is_finite());
                let a = column().fold((0, 0.0), |m, p| if p.1 > m.1 { p } else { m });
                let b = column().fold((0, 0.0), |m, p| if p.1 < m.1 { p } else { m });
                let mut row = vec![lang.signed(x, 2)];
                row.extend(said(a));
                row.extend(said(b));
                row
            })
            .collect();
        to_js(&Table {
            caption: lang
                .t(
                    "ln p_A(y | x) − ln p_B(y | x): at 11 inputs, where each experiment puts \
                    more probability than the other, and by how many nats",
                )
                .into(),
            columns: heads(
                lang,
                &["x", "A more at y", "by (nats)", "B more at y", "by (nats)"],
            ),
            rows,
        })
    }
}

/// The inputs the parameters table lists, across the plot's range.
const PARAM_ROWS: usize = 11;

impl Viewer {
    fn params_table(&self) -> Table {
        let lang = self.page_lang();
        let v = self.view();
        let xs: Vec<f64> = (0..PARAM_ROWS)
            .map(|i| v.x.0 + (v.x.1 - v.x.0) * i as f64 / (PARAM_ROWS - 1) as f64)
            .collect();
        let column = ndarray::Array2::from_shape_fn((xs.len(), 1), |(i, _)| xs[i]);
        let mixtures = crate::plot::Forecasts::mixtures(&self.shown(), &column);
        let mut rows = Vec::new();
        for (x, m) in xs.iter().zip(&mixtures) {
            for k in (0..m.k).filter(|&k| m.pi[k] >= 0.01) {
                rows.push(vec![
                    lang.signed(*x, 2),
                    format!("{}", k + 1),
                    lang.signed(m.pi[k], 3),
                    lang.signed(m.mu[k], 3),
                    lang.signed(m.sigma[k], 3),
                ]);
            }
        }
        Table {
            caption: lang.fill(
                "π_k(x), μ_k(x), σ_k(x) at {0} inputs across the plot, the components with \
                 weight π ≥ 0.01",
                &[&PARAM_ROWS.to_string()],
            ),
            columns: heads(lang, &["x", "component", "weight π", "mean μ", "scale σ"]),
            rows,
        }
    }

    fn calibration_table(&self) -> Option<Table> {
        let lang = self.page_lang();
        let (r, step) = self.cal.report.as_ref()?;
        let mut named = vec![("MDN", &r.mdn), (lang.t("MSE regressor"), &r.baseline)];
        if let Some(t) = &r.truth {
            named.push((lang.t("truth"), t));
        }
        let pct = |v: f64| format!("{}%", lang.signed(100.0 * v, 1));
        let rows = r
            .mdn
            .central
            .iter()
            .enumerate()
            .map(|(i, level)| {
                let mut row = vec![pct(level[0])];
                for (_, c) in &named {
                    row.push(c.central.get(i).map_or("—".into(), |p| pct(p[1])));
                    row.push(c.hpd.get(i).map_or("—".into(), |p| pct(p[1])));
                }
                row
            })
            .collect();
        let mut columns = vec![lang.t("nominal mass").to_string()];
        for (name, _) in &named {
            columns.push(lang.fill("{0}: central", &[name]));
            columns.push(lang.fill("{0}: HPD", &[name]));
        }
        Some(Table {
            caption: lang.fill(
                "At step {0}: the share of the {1} validation outcomes inside each forecast's \
                 central interval and HPD region of the nominal mass",
                &[&step.to_string(), &r.mdn.n.to_string()],
            ),
            columns,
            rows,
        })
    }

    fn plane_table(&mut self) -> Table {
        let lang = self.page_lang();
        let r = self.scene().report();
        let list = |v: &[f64]| {
            v.iter()
                .map(|&x| lang.signed(x, 3))
                .collect::<Vec<_>>()
                .join(lang.list_sep())
        };
        let target = list(&r.target);
        if !r.arms.is_empty() {
            let rows = r
                .arms
                .iter()
                .map(|a| {
                    vec![
                        a.component.map_or(lang.t("MSE regressor").into(), |c| {
                            lang.fill("component {0}", &[&(c + 1).to_string()])
                        }),
                        a.pi.map_or("—".into(), |p| lang.signed(p, 3)),
                        lang.signed(a.theta[0], 3),
                        lang.signed(a.theta[1], 3),
                        lang.t(a.bend()).into(),
                        lang.signed(a.miss, 4),
                    ]
                })
                .collect();
            return Table {
                caption: lang.fill("The arm's poses for the target ({0})", &[&target]),
                columns: heads(
                    lang,
                    &["pose", "weight π", "θ1", "θ2", "bend", "hand's miss"],
                ),
                rows,
            };
        }
        let mut rows: Vec<Vec<String>> = r
            .components
            .iter()
            .map(|c| {
                vec![
                    lang.fill("component {0}", &[&(c.k + 1).to_string()]),
                    lang.signed(c.pi, 3),
                    list(&c.mean),
                ]
            })
            .collect();
        rows.push(vec![
            lang.t("MSE prediction").into(),
            "—".into(),
            list(&r.baseline),
        ]);
        Table {
            caption: lang.fill(
                "At the target input ({0}): the components with π ≥ 0.05",
                &[&target],
            ),
            columns: heads(lang, &["which", "weight π", "mean"]),
            rows,
        }
    }

    /// What the main plot's branches are read from: 61 inputs across its range and the
    /// shown model's mixture at each.
    pub(in crate::web) fn branch_columns(&self) -> (Vec<f64>, Vec<crate::mdn::mixture::Mixture>) {
        let v = self.view();
        let xs: Vec<f64> = (0..61)
            .map(|i| v.x.0 + (v.x.1 - v.x.0) * i as f64 / 60.0)
            .collect();
        let column = ndarray::Array2::from_shape_fn((xs.len(), 1), |(i, _)| xs[i]);
        let mixtures = crate::plot::Forecasts::mixtures(&self.shown(), &column);
        (xs, mixtures)
    }
}
