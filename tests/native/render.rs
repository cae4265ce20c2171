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
    let buf = plot::native::main_plot_rgb(&e.model, &[(0.5, 0.5)], view, ("x", "t"), w, h).unwrap();
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
