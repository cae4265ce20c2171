//! `mdn render`: trains a spec and draws the page's main plot (or the arm's two views)
//! into a PNG or an SVG.

use crate::out::*;
#[cfg(not(target_arch = "wasm32"))]
use {
    crate::args::*,
    crate::train::{rate, Final},
    mdn_playground::Experiment,
    std::time::Instant,
};

/// Where and how a picture is written: its file, SVG or PNG, its theme and size.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct Format<'a> {
    pub(crate) out: &'a str,
    pub(crate) svg: bool,
    pub(crate) theme: mdn_playground::plot::Theme,
    pub(crate) w: u32,
    pub(crate) h: u32,
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn render(_: &[String]) -> Result<(), Fail> {
    fail("render needs a native build")
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn render(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options(
        args,
        &[
            "out", "width", "height", "target", "theme", "threads", "split",
        ],
    )?;
    let threads = threads_opt(&opts)?;
    let spec = spec_arg("render", &pos)?;
    let w = whole_in(&opts, "width", (200, 4000), 1200)? as u32;
    let h = whole_in(&opts, "height", (200, 4000), 750)? as u32;
    let out = opt(&opts, "out").unwrap_or("main.png");
    let lower = out.to_ascii_lowercase();
    let svg = lower.ends_with(".svg");
    if !svg && !lower.ends_with(".png") {
        return fail(format!("--out: {out:?} must end in .png or .svg"));
    }
    let theme = match opt(&opts, "theme") {
        None | Some("light") => mdn_playground::plot::Theme::LIGHT,
        Some("dark") => mdn_playground::plot::Theme::DARK,
        Some(other) => return fail(format!("--theme: {other:?} is not light or dark")),
    };
    if !svg && theme.dark {
        return fail("--theme dark: only for SVG (--out FILE.svg); PNGs are drawn light");
    }
    let split = opt(&opts, "split");
    if spec.ensemble > 1 || split.is_some() {
        let format = Format {
            out,
            svg,
            theme,
            w,
            h,
        };
        return crate::render_split::render(&spec, threads, &format, split);
    }
    let mut exp = Experiment::new(&spec);
    exp.set_threads(threads).map_err(|e| Fail(e, 2))?;
    let target = match opt(&opts, "target") {
        Some(v) => {
            let asked = numbers("target", v, exp.info.din)?;
            let t = exp.info.clamp_input(&asked, &exp.info.target);
            if t != asked {
                eprintln!("mdn: --target moved into the data's range: {t:?}");
            }
            t
        }
        None => exp.info.target.to_vec(),
    };
    check_writable(out, "the picture")?;
    let started = Instant::now();
    exp.train(spec.steps);
    let seconds = started.elapsed().as_secs_f64();
    let m = exp.metrics();
    let path = std::path::Path::new(out);
    let write_svg = |text: Result<String, String>| {
        text.and_then(|t| std::fs::write(path, t).map_err(|e| e.to_string()))
    };
    let written = if exp.info.dout == 2 {
        use mdn_playground::plot::plane;
        let points = exp.train.view_points(mdn_playground::plot::MAX_POINTS);
        let arm = spec.data == mdn_playground::data::dataset::Data::Arm;
        let sampling = plane::Sampling::default();
        if svg {
            write_svg(plane::planes_svg(
                &exp.model,
                &exp.info,
                &points,
                &target,
                sampling,
                arm,
                &[],
                (w, h),
                theme,
            ))
        } else {
            plane::native::planes_rgb(&exp.model, &exp.info, &points, &target, sampling, arm, w, h)
                .and_then(|buf| mdn_playground::plot::native::write_png(path, &buf, w, h))
        }
    } else {
        use mdn_playground::plot::native;
        let points = exp.train.points(mdn_playground::plot::MAX_POINTS);
        let view = mdn_playground::plot::View::of(&exp.info);
        let labels = (exp.info.x_labels[0], exp.info.y_labels[0]);
        let overlay = spec.gap.map(|g| native::Overlay {
            gap: Some(g),
            ..Default::default()
        });
        if svg {
            write_svg(native::main_plot_svg(
                &exp.model,
                overlay.as_ref(),
                &points,
                view,
                labels,
                (w, h),
                theme,
            ))
        } else {
            native::main_plot_png(
                path,
                &exp.model,
                overlay.as_ref(),
                &points,
                view,
                labels,
                w,
                h,
            )
        }
    };
    written.map_err(|e| Fail(format!("cannot write {out}: {e}"), 1))?;
    emit(&Final {
        side: None,
        spec: spec.format(),
        metrics: &m,
        calibration: None,
        cv: None,
        goal: None,
        seconds,
        steps_per_s: rate(exp.step, seconds),
    })?;
    unless_halted(exp.halted.as_deref())
}
