//! Figures for slides and handouts: SVG output with the same drawing code, the
//! dark theme, the loss panel's range, and the guided tour's steps.

use mdn_playground::data::truth as dataset_truth;
use mdn_playground::lang::Lang;
use mdn_playground::plot::{self, svg, Theme, View};
use mdn_playground::share::link::Link;
use mdn_playground::train::experiment::Metrics;
use mdn_playground::{Experiment, Spec};

fn trained(spec: &str) -> Experiment {
    let spec = Spec::parse(spec).unwrap();
    let mut e = Experiment::new(&spec);
    e.train(spec.steps);
    e
}

/// The one embedded PNG of an SVG, decoded by the `image` crate (not our encoder).
fn embedded_png(svg: &str) -> image::RgbaImage {
    let start = svg.find("data:image/png;base64,").expect("an embedded PNG") + 22;
    let end = start + svg[start..].find('"').unwrap();
    let bytes = decode_base64(&svg[start..end]);
    image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
        .expect("a valid PNG")
        .to_rgba8()
}

fn decode_base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    } as u32;
    let mut out = Vec::new();
    for q in s.as_bytes().chunks(4) {
        let pad = q.iter().filter(|&&c| c == b'=').count();
        let n = q
            .iter()
            .filter(|&&c| c != b'=')
            .enumerate()
            .fold(0, |n, (i, &c)| n | val(c) << (18 - 6 * i));
        out.extend_from_slice(&n.to_be_bytes()[1..4 - pad]);
    }
    out
}

#[test]
fn the_main_plot_as_svg_has_vectors_text_and_the_heatmap_pixel_for_pixel() {
    let e = trained("n=400&k=3&hidden=8&steps=300");
    let view = View::of(&e.info);
    let points = e.train.points(200);
    let s = plot::native::main_plot_svg(
        &e.model,
        None,
        &points,
        view,
        ("x", "t"),
        (900, 560),
        Theme::LIGHT,
    )
    .unwrap();
    assert!(s.starts_with("<svg") && s.trim_end().ends_with("</svg>"));
    let texts: Vec<&str> = s
        .split("<text")
        .skip(1)
        .filter_map(|t| Some(t[t.find('>')? + 1..t.find("</text>")?].trim()))
        .collect();
    assert!(
        texts.contains(&"x") && texts.contains(&"t") && texts.contains(&"ln p"),
        "axis labels as text: {texts:?}"
    );
    assert!(
        s.matches("<circle").count() >= 200,
        "the data as vector dots"
    );
    assert!(
        s.contains("<polyline") || s.contains("<path"),
        "lines as vectors"
    );
    // Paper first, then the heatmap, then everything plotters drew.
    let (paper, img, first_text) = (
        s.find("<rect").unwrap(),
        s.find("<image").unwrap(),
        s.find("<text").unwrap(),
    );
    assert!(paper < img && img < first_text);
    let png = embedded_png(&s);
    let (cw, ch) = (300usize, 186usize);
    assert_eq!((png.width() as usize, png.height() as usize), (cw, ch));
    let fixed = Some(plot::main_scale(&view));
    let (rgba, _) = plot::density_rgba(&plot::log_density(&e.model, &view, cw, ch), fixed);
    assert_eq!(
        png.as_raw(),
        &rgba,
        "the embedded heatmap is the page's, cell for cell"
    );
}

#[test]
fn the_png_encoder_writes_what_a_decoder_reads() {
    let (w, h) = (7u32, 5u32);
    let rgba: Vec<u8> = (0..w * h * 4).map(|i| (i * 37 % 251) as u8).collect();
    let png = svg::png_rgba(w, h, &rgba);
    let img = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
        .unwrap()
        .to_rgba8();
    assert_eq!(img.as_raw(), &rgba);
    assert_eq!(svg::base64(b"Man"), "TWFu");
    assert_eq!(svg::base64(b"Ma"), "TWE=");
    assert_eq!(svg::base64(b"M"), "TQ==");
}

#[test]
fn dark_figures_are_drawn_on_dark_paper_with_light_ink() {
    let e = trained("n=300&k=2&hidden=8&steps=50");
    let view = View::of(&e.info);
    let svg = |theme| {
        plot::native::main_plot_svg(&e.model, None, &[], view, ("x", "t"), (700, 450), theme)
            .unwrap()
    };
    let s = svg(Theme::DARK);
    let p = Theme::DARK.paper();
    assert!(s.contains(&format!("fill=\"#{:02x}{:02x}{:02x}\"", p.0, p.1, p.2)));
    let ink = Theme::DARK.ink();
    let ink = format!("#{:02X}{:02X}{:02X}", ink.0, ink.1, ink.2);
    assert!(
        s.to_uppercase().contains(&ink),
        "text in the dark theme's ink {ink}"
    );
    let light = svg(Theme::LIGHT);
    assert!(light.contains("fill=\"#ffffff\""));
}

#[test]
fn the_arm_views_as_svg() {
    let e = trained("data=arm&n=300&steps=20");
    let points = e.train.view_points(300);
    let s = plot::plane::planes_svg(
        &e.model,
        &e.info,
        &points,
        &e.info.target,
        plot::plane::Sampling::default(),
        true,
        &dataset_truth::arm_poses(&e.info.target),
        (1000, 500),
        Theme::LIGHT,
    )
    .unwrap();
    assert_eq!(
        s.matches("<image").count(),
        1,
        "one heatmap: the output plane"
    );
    assert!(s.contains("misses by"), "the arm legend");
    assert!(s.contains("true poses"), "the true poses' legend");
}

#[test]
fn the_loss_axis_keeps_a_late_climb_and_cuts_the_first_steps() {
    // Training falls from 6 to −1; validation falls, then climbs to +4.4 (a collapse).
    let train: Vec<(f64, f64)> = (0..=100)
        .map(|i| (i as f64 * 30.0, 6.0 - 7.0 * (i as f64 / 100.0).sqrt()))
        .collect();
    let val: Vec<(f64, f64)> = (0..=30)
        .map(|i| {
            (
                i as f64 * 100.0,
                if i < 5 {
                    1.0 - 0.3 * i as f64
                } else {
                    -0.5 + 0.17 * (i - 5) as f64
                },
            )
        })
        .collect();
    let (lo, hi) = plot::loss_range(&[&train, &val], None);
    assert!((lo - -1.0).abs() < 1e-9, "{lo}");
    assert!(
        hi >= 3.75,
        "the climb to {} must show: top {hi}",
        val.last().unwrap().1
    );
    assert!(hi < 6.0, "the first steps' 6 nats are cut: top {hi}");
    // Early in a run: the first losses, at most 4 nats above the lowest.
    let early: Vec<(f64, f64)> = vec![(0.0, 9.0), (1.0, 0.5)];
    assert_eq!(plot::loss_range(&[&early], None), (0.5, 4.5));
}

/// Metrics at `step` with these validation NLLs (MDN, MSE regressor): what the tour's and
/// the exercises' goals are read from.
pub(crate) fn metrics(step: u64, val: f64, base: f64) -> Metrics {
    Metrics {
        step,
        val_nll: val,
        baseline_val_nll: base,
        ..Metrics::default()
    }
}

#[test]
fn each_tour_step_opens_its_experiment_and_tells_when_it_is_done() {
    use mdn_playground::share::tour::{achieved, Goal, STEPS};
    assert!((6..=10).contains(&STEPS.len()));
    for (i, step) in STEPS.iter().enumerate() {
        let (link, issues) = Link::parse(&Link::tour_link(i + 1));
        assert!(issues.is_empty(), "{}: {issues:?}", step.title);
        assert_eq!(link.tour, i + 1);
        assert_eq!(link.spec, Spec::parse(step.spec).unwrap(), "{}", step.title);
        // `#tour=N` alone opens the step's experiment (and its comparison); with spec
        // keys, those.
        let alone = Link::parse(&format!("tour={}", i + 1)).0;
        assert_eq!(alone.spec, link.spec);
        assert_eq!(alone.compare, link.compare, "{}", step.title);
        // A step that contrasts two settings opens them side by side: the second one
        // changes exactly the step's keys.
        match &link.compare {
            Some(b) => assert_eq!(
                mdn_playground::share::compare::changed(&link.spec, b),
                step.compare
            ),
            None => assert!(step.compare.is_empty(), "{}", step.title),
        }
    }
    let contrasting: Vec<&str> = STEPS
        .iter()
        .filter(|s| !s.compare.is_empty())
        .map(|s| s.title)
        .collect();
    assert!(
        contrasting.contains(&"Too few components"),
        "{contrasting:?}"
    );
    assert!(contrasting.contains(&"Variance collapse, and the σ floor"));
    assert_eq!(Link::parse("tour=4&k=7").0.spec.k, 7);
    let (l, issues) = Link::parse("tour=99");
    assert_eq!(l.tour, STEPS.len());
    assert_eq!(issues.len(), 1, "clamped and reported: {issues:?}");
    // Goals, read from the spec and the metrics.
    let default = Spec::default();
    assert!(achieved(
        Goal::BeatBaseline(1.0),
        &default,
        &metrics(900, -0.9, -0.2),
        Lang::En
    )
    .is_none());
    assert!(achieved(
        Goal::BeatBaseline(1.0),
        &default,
        &metrics(900, -1.25, -0.2),
        Lang::En
    )
    .unwrap()
    .contains("1.05"));
    let k1 = Spec::parse("k=1").unwrap();
    let k3 = Spec::parse("k=3").unwrap();
    let g = Goal::Components { k: 3, nll: -1.0 };
    assert!(
        achieved(g, &k1, &metrics(2000, -1.1, 0.0), Lang::En).is_none(),
        "K unchanged"
    );
    assert!(
        achieved(g, &k3, &metrics(2000, -0.9, 0.0), Lang::En).is_none(),
        "not trained enough"
    );
    assert!(achieved(g, &k3, &metrics(2000, -1.06, 0.0), Lang::En).is_some());
    let collapse = Spec::parse(STEPS[5].spec).unwrap();
    let noisy = Spec::parse(&format!("{}&noise_x=0.2&noise_y=0.05", STEPS[5].spec)).unwrap();
    assert!(
        achieved(
            STEPS[5].goal,
            &collapse,
            &metrics(3000, -0.75, 0.0),
            Lang::En
        )
        .is_none(),
        "no floor, no noise"
    );
    assert!(achieved(STEPS[5].goal, &noisy, &metrics(3000, -0.75, 0.0), Lang::En).is_some());
}

#[test]
fn the_collapse_step_s_fix_reaches_its_goal_when_trained() {
    // The tour's promise, checked by training it (about a second).
    use mdn_playground::share::tour::{achieved, STEPS};
    let spec = format!("{}&noise_x=0.2&noise_y=0.05", STEPS[5].spec);
    let mut e = trained(&spec);
    let m = e.metrics();
    assert!(
        achieved(STEPS[5].goal, &e.spec, &m, Lang::En).is_some(),
        "validation NLL {}",
        m.val_nll
    );
}

#[test]
fn every_tour_step_with_a_goal_reaches_done_by_doing_what_it_says() {
    // Each step's experiment, changed as its "try this" says, trained to its planned
    // steps: the page then says "Done" (the arm's goal is read from the validation poses'
    // average misses, which dragging the target only shows).
    use mdn_playground::share::tour::{achieved, Goal, STEPS};
    let tries = [
        (0, "", ""),
        (1, "", ""),
        (3, "k=1", "k=5"),
        (4, "steps=2000", "steps=2000&reinit_dead=200"),
        (6, "", ""),
    ];
    for (i, from, to) in tries {
        let step = &STEPS[i];
        assert!(!matches!(step.goal, Goal::Look), "{}", step.title);
        assert!(step.spec.contains(from), "{}", step.spec);
        let mut e = trained(&step.spec.replacen(from, to, 1));
        let m = e.metrics();
        assert!(
            achieved(step.goal, &e.spec, &m, Lang::En).is_some(),
            "{} at step {}: validation NLL {}, regressor {}, dead {}",
            step.title,
            m.step,
            m.val_nll,
            m.baseline_val_nll,
            m.dead_components
        );
    }
}
