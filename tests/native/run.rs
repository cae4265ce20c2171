//! Running the `mdn` command line as a user would, and reading what it printed.

use std::ffi::OsStr;
use std::process::Command;

/// What one run of a command gave: its exit code (−1 if killed) and both streams.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `mdn` with `args`.
pub fn mdn<S: AsRef<OsStr>>(args: &[S]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_mdn")).args(args))
}

/// Runs any command (`mdn` with more set up, or a generated script).
pub fn run(cmd: &mut Command) -> Run {
    let o = cmd.output().expect("the command runs");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

impl Run {
    /// The run, after checking that it succeeded (else the test fails with its stderr).
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "{}", self.stderr);
        self
    }

    /// The last line of stdout, as JSON.
    pub fn last_json(&self) -> serde_json::Value {
        last_json(&self.stdout)
    }
}

/// The last line of `stdout`, as JSON (the commands print one JSON object a line, the
/// result last); fails the test with the whole text if it is not JSON.
pub fn last_json(stdout: &str) -> serde_json::Value {
    let line = stdout.lines().last().unwrap_or("");
    serde_json::from_str(line).unwrap_or_else(|e| panic!("last line is not JSON ({e}): {stdout}"))
}
