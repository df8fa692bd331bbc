//! The newer models proven on the demo store: every signal `edgerec demo-data` plants (a trending
//! product, new arrivals, journeys, bundles, a recurring purchase, colour groups; listed in `planted.csv`) comes back
//! through `edgerec recommend --json`.

use std::path::Path;
use std::process::{Command, Output};

fn edgerec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_edgerec")).args(args).output().expect("the edgerec binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = edgerec(args);
    assert!(out.status.success(), "edgerec {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

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

/// Demo store plus a snapshot built with the colour-aware `[similarity]` configuration.
fn store() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["demo-data", "--out", d.to_str().unwrap()]);
    let config = d.join("edgerec.toml");
    std::fs::write(&config, "[similarity]\nattributes = { category = 40, brand = 20, color = 30, price = 10 }\n")
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
}
