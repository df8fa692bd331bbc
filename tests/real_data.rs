//! Quality on the real public data sets in ../shared/data (Diginetica, Ta Feng): guards the
//! figures reported in docs/quality.md. Each test skips when the data is absent (a new user's
//! checkout does not have it), saying so in the `cargo test` output; EDGEREC_DATA points
//! elsewhere, and EDGEREC_REQUIRE_DATA=1 turns a skip into a failure.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

fn data(set: &str) -> Option<PathBuf> {
    let base = std::env::var_os("EDGEREC_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    let dir = base.join(set);
    if dir.is_dir() {
        return Some(dir);
    }
    let why = format!("{} is absent (set EDGEREC_DATA to the folder holding {set}/)", dir.display());
    assert!(std::env::var_os("EDGEREC_REQUIRE_DATA").is_none_or(|v| v != "1"), "EDGEREC_REQUIRE_DATA=1 but {why}");
    // Written to the process's stderr, not through `eprintln!`, which the test harness captures
    // and hides for a passing test: a skip must show in the `cargo test` output.
    // One write, so the line does not interleave with the harness's own output.
    let _ = std::io::stderr().write_all(format!("\nSKIPPED real_data ({set}): {why}\n").as_bytes());
    None
}

fn run(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_edgerec")).args(args).output().unwrap();
    assert!(out.status.success(), "edgerec {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn s(p: &std::path::Path, f: &str) -> String {
    p.join(f).display().to_string()
}

#[test]
fn diginetica_next_item_beats_the_published_models() {
    let Some(d) = data("diginetica-sessions") else { return };
    let args = |extra: &[&str]| {
        let mut a = vec!["evaluate", "next-item", "--json"];
        a.extend_from_slice(extra);
        a.iter().map(|x| x.to_string()).collect::<Vec<_>>()
    };
    let (train, test, catalog) = (s(&d, "train.csv"), s(&d, "test.csv"), s(&d, "catalog.csv"));
    let base = args(&["--train", &train, "--test", &test, "--catalog", &catalog]);
    let v = run(&base.iter().map(String::as_str).collect::<Vec<_>>());
    let r = &v["results"][0];
    assert_eq!(r["cases"], 60_858, "the published protocol's cases");
    let (hr, mrr) = (r["hitRate"].as_f64().unwrap(), r["mrr"].as_f64().unwrap());
    // Default privacy floor (min_count 3): above STAMP and NARM; with the fitted weights and
    // refinements, MRR@20 above GCE-GNN's 19.04 (the 19.1).
    assert!(hr >= 0.50 && mrr >= 0.191, "min_count 3: HR@20 {hr}, MRR@20 {mrr}");
    let baseline = &v["results"][2];
    assert!(hr > 2.0 * baseline["hitRate"].as_f64().unwrap(), "far above in-session popularity");
    // The build tuned the weights on a validation split of train.csv, never below the defaults.
    let t = &v["tuning"];
    let fitted = t["hr20"].as_f64().unwrap() + t["mrr20"].as_f64().unwrap();
    let defaults = t["defaults"]["hr20"].as_f64().unwrap() + t["defaults"]["mrr20"].as_f64().unwrap();
    assert!(t["cases"].as_u64().unwrap() > 10_000 && fitted >= defaults, "tuning: {t}");
    // The bar, at min_count 2: HR@20 >= 52 and MRR@20 >= 19 (above SR-GNN on both).
    let cfg = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(cfg.path(), "[training]\nmin_count = 2\n").unwrap();
    let mut a = base.clone();
    a.extend(["--config".to_string(), cfg.path().display().to_string()]);
    let v = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let r = &v["results"][0];
    let (hr, mrr) = (r["hitRate"].as_f64().unwrap(), r["mrr"].as_f64().unwrap());
    assert!(hr >= 0.52 && mrr >= 0.19, "min_count 2: HR@20 {hr}, MRR@20 {mrr}");
}

#[test]
fn tafeng_buy_again_beats_own_most_bought() {
    let Some(d) = data("tafeng-baskets") else { return };
    let v = run(&[
        "evaluate",
        "basket",
        "--json",
        "--history",
        &s(&d, "history.csv"),
        "--future",
        &s(&d, "future.csv"),
        "--catalog",
        &s(&d, "catalog.csv"),
    ]);
    let ours = v["results"][0]["recall"].as_f64().unwrap();
    let own = v["results"][2]["recall"].as_f64().unwrap();
    assert!(ours > own && ours > 0.135, "Recall@10 {ours} vs own-most-bought {own} (published 0.135)");
}

#[test]
fn diginetica_purchases_build_category_aware_lists() {
    let Some(d) = data("diginetica-purchases") else { return };
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("p.snap").display().to_string();
    // A historical data set with a thin last month: count popularity over the whole year. No
    // fallback, so every item must come from the category list itself (`popular` would fill
    // the list whatever the category lists hold).
    let cfg = dir.path().join("edgerec.toml");
    std::fs::write(
        &cfg,
        "[training]\ntimeframe_days = 400\nrecent_days = 400\nhalf_life_days = 60.0\n\
         [widgets.most_purchased_in_category]\nfallback = []\n",
    )
    .unwrap();
    let b = run(&[
        "build",
        "--json",
        "--catalog",
        &s(&d, "catalog.csv"),
        "--events",
        &s(&d, "events.csv"),
        "--config",
        &cfg.display().to_string(),
        "--out",
        &snap,
    ]);
    assert_eq!(b["warnings"].as_array().unwrap().len(), 2, "no views or carts in this data: {}", b["warnings"]);
    assert!(b["counts"]["orders"].as_u64().unwrap() > 10_000);
    let info = run(&["inspect", &snap, "--json"]);
    assert!(info["categories"].as_u64().unwrap() > 100);
    // The most purchased product's category list holds it and only its category.
    let top = run(&["recommend", "--snapshot", &snap, "--widget", "most_purchased", "--limit", "1", "--json"]);
    let id = top["items"][0]["id"].as_str().unwrap().to_string();
    let cat = run(&[
        "recommend",
        "--snapshot",
        &snap,
        "--widget",
        "most_purchased_in_category",
        "--viewed",
        &id,
        "--limit",
        "5",
        "--json",
    ]);
    let items = cat["items"].as_array().unwrap();
    assert!(!items.is_empty(), "the category of {id} has a best-seller list: {cat}");
    // The catalog's category column (one id per product in this data set).
    let catalog = std::fs::read_to_string(d.join("catalog.csv")).unwrap();
    let category: std::collections::HashMap<&str, &str> = catalog
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0], f[3])
        })
        .collect();
    let want = category[id.as_str()];
    assert!(!want.is_empty(), "{id} has a category in catalog.csv");
    for it in items {
        let other = it["id"].as_str().unwrap();
        assert_eq!(it["reason"], "most_purchased_in_category", "{other}: {it}");
        assert_eq!(category[other], want, "{other} is in the category of {id}");
        assert_ne!(other, id, "the viewed product is not offered again");
    }
}

#[test]
fn diginetica_purchases_personalisation_by_category_changes_little() {
    // docs/personalization.md, "Measured lift": the held-out orders from May 2016 on, each with
    // its shopper's earlier orders as the Session holds them. Few shoppers come back, and a global
    // list rarely holds a product of their categories: the lists seldom differ and NDCG@10 moves
    // by less than a tenth of itself.
    let Some(d) = data("diginetica-purchases") else { return };
    let config = format!("{}/examples/personalization-category.toml", env!("CARGO_MANIFEST_DIR"));
    let v = run(&[
        "evaluate",
        "next-item",
        "--json",
        "--train",
        &s(&d, "events.csv"),
        "--catalog",
        &s(&d, "catalog.csv"),
        "--config",
        &config,
        "--holdout-days",
        "192",
        "--personalize",
        "--target",
        "purchase",
        "--k",
        "10",
        "--widget",
        "popular",
    ]);
    let cases = v["results"][0]["cases"].as_u64().unwrap();
    assert!((4_000..5_000).contains(&cases), "held-out orders: {cases}");
    let changed = v["changed"].as_u64().unwrap();
    assert!(changed > 0 && changed * 20 < cases, "lists differ in {changed} of {cases}");
    let (off, on) = (v["results"][0]["ndcg"].as_f64().unwrap(), v["results"][1]["ndcg"].as_f64().unwrap());
    assert!((on - off).abs() < 0.1 * off, "NDCG@10 {off} -> {on}");
}
