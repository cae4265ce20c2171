//! What the CLI prints: JSON lines (every number finite), and its errors with their
//! exit codes (0 done, 1 a file, 2 bad arguments, 3 halted, 4 this program's fault).

use serde::Serialize;
use std::io::Write;

/// A command-line error: the message and the exit code.
pub(crate) struct Fail(pub(crate) String, pub(crate) u8);

pub(crate) fn fail<T>(msg: impl Into<String>) -> Result<T, Fail> {
    Err(Fail(msg.into(), 2))
}

/// The end of a training command: exit 3 with the reason when training halted.
pub(crate) fn unless_halted(why: Option<&str>) -> Result<(), Fail> {
    match why {
        Some(why) => Err(Fail(format!("training halted: {why}"), 3)),
        None => Ok(()),
    }
}

/// Writes `text` to standard output. A reader that went away (`mdn … | head -1`) ends
/// the program quietly; any other write error (a full disk) is reported.
pub(crate) fn out(text: &str) -> Result<(), Fail> {
    let mut o = std::io::stdout().lock();
    o.write_all(text.as_bytes())
        .and_then(|()| o.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Fail(String::new(), 0),
            _ => Fail(format!("cannot write the output: {e}"), 1),
        })
}

/// Prints `v` as one JSON line. Every number in it must be finite (serde_json writes
/// NaN and infinities as `null`): one that is not is this program's fault, reported as
/// such rather than printed.
pub(crate) fn emit<T: Serialize>(v: &T) -> Result<(), Fail> {
    let value = serde_json::to_value(v).expect("serializes");
    if let Some(path) = null_at(&value, String::new()) {
        return Err(Fail(
            format!("internal error: {path} is not a finite number; nothing was printed"),
            4,
        ));
    }
    out(&format!("{value}\n"))
}

/// Where a JSON value holds a `null`, if anywhere.
pub(crate) fn null_at(v: &serde_json::Value, path: String) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::Null => Some(if path.is_empty() {
            "the result".into()
        } else {
            path
        }),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| null_at(x, format!("{path}[{i}]"))),
        Value::Object(o) => o.iter().find_map(|(k, x)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            null_at(x, p)
        }),
        _ => None,
    }
}
