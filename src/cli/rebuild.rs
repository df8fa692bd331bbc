//! `edgerec rebuild`: `edgerec build` on a cadence. Retrains when there is no snapshot yet, when
//! it is `[training] every_days` old or older, or when the configuration differs from the one the
//! snapshot was built with (changes take effect at the next training); otherwise says why it did
//! nothing and exits 0, so a daily cron line or CI job can run it unconditionally.

use std::path::PathBuf;

use super::build::{self, now};
use super::{load_config, Error};
use crate::config::Config;
use crate::snapshot::Snapshot;
use crate::time::{format_timestamp, parse_timestamp};

/// Arguments of `edgerec rebuild`.
#[derive(clap::Args)]
pub struct Args {
    /// Product catalog (.csv, .ndjson, .jsonl or .json, optionally .gz).
    #[arg(long)]
    catalog: PathBuf,
    /// Shopper events: a file, a directory (read recursively) or a quoted glob pattern; repeatable.
    #[arg(long, required = true)]
    events: Vec<PathBuf>,
    /// A `user_id,segment` file for the segment models (as build).
    #[arg(long)]
    segments: Option<PathBuf>,
    /// Configuration file (edgerec.toml); built-in defaults when absent.
    #[arg(long)]
    config: Option<PathBuf>,
    /// The snapshot: read to decide, rewritten (atomically) when retrained.
    #[arg(long)]
    out: PathBuf,
    /// Retrain now, even when the snapshot is recent or the configuration says `frozen = true`.
    #[arg(long)]
    force: bool,
    /// The current time (date or timestamp), instead of the clock: for tests and replays.
    #[arg(long)]
    now: Option<String>,
    /// Keep the last N days out and store their quality figures in the snapshot (as build).
    #[arg(long)]
    holdout_days: Option<u32>,
    /// Make any malformed row fatal.
    #[arg(long)]
    strict: bool,
    /// No progress bars.
    #[arg(long, short)]
    quiet: bool,
}

/// What `rebuild` decided, and why.
#[derive(Debug, PartialEq)]
enum Decision {
    /// Retrain, for this reason.
    Build(String),
    /// Do nothing, for this reason.
    Keep(String),
}

/// The configuration with the cadence keys cleared: changing how often to retrain is not a
/// change to what is trained.
fn trained_part(config: &Config) -> Config {
    let mut c = config.clone();
    c.training.frozen = false;
    c.training.every_days = 0;
    c
}

/// Decides from the existing snapshot's bytes (`None`: no file) and the configuration.
fn decide(existing: Option<&[u8]>, out: &str, config: &Config, now: i64, force: bool) -> Decision {
    let t = &config.training;
    if force {
        return Decision::Build("--force".into());
    }
    if t.frozen {
        return Decision::Keep(format!(
            "`[training] frozen = true` keeps {out} as it is; set `frozen = false` in [training] or pass --force to retrain"
        ));
    }
    let Some(bytes) = existing else { return Decision::Build(format!("there is no snapshot at {out} yet")) };
    let snapshot = match Snapshot::decode(bytes) {
        Ok(s) => s,
        Err(e) => return Decision::Build(format!("{out} cannot be read ({e})")),
    };
    if trained_part(&snapshot.config) != trained_part(config) {
        return Decision::Build(format!("the configuration changed since {out} was built"));
    }
    let built = snapshot.meta.built_at;
    // Rounded down, so a snapshot not yet due never reads as `every_days` old.
    let age_days = ((now - built) as f64 / 8_640.0).floor() / 10.0;
    let due = built + i64::from(t.every_days) * 86_400;
    if now >= due {
        Decision::Build(format!(
            "{out} is {age_days:.1} days old (built {}); [training] every_days = {}",
            format_timestamp(built),
            t.every_days
        ))
    } else {
        Decision::Keep(format!(
            "{out} is {age_days:.1} days old (built {}), the configuration is unchanged and [training] every_days = {}: next training from {}",
            format_timestamp(built),
            t.every_days,
            format_timestamp(due)
        ))
    }
}

pub fn run(a: Args) -> Result<(), Error> {
    let config = match &a.config {
        Some(p) => load_config(p)?,
        None => Config::default(),
    };
    let now = match &a.now {
        Some(s) => parse_timestamp(s).map_err(|e| format!("--now \"{s}\": {e}"))?,
        None => now(),
    };
    let existing = match std::fs::read(&a.out) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("{}: cannot read: {e}", a.out.display()).into()),
    };
    let out = a.out.display().to_string();
    match decide(existing.as_deref(), &out, &config, now, a.force) {
        Decision::Keep(why) => {
            println!("edgerec rebuild: nothing to do: {why}");
            Ok(())
        }
        Decision::Build(why) => {
            println!("edgerec rebuild: retraining: {why}");
            build::run(build::Args {
                catalog: Some(a.catalog),
                reuse: None,
                events: a.events,
                segments: a.segments,
                config: a.config,
                out: a.out,
                as_of: None,
                strict: a.strict,
                quiet: a.quiet,
                holdout_days: a.holdout_days,
                json: false,
                force: true,
                no_tune: false,
                built_at: Some(now),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::Meta;

    const DAY: i64 = 86_400;

    fn snapshot(built_at: i64, config: &Config) -> Vec<u8> {
        let s =
            Snapshot { meta: Meta { built_at, ..Default::default() }, config: config.clone(), ..Default::default() };
        s.encode()
    }

    fn kept(d: &Decision) -> bool {
        matches!(d, Decision::Keep(_))
    }

    #[test]
    fn retrains_when_due_changed_missing_or_forced_and_only_then() {
        let config = Config::default();
        let built = 1_800_000_000;
        let bytes = snapshot(built, &config);
        let at = |now, config: &Config, force| decide(Some(&bytes), "m.snap", config, now, force);
        assert!(kept(&at(built + 6 * DAY, &config, false)), "6 days old, every 7 days");
        assert_eq!(
            at(built + 7 * DAY, &config, false),
            Decision::Build("m.snap is 7.0 days old (built 2027-01-15T08:00:00Z); [training] every_days = 7".into())
        );
        assert!(!kept(&at(built + DAY, &config, true)));
        let mut changed = config.clone();
        changed.training.min_count = 5;
        assert!(matches!(at(built + DAY, &changed, false), Decision::Build(w) if w.contains("configuration changed")));
        let mut cadence = config.clone();
        cadence.training.every_days = 3;
        assert!(kept(&at(built + 2 * DAY, &cadence, false)), "the cadence is not what is trained");
        assert!(!kept(&at(built + 3 * DAY, &cadence, false)));
        assert!(!kept(&decide(None, "m.snap", &config, built, false)));
        assert!(!kept(&decide(Some(b"not a snapshot"), "m.snap", &config, built, false)));
        let mut frozen = config.clone();
        frozen.training.frozen = true;
        assert!(matches!(at(built + 30 * DAY, &frozen, false), Decision::Keep(w) if w.contains("frozen = true")));
        assert!(!kept(&at(built + 30 * DAY, &frozen, true)));
    }
}
