//! `edgerec pack` (count tables + catalog + configuration -> snapshot) and `edgerec counts`
//! (catalog + events -> the count tables `edgerec build` packs), with the tables' file layout:
//! one table per file in a folder, CSV, NDJSON or Parquet, or a folder of part files (as Spark
//! and DataFusion write them). The columns are documented in docs/scale-out.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::build::{now, read_inputs};
use super::output::{bytes, write_atomic};
use super::{load_config, Error};
use crate::build::cooccurrence::{PairCount, PairTable};
use crate::build::counts::{CountTables, ProductCounts, PAIR_KINDS, POPULARITY_KINDS};
use crate::build::{build_with_counts, pack, BuildOptions};
use crate::catalog::Catalog;
use crate::ingest::catalog::read_catalog;
use crate::ingest::{expand_inputs, for_each_row, InputError, Problem, Row};
use crate::neighbours::NeighbourKind;
use crate::popularity::PopularityKind;
use crate::snapshot::InputCounts;

/// Arguments of `edgerec pack`.
#[derive(clap::Args)]
pub struct PackArgs {
    /// The folder of count tables (`edgerec sql` queries' output, or `edgerec counts`).
    #[arg(long)]
    counts: PathBuf,
    /// Product catalog (as for `edgerec build`).
    #[arg(long)]
    catalog: PathBuf,
    /// Configuration file (edgerec.toml): the one the SQL was printed with.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Where to write the snapshot (written atomically).
    #[arg(long)]
    out: PathBuf,
    /// Then answer every widget on generated contexts with the packed snapshot and with this one
    /// (`edgerec build`'s from the same events), and fail when a list differs.
    #[arg(long)]
    compare: Option<PathBuf>,
    /// With --compare: how many contexts.
    #[arg(long, default_value_t = 5000)]
    contexts: usize,
    /// With --compare: leave this widget out (repeatable).
    #[arg(long)]
    ignore: Vec<String>,
}

/// Arguments of `edgerec counts`.
#[derive(clap::Args)]
pub struct CountsArgs {
    /// Product catalog.
    #[arg(long)]
    catalog: PathBuf,
    /// Shopper events (as for `edgerec build`); repeat to read several.
    #[arg(long, required = true)]
    events: Vec<PathBuf>,
    /// Configuration file (edgerec.toml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// The folder to write the count tables to (CSV).
    #[arg(long)]
    out: PathBuf,
}

/// The tables, by file stem.
const SUMMARY: &str = "summary";
const POPULARITY: &str = "popularity";
const BASKETS: &str = "baskets";
const PAIRS: &str = "pairs";
const JOURNEYS: &str = "journeys";
const JOURNEY_ENDS: &str = "journey_ends";
const BUNDLES: &str = "bundles";
const TRENDING: &str = "trending";
const RECURRING: &str = "recurring";

/// The `summary` keys and the input count each sets.
fn summary_fields(c: &mut InputCounts) -> [(&'static str, &mut u64); 13] {
    [
        ("catalog_rows", &mut c.catalog_rows),
        ("event_rows", &mut c.event_rows),
        ("rejected_rows", &mut c.rejected_rows),
        ("unknown_products", &mut c.unknown_products),
        ("outside_period", &mut c.outside_period),
        ("events_used", &mut c.events_used),
        ("views", &mut c.views),
        ("carts", &mut c.carts),
        ("purchases", &mut c.purchases),
        ("custom", &mut c.custom),
        ("sessions", &mut c.sessions),
        ("orders", &mut c.orders),
        ("shoppers", &mut c.shoppers),
    ]
}

/// Runs `edgerec pack`.
pub fn run_pack(a: PackArgs) -> Result<(), Error> {
    let t0 = Instant::now();
    let config = match &a.config {
        Some(p) => load_config(p)?,
        None => crate::config::Config::default(),
    };
    let (catalog, report) = read_catalog(&a.catalog, false, &mut |_, _| {})?;
    let mut tables = read_tables(&a.counts, &catalog)?;
    tables.counts.catalog_rows = report.rows;
    let (snapshot, packed) = pack(catalog, &config, &tables, now());
    let compared = match &a.compare {
        Some(other) => Some(compare(&snapshot, &super::inspect::load(other)?.1, a.contexts, &a.ignore)),
        None => None,
    };
    let encoded = snapshot.encode();
    write_atomic(&a.out, &encoded)?;
    let pairs: usize = packed.kept.iter().map(|k| k.1).sum();
    println!(
        "edgerec pack: wrote {} ({}) from {} in {:.2} s: {} pairs, {} bundles",
        a.out.display(),
        bytes(encoded.len() as u64),
        a.counts.display(),
        t0.elapsed().as_secs_f64(),
        pairs,
        snapshot.bundles.len()
    );
    if let Some(c) = compared {
        println!(
            "compare: {} widgets x {} contexts: {} lists, {} differ (ids, or a score by more than the 16-bit quantisation)",
            c.widgets, a.contexts, c.lists, c.differ
        );
        for d in &c.examples {
            println!("  {d}");
        }
        if c.differ > 0 {
            return Err(
                format!("{} of {} lists differ from {}", c.differ, c.lists, a.compare.unwrap().display()).into()
            );
        }
    }
    Ok(())
}

/// What [`compare`] found.
pub struct Compared {
    /// Widgets compared.
    pub widgets: usize,
    /// Lists compared.
    pub lists: usize,
    /// Lists that differ.
    pub differ: usize,
    /// The first differences.
    pub examples: Vec<String>,
}

/// Answers every widget (but `ignore`) on `n` contexts generated from `b` with both snapshots:
/// the same products in the same order, steps and sources, and scores within 2/65535 (both are
/// quantised to 16 bits relative to their list's best).
pub fn compare(a: &crate::snapshot::Snapshot, b: &crate::snapshot::Snapshot, n: usize, ignore: &[String]) -> Compared {
    use crate::engine::{Overrides, Recommender};
    let contexts: Vec<_> = super::bench::generate(b, n, 11).iter().map(super::bench::BenchContext::context).collect();
    let (ra, rb) = (Recommender::new(a.clone()), Recommender::new(b.clone()));
    let names: Vec<String> = rb.widget_names().filter(|w| !ignore.iter().any(|i| i == w)).map(String::from).collect();
    let mut out = Compared { widgets: names.len(), lists: 0, differ: 0, examples: Vec::new() };
    let over = Overrides::default();
    for w in &names {
        for (i, c) in contexts.iter().enumerate() {
            out.lists += 1;
            let (x, y) = (ra.recommend(w, c, &over), rb.recommend(w, c, &over));
            let same = match (&x, &y) {
                (Ok(x), Ok(y)) => {
                    x.items.len() == y.items.len()
                        && x.items.iter().zip(&y.items).all(|(p, q)| {
                            p.product == q.product
                                && p.step == q.step
                                && p.source == q.source
                                && (p.score - q.score).abs() <= 2.0 / 65535.0
                        })
                }
                (Err(e), Err(f)) => e.to_string() == f.to_string(),
                _ => false,
            };
            if !same {
                out.differ += 1;
                if out.examples.len() < 5 {
                    let ids = |r: &Result<crate::engine::Recommendations, crate::engine::EngineError>| match r {
                        Ok(r) => r
                            .items
                            .iter()
                            .map(|i| format!("{}:{:.4}", a.catalog.id(i.product), i.score))
                            .collect::<Vec<_>>()
                            .join(" "),
                        Err(e) => e.to_string(),
                    };
                    out.examples.push(format!("{w} context {i}: packed [{}] vs [{}]", ids(&x), ids(&y)));
                }
            }
        }
    }
    out
}

/// Runs `edgerec counts`.
pub fn run_counts(a: CountsArgs) -> Result<(), Error> {
    let config = match &a.config {
        Some(p) => load_config(p)?,
        None => crate::config::Config::default(),
    };
    let inputs = read_inputs(&a.catalog, &a.events, false, true)?;
    let opts = BuildOptions { config, as_of: None, built_at: now() };
    let catalog = inputs.catalog.clone();
    let (_, _, mut tables) = build_with_counts(inputs.catalog, &inputs.log, &opts);
    tables.counts.catalog_rows = inputs.catalog_report.rows;
    write_tables(&a.out, &tables, &catalog)?;
    println!("edgerec counts: wrote the count tables of {} events to {}", tables.counts.events_used, a.out.display());
    Ok(())
}

/// Writes the count tables to `dir` as CSV, products by id.
pub fn write_tables(dir: &Path, t: &CountTables, catalog: &Catalog) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    let id = |p: u32| catalog.id(p);
    let write = |name: &str, text: String| -> Result<(), Error> {
        write_atomic(&dir.join(format!("{name}.csv")), text.as_bytes())
    };
    let mut s = String::from("key,value\n");
    let _ = writeln!(s, "as_of,{}\nevents_from,{}\nevents_to,{}", t.as_of, t.events_from, t.events_to);
    let mut counts = t.counts.clone();
    for (k, v) in summary_fields(&mut counts) {
        let _ = writeln!(s, "{k},{v}");
    }
    write(SUMMARY, s)?;
    let mut s = String::from("kind,product_id,score,shoppers\n");
    for (kind, rows) in &t.popularity {
        for &(p, score, shoppers) in rows {
            let _ = writeln!(s, "{},{},{score},{shoppers}", kind.name(), id(p));
        }
    }
    write(POPULARITY, s)?;
    let (mut b, mut s) = (String::from("kind,product_id,baskets\n"), String::from("kind,a,b,weight,shoppers\n"));
    for (kind, table) in &t.pairs {
        for (p, &n) in table.baskets.iter().enumerate() {
            if n > 0 {
                let _ = writeln!(b, "{},{},{n}", kind.name(), id(p as u32));
            }
        }
        for pc in &table.pairs {
            let _ = writeln!(s, "{},{},{},{},{}", kind.name(), id(pc.a), id(pc.b), pc.weight, pc.shoppers);
        }
    }
    write(BASKETS, b)?;
    write(PAIRS, s)?;
    let mut s = String::from("a,b,shoppers\n");
    for &(p, q, n) in &t.journeys.pairs {
        let _ = writeln!(s, "{},{},{n}", id(p), id(q));
    }
    write(JOURNEYS, s)?;
    let mut s = String::from("product_id,viewers,buyers\n");
    for (p, (&v, &b)) in t.journeys.viewers.iter().zip(&t.journeys.buyers).enumerate() {
        if v > 0 || b > 0 {
            let _ = writeln!(s, "{},{v},{b}", id(p as u32));
        }
    }
    write(JOURNEY_ENDS, s)?;
    let mut s = String::from("items,shoppers\n");
    for (items, n) in &t.bundles {
        let ids: Vec<&str> = items.iter().map(|&p| id(p)).collect();
        let _ = writeln!(s, "{},{n}", ids.join(" "));
    }
    write(BUNDLES, s)?;
    let mut s = String::from("product_id,recent,baseline,shoppers\n");
    let tr = &t.trending;
    for p in 0..tr.recent.len() {
        if tr.recent[p] != 0.0 || tr.baseline[p] != 0.0 || tr.shoppers[p] > 0 {
            let _ = writeln!(s, "{},{},{},{}", id(p as u32), tr.recent[p], tr.baseline[p], tr.shoppers[p]);
        }
    }
    write(TRENDING, s)?;
    let mut s = String::from("product_id,gap_days\n");
    for &(p, d) in &t.recurring {
        let _ = writeln!(s, "{},{d}", id(p));
    }
    write(RECURRING, s)
}

/// The files of table `name` in `dir`: `name.csv`, `name.ndjson`, `name.parquet` (`.gz` allowed
/// for the text formats) or a folder `name/` of such files; none when the table is absent.
fn table_files(dir: &Path, name: &str) -> Result<Vec<PathBuf>, Error> {
    let folder = dir.join(name);
    if folder.is_dir() {
        return Ok(expand_inputs(&[folder])?);
    }
    let files: Vec<PathBuf> = ["csv", "csv.gz", "ndjson", "ndjson.gz", "parquet"]
        .iter()
        .map(|ext| dir.join(format!("{name}.{ext}")))
        .filter(|p| p.is_file())
        .collect();
    Ok(files)
}

/// Reads every row of table `name` (all its files): `f` gets the row's wanted `columns`, all
/// required, and returns what is wrong with them. Any problem is fatal (a count table is made by
/// a program, not by hand).
fn read_table(
    dir: &Path,
    name: &str,
    columns: &'static [&'static str],
    mut f: impl FnMut(&[String]) -> Result<(), String>,
) -> Result<bool, Error> {
    let files = table_files(dir, name)?;
    for file in &files {
        let shown = file.display().to_string();
        let read = for_each_row(file, columns, columns, true, &mut |_, _| {}, |row: &Row, line| {
            let mut values = Vec::with_capacity(columns.len());
            for (i, col) in columns.iter().enumerate() {
                let v = row.get(i).map_err(|e| Problem::field(&shown, line, col, "invalid field", e.0.into()))?;
                let Some(v) = v else {
                    return Err(Problem::field(&shown, line, col, "missing field", "is required".into()));
                };
                values.push(v.into_owned());
            }
            f(&values).map_err(|detail| Problem { file: shown.clone(), line, field: None, kind: "invalid row", detail })
        });
        match read {
            // A table (or a part file) without rows: an engine writes one when nothing was counted.
            Ok(_) | Err(InputError::Empty { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(!files.is_empty())
}

fn num<T: std::str::FromStr>(column: &str, s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("field `{column}`: \"{s}\" is not a number of the expected kind"))
}

/// Reads the count tables in `dir` against `catalog`. A product id that is not in the catalog is
/// an error (the queries join the catalog); an absent table is empty, except `summary`.
pub fn read_tables(dir: &Path, catalog: &Catalog) -> Result<CountTables, Error> {
    let n = catalog.len();
    let product = |column: &str, s: &str| -> Result<u32, String> {
        catalog.index_of(s).ok_or_else(|| format!("field `{column}`: product \"{s}\" is not in the catalog"))
    };
    let mut t = CountTables::default();
    let mut counts = InputCounts::default();
    let found = read_table(dir, SUMMARY, &["key", "value"], |v| {
        let value: i64 = num("value", &v[1])?;
        match v[0].as_str() {
            "as_of" => t.as_of = value,
            "events_from" => t.events_from = value,
            "events_to" => t.events_to = value,
            key => {
                let mut fields = summary_fields(&mut counts);
                let slot =
                    fields.iter_mut().find(|f| f.0 == key).ok_or_else(|| format!("unknown summary key `{key}`"))?;
                *slot.1 = value.max(0) as u64;
            }
        }
        Ok(())
    })?;
    if !found {
        return Err(format!(
            "{}: no `{SUMMARY}` table (summary.csv, summary.parquet or summary/): is this a count tables folder?",
            dir.display()
        )
        .into());
    }
    t.counts = counts;
    let mut pop: Vec<(PopularityKind, ProductCounts)> = POPULARITY_KINDS.iter().map(|&k| (k, Vec::new())).collect();
    read_table(dir, POPULARITY, &["kind", "product_id", "score", "shoppers"], |v| {
        let slot = pop
            .iter_mut()
            .find(|(k, _)| k.name() == v[0])
            .ok_or_else(|| format!("unknown popularity kind `{}`", v[0]))?;
        slot.1.push((product("product_id", &v[1])?, num("score", &v[2])?, num("shoppers", &v[3])?));
        Ok(())
    })?;
    t.popularity = pop;
    let mut pairs: Vec<(NeighbourKind, PairTable)> = PAIR_KINDS
        .iter()
        .map(|&k| (k, PairTable { baskets: vec![0; n], pairs: Vec::new(), directed: k == NeighbourKind::ViewedNext }))
        .collect();
    let kind_of = |pairs: &mut Vec<(NeighbourKind, PairTable)>, name: &str| -> Result<usize, String> {
        pairs.iter().position(|(k, _)| k.name() == name).ok_or_else(|| format!("unknown pair kind `{name}`"))
    };
    read_table(dir, BASKETS, &["kind", "product_id", "baskets"], |v| {
        let k = kind_of(&mut pairs, &v[0])?;
        let p = product("product_id", &v[1])?;
        pairs[k].1.baskets[p as usize] += num::<u32>("baskets", &v[2])?;
        Ok(())
    })?;
    read_table(dir, PAIRS, &["kind", "a", "b", "weight", "shoppers"], |v| {
        let k = kind_of(&mut pairs, &v[0])?;
        let (mut a, mut b) = (product("a", &v[1])?, product("b", &v[2])?);
        if !pairs[k].1.directed && a > b {
            std::mem::swap(&mut a, &mut b);
        }
        pairs[k].1.pairs.push(PairCount { a, b, weight: num("weight", &v[3])?, shoppers: num("shoppers", &v[4])? });
        Ok(())
    })?;
    for (_, table) in &mut pairs {
        table.pairs.sort_unstable_by_key(|p| (p.a, p.b));
    }
    t.pairs = pairs;
    read_table(dir, JOURNEYS, &["a", "b", "shoppers"], |v| {
        t.journeys.pairs.push((product("a", &v[0])?, product("b", &v[1])?, num("shoppers", &v[2])?));
        Ok(())
    })?;
    t.journeys.pairs.sort_unstable();
    let (mut viewers, mut buyers) = (vec![0u32; n], vec![0u32; n]);
    read_table(dir, JOURNEY_ENDS, &["product_id", "viewers", "buyers"], |v| {
        let p = product("product_id", &v[0])? as usize;
        viewers[p] += num::<u32>("viewers", &v[1])?;
        buyers[p] += num::<u32>("buyers", &v[2])?;
        Ok(())
    })?;
    t.journeys.viewers = viewers;
    t.journeys.buyers = buyers;
    read_table(dir, BUNDLES, &["items", "shoppers"], |v| {
        let items = v[0].split_whitespace().map(|s| product("items", s)).collect::<Result<Vec<u32>, String>>()?;
        t.bundles.push((items, num("shoppers", &v[1])?));
        Ok(())
    })?;
    t.trending.recent = vec![0.0; n];
    t.trending.baseline = vec![0.0; n];
    t.trending.shoppers = vec![0; n];
    read_table(dir, TRENDING, &["product_id", "recent", "baseline", "shoppers"], |v| {
        let p = product("product_id", &v[0])? as usize;
        t.trending.recent[p] += num::<f64>("recent", &v[1])?;
        t.trending.baseline[p] += num::<f64>("baseline", &v[2])?;
        t.trending.shoppers[p] += num::<u32>("shoppers", &v[3])?;
        Ok(())
    })?;
    read_table(dir, RECURRING, &["product_id", "gap_days"], |v| {
        t.recurring.push((product("product_id", &v[0])?, num("gap_days", &v[1])?));
        Ok(())
    })?;
    t.recurring.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_the_written_count_tables_gives_the_built_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("store");
        super::super::demo_data::generate(&store, 300, 400, 60, "2026-06-30", 7, None).unwrap();
        let inputs = read_inputs(&store.join("catalog.csv"), &[store.join("events.csv")], false, true).unwrap();
        let opts = BuildOptions { built_at: 1, ..Default::default() };
        let catalog = inputs.catalog.clone();
        let (mut built, _, tables) = build_with_counts(inputs.catalog, &inputs.log, &opts);
        // The segment lists are not in the count tables (docs/scale-out.md).
        built.segments = Default::default();
        assert!(tables.pairs.iter().all(|(_, t)| !t.pairs.is_empty()), "every pair kind has pairs");
        assert!(!tables.bundles.is_empty() && !tables.journeys.pairs.is_empty());
        let out = dir.path().join("counts");
        write_tables(&out, &tables, &catalog).unwrap();
        let read = read_tables(&out, &catalog).unwrap();
        assert_eq!(read, tables, "the tables read back as written");
        let (packed, _) = pack(catalog.clone(), &opts.config, &read, 1);
        assert!(packed.encode() == built.encode(), "the same snapshot, byte for byte");
        // No shopper, session or order id in any table.
        let text: String =
            std::fs::read_dir(&out).unwrap().map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap()).collect();
        let events = std::fs::read_to_string(store.join("events.csv")).unwrap();
        let header: Vec<&str> = events.lines().next().unwrap().split(',').collect();
        for line in events.lines().skip(1).step_by(97) {
            let fields: Vec<&str> = line.split(',').collect();
            for col in ["user_id", "session_id", "order_id"] {
                let i = header.iter().position(|h| *h == col).unwrap();
                let v = fields[i];
                assert!(v.is_empty() || !text.contains(v), "{col} {v} is in a count table");
            }
        }
    }

    #[test]
    fn a_product_outside_the_catalog_or_a_bad_number_names_the_file_and_row() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut b = crate::catalog::CatalogBuilder::new();
        b.push(crate::catalog::ProductRecord { id: "A".into(), ..Default::default() });
        let catalog = b.finish().unwrap();
        std::fs::write(d.join("summary.csv"), "key,value\nas_of,100\n").unwrap();
        std::fs::write(d.join("popularity.csv"), "kind,product_id,score,shoppers\nviews,A,2.5,3\nviews,Z,1,3\n")
            .unwrap();
        let e = read_tables(d, &catalog).unwrap_err().to_string();
        assert!(e.contains("popularity.csv:3:") && e.contains("product \"Z\" is not in the catalog"), "{e}");
        std::fs::write(d.join("popularity.csv"), "kind,product_id,score,shoppers\nviews,A,many,3\n").unwrap();
        let e = read_tables(d, &catalog).unwrap_err().to_string();
        assert!(e.contains("popularity.csv:2:") && e.contains("field `score`"), "{e}");
        // A table without rows (as an engine writes it when nothing was counted) is an empty table.
        std::fs::write(d.join("popularity.csv"), "kind,product_id,score,shoppers\n").unwrap();
        std::fs::write(d.join("journeys.parquet"), crate::ingest::parquet_test_file(&["a", "b", "shoppers"])).unwrap();
        let t = read_tables(d, &catalog).unwrap();
        assert!(t.journeys.pairs.is_empty() && t.popularity.iter().all(|p| p.1.is_empty()));
        assert_eq!(t.as_of, 100);
        std::fs::remove_file(d.join("summary.csv")).unwrap();
        assert!(read_tables(d, &catalog).unwrap_err().to_string().contains("no `summary` table"));
    }
}
