//! A second experiment in a link (`compare=`): read, checked and written back in Rust,
//! the same data and starting weights where the shapes agree, and `mdn train` printing
//! both final lines with the bits of each spec trained alone.

use crate::run::mdn;
use mdn_playground::share::link::Link;
use mdn_playground::{Experiment, Spec};

#[test]
fn compare_is_read_checked_and_written_back() {
    let (l, issues) = Link::parse("k=3&steps=50&compare=k%3D1%26sigma_min%3D0");
    assert!(issues.is_empty(), "{issues:?}");
    let b = l.compare.as_ref().expect("a second experiment");
    assert_eq!((b.k, b.sigma_min, b.steps), (1, 0.0, 50));
    assert_eq!(
        Spec {
            k: 3,
            sigma_min: l.spec.sigma_min,
            ..b.clone()
        },
        l.spec,
        "everything else as A"
    );
    let text = l.format(true);
    assert!(text.ends_with("&compare=k%3D1%26sigma_min%3D0"), "{text}");
    assert_eq!(
        Link::parse(&text).0,
        l,
        "the written link reads back the same"
    );
    // Unencoded, one change still reads.
    assert_eq!(
        Link::parse("k=3&compare=k=1").0.compare.map(|b| b.k),
        Some(1)
    );
    // What cannot change, unknown keys and bad values are left out, each with its reason.
    let (l, issues) = Link::parse("compare=seed%3D2%26colour%3Dred%26k%3Dabc%26lr%3D0.05");
    let said: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
    assert!(
        said.iter()
            .any(|m| m.starts_with("compare: seed cannot change")),
        "{said:?}"
    );
    assert!(
        said.iter().any(|m| m.contains("colour is not a spec key")),
        "{said:?}"
    );
    assert!(
        said.iter().any(|m| m.starts_with("compare: k:")),
        "{said:?}"
    );
    let b = l.compare.expect("lr still changes");
    assert_eq!((b.seed, b.k, b.lr), (l.spec.seed, l.spec.k, 0.05));
    // Nothing left to change: no comparison, and it says so.
    let (l, issues) = Link::parse("k=3&compare=k%3D3");
    assert!(l.compare.is_none());
    assert!(issues
        .iter()
        .any(|i| i.message.contains("would be the same as the first")));
    assert!(
        !l.format(true).contains("compare"),
        "an old link stays as it was"
    );
}

#[test]
fn both_sides_train_on_the_same_data_from_the_same_weights_where_the_shapes_agree() {
    let (l, _) = Link::parse("n=300&k=3&hidden=8&compare=sigma_min%3D0");
    let (a, b) = (
        Experiment::new(&l.spec),
        Experiment::new(l.compare.as_ref().unwrap()),
    );
    assert_eq!(a.train.x, b.train.x);
    assert_eq!(a.val.y, b.val.y);
    assert_eq!(
        a.model.mdn.params, b.model.mdn.params,
        "same shape, same start"
    );
    assert_eq!(a.model.baseline.params, b.model.baseline.params);
    let (l, _) = Link::parse("n=300&k=3&hidden=8&compare=k%3D1");
    let b = Experiment::new(l.compare.as_ref().unwrap());
    assert_eq!(a.train.x, b.train.x, "another shape: the same data still");
}

#[test]
fn mdn_train_prints_both_final_lines_each_as_its_spec_alone() {
    let link = "n=300&k=3&hidden=8&steps=60&compare=k%3D1";
    let out = mdn(&["train", link, "--every", "30"]).ok();
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let sides: Vec<&str> = lines.iter().map(|l| l["side"].as_str().unwrap()).collect();
    assert_eq!(
        sides,
        ["A", "A", "B", "B"],
        "a progress line and a final line each"
    );
    assert!(!out.stderr.contains("ignoring"), "{}", out.stderr);
    for (side, spec) in [
        (&lines[1], "n=300&k=3&hidden=8&steps=60"),
        (&lines[3], "n=300&k=1&hidden=8&steps=60"),
    ] {
        let mut alone = mdn(&["train", spec, "--every", "30"]).ok().last_json();
        let mut side = side.clone();
        for v in [&mut alone, &mut side] {
            let o = v.as_object_mut().unwrap();
            for k in ["side", "seconds", "steps_per_s"] {
                o.remove(k);
            }
        }
        assert_eq!(side, alone, "{spec}");
    }
    let r = mdn(&["train", link, "--save", "/tmp/never.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("compare= trains two networks"),
        "{}",
        r.stderr
    );
    let r = mdn(&["train", "k=3&compare=data%3Dring"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("bad compare: compare: data cannot change"),
        "{}",
        r.stderr
    );
    // The other commands leave it out, and say so.
    let r = mdn(&[
        "sweep",
        "n=100&steps=5&compare=k%3D1",
        "--k",
        "1",
        "--seeds",
        "1",
    ]);
    assert!(
        r.stderr.contains("ignoring the page's own keys compare"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_difference_plot_is_red_where_a_is_more_probable_and_blue_where_b_is() {
    use mdn_playground::plot::{self, difference::*};
    use plotters::prelude::*;
    let (l, _) = Link::parse("n=600&k=3&hidden=8&steps=300&compare=k%3D1");
    let mut a = Experiment::new(&l.spec);
    let mut b = Experiment::new(l.compare.as_ref().unwrap());
    a.train(300);
    b.train(300);
    let view = plot::View::of(&a.info);
    let (w, h) = (40, 30);
    let grid = log_ratio(&a.model, &b.model, &view, w, h);
    let la = plot::log_density(&a.model, &view, w, h);
    let lb = plot::log_density(&b.model, &view, w, h);
    let floor = plot::main_scale(&view).lo;
    let (mut more_a, mut more_b, mut neither) = (0, 0, 0);
    for (i, d) in grid.indexed_iter() {
        let want = la[i] - lb[i];
        if la[i].max(lb[i]) < floor {
            assert!(d.is_nan(), "{i:?}: both below the floor");
            neither += 1;
            continue;
        }
        assert_eq!(*d, want.clamp(-DIFFERENCE_LIMIT, DIFFERENCE_LIMIT), "{i:?}");
        more_a += (want > 0.5) as usize;
        more_b += (want < -0.5) as usize;
    }
    assert!(
        more_a > 20 && more_b > 20 && neither > 20,
        "{more_a} {more_b} {neither}"
    );
    // One model against itself: nothing to tell apart.
    let same = log_ratio(&a.model, &a.model, &view, w, h);
    assert!(same.iter().all(|d| d.is_nan() || *d == 0.0));
    // The colours: white where they agree, red for A, blue for B, grey for neither.
    assert_eq!(diverging(0.0), RGBColor(247, 247, 247));
    assert_eq!(diverging(9.0), RGBColor(178, 24, 43));
    assert_eq!(diverging(-9.0), RGBColor(33, 102, 172));
    assert_eq!(diverging(f64::NAN), NEITHER);
    // Drawn: red and blue cells left of the colour bar, and none for a model against itself.
    let count = |second: &mdn_playground::mdn::model::Model| {
        let (pw, ph) = (400u32, 300u32);
        let mut buf = vec![255u8; (pw * ph * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (pw, ph)).into_drawing_area();
            let frame = plot::Frame::main(&a.info, false, 1.0, plot::Layer::All);
            let p = DifferencePlot {
                frame: plot::Frame {
                    text: false,
                    ..frame
                },
                cell: 8.0,
            };
            draw_difference(&root, &p, &a.model, second).unwrap();
            root.present().unwrap();
        }
        let (mut red, mut blue) = (0, 0);
        for y in 0..ph {
            for x in 0..pw - 20 {
                let i = ((y * pw + x) * 3) as usize;
                let [r, _, bl] = [buf[i], buf[i + 1], buf[i + 2]];
                red += (r > 170 && bl < 100) as usize;
                blue += (bl > 150 && r < 100) as usize;
            }
        }
        (red, blue)
    };
    let (red, blue) = count(&b.model);
    assert!(red > 500 && blue > 500, "red {red}, blue {blue}");
    assert_eq!(count(&a.model), (0, 0));
}

#[test]
fn a_new_spec_keeps_the_comparison_s_changes() {
    // The form changes A: B is A with the same keys changed, not the old B.
    let (l, _) = Link::parse("k=3&lr=0.01&compare=k%3D1");
    let moved = l.with_spec(Spec {
        lr: 0.05,
        noise_y: 0.05,
        ..l.spec.clone()
    });
    let b = moved.compare.as_ref().expect("still a comparison");
    assert_eq!((b.k, b.lr, b.noise_y), (1, 0.05, 0.05));
    assert!(moved.format(true).ends_with("&compare=k%3D1"));
    // A that becomes B: no comparison left.
    let same = l.with_spec(Spec {
        k: 1,
        ..l.spec.clone()
    });
    assert_eq!(same.compare, None);
    // A new data set: the changes go with it (data itself can never be one of them).
    let faithful = l.with_spec(Spec {
        data: mdn_playground::data::dataset::Data::Faithful,
        ..l.spec.clone()
    });
    assert_eq!(
        faithful.compare.map(|b| (b.data.name(), b.k)),
        Some(("faithful", 1))
    );
}
