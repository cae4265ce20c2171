//! The Viewer's view: sampling, the 2-D views' target, your own points.

use super::*;

/// How far from every training input, as a share of the inputs' extent (its diagonal), a
/// target counts as outside the data.
const OUTSIDE_DATA: f64 = 0.05;

/// The view: sampling, the 2-D views' target, your own points.
#[wasm_bindgen]
impl Viewer {
    /// Sets how the views sample the model: the temperatures of the mixing weights and
    /// of the scales (each clamped to [`Temperature::RANGE`]; not a number: 1), the number
    /// of samples (to the nearest the page offers) and whether to show the most probable
    /// point. The link's view follows.
    pub fn set_sampling(&mut self, temp_pi: f64, temp_sigma: f64, n: u32, mode: bool) {
        let text = format!(
            "tpi={temp_pi}&tsigma={temp_sigma}&samples={n}&mode={}",
            mode as u8
        );
        let view = Link::parse(&text).0.view;
        let v = &mut self.link.view;
        (v.temp_pi, v.temp_sigma, v.samples, v.mode) =
            (view.temp_pi, view.temp_sigma, view.samples, view.mode);
        self.sampling.temp = Temperature {
            pi: view.temp_pi,
            sigma: view.temp_sigma,
        };
        self.sampling.n = view.samples;
        self.sampling.mode = view.mode;
        self.scene = None;
    }

    /// The sampling settings: [τ_π, τ_σ, samples, mode (0 or 1)].
    pub fn sampling(&self) -> Vec<f64> {
        let v = &self.link.view;
        vec![
            v.temp_pi,
            v.temp_sigma,
            v.samples as f64,
            v.mode as u8 as f64,
        ]
    }

    /// Moves the 2-D views' input to `x` (clamped to the data's input range; values that
    /// are not numbers keep the old ones) and returns where it went. The link's view
    /// follows.
    pub fn set_target(&mut self, x: &[f64]) -> Vec<f64> {
        self.target = self.info.clamp_input(x, &self.target);
        self.link.view.target = Some(self.target.iter().map(|t| round6(*t)).collect());
        self.scene = None;
        self.target.clone()
    }

    pub fn target(&self) -> Vec<f64> {
        self.target.clone()
    }

    /// For two inputs: a note when the target lies away from every training input (its
    /// nearest one farther than [`OUTSIDE_DATA`] of the inputs' extent), where the model's
    /// answer is a guess; empty otherwise (plain text).
    pub fn target_note(&self) -> String {
        if self.info.din != 2 || self.points.is_empty() {
            return String::new();
        }
        let range = |f: fn(&(f64, f64)) -> f64| {
            let (lo, hi) = self
                .points
                .iter()
                .map(f)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(v), b.max(v))
                });
            hi - lo
        };
        let span = range(|p| p.0).hypot(range(|p| p.1));
        let (tx, ty) = (self.target[0], self.target[1]);
        let nearest = self
            .points
            .iter()
            .map(|(x, y)| ((x - tx).powi(2) + (y - ty).powi(2)).sqrt())
            .fold(f64::INFINITY, f64::min);
        if nearest <= OUTSIDE_DATA * span {
            return String::new();
        }
        let lang = self.page_lang();
        lang.fill(
            "The target is outside the training data (the nearest input is {0} away): the \
             model never saw inputs here, so its answer is a guess.",
            &[&lang.signed(nearest, 3)],
        )
    }

    /// What the 2-D views show at the target: π, means and covariances of the likely
    /// components, the MSE prediction, and for the arm each pose with its miss distance.
    pub fn target_report(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.scene().report())
    }

    /// `data=custom`: the points as CSV (empty for the built-in data sets).
    pub fn points_csv(&self) -> String {
        self.link
            .spec
            .points
            .as_ref()
            .map(|u| u.to_csv())
            .unwrap_or_default()
    }

    /// The points as CSV: your own, or the built-in set's training points.
    pub fn data_csv(&self) -> String {
        match self.points_csv() {
            own if !own.is_empty() => own,
            _ => {
                let mut out = String::from("x,y\n");
                for (x, y) in &self.train_all {
                    out.push_str(&format!("{x},{y}\n"));
                }
                out
            }
        }
    }

    /// Length of the `pts=` value in this experiment's link (0 without own points).
    pub fn pts_length(&self) -> u32 {
        self.link
            .spec
            .points
            .as_ref()
            .map_or(0, |u| crate::data::userdata::encode(u).len() as u32)
    }

    /// Where editing the data by hand starts from, as a flat [x, y, ...] array (one input
    /// and one output only; empty otherwise): with your own points, every one of them,
    /// the held-out fifth too, exactly; with a built-in data set, 300 of its training
    /// points, evenly thinned.
    pub fn edit_points(&self) -> Vec<f64> {
        match &self.link.spec.points {
            Some(u) if u.cols == 2 => u.values.clone(),
            Some(_) => Vec::new(),
            None => self.train_points.iter().flat_map(|p| [p.0, p.1]).collect(),
        }
    }
}
