//! `edgerec evaluate next-item | basket`: builds a snapshot from training events and scores a
//! widget's lists on held-out events, with baselines, through the same engine the browser runs.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Subcommand;
use serde_json::json;

use super::build::{now, read_inputs, tune_setting, tuning_json, tuning_line};
use super::output::{thousands, Rejections};
use super::{load_config, Error};
use crate::build::tune::{build_tuned, Tuning};
use crate::build::BuildOptions;
use crate::config::{Config, WidgetConfig};
use crate::engine::Recommender;
use crate::evaluate::{basket, next_item, next_item_cases, purchases_by_user, view_sessions, Scores, Shoppers};
use crate::ingest::events::EventLog;

mod personal;

/// `edgerec evaluate` protocols.
#[derive(Subcommand)]
pub enum Protocol {
    /// Next-item prediction in sessions (HR@K, MRR@K, NDCG@K, coverage, latency).
    NextItem(NextItemArgs),
    /// Next-basket prediction per shopper (Recall@K, NDCG@K, hit rate).
    Basket(BasketArgs),
}

/// Arguments of `edgerec evaluate next-item`.
#[derive(clap::Args)]
pub struct NextItemArgs {
    /// Training events.
    #[arg(long)]
    train: PathBuf,
    /// Test events: sessions replayed view by view.
    #[arg(long, required_unless_present = "holdout_days")]
    test: Option<PathBuf>,
    /// Instead of --test: hold out the last N days of --train (a validation split cut from the
    /// training file) and train on the days before.
    #[arg(long, conflicts_with = "test")]
    holdout_days: Option<u32>,
    /// Compare the widget without and with the configuration's active [personalization] model,
    /// on the same cases, each with the shopper's history as the browser Session holds it.
    #[arg(long)]
    personalize: bool,
    /// What a --personalize case predicts: the next view of the session, or the next order.
    #[arg(long, value_enum, default_value = "view", requires = "personalize")]
    target: personal::TargetArg,
    /// Product catalog.
    #[arg(long)]
    catalog: PathBuf,
    /// Configuration (training parameters and the widget).
    #[arg(long)]
    config: Option<PathBuf>,
    /// List length.
    #[arg(long, default_value_t = 20)]
    k: usize,
    /// The widget evaluated.
    #[arg(long, default_value = "for_you")]
    widget: String,
    /// Write one CSV row per case: session_id,position,target,rank,items.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Write the evaluation as an HTML page with plots (HR and MRR by position in the session and
    /// by session length, coverage, latency histogram); the cases are replayed once more for it.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Make any malformed row (and any event for a product not in the catalog) fatal.
    #[arg(long)]
    strict: bool,
    /// Do not fit the for_you weights on a validation split of the training events.
    #[arg(long)]
    no_tune: bool,
}

/// Arguments of `edgerec evaluate basket`.
#[derive(clap::Args)]
pub struct BasketArgs {
    /// Past purchases (training).
    #[arg(long)]
    history: PathBuf,
    /// The next basket of each shopper.
    #[arg(long)]
    future: PathBuf,
    /// Product catalog.
    #[arg(long)]
    catalog: PathBuf,
    /// Configuration.
    #[arg(long)]
    config: Option<PathBuf>,
    /// List length.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// The widget evaluated (past purchases are allowed in its list).
    #[arg(long, default_value = "buy_again")]
    widget: String,
    /// Write one CSV row per recommended item: user_id,rank,product_id,score.
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Make any malformed row (and any event for a product not in the catalog) fatal.
    #[arg(long)]
    strict: bool,
    /// Do not fit the for_you weights on a validation split of the training events.
    #[arg(long)]
    no_tune: bool,
}

/// Builds a snapshot from `catalog` and `train` in memory, fitting the for_you weights unless
/// `tune` says why not (as `edgerec build` does); the rows rejected while reading them go to
/// `rejections`.
pub fn train(
    catalog: &Path,
    events: &Path,
    config: &Config,
    strict: bool,
    tune: Result<(), String>,
    rejections: &mut Rejections,
) -> Result<(Recommender, f64, Option<Tuning>), Error> {
    let t = Instant::now();
    let inputs = read_inputs(catalog, &[events.to_path_buf()], strict, true)?;
    rejections.add(&inputs.catalog_report).add(&inputs.log.report).add_unknown(&inputs.log);
    let (rec, tuning) = train_on(inputs.catalog, &inputs.log, config, None, tune);
    Ok((rec, t.elapsed().as_secs_f64(), tuning))
}

/// Builds a snapshot from events already read, as of `as_of` (the newest event when `None`;
/// later events are left out), tuning as [`train`] does.
fn train_on(
    catalog: crate::catalog::Catalog,
    log: &EventLog,
    config: &Config,
    as_of: Option<i64>,
    tune: Result<(), String>,
) -> (Recommender, Option<Tuning>) {
    let opts = BuildOptions { config: config.clone(), as_of, built_at: now() };
    let (snapshot, _, tuning) = build_tuned(catalog, log, &opts, tune.is_ok());
    let tuning = tuning.or_else(|| tune.err().filter(|why| !why.is_empty()).map(Tuning::Skipped));
    (Recommender::new(snapshot), tuning)
}

fn widget_of(config: &Config, name: &str) -> Result<WidgetConfig, Error> {
    config.widgets.get(name).cloned().ok_or_else(|| {
        format!(
            "unknown widget \"{name}\": the configuration has {}",
            config.widgets.keys().cloned().collect::<Vec<_>>().join(", ")
        )
        .into()
    })
}

fn read_log(path: &Path, rec: &Recommender, strict: bool, rejections: &mut Rejections) -> Result<EventLog, Error> {
    let mut log = EventLog::new();
    log.read(path, rec.catalog(), strict, &mut |_, _| {})?;
    rejections.add(&log.report).add_unknown(&log);
    Ok(log)
}

/// Adds the rows rejected while reading to `--json` output.
fn with_rejections(mut v: serde_json::Value, rejections: &Rejections) -> serde_json::Value {
    if let (Some(o), serde_json::Value::Object(r)) = (v.as_object_mut(), rejections.json()) {
        o.extend(r);
    }
    v
}

/// Prints the rows rejected while reading, after the table.
fn print_rejections(rejections: &Rejections) {
    if let Some(line) = rejections.line() {
        println!("{line}");
    }
    rejections.print_problems();
}

fn writer(path: &Option<PathBuf>) -> Result<Option<BufWriter<File>>, Error> {
    path.as_ref()
        .map(|p| File::create(p).map(BufWriter::new).map_err(|e| format!("{}: cannot write: {e}", p.display()).into()))
        .transpose()
}

fn print(title: &str, k: usize, rows: &[Scores], basket: bool) {
    println!("{title}");
    if basket {
        println!(
            "  {:<34} {:>8} {:>10} {:>9} {:>9} {:>9} {:>9}",
            "list", "users", "Recall@K", "NDCG@K", "hit rate", "coverage", "p50 us"
        );
    } else {
        println!(
            "  {:<34} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>8}",
            "list", "cases", "HR@K", "MRR@K", "NDCG@K", "coverage", "p50 us", "p99 us"
        );
    }
    for s in rows {
        if basket {
            println!(
                "  {:<34} {:>8} {:>10.4} {:>9.4} {:>9.4} {:>9.4} {:>9.1}",
                s.name,
                thousands(s.cases),
                s.recall,
                s.ndcg,
                s.hit_rate,
                s.coverage,
                s.p50_us
            );
        } else {
            println!(
                "  {:<34} {:>8} {:>8.2} {:>8.2} {:>8.2} {:>9.4} {:>8.1} {:>8.1}",
                s.name,
                thousands(s.cases),
                100.0 * s.hit_rate,
                100.0 * s.mrr,
                100.0 * s.ndcg,
                s.coverage,
                s.p50_us,
                s.p99_us
            );
        }
    }
    if basket {
        println!("  (K = {k}; Recall and NDCG per shopper, averaged; hit rate: shoppers with at least one hit)");
    } else {
        println!("  (K = {k}; HR, MRR and NDCG in percent)");
    }
}

/// Runs `edgerec evaluate`.
pub fn run(p: Protocol) -> Result<(), Error> {
    match p {
        Protocol::NextItem(a) => {
            let config = a.config.as_deref().map(load_config).transpose()?.unwrap_or_default();
            let widget = widget_of(&config, &a.widget)?;
            let mut rejections = Rejections::default();
            let tune = tune_setting(a.no_tune, a.config.as_deref());
            if a.personalize || a.holdout_days.is_some() {
                return personal::run(&a, &config, &widget, tune);
            }
            let test_path = a.test.as_deref().expect("clap requires --test without --holdout-days");
            let (rec, build_secs, tuning) = train(&a.catalog, &a.train, &config, a.strict, tune, &mut rejections)?;
            let test = read_log(test_path, &rec, a.strict, &mut rejections)?;
            let names = test.session_names();
            let users = test.user_names();
            let sessions = view_sessions(&test, rec.session_gap());
            let name_of = |key: u64| {
                if key >> 32 == 0 {
                    names.get(key as usize).cloned().unwrap_or_default()
                } else {
                    users.get((key & 0xffff_ffff) as usize).cloned().unwrap_or_default()
                }
            };
            let mut out = writer(&a.predictions)?;
            let t = Instant::now();
            let rows = next_item(
                &rec,
                &a.widget,
                &widget,
                &sessions,
                a.k,
                &name_of,
                out.as_mut().map(|w| w as &mut dyn Write),
            )?;
            if let Some(mut w) = out {
                w.flush()?;
            }
            let eval_secs = t.elapsed().as_secs_f64();
            if let Some(path) = &a.report {
                let cases = next_item_cases(&rec, &widget, &sessions, a.k);
                let title = format!("edgerec evaluate next-item: {} on {}", a.widget, test_path.display());
                let page = super::eval_report::html(&title, a.k, &rows, &cases, rec.catalog().len());
                std::fs::write(path, page).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
            }
            if a.json {
                let v = json!({
                    "protocol": "next-item", "k": a.k, "widget": a.widget,
                    "sessions": sessions.len(), "unknownTargets": test.unknown_products,
                    "buildSeconds": build_secs, "evaluateSeconds": eval_secs, "results": rows,
                    "tuning": tuning.as_ref().map(tuning_json),
                });
                println!("{}", serde_json::to_string_pretty(&with_rejections(v, &rejections))?);
            } else {
                print(
                    &format!(
                        "edgerec evaluate next-item: {} test sessions ({} events for products not in the catalog); build {build_secs:.2} s, evaluate {eval_secs:.2} s",
                        thousands(sessions.len() as u64),
                        thousands(test.unknown_products)
                    ),
                    a.k,
                    &rows,
                    false,
                );
                if let Some(t) = &tuning {
                    println!("  tuning: {}", tuning_line(t));
                }
                print_rejections(&rejections);
            }
        }
        Protocol::Basket(a) => {
            let config = a.config.as_deref().map(load_config).transpose()?.unwrap_or_default();
            let widget = widget_of(&config, &a.widget)?;
            let mut rejections = Rejections::default();
            let tune = tune_setting(a.no_tune, a.config.as_deref());
            let (rec, build_secs, tuning) = train(&a.catalog, &a.history, &config, a.strict, tune, &mut rejections)?;
            // The history again, as each shopper's own purchases, with user ids shared with the
            // future file (both are read into one log so the ids intern to the same numbers).
            // Its rejected rows were counted when training read it.
            let mut log = EventLog::new();
            log.read(&a.history, rec.catalog(), a.strict, &mut |_, _| {})?;
            let split = log.events.len();
            let unknown_before = log.unknown_examples.len();
            rejections.add(&log.read(&a.future, rec.catalog(), a.strict, &mut |_, _| {})?);
            rejections.problems.extend(log.unknown_examples[unknown_before..].iter().cloned());
            let users = log.user_names();
            let future_events = log.events.split_off(split);
            let history = purchases_by_user(&log);
            log.events = future_events;
            let future = purchases_by_user(&log);
            let shoppers = Shoppers { history, future };
            let mut out = writer(&a.predictions)?;
            let t = Instant::now();
            let name_of = |u: u32| users.get(u as usize).cloned().unwrap_or_default();
            let rows =
                basket(&rec, &a.widget, &widget, &shoppers, a.k, &name_of, out.as_mut().map(|w| w as &mut dyn Write))?;
            if let Some(mut w) = out {
                w.flush()?;
            }
            let eval_secs = t.elapsed().as_secs_f64();
            if a.json {
                let v = json!({
                    "protocol": "basket", "k": a.k, "widget": a.widget, "users": shoppers.future.len(),
                    "buildSeconds": build_secs, "evaluateSeconds": eval_secs, "results": rows,
                    "tuning": tuning.as_ref().map(tuning_json),
                });
                println!("{}", serde_json::to_string_pretty(&with_rejections(v, &rejections))?);
            } else {
                print(
                    &format!(
                        "edgerec evaluate basket: {} shoppers with a future basket; build {build_secs:.2} s, evaluate {eval_secs:.2} s",
                        thousands(shoppers.future.len() as u64)
                    ),
                    a.k,
                    &rows,
                    true,
                );
                if let Some(t) = &tuning {
                    println!("  tuning: {}", tuning_line(t));
                }
                print_rejections(&rejections);
            }
        }
    }
    Ok(())
}
