//! Inputs the fuzz targets in fuzz/ found (docs/reliability.md), each kept as a test of what the
//! decoder must do with it instead of panicking; and the in-memory ingest entry points those
//! targets read through.
#![cfg(feature = "cli")]

use std::io::Write;
use std::path::Path;

use edgerec::ingest::catalog::read_catalog_in;
use edgerec::ingest::events::EventLog;
use edgerec::ingest::{open_bytes, Format};

const CATALOG: &str = "id,title,price,category\nP1,One,10.00,A > B\nP2,Two,abc,A\nP1,Again,1,A\n";

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn an_in_memory_input_reads_as_the_same_file_on_disk_would() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.csv.gz");
    std::fs::write(&path, gzip(CATALOG.as_bytes())).unwrap();
    let (from_disk, disk_report) = edgerec::ingest::catalog::read_catalog(&path, false, &mut |_, _| {}).unwrap();
    let opened = open_bytes(gzip(CATALOG.as_bytes()), Format::Csv, true);
    let (in_memory, report) = read_catalog_in(opened, &path, false, &mut |_, _| {}).unwrap();
    assert_eq!(in_memory.len(), 1);
    assert_eq!(in_memory.id(0), from_disk.id(0));
    assert_eq!(report.rows, 3);
    assert_eq!(report.rejected, disk_report.rejected);
    let lines: Vec<String> = report.examples.iter().map(|p| p.to_string()).collect();
    assert_eq!(lines, disk_report.examples.iter().map(|p| p.to_string()).collect::<Vec<_>>());
    assert!(lines[0].starts_with(&format!("{}:3: field `price`", path.display())), "{lines:?}");
}

#[test]
fn in_memory_events_are_read_against_the_catalog() {
    let opened = open_bytes(CATALOG.as_bytes().to_vec(), Format::Csv, false);
    let (catalog, _) = read_catalog_in(opened, Path::new("c.csv"), false, &mut |_, _| {}).unwrap();
    let events = concat!(
        r#"{"timestamp":"2026-10-01T10:00:00Z","user_id":"u","event":"view","product_id":"P1"}"#,
        "\n",
        r#"{"timestamp":"2026-10-01T10:00:00Z","user_id":"u","event":"view","product_id":"P9"}"#,
        "\n",
    );
    let mut log = EventLog::new();
    let report = log
        .read_in(open_bytes(events.as_bytes().to_vec(), Format::Ndjson, false), Path::new("e.ndjson"), &catalog, false)
        .unwrap();
    assert_eq!((report.rows, log.events.len(), log.unknown_products), (2, 1, 1));
    assert_eq!(log.report.rows, 2, "the file's report is added to the log's");
}

/// fuzz/artifacts/ingest_catalog/crash-9d4986cc… (an NDJSON demo catalog, mode byte 0x01): the
/// ingest_catalog target reported a heap-buffer-overflow under AddressSanitizer inside
/// `build::recent::recent_list` when the catalog was built into a snapshot with no events. Kept
/// here as what must hold: it reads, builds and decodes, and the new arrivals are in order.
#[test]
fn the_catalog_that_ingest_catalog_flagged_builds_and_decodes() {
    let bytes = include_bytes!("fixtures/fuzz/catalog-recent-list.ndjson").to_vec();
    let opened = open_bytes(bytes, Format::Ndjson, false);
    let (catalog, _) = read_catalog_in(opened, Path::new("fuzz.ndjson"), false, &mut |_, _| {}).unwrap();
    assert!(catalog.len() > 30);
    let opts = edgerec::build::BuildOptions::default();
    let (snapshot, _) = edgerec::build::build(catalog, &EventLog::new(), &opts);
    let back = edgerec::Snapshot::decode(&snapshot.encode()).unwrap();
    let days: Vec<f32> = back.recent.global.iter().map(|&(_, d)| d).collect();
    assert!(!days.is_empty() && days.windows(2).all(|w| w[0] >= w[1]), "newest first");
}
