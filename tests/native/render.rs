//! The plots drawn natively (the same code the page runs with plotters-canvas): the main
//! plot into an RGB buffer, checked by its pixels, and `mdn render` writing a PNG.

use mdn_playground::plot::{self, View};
use mdn_playground::{Experiment, Spec};

#[test]
fn main_plot_pixels_show_heatmap_regressor_and_text() {
    let spec = Spec::parse("n=800&k=4&hidden=12&steps=600&lr=0.02").unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    let view = View {
        x: e.info.x_ranges[0],
        y: e.info.y_ranges[0],
    };
    let (w, h) = (900u32, 560u32);
    let buf =
        plot::native::main_plot_rgb(&e.model, None, &[(0.5, 0.5)], view, ("x", "t"), w, h).unwrap();
    let px = |x: u32, y: u32| {
        let i = ((y * w + x) * 3) as usize;
        (buf[i], buf[i + 1], buf[i + 2])
    };
    let mut bright = 0; // yellow-green: high density
    let mut dark = 0; // deep purple: low density
    let mut white = 0;
    for y in 0..h {
        for x in 0..w {
            let (r, g, b) = px(x, y);
            if g > 180 && b < 120 {
                bright += 1;
            }
            if r < 80 && g < 20 && b > 70 {
                dark += 1;
            }
            if r > 245 && g > 245 && b > 245 && x > 80 && x < w - 100 && y > 20 && y < h - 60 {
                white += 1;
            }
        }
    }
    assert!(bright > 5_000, "high-density cells: {bright}");
    assert!(dark > 50_000, "low-density background: {dark}");
    assert!(
        white > 300,
        "the MSE regressor's white line: {white} pixels"
    );
    // Axis labels: dark text pixels in the left margin.
    let text = (0..h)
        .flat_map(|y| (0..40).map(move |x| (x, y)))
        .filter(|&(x, y)| px(x, y).0 < 100)
        .count();
    assert!(text > 50, "no axis text drawn ({text} dark pixels)");
}

#[test]
fn mdn_render_writes_a_png() {
    let out = std::env::temp_dir().join(format!("mdn-render-{}.png", std::process::id()));
    let o = crate::run::mdn(&[
        "render",
        "n=300&k=2&hidden=6&steps=50",
        "--out",
        out.to_str().unwrap(),
        "--width",
        "400",
        "--height",
        "300",
    ]);
    assert!((o.code == 0), "{}", o.stderr);
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let o = crate::run::mdn(&["render", "--out", "x.jpg"]);
    assert_eq!(Some(o.code), Some(2));
    assert!(o.stderr.contains("must end in .png"));
    let o = crate::run::mdn(&["render", "--width", "5"]);
    assert!(o.stderr.contains("--width"));
}

/// Loss histories stay short however long a run is, and keep the curve's shape.
#[test]
fn history_is_decimated() {
    let mut h = mdn_playground::train::history::History::default();
    for i in 0..100_000 {
        h.push(i as f64, 1.0 + (i as f64) * 1e-5);
        h.push(i as f64 + 0.5, f64::NAN); // never stored
    }
    assert!(
        h.points.len() <= mdn_playground::train::history::History::CAP
            && h.points.len() >= mdn_playground::train::history::History::CAP / 2,
        "{}",
        h.points.len()
    );
    assert!(
        h.points.windows(2).all(|w| w[0].0 < w[1].0),
        "steps increase"
    );
    let last = h.points.last().unwrap();
    assert!(
        last.0 > 99_000.0 && (last.1 - (1.0 + last.0 * 1e-5)).abs() < 0.01,
        "{last:?}"
    );
    assert!(h.points.iter().all(|p| p.1.is_finite()));
}

/// The 2-D views, natively: the arm's workspace with the poses, and the output plane
/// with its density, checked by pixels where the model puts them.
#[test]
fn arm_views_show_poses_and_the_density_at_the_components() {
    use mdn_playground::plot::plane::{self, Sampling};
    let spec = Spec::parse("data=arm&n=2000&k=6&hidden=16,16&steps=1500&lr=0.02").unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    let (w, h) = (1200u32, 600u32);
    let target = e.info.target.to_vec();
    let points = e.train.input_points(500);
    let buf = plane::native::planes_rgb(
        &e.model,
        &e.info,
        &points,
        &target,
        Sampling::default(),
        true,
        w,
        h,
    )
    .unwrap();
    let px = |x: u32, y: u32| {
        let i = ((y * w + x) * 3) as usize;
        (buf[i], buf[i + 1], buf[i + 2])
    };
    let count = |x0: u32, x1: u32, f: &dyn Fn((u8, u8, u8)) -> bool| {
        (0..h)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| f(px(x, y)))
            .count()
    };
    // Left: the MSE arm (near-black, thick) and coloured component arms.
    let black = count(0, w / 2, &|(r, g, b)| r < 40 && g < 40 && b < 40);
    assert!(black > 1500, "MSE arm: {black} near-black pixels");
    let scene = plane::Scene::new(&e.model, &target, Sampling::default(), true);
    assert!(scene.arms.len() >= 3, "MSE + at least two component poses");
    // Right: a purple background with bright spots (the two elbow solutions).
    let dark = count(w / 2, w, &|(r, g, b)| r < 80 && g < 20 && b > 70);
    let bright = count(w / 2, w, &|(r, g, b)| g > 150 && b < 160 && r > 60);
    assert!(dark > 100_000, "background: {dark}");
    assert!(bright > 20, "density peaks: {bright}");
}

#[test]
fn mdn_render_draws_the_arm_views() {
    let out = std::env::temp_dir().join(format!("mdn-render-arm-{}.png", std::process::id()));
    let o = crate::run::mdn(&[
        "render",
        "data=arm&n=300&k=2&hidden=6&steps=50",
        "--out",
        out.to_str().unwrap(),
        "--target",
        "0.6,0.5",
    ]);
    assert!((o.code == 0), "{}", o.stderr);
    assert_eq!(&std::fs::read(&out).unwrap()[..8], b"\x89PNG\r\n\x1a\n");
    let o = crate::run::mdn(&["render", "data=arm&n=300&steps=5", "--target", "0.5"]);
    assert_eq!(Some(o.code), Some(2));
    assert!(o.stderr.contains("--target"));
}

#[test]
fn mdn_render_writes_svg_figures_light_or_dark() {
    for (spec, theme) in [
        ("n=300&steps=20", "dark"),
        ("data=arm&n=300&steps=5", "light"),
    ] {
        let out =
            std::env::temp_dir().join(format!("mdn-render-{}-{theme}.svg", std::process::id()));
        let o = crate::run::mdn(&[
            "render",
            spec,
            "--out",
            out.to_str().unwrap(),
            "--width",
            "800",
            "--height",
            "500",
            "--theme",
            theme,
        ]);
        assert!((o.code == 0), "{}", o.stderr);
        let svg = std::fs::read_to_string(&out).unwrap();
        std::fs::remove_file(&out).ok();
        assert!(
            svg.starts_with("<svg") && svg.contains("width=\"800\""),
            "{}",
            &svg[..80]
        );
        assert_eq!(svg.matches("<image").count(), 1, "the heatmap, once");
        let paper = if theme == "dark" {
            "#181a1e"
        } else {
            "#ffffff"
        };
        assert!(svg.contains(&format!("fill=\"{paper}\"")), "{theme} paper");
    }
    let o = crate::run::mdn(&["render", "--out", "x.png", "--theme", "dark"]);
    assert_eq!(Some(o.code), Some(2));
    assert!(o.stderr.contains("only for SVG"));
}

#[test]
fn mdn_render_draws_an_ensemble_with_its_gap_and_the_panel_of_the_two_uncertainties() {
    let dir = std::env::temp_dir().join(format!("mdn-render-ens-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (main, split) = (dir.join("main.png"), dir.join("split.svg"));
    let link = "n=600&k=3&hidden=8,8&batch=100&steps=150&ensemble=3&gap=0.35,0.55";
    let o = crate::run::mdn(&[
        "render",
        link,
        "--out",
        main.to_str().unwrap(),
        "--split",
        split.to_str().unwrap(),
        "--width",
        "600",
        "--height",
        "400",
        "--threads",
        "2",
    ])
    .ok();
    let last = o.last_json();
    assert!(
        last["ensemble_val_nll"].as_f64().unwrap().is_finite(),
        "{last}"
    );
    // Member 1 is the single run of the link: the same validation NLL as mdn train.
    let single = crate::run::mdn(&["train", link, "--every", "150"])
        .ok()
        .last_json();
    assert_eq!(last["val_nll"], single["val_nll"]);
    assert_eq!(last["ensemble_val_nll"], single["ensemble_val_nll"]);
    let img = image_rgb(&main);
    assert_eq!((img.1, img.2), (600, 400));
    // The gap is shaded on the main plot (a single network's too), and only with a gap.
    let band = |link: &str| {
        let f = dir.join("band.svg");
        crate::run::mdn(&["render", link, "--out", f.to_str().unwrap()]).ok();
        std::fs::read_to_string(&f)
            .unwrap()
            .contains("opacity=\"0.12\"")
    };
    assert!(band("n=300&hidden=4&steps=1&gap=0.35,0.55"));
    assert!(!band("n=300&hidden=4&steps=1"));
    let svg = std::fs::read_to_string(&split).unwrap();
    for words in ["aleatoric", "epistemic", "Choi", "variance of y"] {
        assert!(svg.contains(words), "{words} missing from the panel");
    }
    // Refused clearly: two outputs; a file that is neither PNG nor SVG.
    let o = crate::run::mdn(&["render", "data=arm&ensemble=2&steps=1", "--out", "x.png"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("one input and one output"),
        "{}",
        o.stderr
    );
    let o = crate::run::mdn(&["render", "steps=1", "--split", "x.jpg"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--split"), "{}", o.stderr);
}

/// A PNG file's RGB pixels and size.
fn image_rgb(path: &std::path::Path) -> (Vec<u8>, u32, u32) {
    let img = image::open(path).expect("a PNG").to_rgb8();
    let (w, h) = img.dimensions();
    (img.into_raw(), w, h)
}
