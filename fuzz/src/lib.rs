//! What the fuzz targets share: the fixture snapshot, in-memory ingest inputs and the checks run
//! on whatever a decoder accepts (it must be usable: recommending from it never panics, a build
//! from accepted inputs writes a snapshot that decodes).

use std::io::Write;
use std::sync::OnceLock;

use edgerec::build::{build, BuildOptions};
use edgerec::catalog::Catalog;
use edgerec::ingest::events::EventLog;
use edgerec::ingest::{open_bytes, Format, Opened};
use edgerec::{Config, Context, Overrides, Recommender, Snapshot};

/// tests/fixtures/small.snap: 300 products, every section.
pub const FIXTURE: &[u8] = include_bytes!("../../tests/fixtures/small.snap");

/// The fixture, decoded once.
pub fn fixture() -> &'static Recommender {
    static REC: OnceLock<Recommender> = OnceLock::new();
    REC.get_or_init(|| Recommender::from_bytes(FIXTURE).expect("the fixture decodes"))
}

/// Asks every widget of `rec` for `ctx` with `overrides` and writes each item as JSON, checking
/// that every item is a product of the catalog.
pub fn exercise(rec: &Recommender, ctx: &Context, overrides: &Overrides) {
    let names: Vec<String> = rec.widget_names().map(String::from).collect();
    let mut out = String::new();
    for name in &names {
        if let Ok(list) = rec.recommend(name, ctx, overrides) {
            for item in &list.items {
                assert!((item.product as usize) < rec.catalog().len(), "widget {name}: item outside the catalog");
                out.clear();
                rec.write_item_json(item, &mut out);
            }
        }
    }
}

/// A context on the first product's page with the next two viewed and the third in the cart.
pub fn sample_context(catalog: &Catalog) -> Context {
    let id = |i: usize| catalog.id((i % catalog.len().max(1)) as u32).to_string();
    if catalog.is_empty() {
        return Context::default();
    }
    Context::from_ids(Some(&id(0)), &[&id(1), &id(2)], &[&id(3)], &[&id(4)])
}

/// Recommends from a snapshot a decoder accepted, with a sample context and with none.
pub fn exercise_snapshot(snapshot: Snapshot) {
    let rec = Recommender::new(snapshot);
    exercise(&rec, &sample_context(rec.catalog()), &Overrides::default());
    exercise(&rec, &Context::default(), &Overrides::default());
}

/// An ingest input from fuzz bytes: the first byte picks the format (bit 0: NDJSON, else CSV),
/// the compression (bit 1: the rest is gzip-compressed here, so the rows behind gzip are fuzzed;
/// bit 2: the rest is taken as a gzip stream itself) and `--strict` (bit 3). Returns the opened
/// input, a file name that says what it is, and `strict`.
pub fn ingest_input(data: &[u8]) -> Option<(Opened, &'static str, bool)> {
    let (&mode, rest) = data.split_first()?;
    let format = if mode & 1 == 1 { Format::Ndjson } else { Format::Csv };
    let (bytes, gz) = match (mode & 2 != 0, mode & 4 != 0) {
        (_, true) => (rest.to_vec(), true),
        (true, false) => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(rest).ok()?;
            (enc.finish().ok()?, true)
        }
        (false, false) => (rest.to_vec(), false),
    };
    let name = match (format, gz) {
        (Format::Csv, false) => "fuzz.csv",
        (Format::Csv, true) => "fuzz.csv.gz",
        (Format::Ndjson, false) => "fuzz.ndjson",
        (Format::Ndjson, true) => "fuzz.ndjson.gz",
        // Parquet is fuzzed through its own reader's tests; this input is CSV or NDJSON.
        (Format::Parquet, _) => "fuzz.parquet",
    };
    Some((open_bytes(bytes, format, gz), name, mode & 8 != 0))
}

/// Builds a snapshot from accepted inputs, encodes it and checks that it decodes: what the
/// builder writes, every reader accepts.
pub fn build_and_decode(catalog: Catalog, log: &EventLog) {
    let opts = BuildOptions { config: Config::default(), as_of: None, built_at: 0 };
    let (snapshot, _) = build(catalog, log, &opts);
    let bytes = snapshot.encode();
    if let Err(e) = Snapshot::decode(&bytes) {
        panic!("a snapshot built from accepted inputs does not decode: {e}");
    }
}
