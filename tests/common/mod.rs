//! What the tests of the `edgerec` command share: running it, and its output when it succeeds
//! or fails. Each test file uses some of these.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the `edgerec` binary this test was built with.
pub fn edgerec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_edgerec")).args(args).output().expect("the edgerec binary runs")
}

/// Runs `edgerec`, asserts it succeeded and returns its stdout.
pub fn ok(args: &[&str]) -> String {
    let out = edgerec(args);
    assert!(out.status.success(), "edgerec {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `edgerec`, asserts it failed and returns its stderr.
pub fn fails(args: &[&str]) -> String {
    let out = edgerec(args);
    assert!(!out.status.success(), "edgerec {args:?} should fail; stdout: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).unwrap()
}

/// A path as the `&str` an argument list takes.
pub fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}
