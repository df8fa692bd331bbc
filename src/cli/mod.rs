//! The `edgerec` command-line tool: argument parsing and dispatch. Each subcommand lives in its
//! own module; errors are printed once, here, and turn into a non-zero exit code.

pub mod bench;
mod build;
mod config_file;
mod config_names;
mod demo_data;
mod eval_report;
mod evaluate;
mod inspect;
mod output;
mod pack;
mod predict;
mod rebuild;
mod recommend;
mod report;
mod reuse;
mod rng;
mod session_data;
mod sql;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use config_file::{load_config, parse_config, DEFAULT_CONFIG_TOML};
pub use rng::Rng;

/// A CLI error: a message for the user.
pub type Error = Box<dyn std::error::Error>;

#[derive(Parser)]
#[command(name = "edgerec", version, about = "Build product-recommendation snapshots and query them", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a snapshot from a catalog and events.
    Build(build::Args),
    /// Retrain when the snapshot is older than `[training] every_days` or the configuration changed.
    Rebuild(rebuild::Args),
    /// Write the A/B-test and attribution report of a widget event log (one HTML page).
    Report(report::Args),
    /// Print a snapshot's metadata and the size of each section.
    Inspect(inspect::Args),
    /// Print one widget's list for a context.
    Recommend(recommend::Args),
    /// Measure query latency per widget (p50, p99) over many contexts.
    Bench(bench::Args),
    /// Measure recommendation quality on held-out events (next item, next basket).
    #[command(subcommand)]
    Evaluate(evaluate::Protocol),
    /// Write the per-customer recommendation table for a CRM (CSV).
    Predict(predict::Args),
    /// Turn count tables (from `edgerec sql` run on an SQL engine, or `edgerec counts`) into a snapshot.
    Pack(pack::PackArgs),
    /// Write the count tables `edgerec build` packs (CSV), to compare with an SQL engine's.
    Counts(pack::CountsArgs),
    /// Print the SQL (Spark, DataFusion, DuckDB, BigQuery) that counts those tables from an events table.
    Sql(sql::Args),
    /// Write a realistic synthetic store (catalog, events, planted bundles).
    DemoData(demo_data::Args),
    /// Print the default configuration (edgerec.toml), or check a configuration file.
    Config {
        /// Check this file instead of printing the defaults.
        #[arg(long)]
        check: Option<PathBuf>,
        /// With --check: also warn about names in the file that match nothing in this catalog.
        #[arg(long, requires = "check")]
        catalog: Option<PathBuf>,
    },
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    // Like other Unix tools, end quietly when the reader of our output goes away (`| head`).
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread or IO starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(a) => build::run(a),
        Command::Rebuild(a) => rebuild::run(a),
        Command::Report(a) => report::run(a),
        Command::Inspect(a) => inspect::run(a),
        Command::Recommend(a) => recommend::run(a),
        Command::Bench(a) => bench::run(a),
        Command::DemoData(a) => demo_data::run(a),
        Command::Pack(a) => pack::run_pack(a),
        Command::Counts(a) => pack::run_counts(a),
        Command::Sql(a) => sql::run(a),
        Command::Evaluate(p) => evaluate::run(p),
        Command::Predict(a) => predict::run(a),
        Command::Config { check: None, .. } => {
            print!("{DEFAULT_CONFIG_TOML}");
            Ok(())
        }
        Command::Config { check: Some(path), catalog } => config_names::check(&path, catalog.as_deref()),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("edgerec: error: {e}");
            if e.is::<build::Frozen>() {
                build::FROZEN_EXIT
            } else {
                1
            }
        }
    }
}

/// Splits a comma-separated id list (`a,b,c`); empty items are dropped.
pub fn split_ids(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}
