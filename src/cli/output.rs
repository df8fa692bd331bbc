//! Output helpers shared by the subcommands: number formatting, progress bars, atomic writes.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use super::Error;
use crate::ingest::events::EventLog;
use crate::ingest::{Problem, Report};

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Holdout metrics as `name value` pairs: counts as whole numbers, rates to four decimals.
pub fn metrics_line(metrics: &std::collections::BTreeMap<String, f64>) -> String {
    metrics
        .iter()
        .map(
            |(k, v)| {
                if k.ends_with(".cases") {
                    format!("{k} {}", thousands(*v as u64))
                } else {
                    format!("{k} {v:.4}")
                }
            },
        )
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows rejected while reading inputs, counted by reason over every file read, and the first
/// problems of each file verbatim (`file:line: field `name`: what is wrong`). `build`, `predict`
/// and `evaluate` report them alike: [`Rejections::line`] and [`Rejections::print_problems`].
#[derive(Debug, Default)]
pub struct Rejections {
    /// Rows rejected, by reason.
    pub by_reason: BTreeMap<&'static str, u64>,
    /// The first problems, in the order the files were added.
    pub problems: Vec<Problem>,
}

impl Rejections {
    /// Adds one input's report (its counts and its first problems).
    pub fn add(&mut self, report: &Report) -> &mut Self {
        for (k, v) in &report.rejected {
            *self.by_reason.entry(k).or_insert(0) += v;
        }
        self.problems.extend(report.examples.iter().cloned());
        self
    }

    /// Adds an event log's first events for unknown products (counted by the log, not rejected).
    pub fn add_unknown(&mut self, log: &EventLog) -> &mut Self {
        self.problems.extend(log.unknown_examples.iter().cloned());
        self
    }

    /// `  rejected  invalid timestamp: 2, wrong number of fields: 1`, or `None` when none was.
    pub fn line(&self) -> Option<String> {
        let parts: Vec<String> = self.by_reason.iter().map(|(k, v)| format!("{k}: {}", thousands(*v))).collect();
        (!parts.is_empty()).then(|| format!("  rejected  {}", parts.join(", ")))
    }

    /// Prints the first problems under a heading, if there are any.
    pub fn print_problems(&self) {
        if !self.problems.is_empty() {
            println!("first problems (all are counted above; --strict makes them fatal):");
            for p in &self.problems {
                println!("  {p}");
            }
        }
    }

    /// `{"rejected": {reason: count}, "problems": [text]}` for `--json` output.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "rejected": self.by_reason,
            "problems": self.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        })
    }
}

/// A byte count in B, KB, MB (powers of 1000, as file managers show them).
pub fn bytes(n: u64) -> String {
    match n {
        0..=999 => format!("{n} B"),
        1_000..=999_999 => format!("{:.1} KB", n as f64 / 1e3),
        _ => format!("{:.2} MB", n as f64 / 1e6),
    }
}

/// A progress bar over a file's bytes, drawn only when stderr is a terminal and not `quiet`.
pub fn file_progress(label: &str, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{prefix:>8} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    pb.set_prefix(label.to_string());
    pb
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, flushed to disk,
/// then renamed over `path`. A crash at any point leaves the previous file intact.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let tmp = dir.join(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("{}: cannot write: {e}", path.display()).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(bytes(12), "12 B");
        assert_eq!(bytes(1500), "1.5 KB");
        assert_eq!(bytes(2_500_000), "2.50 MB");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("model.snap");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(write_atomic(&dir.path().join("missing/x.snap"), b"x").is_err());
    }
}
