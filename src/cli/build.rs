//! `edgerec build`: catalog + events (+ config) -> snapshot, with a summary.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::json;

use super::config_names::unmatched_names;
use super::output::{bytes, file_progress, metrics_line, thousands, write_atomic, Rejections};
use super::{load_config, Error};
use crate::build::tune::{build_tuned, Tuning};
use crate::build::{BuildOptions, BuildStats};
use crate::catalog::Catalog;
use crate::config::Config;
use crate::ingest::catalog::read_catalog;
use crate::ingest::events::{merge_report, EventLog};
use crate::ingest::segments::read_segment_map;
use crate::ingest::Report;
use crate::snapshot::Snapshot;
use crate::time::{format_timestamp, parse_timestamp};

/// Arguments of `edgerec build`.
#[derive(clap::Args)]
pub struct Args {
    /// Product catalog (.csv, .ndjson, .jsonl or .json, optionally .gz; or .parquet).
    #[arg(long, required_unless_present = "reuse")]
    pub(super) catalog: Option<PathBuf>,
    /// Shopper events: a file, a directory (every .ndjson, .ndjson.gz, .csv, .csv.gz, .parquet in it,
    /// recursively) or a quoted glob pattern; repeat the flag to read several.
    #[arg(long, required_unless_present = "reuse")]
    pub(super) events: Vec<PathBuf>,
    /// Reuse this snapshot's counts: apply a configuration change that needs no re-count of
    /// events (the active personalisation model, its strength; docs/personalization.md) without
    /// reading the catalog or events. Changes that do need one are refused, naming the key.
    #[arg(long, conflicts_with_all = ["catalog", "events", "segments", "holdout_days", "as_of"])]
    pub(super) reuse: Option<PathBuf>,
    /// Configuration file (edgerec.toml); built-in defaults when absent.
    #[arg(long)]
    pub(super) config: Option<PathBuf>,
    /// Where to write the snapshot (written atomically).
    #[arg(long)]
    pub(super) out: PathBuf,
    /// Train as of this date or time: later events are left out, popularity decays towards it.
    #[arg(long)]
    pub(super) as_of: Option<String>,
    /// Make any malformed row fatal.
    #[arg(long)]
    pub(super) strict: bool,
    /// No progress bars.
    #[arg(long, short)]
    pub(super) quiet: bool,
    /// Keep the last N days out, measure quality on them, then rebuild on everything and store
    /// the figures in the snapshot (`edgerec inspect` shows them).
    #[arg(long)]
    pub(super) holdout_days: Option<u32>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub(super) json: bool,
    /// Retrain even when the configuration says `[training] frozen = true`.
    #[arg(long)]
    pub(super) force: bool,
    /// Do not fit the for_you weights to the events (they are fitted unless edgerec.toml sets
    /// `[for_you]`).
    #[arg(long)]
    pub(super) no_tune: bool,
    /// A `user_id,segment` file (CSV or NDJSON) putting users in segments (business accounts)
    /// for the segment models; it wins over the events' `segment` column.
    #[arg(long)]
    pub(super) segments: Option<PathBuf>,
    /// The build time stored in the snapshot (`edgerec rebuild --now`); the clock when absent.
    #[arg(skip)]
    pub(super) built_at: Option<i64>,
}

/// `edgerec build` refused to retrain a frozen model: exit code 3.
#[derive(Debug)]
pub struct Frozen(pub String);

impl std::fmt::Display for Frozen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Frozen {}

/// The exit code of a refusal to retrain a frozen model.
pub const FROZEN_EXIT: i32 = 3;

/// Everything read from the inputs.
pub struct Inputs {
    /// The catalog.
    pub catalog: Catalog,
    /// Its report.
    pub catalog_report: Report,
    /// The events.
    pub log: EventLog,
    /// Seconds spent reading.
    pub read_secs: f64,
}

/// Reads a catalog and event files, with progress bars.
pub fn read_inputs(catalog: &Path, events: &[PathBuf], strict: bool, quiet: bool) -> Result<Inputs, Error> {
    read_inputs_with(catalog, events, None, strict, quiet)
}

/// [`read_inputs`], putting users in segments from a `user_id,segment` file when given.
pub fn read_inputs_with(
    catalog: &Path,
    events: &[PathBuf],
    segments: Option<&Path>,
    strict: bool,
    quiet: bool,
) -> Result<Inputs, Error> {
    let t0 = Instant::now();
    let pb = file_progress("catalog", quiet);
    let (catalog, catalog_report) = read_catalog(catalog, strict, &mut |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    })?;
    pb.finish_and_clear();
    let mut log = EventLog::new();
    for path in events {
        let pb = file_progress("events", quiet);
        log.read(path, &catalog, strict, &mut |done, total| {
            pb.set_length(total);
            pb.set_position(done);
        })?;
        pb.finish_and_clear();
    }
    if let Some(path) = segments {
        let (pairs, report) = read_segment_map(path, strict)?;
        log.assign_segments(pairs.iter().map(|(u, s)| (u.as_str(), s.as_str())));
        merge_report(&mut log.report, &report);
    }
    log.drop_ids();
    Ok(Inputs { catalog, catalog_report, log, read_secs: t0.elapsed().as_secs_f64() })
}

/// Parses `--as-of`.
pub fn parse_as_of(s: Option<&str>) -> Result<Option<i64>, Error> {
    s.map(|s| parse_timestamp(s).map_err(|e| format!("--as-of \"{s}\": {e}").into())).transpose()
}

/// The wall-clock time, for `built_at`.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

pub fn run(a: Args) -> Result<(), Error> {
    let t0 = Instant::now();
    let config = match &a.config {
        Some(p) => load_config(p)?,
        None => Config::default(),
    };
    // No re-count: `frozen` keeps the counts as they are, and so does --reuse.
    if let Some(old) = &a.reuse {
        let file = a.config.as_deref().map_or("the configuration".into(), |p| p.display().to_string());
        return super::reuse::run(old, config, &file, &a.out, a.json);
    }
    if config.training.frozen && !a.force {
        let file = a.config.as_deref().map_or("the configuration".into(), |p| p.display().to_string());
        return Err(Frozen(format!(
            "{file}: `[training] frozen = true` keeps the model as it is, so nothing was built; set `frozen = false` in [training] or pass --force to retrain"
        ))
        .into());
    }
    let catalog = a.catalog.as_deref().ok_or("--catalog is required (or --reuse SNAPSHOT)")?;
    let as_of = parse_as_of(a.as_of.as_deref())?;
    let inputs = read_inputs_with(catalog, &a.events, a.segments.as_deref(), a.strict, a.quiet || a.json)?;
    if inputs.log.events.is_empty() {
        return Err(format!(
            "no usable events in {} ({} rows, {} rejected, {} for unknown products): nothing to learn from",
            a.events.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            inputs.log.report.rows,
            inputs.log.report.rejected_total(),
            inputs.log.unknown_products
        )
        .into());
    }
    let c = &inputs.catalog;
    if let Err(e) =
        config.personalization.check_catalog("personalization", c.attribute_names(), |p| c.category_index(p).is_some())
    {
        let file = a.config.as_deref().map_or("the configuration".into(), |p| p.display().to_string());
        return Err(format!("{file}: {e}").into());
    }
    let t1 = Instant::now();
    let opts = BuildOptions { config, as_of, built_at: a.built_at.unwrap_or_else(now) };
    let tune = tune_setting(a.no_tune, a.config.as_deref());
    let holdout = match a.holdout_days {
        Some(0) => return Err("--holdout-days must be at least 1".into()),
        Some(days) => Some(
            crate::evaluate::holdout(&inputs.catalog, &inputs.log, &opts, days, tune.is_ok())
                .ok_or("--holdout-days: no events to hold out")?,
        ),
        None => None,
    };
    let config_warnings = unmatched_names(&opts.config, &inputs.catalog);
    let (mut snapshot, mut stats, tuning) = build_tuned(inputs.catalog, &inputs.log, &opts, tune.is_ok());
    let tuning = tuning.or_else(|| tune.err().filter(|why| !why.is_empty()).map(Tuning::Skipped));
    snapshot.meta.holdout = holdout;
    snapshot.meta.counts.catalog_rows = inputs.catalog_report.rows;
    snapshot.meta.counts.rejected_rows += inputs.catalog_report.rejected_total();
    stats.counts = snapshot.meta.counts.clone();
    let aggregate_secs = t1.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let encoded = snapshot.encode();
    write_atomic(&a.out, &encoded)?;
    let write_secs = t2.elapsed().as_secs_f64();
    let total = t0.elapsed().as_secs_f64();
    let timing = Timing { read: inputs.read_secs, aggregate: aggregate_secs, write: write_secs, total };
    let mut rejections = Rejections::default();
    rejections.add(&inputs.catalog_report).add(&inputs.log.report).add_unknown(&inputs.log);
    let summary = Summary {
        out: &a.out,
        s: &snapshot,
        st: &stats,
        cat: &inputs.catalog_report,
        log: &inputs.log,
        size: encoded.len(),
        t: &timing,
        rejections: &rejections,
        tuning: tuning.as_ref(),
        warnings: config_warnings.into_iter().chain(list_warnings(&snapshot, &stats)).collect(),
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&summary.json())?);
    } else {
        summary.print();
    }
    Ok(())
}

/// Whether to tune the for_you weights: `Err` says why not (`None` for `--no-tune`, which asks
/// for no message).
pub fn tune_setting(no_tune: bool, config: Option<&Path>) -> Result<(), String> {
    if no_tune {
        return Err(String::new());
    }
    match config {
        Some(p) if super::config_file::sets_for_you(p) => {
            Err(format!("{} sets [for_you]: its weights are used as they are", p.display()))
        }
        _ => Ok(()),
    }
}

/// One line on what tuning did.
pub fn tuning_line(t: &Tuning) -> String {
    match t {
        Tuning::Skipped(why) => format!("skipped: {why}"),
        Tuning::Fitted(f, secs) => format!("for_you fitted in {secs:.1} s {}", tuned_line(f)),
    }
}

/// The fitted weights' validation figures, in one line.
pub fn tuned_line(f: &crate::config::TunedForYou) -> String {
    format!(
            "on {} validation cases ({} settings): HR@20 {:.4}, MRR@20 {:.4}; default weights {:.4} / {:.4}, in-session popularity {:.4} / {:.4}",
            thousands(f.cases),
            f.evaluations,
            f.fitted.0,
            f.fitted.1,
            f.defaults.0,
            f.defaults.1,
            f.in_session.0,
            f.in_session.1
        )
}

/// The fitted weights and figures as JSON.
pub fn tuned_json(f: &crate::config::TunedForYou) -> serde_json::Value {
    let weights: serde_json::Map<String, serde_json::Value> =
        f.params.weights().into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    let shape: serde_json::Map<String, serde_json::Value> =
        f.shape.values().into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    json!({
        "weights": weights, "shape": shape, "cases": f.cases, "evaluations": f.evaluations,
        "hr20": f.fitted.0, "mrr20": f.fitted.1,
        "defaults": { "hr20": f.defaults.0, "mrr20": f.defaults.1 },
        "inSession": { "hr20": f.in_session.0, "mrr20": f.in_session.1 },
    })
}

pub fn tuning_json(t: &Tuning) -> serde_json::Value {
    match t {
        Tuning::Skipped(why) => json!({ "skipped": why }),
        Tuning::Fitted(f, secs) => {
            let mut v = tuned_json(f);
            v["seconds"] = json!(secs);
            v
        }
    }
}

/// Plain-language warnings about lists that came out empty, with the setting to change.
pub fn list_warnings(s: &Snapshot, st: &BuildStats) -> Vec<String> {
    use crate::popularity::PopularityKind::*;
    let (t, c) = (&s.config.training, &st.counts);
    let mut out = Vec::new();
    for &(kind, len) in &st.listed {
        if len > 0 {
            continue;
        }
        let (events, what) = match kind {
            Views => (c.views, "views"),
            Carts => (c.carts, "add-to-carts"),
            Purchases => (c.purchases, "purchases"),
            Popular => (c.events_used, "events"),
            // No product rising is an answer, not a setting to change.
            Trending => continue,
        };
        let (days, key) =
            if kind == Purchases { (t.recent_days, "recent_days") } else { (t.timeframe_days, "timeframe_days") };
        out.push(if events == 0 {
            format!("the {} list is empty: the events hold no {what}", kind.name())
        } else {
            format!(
                "the {} list is empty: no product has {} or more shoppers in the last {days} days; widen training.{key} or lower training.min_count",
                kind.name(),
                t.min_count
            )
        });
    }
    out
}

/// Seconds spent in each phase.
pub struct Timing {
    read: f64,
    aggregate: f64,
    write: f64,
    total: f64,
}

/// What a build read and wrote, for its summary.
struct Summary<'a> {
    out: &'a Path,
    s: &'a Snapshot,
    st: &'a BuildStats,
    cat: &'a Report,
    log: &'a EventLog,
    size: usize,
    t: &'a Timing,
    rejections: &'a Rejections,
    /// What tuning the for_you weights did, unless `--no-tune`.
    tuning: Option<&'a Tuning>,
    /// Configured names that match nothing in the catalog, then lists that came out empty.
    warnings: Vec<String>,
}

impl Summary<'_> {
    fn print(&self) {
        let Summary { out, s, st, cat, log, size, t, rejections, tuning, ref warnings } = *self;
        let c = &st.counts;
        let n = |x: u64| thousands(x);
        println!("edgerec build: wrote {} ({}) in {:.2} s", out.display(), bytes(size as u64), t.total);
        println!(
            "  catalog   {} rows, {} rejected -> {} products, {} categories, {} brands",
            n(cat.rows),
            n(cat.rejected_total()),
            n(s.catalog.len() as u64),
            n(s.catalog.category_names().len() as u64),
            n(s.catalog.brands().len() as u64)
        );
        println!(
            "  events    {} rows, {} rejected, {} for unknown products, {} outside the training period",
            n(log.report.rows),
            n(log.report.rejected_total()),
            n(c.unknown_products),
            n(c.outside_period)
        );
        println!(
            "            {} views, {} carts, {} order lines, {} custom",
            n(c.views),
            n(c.carts),
            n(c.purchases),
            n(c.custom)
        );
        println!("            {} sessions, {} orders, {} shoppers", n(c.sessions), n(c.orders), n(c.shoppers));
        println!(
            "            from {} to {}, as of {}",
            format_timestamp(s.meta.events_from),
            format_timestamp(s.meta.events_to),
            format_timestamp(s.meta.as_of)
        );
        let min = s.config.training.min_count;
        for (kind, counted, kept) in &st.pairs {
            println!(
                "  pairs     {:<16} {} kept of {} counted (min_count {min})",
                kind.name(),
                n(*kept as u64),
                n(*counted as u64)
            );
        }
        let lists: Vec<String> = st.listed.iter().map(|(k, len)| format!("{} {}", k.name(), n(*len as u64))).collect();
        println!("  lists     {}", lists.join(", "));
        println!(
            "  models    bundles {}, recurring {} (products bought again at a regular interval), segments {}",
            n(s.bundles.len() as u64),
            n(s.recurring.len() as u64),
            n(s.segments.len() as u64)
        );
        let eps = c.event_rows as f64 / (t.read + t.aggregate).max(1e-9);
        println!(
            "  speed     {:.2} M events/s (read {:.2} s, aggregate {:.2} s, write {:.2} s)",
            eps / 1e6,
            t.read,
            t.aggregate,
            t.write
        );
        if let Some(line) = rejections.line() {
            println!("{line}");
        }
        for w in warnings {
            println!("  warning   {w}");
        }
        if let Some(h) = &s.meta.holdout {
            println!("  holdout   last {} days: {}", h.days, metrics_line(&h.metrics));
        }
        if let Some(line) = tuning.map(tuning_line) {
            println!("  tuning    {line}");
        }
        rejections.print_problems();
    }

    fn json(&self) -> serde_json::Value {
        let Summary { out, s, st, cat, log, size, t, rejections, tuning, ref warnings } = *self;
        let c = &st.counts;
        json!({
            "out": out.display().to_string(),
            "bytes": size,
            "products": s.catalog.len(),
            "categories": s.catalog.category_names().len(),
            "catalog": { "rows": cat.rows, "rejected": cat.rejected },
            "events": { "rows": log.report.rows, "rejected": log.report.rejected, "unknownProducts": c.unknown_products, "outsidePeriod": c.outside_period },
            "counts": { "views": c.views, "carts": c.carts, "purchases": c.purchases, "custom": c.custom, "sessions": c.sessions, "orders": c.orders, "shoppers": c.shoppers },
            "pairs": st.pairs.iter().map(|(k, counted, kept)| json!({"kind": k.name(), "counted": counted, "kept": kept})).collect::<Vec<_>>(),
            "lists": st.listed.iter().map(|(k, n)| (k.name().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "bundles": s.bundles.len(),
            "recurring": s.recurring.len(),
            "segments": s.segments.len(),
            "seconds": { "read": t.read, "aggregate": t.aggregate, "write": t.write, "total": t.total },
            "eventsPerSecond": c.event_rows as f64 / (t.read + t.aggregate).max(1e-9),
            "holdout": s.meta.holdout.as_ref().map(|h| json!({"days": h.days, "cases": h.cases, "metrics": h.metrics})),
            "problems": rejections.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            "warnings": warnings,
            "tuning": tuning.map(tuning_json),
        })
    }
}
