//! Each figure's numbers as a table, for a reader who would rather read than look (or
//! cannot look): the slice's components, the loss panel's readings, the main plot's
//! branches. Plain strings; the page builds the table with `textContent`.

use super::*;
use crate::base::text::signed;
use serde::Serialize;

/// A table: its caption, column heads and rows of cells (plain text).
#[derive(Serialize)]
struct Table {
    caption: String,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// The most loss readings listed (the latest ones).
const LOSS_ROWS: usize = 60;

#[wasm_bindgen]
impl Viewer {
    /// The numbers of figure `which` ("slice" at `x0`, "loss", "main") as a table
    /// `{caption, columns, rows}`; `undefined` for another name or for two outputs.
    pub fn figure_table(&self, which: &str, x0: f64) -> Result<JsValue, JsValue> {
        let table = match which {
            _ if self.info.dout != 1 => None,
            "slice" => Some(self.slice_table(x0)),
            "loss" => Some(self.loss_table()),
            "main" => Some(self.branch_table()),
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
        let (x0, m, baseline) = self.slice_at(x0);
        let mut order: Vec<usize> = (0..m.k).filter(|&k| m.pi[k] >= 1e-3).collect();
        order.sort_by(|&a, &b| m.mu[a].total_cmp(&m.mu[b]));
        let mut rows: Vec<Vec<String>> = order
            .iter()
            .map(|&k| {
                vec![
                    format!("component {}", k + 1),
                    signed(m.pi[k], 3),
                    signed(m.mu[k], 3),
                    signed(m.sigma[k], 3),
                ]
            })
            .collect();
        let dash = || "—".to_string();
        rows.push(vec![
            "MSE prediction".into(),
            dash(),
            signed(baseline, 3),
            dash(),
        ]);
        rows.push(vec![
            "mixture mean".into(),
            dash(),
            signed(m.mean()[0], 3),
            dash(),
        ]);
        Table {
            caption: format!(
                "p(y | x₀ = {}): the components with weight π ≥ 0.001, by their means",
                signed(x0, 3)
            ),
            columns: ["which", "weight π", "mean μ", "scale σ"]
                .map(String::from)
                .into(),
            rows,
        }
    }

    fn loss_table(&self) -> Table {
        let [_, val, base] = &self.snapshot.histories;
        let n = val.len().min(base.len());
        let from = n.saturating_sub(LOSS_ROWS);
        let rows = (from..n)
            .map(|i| {
                vec![
                    format!("{}", val[i].0),
                    signed(val[i].1, 3),
                    signed(base[i].1, 3),
                ]
            })
            .collect();
        Table {
            caption: format!(
                "Validation NLL (nats per point) at each reading{}",
                if from > 0 { ", the latest 60" } else { "" }
            ),
            columns: ["step", "MDN", "MSE regressor"].map(String::from).into(),
            rows,
        }
    }

    fn branch_table(&self) -> Table {
        let (xs, mixtures) = self.branch_columns();
        let rows = crate::forecast::peaks::branch_runs(&xs, &mixtures, self.view().y)
            .iter()
            .map(|&(a, b, n)| vec![signed(a, 2), signed(b, 2), n.to_string()])
            .collect();
        Table {
            caption: "p(y | x): its branches (peaks holding at least 0.1) over x".into(),
            columns: ["x from", "x to", "branches"].map(String::from).into(),
            rows,
        }
    }
}

impl Viewer {
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
