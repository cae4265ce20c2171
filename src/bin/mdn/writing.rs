//! `mdn strokes write`: a synthesis model writes a typed text.

use crate::args::{check_writable, number_in, opt, options_and_flags, whole_in};
use crate::out::{emit, fail, Fail};
use mdn_playground::base::rng::{stream, Rng};
use mdn_playground::plot::strokes::Writing;
use mdn_playground::strokes::alphabet::encode;
use mdn_playground::strokes::data::points;
use mdn_playground::strokes::file::Saved;
use mdn_playground::strokes::write::{Prime, Written, MAX_TEXT};
use mdn_playground::strokes::Move;
use serde::Serialize;

#[derive(Serialize)]
struct Line {
    text: String,
    /// The moves in font units, as drawn: [dx, dy, end of stroke].
    moves: Vec<(f64, f64, u8)>,
    /// The character under the window at each move (counted in the text).
    phi_argmax: Vec<i64>,
    /// Whether the window passed the last character (false: the cap per character).
    finished: bool,
}

#[derive(Serialize)]
struct Summary {
    text: String,
    moves: usize,
    finished: bool,
    out: Option<String>,
}

/// The model file at `path`.
pub(crate) fn load(path: &str) -> Result<Saved, Fail> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Fail(format!("cannot read {path}: {e}"), 1))?;
    Saved::from_json(&text).map_err(|e| Fail(format!("{path}: {e}"), 2))
}

/// A text to write or to prime with: in the alphabet, 1 to [`MAX_TEXT`] characters.
fn text_of(name: &str, t: &str) -> Result<Vec<u16>, Fail> {
    let n = t.chars().count();
    if n == 0 || n > MAX_TEXT {
        return fail(format!(
            "--{name}: {n} characters; it takes 1 to {MAX_TEXT}"
        ));
    }
    encode(t).map_err(|e| Fail(format!("--{name}: {e}"), 2))
}

/// The prime's moves from a file: a JSON list of [dx, dy, end] in font units, or an
/// object with such a list under "moves" (what `--json` prints).
fn prime_moves(path: &str) -> Result<Vec<Move>, Fail> {
    let text =
        std::fs::read_to_string(path).map_err(|e| Fail(format!("cannot read {path}: {e}"), 1))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Fail(format!("{path}: not JSON: {e}"), 2))?;
    let list = v.get("moves").unwrap_or(&v);
    let bad = || Fail(format!("{path}: expected a list of [dx, dy, end] moves"), 2);
    let moves: Vec<Move> = list
        .as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|m| {
            let a = m.as_array().filter(|a| a.len() == 3).ok_or_else(bad)?;
            let num = |x: &serde_json::Value| x.as_f64().filter(|v| v.is_finite() && v.abs() < 1e4);
            match (num(&a[0]), num(&a[1]), num(&a[2])) {
                (Some(dx), Some(dy), Some(e)) => Ok(Move {
                    dx,
                    dy,
                    end: e != 0.0,
                }),
                _ => Err(bad()),
            }
        })
        .collect::<Result<_, _>>()?;
    if moves.is_empty() || moves.len() > 5000 {
        return fail(format!(
            "{path}: {} moves; a prime takes 1 to 5000",
            moves.len()
        ));
    }
    Ok(moves)
}

/// The written line above the alignment that wrote it (φ over the text read, the
/// prime's included), as SVG or PNG by the file's ending.
#[cfg(not(target_arch = "wasm32"))]
fn picture(
    file: &str,
    line: &Writing,
    written: &Written,
    prime: Option<&Vec<u16>>,
    text: &[u16],
) -> Result<(), String> {
    use mdn_playground::plot::alignment::{written_png, written_svg, Alignment};
    use mdn_playground::strokes::alphabet::decode;
    let mut read = prime.map(|p| decode(p) + " ").unwrap_or_default();
    read.push_str(&decode(text));
    let chars: Vec<char> = read.chars().collect();
    let a = Alignment {
        phi: &written.phi,
        kappa: &written.kappa,
        alpha: &written.alpha,
        text: &chars,
        steps: written.phi.len(),
        theme: mdn_playground::plot::Theme::LIGHT,
    };
    let size = (900, 520);
    if file.ends_with(".svg") {
        std::fs::write(file, written_svg(line, &a, size)?).map_err(|e| e.to_string())
    } else {
        written_png(std::path::Path::new(file), line, &a, size)
    }
}

#[cfg(target_arch = "wasm32")]
fn picture(
    _: &str,
    _: &Writing,
    _: &Written,
    _: Option<&Vec<u16>>,
    _: &[u16],
) -> Result<(), String> {
    Err("drawing needs a native build".into())
}

pub fn run(args: &[String]) -> Result<(), Fail> {
    let (pos, opts) = options_and_flags(
        args,
        &[
            "model",
            "text",
            "bias",
            "temp",
            "seed",
            "prime",
            "prime-text",
            "out",
        ],
        &["json"],
    )?;
    if !pos.is_empty() {
        return fail(format!("mdn strokes write takes no {:?}", pos[0]));
    }
    let Some(path) = opt(&opts, "model") else {
        return fail("mdn strokes write needs --model FILE");
    };
    let Some(typed) = opt(&opts, "text") else {
        return fail("mdn strokes write needs --text \"…\"");
    };
    let text = text_of("text", typed)?;
    let saved = load(path)?;
    if saved.model.net.shape.window.is_none() {
        return fail(format!(
            "{path}: this model writes without a text (its spec has no window=); train one with window=10"
        ));
    }
    let bias = number_in(&opts, "bias", (0.0, 10.0), 0.0)?;
    let temp = number_in(&opts, "temp", (0.05, 3.0), 1.0)?;
    let seed = whole_in(&opts, "seed", (0, mdn_playground::base::rng::SEED_MAX), 1)?;
    let prime = match (opt(&opts, "prime"), opt(&opts, "prime-text")) {
        (None, None) => None,
        (Some(f), Some(t)) => Some((
            saved.scale.normalise(&prime_moves(f)?),
            text_of("prime-text", t)?,
        )),
        _ => return fail("--prime FILE and --prime-text \"…\" go together"),
    };
    let file = opt(&opts, "out");
    if let Some(f) = file {
        if !f.ends_with(".svg") && !f.ends_with(".png") {
            return fail(format!("--out {f:?}: the file must end in .svg or .png"));
        }
        check_writable(f, "the drawing")?;
    }
    let mut rng = Rng::new(seed, stream::STROKE_WRITE);
    let p = prime.as_ref().map(|(m, t)| Prime { moves: m, text: t });
    let written = saved.model.write_text(&text, p, bias, temp, &mut rng);
    let font = saved.scale.denormalise(&written.moves);
    if let Some(f) = file {
        let panel = Writing {
            caption: format!("{typed} (b = {bias})"),
            strokes: points(&font, [0.0, 0.0]),
            prompt: vec![],
            pens: vec![],
            tip: None,
            view: None,
        };
        picture(f, &panel, &written, prime.as_ref().map(|p| &p.1), &text)
            .map_err(|e| Fail(format!("cannot write {f}: {e}"), 1))?;
    }
    if opt(&opts, "json").is_some() {
        emit(&Line {
            text: typed.to_string(),
            moves: font.iter().map(|m| (m.dx, m.dy, m.end as u8)).collect(),
            phi_argmax: written.phi_argmax(),
            finished: written.finished,
        })
    } else {
        emit(&Summary {
            text: typed.to_string(),
            moves: written.moves.len(),
            finished: written.finished,
            out: file.map(String::from),
        })
    }
}
