//! Checks shared by the native tests (tests/native/core.rs) and the same checks under
//! wasm-bindgen-test in headless Chromium (tests/wasm.rs): one body, two platforms.

#![allow(clippy::needless_range_loop)]
#![allow(dead_code)]

use mdn_playground::config::spec::Spec;
use mdn_playground::mdn::head::Covariance;
use mdn_playground::mdn::head::Head;
use mdn_playground::mdn::head::SigmaMap;
use mdn_playground::share::link::Link;
use mdn_playground::train::helper::{follow, Lead};
use mdn_playground::Experiment;
use serde::Deserialize;

/// One case of tests/data/nll_reference.json (written by tests/reference/nll_reference.py).
#[derive(Deserialize)]
pub struct Case {
    pub name: String,
    pub k: usize,
    pub d: usize,
    pub sigma_map: String,
    pub sigma_min: f64,
    /// ε of the π floor (0 when absent).
    #[serde(default)]
    pub pi_floor: f64,
    /// "diag" or "full" (see src/mdn/head.rs for the raw layout of each).
    #[serde(default = "diag")]
    pub cov: String,
    pub raw: Vec<f64>,
    pub y: Vec<f64>,
    pub log_p: String,
    /// Relative tolerance of the f64 paths: 1e-14, or more where rounding the inputs alone
    /// moves ln p further (ill-conditioned covariances; see the reference script).
    #[serde(default = "default_tol")]
    pub rel_tol: f64,
    /// The reference at the inputs rounded to f32 (for the f32 training path).
    #[serde(default)]
    pub log_p_f32_inputs: String,
}

impl Case {
    pub fn head(&self) -> Head {
        let sigma = if self.sigma_map == "exp" {
            SigmaMap::Exp
        } else {
            SigmaMap::Softplus
        };
        Head {
            k: self.k,
            d: self.d,
            sigma,
            sigma_min: self.sigma_min,
            pi_floor: self.pi_floor,
            cov: if self.cov == "full" {
                Covariance::Full
            } else {
                Covariance::Diagonal
            },
            ..Default::default()
        }
    }
}

fn default_tol() -> f64 {
    1e-14
}

fn diag() -> String {
    "diag".into()
}

pub fn cases() -> Vec<Case> {
    serde_json::from_str(include_str!("../data/nll_reference.json")).unwrap()
}

/// Every reference case of tests/data/nll_reference.json, to ~1e-14 relative.
pub fn nll_matches_reference() {
    let cases = cases();
    assert!(cases.len() >= 10);
    for c in cases {
        let want: f64 = c.log_p.parse().unwrap();
        let got = c.head().mixture(&c.raw).log_prob(&c.y);
        assert!(
            got.is_finite() && (got - want).abs() <= c.rel_tol * want.abs().max(1.0),
            "{}: {got} vs {want}",
            c.name
        );
    }
}

/// The fixed experiment whose bits must agree on every platform.
pub const GOLDEN_SPEC: &str = "data=bishop-inverse&n=300&seed=42&k=3&hidden=8,8&act=tanh&sigma=softplus&sigma_min=0.01&opt=adam&lr=0.01&batch=64&steps=150";

/// The same for a full covariance (Cholesky heads) on the robot arm: two outputs.
pub const GOLDEN_FULL_SPEC: &str = "data=arm&n=300&seed=42&k=3&hidden=8,8&act=tanh&sigma=exp&sigma_min=0.01&cov=full&opt=adam&lr=0.01&batch=64&steps=150";

/// The fingerprints of both golden experiments.
pub fn golden_fingerprint() -> Vec<String> {
    let mut v = fingerprint(GOLDEN_SPEC);
    v.extend(
        fingerprint(GOLDEN_FULL_SPEC)
            .into_iter()
            .map(|l| format!("full {l}")),
    );
    v
}

/// A fingerprint of an experiment after training: metric bits and a hash of every
/// parameter's bits (FNV-1a), as hex strings.
fn fingerprint(text: &str) -> Vec<String> {
    fingerprint_on(text, 1)
}

/// The same, training on `threads` threads (natively; the bits must not change).
pub fn fingerprint_on(text: &str, threads: usize) -> Vec<String> {
    let spec = Spec::parse(text).unwrap();
    let mut e = Experiment::new(&spec);
    e.set_threads(threads).unwrap();
    e.train(spec.steps);
    let m = e.metrics();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in e.model.mdn.params.iter().chain(&e.model.baseline.params) {
        for b in p.to_bits().to_le_bytes() {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    vec![
        format!("val_nll {:016x}", m.val_nll.to_bits()),
        format!("train_nll {:016x}", m.train_nll.to_bits()),
        format!("baseline_val_mse {:016x}", m.baseline_val_mse.to_bits()),
        format!("params {h:016x}"),
    ]
}

/// The fingerprint recorded natively (x86_64), committed in tests/data/golden.txt.
pub fn golden_expected() -> Vec<String> {
    include_str!("../data/golden.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(String::from)
        .collect()
}

/// Training lowers the loss, on any platform.
pub fn short_training_learns() {
    let spec = Spec::parse("n=500&hidden=16&k=3&steps=300&lr=0.02").unwrap();
    let mut e = Experiment::new(&spec);
    let before = e.metrics().val_nll;
    e.train(spec.steps);
    let after = e.metrics().val_nll;
    assert!(
        after < before - 0.5 && after < -0.3,
        "val NLL {before} -> {after}"
    );
}

/// A compact gradient check (f64, central differences) for the platform at hand: every
/// parameter of a small MDN with K = 3, D = 2, softplus scales.
pub fn gradient_check_small() {
    use mdn_playground::base::rng::Rng;
    use mdn_playground::data::dataset::Dataset;
    use mdn_playground::mdn::model::Model;
    use mdn_playground::mdn::network::Activation;
    use mdn_playground::mdn::network::Network;
    use mdn_playground::train::pass::loss_and_gradients;
    let mut r = Rng::new(5, 0);
    let n = 150;
    let data = Dataset {
        x: ndarray::Array2::from_shape_fn((1, n), |_| r.range(-1.0, 1.0)),
        y: ndarray::Array2::from_shape_fn((2, n), |_| r.range(-1.0, 1.0)),
    };
    let head = Head {
        k: 3,
        d: 2,
        sigma: SigmaMap::Softplus,
        sigma_min: 0.01,
        pi_floor: 0.0,
        cov: Covariance::Diagonal,
        ..Default::default()
    };
    let mut mdn = Network::<f64>::new(&[1, 5, head.outputs()], Activation::Tanh, &mut r, 1.0);
    for p in mdn.params.iter_mut() {
        *p += r.range(-0.3, 0.3);
    }
    let baseline = Network::<f64>::new(&[1, 5, 2], Activation::Tanh, &mut r, 1.0);
    let m = Model {
        input_mean: vec![0.0],
        input_std: vec![1.0],
        head,
        mdn,
        baseline,
        baseline_sigma: vec![1.0; 2],
    };
    let (_, g, _, _) = loss_and_gradients(&m, &data);
    for i in 0..m.mdn.params.len() {
        let at = |d: f64| {
            let mut mm = m.clone();
            mm.mdn.params[i] += d;
            loss_and_gradients(&mm, &data).0
        };
        let fd = (at(1e-6) - at(-1e-6)) / 2e-6;
        let err = (fd - g[i]).abs() / (1e-4 + fd.abs().max(g[i].abs()));
        assert!(
            err < 1e-5,
            "parameter {i}: analytic {} vs numeric {fd}",
            g[i]
        );
    }
}

// Training split over two workers (tests/native/helper.rs, tests/wasm.rs).

/// A helper's experiment is built from the spec's link, as the page's helper does.
pub fn helper_of(spec: &Spec) -> Experiment {
    Experiment::new(&Link::parse(&format!("#{}", spec.format())).0.spec)
}

/// A clock that says "out of time" every `every`-th time it is asked, so both sides stop
/// mid-step and go on later.
fn clock(every: u32) -> impl FnMut() -> bool {
    let mut n = 0;
    move || {
        n += 1;
        n % every == 0
    }
}

/// Trains `spec` split in slices of the sizes `sizes` (cycled) and the usual way, with
/// metrics every few slices on both; asserts the same state after every slice. `helper_fails`
/// says for which slices the helper sends no report. Returns the reference experiment.
pub fn split_equals_joint(text: &str, sizes: &[u64], helper_fails: &[usize]) -> Experiment {
    let spec = Spec::parse(text).unwrap();
    let mut joint = Experiment::new(&spec);
    let mut lead_exp = Experiment::new(&spec);
    let mut helper = helper_of(&spec);
    let mut lead = Lead::default();
    let mut slice = 0;
    while !joint.planned_done() && slice < 400 {
        if joint.halted.is_some() {
            // As the page's play does after a halt: go on.
            joint.resume();
            lead_exp.resume();
        }
        let n = sizes[slice % sizes.len()].min(spec.steps - joint.step);
        let order = lead.begin(&mut lead_exp, n);
        let steps = follow(&mut helper, &order).unwrap();
        assert_eq!(steps, n);
        let mut left = steps;
        let mut out = clock(3 + slice as u32 % 5);
        while left > 0 && helper.halted.is_none() {
            left -= helper.train_within(left, &mut out);
        }
        let mut out = clock(2 + slice as u32 % 7);
        while !lead.train_within(&mut lead_exp, &mut out) {}
        let report = helper.baseline_part();
        let report = (!helper_fails.contains(&slice)).then_some(&report[..]);
        let losses = lead.finish(&mut lead_exp, report);
        let before = joint.step;
        let mut expected = Vec::new();
        for _ in 0..n {
            if joint.train_within(1, &mut || false) == 0 {
                break;
            }
            expected.push((joint.step, joint.last.nll));
        }
        assert_eq!(losses, expected, "{text}: slice {slice} from step {before}");
        assert_eq!(lead_exp.last, joint.last, "{text}: slice {slice}");
        assert!(
            lead_exp.save().to_bytes() == joint.save().to_bytes(),
            "{text}: slice {slice} ({n} steps from step {before}): the states differ"
        );
        if slice % 4 == 3 {
            assert_eq!(lead_exp.metrics(), joint.metrics(), "{text}: slice {slice}");
        }
        slice += 1;
    }
    assert_eq!(lead_exp.metrics(), joint.metrics(), "{text}");
    joint
}

/// Short handwriting runs (the LSTM-MDN and both baselines), whose bits must be the same
/// natively and in the browser: a narrow one (one chunk of words per step), and one whose
/// batches fill chunks of 16 and 8 lanes with words of many lengths.
pub const STROKES_GOLDEN_SPEC: &str = "seed=3&n=40&hidden=8&layers=2&skip=1&m=3&batch=4&steps=25";
pub const STROKES_GOLDEN_WIDE: &str = "seed=5&n=60&hidden=12&m=2&batch=40&steps=4";
/// The synthesis network (a window over lines of text) beside its baselines: two layers
/// with skip connections, batches of a chunk of 16 lanes and one of 8.
pub const STROKES_GOLDEN_SYNTH: &str =
    "data=lines&seed=4&n=40&hidden=8&layers=2&skip=1&m=3&batch=20&steps=4&window=3&advance=softplus";

pub fn strokes_fingerprint() -> Vec<String> {
    let mut out = strokes_run_fingerprint(STROKES_GOLDEN_SPEC, "");
    out.extend(strokes_run_fingerprint(STROKES_GOLDEN_WIDE, "wide "));
    out.extend(strokes_run_fingerprint(STROKES_GOLDEN_SYNTH, "lines "));
    out
}

fn strokes_run_fingerprint(text: &str, tag: &str) -> Vec<String> {
    use mdn_playground::strokes::train::{StrokeRun, StrokeSpec};
    let spec = StrokeSpec::parse(text).unwrap();
    let mut run = StrokeRun::new(&spec);
    for _ in 0..spec.steps {
        run.train_step();
    }
    let mut out = Vec::new();
    let names = if spec.window > 0 {
        ["synthesis", "lstm", "feed_forward"]
    } else {
        ["lstm", "one_component", "feed_forward"]
    };
    for (name, v) in names.iter().zip(run.val_nll()) {
        out.push(format!("{tag}{name} val_nll {:016x}", v.to_bits()));
    }
    // Every parameter of the LSTM-MDN, folded into one word.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in &run.models[0].model.net.params {
        h = (h ^ p.to_bits()).wrapping_mul(0x0000_0100_0000_01b3);
    }
    out.push(format!("{tag}{} params {h:016x}", names[0]));
    out
}

pub fn strokes_expected() -> Vec<String> {
    include_str!("../data/strokes_golden.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(String::from)
        .collect()
}
