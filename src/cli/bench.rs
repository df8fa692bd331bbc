//! `edgerec bench`: query latency per widget over many realistic contexts, with and without
//! merchandising filters. The contexts can be written out (`--contexts-out`) so the wasm
//! benchmark (`node www/bench/wasm-bench.mjs`) replays exactly the same requests.

use std::path::PathBuf;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::inspect::load;
use super::{Error, Rng};
use crate::config::Filters;
use crate::engine::{Context, Overrides, Recommender, Timed};
use crate::snapshot::Snapshot;

mod personal;
pub use personal::with_history;

/// Arguments of `edgerec bench`.
#[derive(clap::Args)]
pub struct Args {
    /// The snapshot file.
    #[arg(long)]
    snapshot: PathBuf,
    /// Contexts to generate.
    #[arg(long, default_value_t = 2000)]
    queries: usize,
    /// Seed for the contexts.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Read the contexts from this JSON file instead of generating them.
    #[arg(long)]
    contexts: Option<PathBuf>,
    /// Write the generated contexts to this JSON file.
    #[arg(long)]
    contexts_out: Option<PathBuf>,
    /// Only these widgets (repeat the flag); all by default.
    #[arg(long = "widget")]
    widgets: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// One benchmark request, as ids (viewed and purchased oldest first, like a storefront records).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BenchContext {
    /// The product on the page.
    pub product: Option<String>,
    /// Session views, oldest first.
    pub viewed: Vec<String>,
    /// Cart.
    pub cart: Vec<String>,
    /// Past purchases, oldest first.
    pub purchased: Vec<String>,
}

impl BenchContext {
    /// The engine context.
    pub fn context(&self) -> Context {
        fn ids(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let mut c = Context::from_ids(self.product.as_deref(), &ids(&self.viewed), &ids(&self.cart), &[]);
        c.purchased = self.purchased.iter().rev().map(Timed::untimed).collect();
        c
    }
}

/// The filters the "filtered" runs apply: in stock, a price band, one brand left out.
pub fn bench_filters(s: &Snapshot) -> Filters {
    let c = &s.catalog;
    let mut prices: Vec<u32> = (0..c.len() as u32).filter_map(|p| c.price(p)).collect();
    prices.sort_unstable();
    let pct = |q: f64| prices.get(((prices.len() as f64 - 1.0) * q) as usize).map(|&p| f64::from(p) / 100.0);
    Filters {
        price_min: pct(0.05),
        price_max: pct(0.95),
        exclude_brands: c.brands().first().map(|b| vec![b.clone()]),
        stock_min: Some(1),
        show_out_of_stock: Some(false),
        ..Default::default()
    }
}

/// Generates realistic contexts: a product page (popular products more often), a short session
/// walked along "viewed together" neighbours, sometimes a cart and past purchases.
pub fn generate(s: &Snapshot, n: usize, seed: u64) -> Vec<BenchContext> {
    let mut rng = Rng::new(seed);
    let c = &s.catalog;
    let popular = &s.popularity.popular.global;
    let id = |p: u32| c.id(p).to_string();
    let mut out = Vec::with_capacity(n);
    if c.is_empty() {
        return out;
    }
    let pick = |rng: &mut Rng| -> u32 {
        if !popular.is_empty() && rng.chance(0.5) {
            popular[rng.zipf(popular.len(), 0.8)].0
        } else {
            rng.below(c.len()) as u32
        }
    };
    for _ in 0..n {
        let product = pick(&mut rng);
        let mut viewed = Vec::new();
        let mut cur = pick(&mut rng);
        for _ in 0..rng.below(9) {
            viewed.push(id(cur));
            let row: Vec<u32> = s.neighbours.viewed.neighbours(cur).map(|(q, _)| q).collect();
            cur = if !row.is_empty() && rng.chance(0.8) { row[rng.below(row.len())] } else { pick(&mut rng) };
        }
        viewed.push(id(product));
        let cart =
            if rng.chance(0.3) { (0..1 + rng.below(2)).map(|_| id(pick(&mut rng))).collect() } else { Vec::new() };
        let purchased =
            if rng.chance(0.2) { (0..1 + rng.below(3)).map(|_| id(pick(&mut rng))).collect() } else { Vec::new() };
        out.push(BenchContext { product: Some(id(product)), viewed, cart, purchased });
    }
    out
}

/// Latency figures of one widget, in microseconds.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Latency {
    /// Median.
    pub p50_us: f64,
    /// 99th percentile.
    pub p99_us: f64,
    /// Mean.
    pub mean_us: f64,
    /// Mean items returned.
    pub avg_items: f64,
}

fn summarise(mut t: Vec<f64>, items: usize) -> Latency {
    t.sort_unstable_by(f64::total_cmp);
    let at = |q: f64| t[((t.len() as f64 - 1.0) * q).round() as usize];
    Latency {
        p50_us: at(0.5),
        p99_us: at(0.99),
        mean_us: t.iter().sum::<f64>() / t.len() as f64,
        avg_items: items as f64 / t.len() as f64,
    }
}

/// Times every widget over the contexts (after one warm-up pass). With `output`, each call also
/// writes the items as JSON, the work the JavaScript API does before handing them over.
pub fn measure(
    rec: &Recommender,
    widgets: &[String],
    contexts: &[Context],
    over: &Overrides,
    output: bool,
) -> Result<Vec<(String, Latency)>, Error> {
    let mut out = Vec::new();
    for name in rec.widget_names().filter(|n| widgets.is_empty() || widgets.iter().any(|w| w == n)) {
        for c in contexts.iter().take(200) {
            rec.recommend(name, c, over)?;
        }
        let mut times = Vec::with_capacity(contexts.len());
        let mut items = 0;
        let mut json = String::new();
        for c in contexts {
            let t = Instant::now();
            let r = rec.recommend(name, c, over)?;
            if output {
                json.clear();
                for i in &r.items {
                    rec.write_item_json(i, &mut json);
                }
            }
            times.push(t.elapsed().as_nanos() as f64 / 1000.0);
            items += r.items.len();
        }
        out.push((name.to_string(), summarise(times, items)));
    }
    Ok(out)
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `edgerec bench`.
pub fn run(a: Args) -> Result<(), Error> {
    let (raw, _) = load(&a.snapshot)?;
    let mut decode_ms = Vec::new();
    let mut snapshot = None;
    for _ in 0..5 {
        let t = Instant::now();
        snapshot = Some(Snapshot::decode(&raw)?);
        decode_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    decode_ms.sort_unstable_by(f64::total_cmp);
    let snapshot = snapshot.expect("decoded five times");
    let contexts = match &a.contexts {
        Some(p) => serde_json::from_slice(&std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?)
            .map_err(|e| format!("{}: {e}", p.display()))?,
        None => generate(&snapshot, a.queries, a.seed),
    };
    if let Some(p) = &a.contexts_out {
        std::fs::write(p, serde_json::to_vec(&contexts)?).map_err(|e| format!("{}: {e}", p.display()))?;
    }
    let filters = bench_filters(&snapshot);
    let mut filtered_snapshot = snapshot.clone();
    for w in filtered_snapshot.config.widgets.values_mut() {
        w.filters = w.filters.merged(&filters);
    }
    let rec = Recommender::new(snapshot);
    let filtered = Recommender::new(filtered_snapshot);
    let ctxs: Vec<Context> = contexts.iter().map(BenchContext::context).collect();
    for w in &a.widgets {
        if rec.widget(w).is_none() {
            return Err(format!(
                "unknown widget \"{w}\": this snapshot has {}",
                rec.widget_names().collect::<Vec<_>>().join(", ")
            )
            .into());
        }
    }
    let plain = measure(&rec, &a.widgets, &ctxs, &Overrides::default(), false)?;
    let configured = measure(&filtered, &a.widgets, &ctxs, &Overrides::default(), false)?;
    let per_request =
        measure(&rec, &a.widgets, &ctxs, &Overrides { filters: Some(filters.clone()), ..Default::default() }, false)?;
    let with_output = measure(&rec, &a.widgets, &ctxs, &Overrides::default(), true)?;
    let diverse = measure(&rec, &a.widgets, &ctxs, &diversity(), false)?;
    // Every submodel of the snapshot at the page product's group (none: not measured).
    let grouped = match submodels(&rec) {
        Some(over) => measure(&rec, &a.widgets, &ctxs, &over, false)?,
        None => Vec::new(),
    };
    // The peak memory of the plain and filtered recommenders, before the personalised copy.
    let peak_rss = peak_rss_kib();
    let (personal_rec, was_on) = personal::personalised(rec.snapshot());
    let history = with_history(&ctxs);
    let list = personal::measure_list(&personal_rec, &history)?;
    let personalised = measure(&personal_rec, &a.widgets, &history, &Overrides::default(), false)?;
    let overall = |rows: &[(String, Latency)]| {
        let p50s: Vec<f64> = rows.iter().map(|r| r.1.p50_us).collect();
        p50s.iter().cloned().fold(0.0, f64::max)
    };
    if a.json {
        let table = |rows: &[(String, Latency)]| {
            rows.iter().map(|(n, l)| (n.clone(), json!(l))).collect::<serde_json::Map<_, _>>()
        };
        let v = json!({
            "snapshot": a.snapshot.display().to_string(),
            "bytes": raw.len(),
            "products": rec.catalog().len(),
            "queries": ctxs.len(),
            "decodeMs": decode_ms[decode_ms.len() / 2],
            "peakRssKiB": peak_rss,
            "filters": filters,
            "plain": table(&plain),
            "filtered": table(&configured),
            "filteredPerRequest": table(&per_request),
            "plainWithJsonOutput": table(&with_output),
            "diverse": table(&diverse),
            "submodels": table(&grouped),
            "personalization": {
                "inSnapshot": was_on,
                "personalize100Ids": list,
                "widgets": table(&personalised),
            },
            "worstP50Us": { "plain": overall(&plain), "filtered": overall(&configured), "filteredPerRequest": overall(&per_request), "personalised": overall(&personalised), "diverse": overall(&diverse) },
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!(
        "edgerec bench: {} ({} products, {:.1} MB), {} contexts; decode {:.1} ms (median of 5); peak RSS {} MB",
        a.snapshot.display(),
        rec.catalog().len(),
        raw.len() as f64 / 1e6,
        ctxs.len(),
        decode_ms[decode_ms.len() / 2],
        peak_rss.map_or("?".into(), |k| format!("{:.1}", k as f64 / 1024.0))
    );
    println!(
        "{:<28} {:>26} {:>26} {:>26} {:>17}",
        "", "plain", "filters in config", "filters per request", "personalised"
    );
    println!(
        "{:<28} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "widget (us)", "p50", "p99", "items", "p50", "p99", "items", "p50", "p99", "items", "p50", "p99"
    );
    for (((name, p), (_, f)), ((_, r), (_, z))) in
        plain.iter().zip(&configured).zip(per_request.iter().zip(&personalised))
    {
        println!(
            "{name:<28} {:>8.2} {:>8.2} {:>8.1} {:>8.2} {:>8.2} {:>8.1} {:>8.2} {:>8.2} {:>8.1} {:>8.2} {:>8.2}",
            p.p50_us,
            p.p99_us,
            p.avg_items,
            f.p50_us,
            f.p99_us,
            f.avg_items,
            r.p50_us,
            r.p99_us,
            r.avg_items,
            z.p50_us,
            z.p99_us
        );
    }
    println!(
        "personalize of {} ids (personalisation {} in the snapshot): p50 {:.2} us, p99 {:.2} us",
        personal::LIST_IDS,
        if was_on { "on" } else { "switched on for the bench; off" },
        list.p50_us,
        list.p99_us
    );
    if let Some((name, l)) = grouped.iter().max_by(|a, b| a.1.p50_us.total_cmp(&b.1.p50_us)) {
        println!(
            "with submodels per request (every submodel at \"$product\"): worst p50 {name} {:.2} us, p99 {:.2} us",
            l.p50_us, l.p99_us
        );
    }
    let worst = diverse.iter().max_by(|a, b| a.1.p50_us.total_cmp(&b.1.p50_us));
    if let Some((name, l)) = worst {
        println!(
            "with diversity per request (max_per_brand 2, max_per_category 3, rotation day): worst p50 {name} {:.2} us, p99 {:.2} us",
            l.p50_us, l.p99_us
        );
    }
    println!(
        "worst p50: plain {:.2} us, filters in config {:.2} us, filters per request {:.2} us, personalised {:.2} us",
        overall(&plain),
        overall(&configured),
        overall(&per_request),
        overall(&personalised)
    );
    Ok(())
}

/// Every submodel of the snapshot at the page product's group, as a request's option; `None`
/// when the snapshot has none.
fn submodels(rec: &Recommender) -> Option<Overrides> {
    let subs = &rec.snapshot().config.submodels;
    let picks = subs.keys().map(|k| (k.clone(), crate::config::PRODUCT_VALUE.to_string())).collect();
    (!subs.is_empty()).then(|| Overrides { submodels: Some(picks), ..Default::default() })
}

/// The per-request diversity the bench measures: caps that bite on a real catalogue, and a
/// daily rotation (which gathers twice the limit).
fn diversity() -> Overrides {
    Overrides {
        max_per_brand: Some(2),
        max_per_category: Some(3),
        rotation: Some(crate::config::Rotation::Day),
        ..Default::default()
    }
}
