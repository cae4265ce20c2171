//! The model file: a saved model reloads to the same densities, and a broken file gets a
//! clear error, never a panic.

use mdn_playground::mdn::model::Model;
use mdn_playground::{Experiment, Spec};

fn trained() -> Experiment {
    let spec = Spec::parse("n=300&hidden=6,5&k=3&steps=60&sigma=softplus").unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    e.metrics();
    e
}

#[test]
fn saved_model_reloads_bit_for_bit() {
    let e = trained();
    let text = e.model.to_json(&e.spec.format());
    let (m, spec) = Model::<f32>::from_json(&text).unwrap();
    assert_eq!(spec, e.spec.format());
    assert_eq!(m.mdn, e.model.mdn);
    assert_eq!(m.baseline, e.model.baseline);
    let mut ws = m.queries();
    let mut ws2 = m.queries();
    for x in [-0.1, 0.2, 0.5, 0.9] {
        assert_eq!(ws.mixture(&[x]), ws2.mixture(&[x]));
    }
}

/// The network of a model file run by hand in f64 on input `x`, from the README's
/// recipe: standardise, then each layer (tanh between layers, the last one linear).
fn forward_by_hand(v: &serde_json::Value, x: &[f64]) -> Vec<f64> {
    let mut h: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(j, xj)| {
            (xj - v["input_mean"][j].as_f64().unwrap()) / v["input_std"][j].as_f64().unwrap()
        })
        .collect();
    let layers = v["mdn"]["layers"].as_array().unwrap();
    for (li, l) in layers.iter().enumerate() {
        let outs = l["outputs"].as_u64().unwrap() as usize;
        let mut z: Vec<f64> = l["bias"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_f64().unwrap())
            .collect();
        for (j, row) in l["weights"].as_array().unwrap().iter().enumerate() {
            for o in 0..outs {
                z[o] += row[o].as_f64().unwrap() * h[j];
            }
        }
        h = if li + 1 < layers.len() {
            z.iter().map(|v| v.tanh()).collect()
        } else {
            z
        };
    }
    h
}

/// The README's recipe rebuilds the density from the file with nothing but the
/// documented fields: here done by hand, in plain f64 with std's exp/ln, and compared.
/// (A misread field, layer order or head layout would be off by far more than 1e-5.)
#[test]
fn the_documented_format_is_enough_to_rebuild_the_density() {
    let e = trained();
    let v: serde_json::Value = serde_json::from_str(&e.model.to_json("")).unwrap();
    let x = 0.37f64;
    let y = 0.61f64;
    let h = forward_by_hand(&v, &[x]);
    let k = v["mdn"]["head"]["components"].as_u64().unwrap() as usize;
    let floor = v["mdn"]["head"]["sigma_min"].as_f64().unwrap();
    assert_eq!(v["mdn"]["head"]["sigma_map"], "softplus");
    let mx = h[..k].iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let zsum: f64 = h[..k].iter().map(|l| (l - mx).exp()).sum();
    let p: f64 = (0..k)
        .map(|c| {
            let pi = (h[c] - mx).exp() / zsum;
            let mu = h[k + c];
            let s = floor + (1.0 + h[2 * k + c].exp()).ln();
            pi * (-(y - mu) * (y - mu) / (2.0 * s * s)).exp()
                / (s * (2.0 * std::f64::consts::PI).sqrt())
        })
        .sum();
    let mut ws = e.model.queries();
    let ours = ws.mixture(&[x]).log_prob(&[y]);
    // The engine runs the network in f32 (the file's numbers are f32 values); this
    // rebuild runs it in f64: they agree to f32 rounding.
    assert!((p.ln() - ours).abs() < 1e-5, "{} vs {ours}", p.ln());
}

fn edit(text: &str, f: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    f(&mut v);
    v.to_string()
}

#[test]
fn broken_files_are_refused_with_a_reason() {
    let e = trained();
    let good = e.model.to_json("");
    let cases: Vec<(String, &str)> = vec![
        ("".into(), "not a model file"),
        ("[]".into(), "not a model file"),
        (good.replace("mdn-playground-model", "other"), "format"),
        (
            good.replace("\"version\": 1", "\"version\": 9"),
            "version 9",
        ),
        (
            good.replace("\"activation\": \"tanh\"", "\"activation\": \"gelu\""),
            "activation",
        ),
        (
            good.replace("\"sigma_map\": \"softplus\"", "\"sigma_map\": \"cube\""),
            "sigma_map",
        ),
        (
            good.replacen("\"components\": 3", "\"components\": 4", 1),
            "last layer has 9 outputs, expected 12",
        ),
        (
            good.replacen("\"inputs\": 6", "\"inputs\": 7", 1),
            "inputs is 7, expected 6",
        ),
        (
            edit(&good, |v| v["input_std"][0] = (-1.0).into()),
            "input_std",
        ),
        (
            edit(&good, |v| v["mdn"]["layers"][0]["bias"][0] = "NaN".into()),
            "not a model file",
        ),
        (
            edit(&good, |v| {
                v["mdn"]["layers"][1]["weights"][2] = serde_json::json!([1.0])
            }),
            "weights must be 6 rows of 5 numbers",
        ),
        (
            edit(&good, |v| v["baseline"]["sigma"] = serde_json::json!([0.0])),
            "baseline.sigma",
        ),
        (
            edit(&good, |v| v["mdn"]["head"]["sigma_min"] = 5.0.into()),
            "sigma_min",
        ),
        (
            good.replacen("\"format\"", "\"extra\": 1, \"format\"", 1),
            "unknown field",
        ),
    ];
    for (text, want) in cases {
        let err = Model::<f32>::from_json(&text).expect_err(want);
        assert!(err.contains(want), "{want:?} not in {err:?}");
    }
}

/// The page's fast heatmap path agrees with the mixture's own density.
#[test]
fn heatmap_log_density_matches_the_mixture() {
    use mdn_playground::plot::{log_density, View};
    let e = trained();
    let view = View {
        x: (-0.2, 1.2),
        y: (-0.1, 1.1),
    };
    let g = log_density(&e.model, &view, 7, 5);
    let mut ws = e.model.queries();
    for c in 0..7 {
        let x = -0.2 + (c as f64 + 0.5) / 7.0 * 1.4;
        let m = ws.mixture(&[x]);
        for r in 0..5 {
            let y = 1.1 - (r as f64 + 0.5) / 5.0 * 1.2;
            let want = m.log_prob(&[y]);
            assert!(
                (g[[r, c]] - want).abs() < 1e-12 * want.abs().max(1.0),
                "{} vs {want}",
                g[[r, c]]
            );
        }
    }
}

fn trained_full() -> Experiment {
    let spec = Spec::parse("data=arm&n=300&hidden=6&k=2&steps=60&cov=full").unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    e.metrics();
    e
}

/// A full-covariance model reloads to the same mixtures, and files written before the
/// `covariance` field existed still load (as diagonal); a bad value is refused.
#[test]
fn full_covariance_files() {
    let e = trained_full();
    let text = e.model.to_json(&e.spec.format());
    assert!(text.contains("\"covariance\": \"full\""));
    let (m, _) = Model::<f32>::from_json(&text).unwrap();
    assert_eq!(m.head, e.model.head);
    let mut ws = m.queries();
    let mut ws2 = m.queries();
    for x in [[0.5, 0.5], [0.2, 0.9]] {
        assert_eq!(ws.mixture(&x), ws2.mixture(&x));
    }
    let bad = text.replace("\"covariance\": \"full\"", "\"covariance\": \"cube\"");
    let err = Model::<f32>::from_json(&bad).unwrap_err();
    assert!(err.contains("covariance"), "{err}");
    // An old diagonal file: no covariance field at all.
    let old = trained().model.to_json("");
    let old = edit(&old, |v| {
        v["mdn"]["head"]
            .as_object_mut()
            .unwrap()
            .remove("covariance");
    });
    let (m, _) = Model::<f32>::from_json(&old).unwrap();
    assert_eq!(m.head.cov, mdn_playground::mdn::head::Covariance::Diagonal);
}

/// The README's recipe for a full covariance, by hand in f64: per component the raw
/// diagonal entries (σ map + floor), then the raw off-diagonal ones times their row's
/// diagonal entry; Σ = L Lᵀ; the 2-D Gaussian by its explicit inverse and determinant.
#[test]
fn the_documented_full_covariance_layout_rebuilds_the_density() {
    let e = trained_full();
    let v: serde_json::Value = serde_json::from_str(&e.model.to_json("")).unwrap();
    let x = [0.55, 0.62];
    let y = [0.6, 3.3];
    let h = forward_by_hand(&v, &x);
    let k = 2;
    let floor = v["mdn"]["head"]["sigma_min"].as_f64().unwrap();
    assert_eq!(h.len(), k + 2 * k + 3 * k);
    let mx = h[..k].iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let zsum: f64 = h[..k].iter().map(|l| (l - mx).exp()).sum();
    let p: f64 = (0..k)
        .map(|c| {
            let pi = (h[c] - mx).exp() / zsum;
            let (m0, m1) = (h[k + 2 * c], h[k + 2 * c + 1]);
            let t = &h[3 * k + 3 * c..3 * k + 3 * c + 3];
            let (l00, l11) = (floor + t[0].exp(), floor + t[1].exp());
            let l10 = l11 * t[2];
            let (s00, s01, s11) = (l00 * l00, l00 * l10, l10 * l10 + l11 * l11);
            let det = s00 * s11 - s01 * s01;
            let (e0, e1) = (y[0] - m0, y[1] - m1);
            let q = (s11 * e0 * e0 - 2.0 * s01 * e0 * e1 + s00 * e1 * e1) / det;
            pi * (-0.5 * q).exp() / (2.0 * std::f64::consts::PI * det.sqrt())
        })
        .sum();
    let mut ws = e.model.queries();
    let ours = ws.mixture(&x).log_prob(&y);
    assert!((p.ln() - ours).abs() < 1e-4, "{} vs {ours}", p.ln());
}
