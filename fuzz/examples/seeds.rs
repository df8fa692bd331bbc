//! Writes the seed corpora of every fuzz target into `OUT/<target>/`, from the fixture snapshot
//! and a small demo store in `STORE` (`edgerec demo-data` output: catalog.csv, events.csv).
//! Usage: `cargo run --example seeds -- STORE OUT` (scripts/fuzz.sh runs it). With `demo-data`
//! as its first argument it is the `edgerec` command instead, so that making the store needs no
//! second build of the crate.

use std::io::Write;
use std::path::{Path, PathBuf};

use edgerec::session::SessionState;
use edgerec::snapshot::{Toc, SECTIONS};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn write(out: &Path, target: &str, name: &str, bytes: &[u8]) -> Result<()> {
    let dir = out.join(target);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(name), bytes)?;
    Ok(())
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

/// The first `lines` lines of a CSV file, and the same rows as NDJSON.
fn csv_and_ndjson(path: &Path, lines: usize) -> Result<(Vec<u8>, Vec<u8>)> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut csv_text = String::new();
    for line in text.lines().take(lines) {
        csv_text.push_str(line);
        csv_text.push('\n');
    }
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = rdr.headers()?.iter().map(String::from).collect();
    let mut ndjson = Vec::new();
    for rec in rdr.records() {
        let rec = rec?;
        let obj: serde_json::Map<String, serde_json::Value> =
            header.iter().zip(rec.iter()).map(|(k, v)| (k.clone(), serde_json::Value::from(v))).collect();
        serde_json::to_writer(&mut ndjson, &obj)?;
        ndjson.push(b'\n');
    }
    Ok((csv_text.into_bytes(), ndjson))
}

/// The ingest seeds: one per mode byte (see `edgerec_fuzz::ingest_input`).
fn ingest_seeds(out: &Path, target: &str, csv_bytes: &[u8], ndjson: &[u8]) -> Result<()> {
    for (name, mode, body) in [
        ("csv", 0u8, csv_bytes.to_vec()),
        ("ndjson", 1, ndjson.to_vec()),
        ("csv-gz", 2, csv_bytes.to_vec()),
        ("ndjson-gz", 3, ndjson.to_vec()),
        ("csv-gz-stream", 4, gzip(csv_bytes)?),
        ("ndjson-gz-stream", 5, gzip(ndjson)?),
        ("csv-strict", 8, csv_bytes.to_vec()),
    ] {
        let mut seed = vec![mode];
        seed.extend_from_slice(&body);
        write(out, target, name, &seed)?;
    }
    Ok(())
}

fn main() -> Result<()> {
    if std::env::args().nth(1).as_deref() == Some("demo-data") {
        std::process::exit(edgerec::cli::main());
    }
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [store, out] = &args[..] else { return Err("usage: seeds STORE OUT".into()) };
    let fixture = edgerec_fuzz::FIXTURE;

    write(out, "snapshot_decode", "small.snap", fixture)?;
    let toc = Toc::read(fixture)?;
    for (i, spec) in SECTIONS.iter().enumerate() {
        if let Some(bytes) = toc.section(fixture, spec.name)? {
            let mut seed = vec![i as u8];
            seed.extend_from_slice(bytes);
            write(out, "snapshot_section", spec.name, &seed)?;
        }
    }

    let (catalog_csv, catalog_ndjson) = csv_and_ndjson(&store.join("catalog.csv"), 40)?;
    ingest_seeds(out, "ingest_catalog", &catalog_csv, &catalog_ndjson)?;
    let (events_csv, events_ndjson) = csv_and_ndjson(&store.join("events.csv"), 120)?;
    ingest_seeds(out, "ingest_events", &events_csv, &events_ndjson)?;

    write(out, "config_toml", "default.toml", edgerec::cli::DEFAULT_CONFIG_TOML.as_bytes())?;
    let custom = r#"blacklist = ["gift-card"]
[training]
min_count = 2
[training.weights]
wishlist = 2.0
[for_you]
recency_decay = 0.5
[widgets.upsell]
limit = 4
fallback = ["popular_in_category", "popular"]
[widgets.new_arrivals]
algorithm = "popular"
title = "New in"
[widgets.new_arrivals.filters]
added_within_days = 30
price_min = 5
exclude_tags = ["clearance"]
"#;
    write(out, "config_toml", "custom.toml", custom.as_bytes())?;

    let t = 1_790_000_000;
    let mut state = SessionState::new(t);
    state.view("P00001", t);
    state.view("P00002", t + 10);
    state.add_to_cart("P00002", 2, t + 20);
    state.purchase(&["P00002"], t + 30);
    state.touch(t + 10_000);
    state.view("P00003", t + 10_001);
    let mut json = String::new();
    state.write_json(&mut json);
    write(out, "session_state", "state.json", json.as_bytes())?;

    for (name, json) in [
        (
            "context",
            r#"{"product":"P00001","views":[{"id":"P00002","at":1790000000},{"id":"P00003"}],"cart":["P00004"],"purchased":["P00005"],"now":1790000000}"#,
        ),
        (
            "patch",
            r#"{"algorithm":"upsell","title":"More","limit":5,"threshold":0.2,"fallback":["popular"],"exclude_purchased":true,"force_include":["P00007"],"forceIncludeOutOfStock":false}"#,
        ),
        ("for_you", r#"{"algorithm":"for_you","for_you":{"recency_decay":0.5,"hop_weight":0.3,"popular_weight":0.1}}"#),
        (
            "filters",
            r#"{"brands":["Acme"],"excludeTags":["clearance"],"categories":["Kitchen"],"priceMin":5,"price_max":100.5,"stock_min":1,"discountMin":10,"added":[{"from":"2026-01-01","to":"2026-12-31"}],"addedWithinDays":30,"showOutOfStock":true}"#,
        ),
    ] {
        write(out, "js_options", &format!("{name}.json"), json.as_bytes())?;
    }
    Ok(())
}
