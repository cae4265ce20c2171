//! A trained model (the MDN and its MSE baseline), its queries, and its JSON file format.
//!
//! The file format is documented in the README ("Model file"); `Model::from_json`
//! validates every field and reports the first problem in words.

use crate::base::math::Real;
use crate::base::named::Named;
use crate::base::rng::Rng;
use crate::mdn::family::Family;
use crate::mdn::family::NU_RANGE;
use crate::mdn::head::Covariance;
use crate::mdn::head::Head;
use crate::mdn::head::SigmaMap;
use crate::mdn::head::{PI_FLOOR_RANGE, SIGMA_MIN_RANGE};
use crate::mdn::kernels::{Kernels, BLOCK};
use crate::mdn::mixture::{Mixture, Temperature};
use crate::mdn::network::Activation;
use crate::mdn::network::{Network, Workspace};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "mdn-playground-model";
pub const VERSION: u32 = 1;

/// The float type training runs in: f32 gives twice the vector lanes of f64. Parameters
/// are stored as f32 and converted exactly to f64 in the model file.
pub type Precision = f32;

#[derive(Clone, Debug)]
pub struct Model<R: Real = Precision> {
    /// Inputs are standardised before the networks see them: x' = (x − mean) / std,
    /// with the training set's mean and standard deviation per input dimension.
    pub input_mean: Vec<f64>,
    pub input_std: Vec<f64>,
    pub head: Head,
    pub mdn: Network<R>,
    pub baseline: Network<R>,
    /// The baseline's noise scale per output dimension (root of its training MSE), so that
    /// it is a Gaussian model too and can be compared in nats.
    pub baseline_sigma: Vec<f64>,
}

impl<R: Real + Kernels> Model<R> {
    pub fn din(&self) -> usize {
        self.mdn.din()
    }

    pub fn dout(&self) -> usize {
        self.head.d
    }

    /// Input dimension j of a raw input value, standardised.
    #[inline(always)]
    pub fn standardize(&self, j: usize, v: f64) -> f64 {
        (v - self.input_mean[j]) / self.input_std[j]
    }

    fn standardized(&self, x: &[f64]) -> Vec<f64> {
        x.iter()
            .enumerate()
            .map(|(j, v)| self.standardize(j, *v))
            .collect()
    }

    /// Queries at one input at a time, with workspaces of their own made once.
    pub fn queries(&self) -> Queries<'_, R> {
        Queries {
            model: self,
            ws: Workspace::new(&self.mdn.sizes),
            wsb: Workspace::new(&self.baseline.sizes),
        }
    }

    /// The mixture p(y | x) for an input given by a user (any numbers): a clear refusal
    /// when x is not finite or the model's outputs there are not finite numbers.
    pub fn checked_mixture(&self, x: &[f64]) -> Result<Mixture, String> {
        let at = || {
            let mut t = String::new();
            for (i, v) in x.iter().enumerate() {
                if i > 0 {
                    t.push(',');
                }
                crate::base::text::write_shortest(&mut t, *v);
            }
            t
        };
        if x.len() != self.din() || x.iter().any(|v| !v.is_finite()) {
            return Err(format!(
                "x = {} is not {} finite number(s)",
                at(),
                self.din()
            ));
        }
        let m = self.queries().mixture(x);
        m.check().map_err(|what| {
            format!(
                "at x = {} the model's {what} are not finite numbers (the input is too far \
                 outside the data it was trained on for its arithmetic)",
                at()
            )
        })?;
        Ok(m)
    }

    /// Refuses a model whose outputs are not finite numbers over the region of the data
    /// it was trained on (standardised inputs from −4 to 4 in every dimension): such a
    /// file, e.g. with weights of ±1e38, would make every query fail. Checks the mixture
    /// parameters and the baseline's prediction.
    pub fn check_outputs(&self) -> Result<(), String> {
        let din = self.din();
        // A 9-point grid per dimension up to two inputs; beyond, the axes.
        let zs: Vec<Vec<f64>> = if din <= 2 {
            let g: Vec<f64> = (0..=8).map(|i| -4.0 + i as f64).collect();
            if din == 1 {
                g.iter().map(|z| vec![*z]).collect()
            } else {
                g.iter()
                    .flat_map(|a| g.iter().map(move |b| vec![*a, *b]))
                    .collect()
            }
        } else {
            let mut v = vec![vec![0.0; din]];
            for j in 0..din {
                for z in [-4.0, -2.0, 2.0, 4.0] {
                    let mut p = vec![0.0; din];
                    p[j] = z;
                    v.push(p);
                }
            }
            v
        };
        let xs = Array2::from_shape_fn((zs.len(), din), |(i, j)| {
            self.input_mean[j] + zs[i][j] * self.input_std[j]
        });
        let mixtures = self.mixtures(&xs);
        let mut q = self.queries();
        for (i, m) in mixtures.iter().enumerate() {
            let x: Vec<f64> = xs.row(i).to_vec();
            let bad = m.check().err().or_else(|| {
                let b = q.baseline(&x);
                (!b.iter().all(|v| v.is_finite())).then_some("baseline predictions")
            });
            if let Some(what) = bad {
                return Err(format!(
                    "the model's {what} are not finite numbers at x = {} (within the range \
                     of its training data): its weights are too large to evaluate",
                    x.iter()
                        .map(|v| format!("{v:.4}"))
                        .collect::<Vec<_>>()
                        .join(",")
                ));
            }
        }
        Ok(())
    }

    /// Mixtures at many inputs (one input per row of `xs`, shape (n, din)), in blocks.
    pub fn mixtures(&self, xs: &Array2<f64>) -> Vec<Mixture> {
        let mut ws = Workspace::<R>::new(&self.mdn.sizes);
        let mut out = Vec::with_capacity(xs.nrows());
        let rows = self.head.outputs();
        let mut raw = vec![0.0; rows];
        for start in (0..xs.nrows()).step_by(BLOCK) {
            let nb = BLOCK.min(xs.nrows() - start);
            for i in 0..nb {
                for j in 0..self.din() {
                    ws.acts[0][j * BLOCK + i] = R::of(self.standardize(j, xs[[start + i, j]]));
                }
            }
            self.mdn.forward(&mut ws, nb);
            for i in 0..nb {
                for (r, v) in raw.iter_mut().enumerate() {
                    *v = ws.output()[r * BLOCK + i].f64();
                }
                out.push(self.head.mixture(&raw));
            }
        }
        out
    }

    /// For each input (a column of `x`, shape (din, n), as in a [`crate::data::dataset::Dataset`]):
    /// the mean of the most probable component and the baseline's prediction, each as
    /// (dout, n). Cheaper than [`Model::mixtures`]: the component is the largest logit.
    pub fn point_predictions(&self, x: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
        let n = x.ncols();
        let (d, k) = (self.dout(), self.head.k);
        let mut ws = Workspace::<R>::new(&self.mdn.sizes);
        let mut wsb = Workspace::<R>::new(&self.baseline.sizes);
        let mut top = Array2::zeros((d, n));
        let mut base = Array2::zeros((d, n));
        for start in (0..n).step_by(BLOCK) {
            let nb = BLOCK.min(n - start);
            for j in 0..self.din() {
                for i in 0..nb {
                    let v = R::of(self.standardize(j, x[[j, start + i]]));
                    ws.acts[0][j * BLOCK + i] = v;
                    wsb.acts[0][j * BLOCK + i] = v;
                }
            }
            self.mdn.forward(&mut ws, nb);
            self.baseline.forward(&mut wsb, nb);
            let out = ws.output();
            for i in 0..nb {
                let mut best = 0;
                for c in 1..k {
                    if out[c * BLOCK + i].f64() > out[best * BLOCK + i].f64() {
                        best = c;
                    }
                }
                for a in 0..d {
                    top[[a, start + i]] = out[self.head.mean_row(best, a) * BLOCK + i].f64();
                    base[[a, start + i]] = wsb.output()[a * BLOCK + i].f64();
                }
            }
        }
        (top, base)
    }

    /// ln p(y | x) on a grid, for one input and one output dimension:
    /// `out[[iy, ix]]` at x = xs[ix], y = ys[iy].
    pub fn log_density_grid(&self, xs: &[f64], ys: &[f64]) -> Array2<f64> {
        assert!(self.din() == 1 && self.dout() == 1);
        let grid = Array2::from_shape_fn((xs.len(), 1), |(i, _)| xs[i]);
        let mix = self.mixtures(&grid);
        Array2::from_shape_fn((ys.len(), xs.len()), |(iy, ix)| {
            mix[ix].log_density(&[ys[iy]])
        })
    }

    /// `n` samples of y given x at temperature `t`, each with its component.
    pub fn sample(
        &self,
        x: &[f64],
        n: usize,
        t: Temperature,
        rng: &mut Rng,
    ) -> Vec<(usize, Vec<f64>)> {
        self.queries().mixture(x).samples(n, t, rng)
    }

    pub fn to_file(&self, spec: &str) -> ModelFile {
        ModelFile {
            format: FORMAT.into(),
            version: VERSION,
            spec: spec.into(),
            input_dim: self.din(),
            output_dim: self.dout(),
            input_mean: self.input_mean.clone(),
            input_std: self.input_std.clone(),
            mdn: NetFile {
                activation: self.mdn.act.name().into(),
                layers: layers_of(&self.mdn),
                head: Some(HeadFile {
                    components: self.head.k,
                    covariance: self.head.cov.name().into(),
                    sigma_map: self.head.sigma.name().into(),
                    sigma_min: self.head.sigma_min,
                    pi_floor: self.head.pi_floor,
                    family: (self.head.family != Family::Gaussian)
                        .then(|| self.head.family.name().into()),
                    nu: (self.head.family == Family::Student).then_some(self.head.nu),
                }),
                sigma: None,
            },
            baseline: NetFile {
                activation: self.baseline.act.name().into(),
                layers: layers_of(&self.baseline),
                head: None,
                sigma: Some(self.baseline_sigma.clone()),
            },
        }
    }

    pub fn to_json(&self, spec: &str) -> String {
        serde_json::to_string_pretty(&self.to_file(spec)).expect("model serializes")
    }

    /// Reads and validates a model file.
    pub fn from_json(text: &str) -> Result<(Model<R>, String), String> {
        if text.len() > 64 << 20 {
            return Err("model file is larger than 64 MiB".into());
        }
        let f: ModelFile =
            serde_json::from_str(text).map_err(|e| format!("not a model file: {e}"))?;
        if f.format != FORMAT {
            return Err(format!(
                "format is {:?}, expected {FORMAT:?}",
                crate::base::text::quote(&f.format)
            ));
        }
        if f.version != VERSION {
            return Err(format!(
                "version {} is not supported (this program reads version {VERSION})",
                f.version
            ));
        }
        if !(1..=16).contains(&f.input_dim) || !(1..=16).contains(&f.output_dim) {
            return Err("input_dim and output_dim must be 1 to 16".into());
        }
        if f.input_mean.len() != f.input_dim || f.input_mean.iter().any(|v| !v.is_finite()) {
            return Err("input_mean must hold input_dim finite numbers".into());
        }
        if f.input_std.len() != f.input_dim
            || f.input_std.iter().any(|v| !(v.is_finite() && *v > 0.0))
        {
            return Err("input_std must hold input_dim positive numbers".into());
        }
        let head = head_of(&f)?;
        let mdn = network_of("mdn", &f.mdn, f.input_dim, head.outputs())?;
        let baseline = network_of("baseline", &f.baseline, f.input_dim, f.output_dim)?;
        let bs = f
            .baseline
            .sigma
            .clone()
            .ok_or("baseline.sigma is missing")?;
        if bs.len() != f.output_dim || bs.iter().any(|s| !(s.is_finite() && *s > 0.0)) {
            return Err("baseline.sigma must hold output_dim positive numbers".into());
        }
        let model = Model {
            input_mean: f.input_mean,
            input_std: f.input_std,
            head,
            mdn,
            baseline,
            baseline_sigma: bs,
        };
        model.check_outputs()?;
        Ok((model, f.spec))
    }
}

/// The head a model file describes, its settings checked.
fn head_of(f: &ModelFile) -> Result<Head, String> {
    let h = f.mdn.head.as_ref().ok_or("mdn.head is missing")?;
    if !(1..=crate::mdn::head::K_RANGE.1).contains(&h.components) {
        return Err(format!(
            "mdn.head.components must be 1 to {}",
            crate::mdn::head::K_RANGE.1
        ));
    }
    let sigma = named::<SigmaMap>("mdn.head.sigma_map", &h.sigma_map)?;
    in_range("mdn.head.pi_floor", h.pi_floor, PI_FLOOR_RANGE)?;
    in_range("mdn.head.sigma_min", h.sigma_min, SIGMA_MIN_RANGE)?;
    let cov = named::<Covariance>("mdn.head.covariance", &h.covariance)?;
    let family = match &h.family {
        Some(name) => named::<Family>("mdn.head.family", name)?,
        None => Family::Gaussian,
    };
    let nu = match (family, h.nu) {
        (Family::Student, Some(nu)) => {
            in_range("mdn.head.nu", nu, NU_RANGE)?;
            nu
        }
        (Family::Student, None) => return Err("mdn.head.nu is missing".into()),
        (_, Some(_)) => return Err("mdn.head.nu belongs to family student only".into()),
        (_, None) => crate::mdn::family::NU,
    };
    if family != Family::Gaussian && cov == Covariance::Full {
        return Err("mdn.head.covariance full is for the gaussian family only".into());
    }
    if family == Family::Hurdle && f.output_dim != 1 {
        return Err("mdn.head.family hurdle needs output_dim 1".into());
    }
    Ok(Head {
        k: h.components,
        d: f.output_dim,
        cov,
        sigma,
        sigma_min: h.sigma_min,
        pi_floor: h.pi_floor,
        family,
        nu,
    })
}

/// A model's queries at one input at a time: the networks' workspaces are made once and
/// reused by every call.
pub struct Queries<'m, R: Real + Kernels> {
    model: &'m Model<R>,
    ws: Workspace<R>,
    wsb: Workspace<R>,
}

impl<R: Real + Kernels> Queries<'_, R> {
    /// The mixture p(y | x).
    pub fn mixture(&mut self, x: &[f64]) -> Mixture {
        let m = self.model;
        let raw = m.mdn.predict(&m.standardized(x), &mut self.ws);
        m.head.mixture(&raw)
    }

    /// The baseline's prediction (its estimate of E[y | x]).
    pub fn baseline(&mut self, x: &[f64]) -> Vec<f64> {
        let m = self.model;
        m.baseline.predict(&m.standardized(x), &mut self.wsb)
    }

    /// The baseline's prediction at x read as a Gaussian: one component, σ its training
    /// RMSE (of the first output dimension).
    pub fn baseline_mixture(&mut self, x: &[f64]) -> Mixture {
        let mu = self.baseline(x)[0];
        let s = self.model.baseline_sigma[0];
        Mixture::gaussian(1, vec![1.0], vec![0.0], vec![mu], vec![s], Vec::new())
    }
}

impl<R: Real> Model<R> {
    /// The same model in f64: the same weights (every f32 is exactly an f64), evaluated
    /// without the rounding of f32 arithmetic (an export's reference values).
    pub fn widened(&self) -> Model<f64> {
        let widen = |n: &Network<R>| Network::<f64> {
            sizes: n.sizes.clone(),
            act: n.act,
            params: n.params.iter().map(|p| p.f64()).collect(),
        };
        Model {
            input_mean: self.input_mean.clone(),
            input_std: self.input_std.clone(),
            head: self.head,
            mdn: widen(&self.mdn),
            baseline: widen(&self.baseline),
            baseline_sigma: self.baseline_sigma.clone(),
        }
    }
}

/// The value of an enum written by name in the file (the names of the spec's keys).
fn named<T: Named>(field: &str, name: &str) -> Result<T, String> {
    T::from_name(name).ok_or_else(|| {
        let names: Vec<String> = T::NAMES.iter().map(|n| format!("{n:?}")).collect();
        format!("{field} must be {}", names.join(" or "))
    })
}

/// A number of the file within the range of the spec's key of the same meaning.
fn in_range(field: &str, v: f64, (lo, hi): (f64, f64)) -> Result<(), String> {
    if v.is_finite() && (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(format!("{field} must be a number from {lo} to {hi}"))
    }
}

fn layers_of<R: Real + Kernels>(net: &Network<R>) -> Vec<LayerFile> {
    (0..net.layers())
        .map(|l| {
            let (din, dout) = (net.sizes[l], net.sizes[l + 1]);
            let off: usize = net
                .sizes
                .windows(2)
                .take(l)
                .map(|w| w[0] * w[1] + w[1])
                .sum();
            let f = |v: &[R]| v.iter().map(|x| x.f64()).collect::<Vec<f64>>();
            let w = &net.params[off..off + din * dout];
            LayerFile {
                inputs: din,
                outputs: dout,
                weights: (0..din).map(|j| f(&w[j * dout..(j + 1) * dout])).collect(),
                bias: f(&net.params[off + din * dout..off + din * dout + dout]),
            }
        })
        .collect()
}

fn network_of<R: Real>(
    name: &str,
    f: &NetFile,
    din: usize,
    dout: usize,
) -> Result<Network<R>, String> {
    let act = named::<Activation>(&format!("{name}.activation"), &f.activation)?;
    if f.layers.is_empty() || f.layers.len() > crate::mdn::network::LAYERS_MAX + 1 {
        return Err(format!(
            "{name}.layers must hold 1 to {} layers",
            crate::mdn::network::LAYERS_MAX + 1
        ));
    }
    let mut sizes = vec![din];
    let mut params = Vec::new();
    for (i, l) in f.layers.iter().enumerate() {
        let want_in = *sizes.last().unwrap();
        if l.inputs != want_in {
            return Err(format!(
                "{name}.layers[{i}].inputs is {}, expected {want_in}",
                l.inputs
            ));
        }
        if l.outputs == 0 || l.outputs > 1024 {
            return Err(format!("{name}.layers[{i}].outputs must be 1 to 1024"));
        }
        if l.weights.len() != l.inputs || l.weights.iter().any(|r| r.len() != l.outputs) {
            return Err(format!(
                "{name}.layers[{i}].weights must be {} rows of {} numbers",
                l.inputs, l.outputs
            ));
        }
        if l.bias.len() != l.outputs {
            return Err(format!(
                "{name}.layers[{i}].bias must hold {} numbers",
                l.outputs
            ));
        }
        for r in &l.weights {
            params.extend_from_slice(r);
        }
        params.extend_from_slice(&l.bias);
        sizes.push(l.outputs);
    }
    if *sizes.last().unwrap() != dout {
        return Err(format!(
            "{name}: the last layer has {} outputs, expected {dout}",
            sizes.last().unwrap()
        ));
    }
    let params: Vec<R> = params.into_iter().map(R::of).collect();
    if params.iter().any(|p| !p.f64().is_finite()) {
        return Err(format!(
            "{name}: every weight and bias must be a finite number in the model's precision"
        ));
    }
    Ok(Network { sizes, act, params })
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub format: String,
    pub version: u32,
    /// The experiment spec it was trained with (informative).
    pub spec: String,
    pub input_dim: usize,
    pub output_dim: usize,
    /// Inputs are standardised, (x − input_mean) / input_std, before the first layer.
    pub input_mean: Vec<f64>,
    pub input_std: Vec<f64>,
    pub mdn: NetFile,
    pub baseline: NetFile,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct NetFile {
    pub activation: String,
    pub layers: Vec<LayerFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<HeadFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sigma: Option<Vec<f64>>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct LayerFile {
    pub inputs: usize,
    pub outputs: usize,
    /// `weights[j][o]` connects input j to output o.
    pub weights: Vec<Vec<f64>>,
    pub bias: Vec<f64>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct HeadFile {
    pub components: usize,
    /// "diag" (σ per dimension) or "full" (a Cholesky factor per component); files
    /// written before full covariances existed have no such field and are diagonal.
    #[serde(default = "diagonal")]
    pub covariance: String,
    pub sigma_map: String,
    pub sigma_min: f64,
    /// ε: π = (1 − ε) softmax(logits) + ε/K (0 in files written before it existed).
    #[serde(default)]
    pub pi_floor: f64,
    /// The components' family: absent for Gaussian ones (and in files written before
    /// families existed), otherwise "laplace", "student", "hurdle" or "vonmises". The
    /// layout of the last layer's outputs is the diagonal Gaussian one with the family's
    /// location and scale in the mean and σ rows; "hurdle" adds a last output, the logit
    /// of P(y = 0) (see `src/mdn/head.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Student-t's degrees of freedom (family "student" only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nu: Option<f64>,
}

fn diagonal() -> String {
    "diag".into()
}
