//! The newer models proven on the demo store: every signal `edgerec demo-data` plants (a trending
//! product, new arrivals, journeys, bundles, a recurring purchase, colour groups; listed in `planted.csv`) comes back
//! through `edgerec recommend --json`; and the planted shopper tastes (`--preferences`), which
//! `edgerec evaluate next-item --personalize` finds (docs/personalization.md, "Measured lift").

use std::path::Path;

mod common;
use common::{edgerec, ok, p};

/// Rows of a CSV file with a header, as string vectors.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// The ids `edgerec recommend --json` returns for a widget and product.
fn ids(snap: &Path, widget: &str, product: Option<&str>, limit: usize) -> Vec<String> {
    let mut args = vec!["recommend", "--snapshot", snap.to_str().unwrap(), "--widget", widget, "--json"];
    let limit = limit.to_string();
    args.extend(["--limit", &limit]);
    if let Some(p) = product {
        args.extend(["--product", p]);
    }
    let v: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
    v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
}

/// The demo store's colour groups and price bands (www/edgerec.toml has the same colours).
const SUBMODELS: &str = r#"
[submodels.colors]
attribute = "color"
groups = [["red"], ["blue", "green"], ["white", "natural"], ["black", "grey"]]
[submodels.price]
attribute = "price"
ranges = [[0, 50], [50, 150], [150, 100000]]

[widgets.similar_brand]
algorithm = "similar"
similarity = { brand = 80, category = 20 }
"#;

/// The group of a colour in [`SUBMODELS`].
fn colour_group(c: &str) -> usize {
    [&["red"][..], &["blue", "green"], &["white", "natural"], &["black", "grey"]]
        .iter()
        .position(|g| g.contains(&c))
        .unwrap()
}

/// Demo store plus a snapshot built with the colour-aware `[similarity]` configuration.
fn store() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["demo-data", "--out", d.to_str().unwrap()]);
    let config = d.join("edgerec.toml");
    std::fs::write(
        &config,
        format!("[similarity]\nattributes = {{ category = 40, brand = 20, color = 30, price = 10 }}\n{SUBMODELS}"),
    )
    .unwrap();
    let snap = d.join("demo.snap");
    let p = |f: &str| d.join(f).to_str().unwrap().to_string();
    ok(&[
        "build",
        "--events",
        &p("events.csv"),
        "--catalog",
        &p("catalog.csv"),
        "--config",
        &p("edgerec.toml"),
        "--out",
        snap.to_str().unwrap(),
    ]);
    (dir, snap)
}

#[test]
fn every_planted_signal_comes_back() {
    let (dir, snap) = store();
    let planted = csv_rows(&dir.path().join("planted.csv"));
    // Per product: id, category, stock, created_at, color.
    let mut rdr = csv::Reader::from_path(dir.path().join("catalog.csv")).unwrap();
    let head = rdr.headers().unwrap().clone();
    let col = |n: &str| head.iter().position(|h| h == n).unwrap();
    let (id_c, cat_c, stock_c, created_c, color_c) =
        (col("id"), col("category"), col("stock"), col("created_at"), col("color"));
    let products: Vec<[String; 5]> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            [id_c, cat_c, stock_c, created_c, color_c].map(|c| r[c].to_string())
        })
        .collect();
    let find = |id: &str| products.iter().find(|p| p[0] == id).unwrap();
    let of = |s: &str| planted.iter().filter(|r| r[0] == s).collect::<Vec<_>>();

    // Trending: the planted jump is first, on another product's page.
    let t = &of("trending")[0][1];
    let other = products.iter().find(|p| &p[0] != t).unwrap();
    assert_eq!(ids(&snap, "trending", Some(&other[0]), 5).first(), Some(t), "trending");

    // New arrivals: the planted in-stock ones, newest first, are the whole top of the list.
    let mut arrivals: Vec<&[String; 5]> =
        of("new_arrival").iter().map(|r| find(&r[1])).filter(|p| p[2] != "0").collect();
    arrivals.sort_by(|a, b| b[3].cmp(&a[3]));
    assert!(arrivals.len() >= 3, "too few planted arrivals in stock: {arrivals:?}");
    let want: Vec<String> = arrivals.iter().map(|p| p[0].clone()).collect();
    assert_eq!(ids(&snap, "recently_added", None, want.len()), want, "recently_added");
    for w in arrivals.windows(2) {
        assert!(w[0][3] > w[1][3], "planted arrivals have distinct days: {w:?}");
    }

    // Journeys: each viewed product lists the one bought days later first.
    for r in of("journey") {
        assert_eq!(ids(&snap, "ultimately_bought", Some(&r[1]), 3).first(), Some(&r[2]), "journey {r:?}");
    }

    // Bundles: every planted partner is in the anchor's bundle answer.
    for r in of("bundle") {
        let got = ids(&snap, "bundle", Some(&r[1]), 10);
        assert!(got.contains(&r[2]), "bundle {r:?}: got {got:?}");
    }

    // Recurring: bought every 12 to 16 days, it is due 13 days after a purchase, not 5 days after.
    let r = &of("recurring")[0][1];
    let due = |days_ago: u32| {
        let args = [
            "recommend",
            "--snapshot",
            snap.to_str().unwrap(),
            "--widget",
            "recurring",
            "--json",
            "--now",
            "2026-10-31",
            "--purchased",
            &format!("{r}@2026-10-{:02}", 31 - days_ago),
        ];
        let v: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
        v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(due(13), std::slice::from_ref(r), "recurring, 13 days after");
    assert!(due(5).is_empty(), "recurring, 5 days after");

    // Segments: the acme office's espresso beans are its regular order, due at the store's as-of
    // time; another account does not see them, nor a request without a segment.
    let beans = &of("segment_recurring")[0][1];
    let team = |widget: &str, segment: Option<&str>| {
        let mut args = vec!["recommend", "--snapshot", snap.to_str().unwrap(), "--widget", widget, "--json"];
        if let Some(s) = segment {
            args.extend(["--segment", s]);
        }
        let v: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
        v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert!(team("segment_recurring", Some("acme")).contains(beans), "segment_recurring for acme");
    assert!(!team("segment_recurring", Some("globex")).contains(beans));
    assert!(team("segment_recurring", None).is_empty() && team("segment_last_viewed", None).is_empty());
    assert!(!team("segment_last_viewed", Some("acme")).is_empty());

    // Colour groups: for products with at least three same-colour, same-category, in-stock
    // peers, the top three similar products share its colour.
    let mut checked = 0;
    for p in products.iter().filter(|p| p[2] != "0") {
        let peers = products.iter().filter(|q| q[0] != p[0] && q[1] == p[1] && q[4] == p[4] && q[2] != "0").count();
        if peers < 3 {
            continue;
        }
        let got = ids(&snap, "similar", Some(&p[0]), 3);
        assert_eq!(got.len(), 3, "similar for {}", p[0]);
        for g in &got {
            assert_eq!(find(g)[4], p[4], "similar {g} for {} ({} {})", p[0], p[1], p[4]);
        }
        checked += 1;
        if checked == 10 {
            break;
        }
    }
    assert_eq!(checked, 10, "the demo store has colour groups");

    // A widget's own similarity weights: `similar_brand` (brand 80, category 20) answers
    // products of the same brand, from its own table; the shared `similar` (category 40,
    // brand 20, colour 30, price 10) mixes brands.
    let brand_of = |id: &str| {
        let mut rdr = csv::Reader::from_path(dir.path().join("catalog.csv")).unwrap();
        let head = rdr.headers().unwrap().clone();
        let (i, b) = (head.iter().position(|h| h == "id").unwrap(), head.iter().position(|h| h == "brand").unwrap());
        rdr.records().map(|r| r.unwrap()).find(|r| &r[i] == id).map(|r| r[b].to_string()).unwrap()
    };
    let (mut same, mut mixed) = (0, 0);
    for p in products.iter().filter(|p| p[2] != "0").take(10) {
        let brand = brand_of(&p[0]);
        let got = ids(&snap, "similar_brand", Some(&p[0]), 3);
        assert_eq!(got.len(), 3, "similar_brand for {}", p[0]);
        for g in &got {
            assert_eq!(brand_of(g), brand, "similar_brand {g} for {}", p[0]);
        }
        same += 1;
        mixed += ids(&snap, "similar", Some(&p[0]), 3).iter().filter(|g| brand_of(g) != brand).count();
    }
    assert_eq!(same, 10);
    assert!(mixed > 0, "the shared weights mix brands, so the widget's table is its own");

    // Submodels: "viewed together, in the same colour group (and price band)". Every item of the
    // widget's own step is in the page product's groups; the answer names them.
    let price_of = |id: &str| -> f64 {
        let mut rdr = csv::Reader::from_path(dir.path().join("catalog.csv")).unwrap();
        let head = rdr.headers().unwrap().clone();
        let (i, pr) = (head.iter().position(|h| h == "id").unwrap(), head.iter().position(|h| h == "price").unwrap());
        rdr.records().map(|r| r.unwrap()).find(|r| &r[i] == id).map(|r| r[pr].parse().unwrap()).unwrap()
    };
    let band = |x: f64| [0.0, 50.0, 150.0].iter().rposition(|&lo| x >= lo).unwrap();
    let within = |product: &str, subs: &[&str]| {
        let mut args = vec!["recommend", "--snapshot", snap.to_str().unwrap(), "--widget", "also_viewed", "--json"];
        args.extend(["--product", product, "--limit", "8"]);
        for s in subs {
            args.extend(["--submodel", s]);
        }
        let v: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
        let own: Vec<String> = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["step"] == 1)
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect();
        let groups: Vec<String> =
            v["submodels"].as_array().unwrap().iter().map(|g| g.as_str().unwrap().to_string()).collect();
        (own, groups)
    };
    let mut checked = 0;
    for p in products.iter().filter(|p| p[2] != "0") {
        let (plain, none) = within(&p[0], &[]);
        let (same, groups) = within(&p[0], &["colors=$product"]);
        assert!(none.is_empty());
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert!(groups[0].starts_with("colors: ") && groups[0].contains(&p[4]), "{groups:?} for {}", p[4]);
        for g in &same {
            assert_eq!(colour_group(&find(g)[4]), colour_group(&p[4]), "also_viewed {g} for {} ({})", p[0], p[4]);
        }
        // The restricted list is the plain one's items of that group, in the same order, plus
        // more of the group from further down the neighbours.
        let kept: Vec<&String> = plain.iter().filter(|g| colour_group(&find(g)[4]) == colour_group(&p[4])).collect();
        assert_eq!(same.iter().take(kept.len()).collect::<Vec<_>>(), kept, "{}", p[0]);
        // Two submodels: products in both groups.
        let (both, groups) = within(&p[0], &["colors=$product", "price=$product"]);
        assert_eq!(groups.len(), 2);
        for g in &both {
            assert_eq!(colour_group(&find(g)[4]), colour_group(&p[4]));
            assert_eq!(band(price_of(g)), band(price_of(&p[0])), "{g} for {}", p[0]);
        }
        // A value in no group: the main model.
        assert_eq!(within(&p[0], &["colors=purple"]), (plain.clone(), vec![]));
        if !same.is_empty() && plain.len() > same.len() {
            checked += 1;
        }
        if checked == 5 {
            break;
        }
    }
    assert_eq!(checked, 5, "the colour groups restrict some viewed-together lists");
}

// Measured lift: personalisation on stores with and without planted tastes.

fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A small demo store in `dir`, with tastes steering `share` of the choices when given.
fn small_store(dir: &Path, share: Option<&str>) {
    let mut args = vec!["demo-data", "--out", p(dir), "--products", "600", "--shoppers", "3000", "--seed", "7"];
    if let Some(s) = share {
        args.extend(["--preferences", s]);
    }
    ok(&args);
}

/// (NDCG@10 without, with personalisation) of `widget` on the last 14 days of the store.
fn ndcg(dir: &Path, widget: &str) -> (f64, f64) {
    let out = ok(&[
        "evaluate",
        "next-item",
        "--train",
        p(&dir.join("events.csv")),
        "--catalog",
        p(&dir.join("catalog.csv")),
        "--config",
        &example("personalization.toml"),
        "--holdout-days",
        "14",
        "--personalize",
        "--k",
        "10",
        "--widget",
        widget,
        "--no-tune",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = v["results"].as_array().unwrap();
    assert_eq!(r[0]["cases"], r[1]["cases"], "both lists are scored on the same cases");
    assert!(r[0]["cases"].as_u64().unwrap() > 1000, "{v}");
    (r[0]["ndcg"].as_f64().unwrap(), r[1]["ndcg"].as_f64().unwrap())
}

#[test]
fn personalisation_finds_planted_tastes() {
    let (tastes, plain) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    small_store(tastes.path(), Some("0.9"));
    small_store(plain.path(), None);
    let prefs = std::fs::read_to_string(tastes.path().join("preferences.csv")).unwrap();
    assert!(prefs.starts_with("user_id,brand,color\n") && prefs.lines().count() > 500, "{}", &prefs[..100]);
    assert!(!plain.path().join("preferences.csv").exists());
    let (off, on) = ndcg(tastes.path(), "for_you");
    let (plain_off, plain_on) = ndcg(plain.path(), "for_you");
    // With tastes the re-ranking raises NDCG@10; the same store without them gains less (its
    // brand and colour affinities are noise to the in-session list), so the gain is the tastes'.
    assert!(on > off, "for_you with tastes: NDCG@10 {off} -> {on}");
    assert!(on - off > plain_on - plain_off + 0.003, "lift {} with tastes, {} without", on - off, plain_on - plain_off);
}

#[test]
fn personalize_needs_it_switched_on_and_the_examples_build() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_store(d, Some("0.5"));
    let (catalog, events) = (d.join("catalog.csv"), d.join("events.csv"));
    for (config, model) in [("personalization.toml", "default"), ("personalization-category.toml", "category")] {
        let snap = d.join(format!("{model}.snap"));
        let cfg = example(config);
        ok(&[
            "build",
            "--catalog",
            p(&catalog),
            "--events",
            p(&events),
            "--config",
            &cfg,
            "--out",
            p(&snap),
            "--quiet",
        ]);
        // The active model re-ranks, and says so in the explanations.
        let out =
            ok(&["recommend", "--snapshot", p(&snap), "--widget", "popular", "--viewed", "P00001,P00002", "--json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let items = v["items"].as_array().unwrap();
        let moved: Vec<&str> =
            items.iter().filter(|i| i["personalized"] == true).map(|i| i["explanation"].as_str().unwrap()).collect();
        assert!(!moved.is_empty(), "{config}: {out}");
        assert!(moved.iter().all(|e| e.contains(" · You") || e.contains(" like you")), "{config}: {moved:?}");
    }
    // Without [personalization] switched on, --personalize says what to set.
    let out = edgerec(&[
        "evaluate",
        "next-item",
        "--train",
        p(&events),
        "--catalog",
        p(&catalog),
        "--holdout-days",
        "7",
        "--personalize",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[personalization] is off") && err.contains("enabled = true"), "{err}");
    // --target needs --personalize.
    assert_eq!(
        edgerec(&["evaluate", "next-item", "--train", "x", "--catalog", "y", "--target", "purchase"]).status.code(),
        Some(2)
    );
}
