//! End-to-end tests of the `edgerec` command: demo-data -> build -> recommend / inspect, and how
//! it treats bad input.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::process::Output;

mod common;
use common::{edgerec, fails, ok, p};

/// A demo store and its snapshot, made once per test that needs them.
fn demo(dir: &Path) -> std::path::PathBuf {
    ok(&["demo-data", "--out", p(dir), "--products", "2000", "--shoppers", "6000", "--seed", "7"]);
    let snap = dir.join("model.snap");
    ok(&[
        "build",
        "--catalog",
        p(&dir.join("catalog.csv")),
        "--events",
        p(&dir.join("events.csv")),
        "--out",
        p(&snap),
        "--quiet",
    ]);
    snap
}

fn items(json: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["items"].as_array().unwrap().clone()
}

#[test]
fn planted_bundles_come_back_in_also_bought() {
    let dir = tempfile::tempdir().unwrap();
    let snap = demo(dir.path());
    // Oracle, computed from the files independently of the builder: which planted bundles were
    // bought together by at least 3 distinct shoppers (the default min_count)?
    let mut orders: HashMap<String, (String, HashSet<String>)> = HashMap::new();
    let mut rdr = csv::Reader::from_path(dir.path().join("events.csv")).unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        if &r[3] == "purchase" {
            let shopper = if r[1].is_empty() { r[2].to_string() } else { r[1].to_string() };
            orders.entry(r[7].to_string()).or_insert_with(|| (shopper, HashSet::new())).1.insert(r[4].to_string());
        }
    }
    let mut support: HashMap<(String, String), HashSet<String>> = HashMap::new();
    for (shopper, items) in orders.values() {
        for a in items {
            for b in items {
                if a < b {
                    support.entry((a.clone(), b.clone())).or_default().insert(shopper.clone());
                }
            }
        }
    }
    let mut rdr = csv::Reader::from_path(dir.path().join("bundles.csv")).unwrap();
    let bundles: Vec<(String, String)> =
        rdr.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[1].to_string())).collect();
    let supported: Vec<&(String, String)> = bundles
        .iter()
        .filter(|(a, b)| support.get(&(a.min(b).clone(), a.max(b).clone())).is_some_and(|s| s.len() >= 3))
        .collect();
    assert!(supported.len() >= 50, "the demo store plants enough bought-together bundles: {}", supported.len());
    for (product, complement) in supported.iter().take(40) {
        let got = items(&ok(&[
            "recommend",
            "--snapshot",
            p(&snap),
            "--widget",
            "also_bought",
            "--product",
            product,
            "--json",
        ]));
        let hit = got.iter().find(|i| i["id"] == complement.as_str());
        let hit = hit.unwrap_or_else(|| panic!("{complement} missing from also_bought of {product}: {got:?}"));
        assert_eq!(hit["reason"], "bought_together");
        assert_eq!(hit["because"], product.as_str());
        assert!(got.iter().all(|i| i["id"] != product.as_str()), "never the current product");
    }
}

#[test]
fn recommend_inspect_and_bench_work_on_the_demo_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let snap = demo(dir.path());
    let info: serde_json::Value = serde_json::from_str(&ok(&["inspect", p(&snap), "--json"])).unwrap();
    assert_eq!(info["products"], 2000);
    assert_eq!(info["formatVersion"], 2);
    assert!(info["counts"]["views"].as_u64().unwrap() > 10_000);
    assert!(info["sections"]["catalog"].as_u64().unwrap() > 0);
    assert!(ok(&["inspect", p(&snap)]).contains("sections"));

    // Previously viewed: most recent first, without the current product.
    let got = items(&ok(&[
        "recommend",
        "--snapshot",
        p(&snap),
        "--widget",
        "previously_viewed",
        "--product",
        "P00004",
        "--viewed",
        "P00001,P00002,P00003,P00004",
        "--json",
    ]));
    let ids: Vec<&str> = got.iter().map(|i| i["id"].as_str().unwrap()).collect();
    // Out-of-stock products are hidden, so the list is the in-stock ones among these, in this order.
    let order: Vec<usize> = ids
        .iter()
        .map(|id| {
            ["P00003", "P00002", "P00001"].iter().position(|x| x == id).unwrap_or_else(|| panic!("{id} was not viewed"))
        })
        .collect();
    assert!(!ids.is_empty());
    assert!(order.windows(2).all(|w| w[0] < w[1]), "most recent first: {ids:?}");

    // Upsell: same type, same price or higher.
    let catalog: HashMap<String, (String, f64)> = csv::Reader::from_path(dir.path().join("catalog.csv"))
        .unwrap()
        .records()
        .map(|r| r.unwrap())
        .map(|r| (r[0].to_string(), (r[3].to_string(), r[5].parse::<f64>().unwrap())))
        .collect();
    for product in ["P00001", "P00010", "P00100", "P01000"] {
        let got =
            items(&ok(&["recommend", "--snapshot", p(&snap), "--widget", "upsell", "--product", product, "--json"]));
        let (cat, price) = &catalog[product];
        for i in &got {
            let (c, pr) = &catalog[i["id"].as_str().unwrap()];
            assert_eq!(c, cat, "upsell of {product} stays in its category");
            assert!(pr >= price, "upsell of {product} ({price}) offers {} at {pr}", i["id"]);
        }
    }
    // Filters from the command line.
    let got = items(&ok(&[
        "recommend",
        "--snapshot",
        p(&snap),
        "--widget",
        "popular",
        "--limit",
        "20",
        "--filters",
        r#"{"price_max": 30, "brands": ["Nordhaven"]}"#,
        "--json",
    ]));
    assert!(!got.is_empty());
    assert!(got.iter().all(|i| i["price"].as_f64().unwrap() <= 30.0 && i["brand"] == "Nordhaven"), "{got:?}");

    let e = fails(&["recommend", "--snapshot", p(&snap), "--widget", "nope"]);
    assert!(e.contains("unknown widget \"nope\"") && e.contains("upsell"), "{e}");
    let bench: serde_json::Value =
        serde_json::from_str(&ok(&["bench", "--snapshot", p(&snap), "--queries", "50", "--json"])).unwrap();
    assert!(bench["plain"]["upsell"]["p50Us"].as_f64().unwrap() > 0.0);
    assert!(bench["filtered"]["cross_sell"]["avgItems"].as_f64().unwrap() > 0.0);
    assert!(bench["diverse"]["popular"]["avgItems"].as_f64().unwrap() > 0.0, "the bench measures diversity too");
}

#[test]
fn csv_and_gzipped_ndjson_give_the_same_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("catalog.csv"), "id,title,brand,category,price,stock,material\nA,Alpha,X,Home > Kitchen,10.00,5,oak\nB,\"Beta, the second\",Y,Home,20,,\nC,Gamma,,Toys,,0,\n").unwrap();
    let mut events = String::from("timestamp,user_id,session_id,event,product_id,quantity,order_id\n");
    for s in 0..6 {
        for (i, p) in ["A", "B", "C"].iter().enumerate() {
            events.push_str(&format!("2024-05-0{}T10:0{i}:00Z,u{s},s{s},view,{p},,\n", 1 + s % 3));
        }
        events.push_str(&format!("2024-05-0{}T10:09:00Z,u{s},s{s},purchase,A,2,o{s}\n", 1 + s % 3));
        events.push_str(&format!("2024-05-0{}T10:09:00Z,u{s},s{s},purchase,B,1,o{s}\n", 1 + s % 3));
    }
    std::fs::write(d.join("events.csv"), &events).unwrap();
    // The same rows as gzipped NDJSON, with numbers as JSON numbers.
    let mut rdr = csv::Reader::from_path(d.join("events.csv")).unwrap();
    let header = rdr.headers().unwrap().clone();
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(d.join("events.ndjson.gz")).unwrap(),
        flate2::Compression::default(),
    );
    for r in rdr.records() {
        let r = r.unwrap();
        let mut obj = serde_json::Map::new();
        for (h, v) in header.iter().zip(r.iter()) {
            if !v.is_empty() {
                obj.insert(
                    h.into(),
                    if h == "quantity" { serde_json::json!(v.parse::<u32>().unwrap()) } else { serde_json::json!(v) },
                );
            }
        }
        writeln!(gz, "{}", serde_json::Value::Object(obj)).unwrap();
    }
    gz.finish().unwrap();
    let (a, b) = (d.join("a.snap"), d.join("b.snap"));
    ok(&["build", "--catalog", p(&d.join("catalog.csv")), "--events", p(&d.join("events.csv")), "--out", p(&a)]);
    ok(&["build", "--catalog", p(&d.join("catalog.csv")), "--events", p(&d.join("events.ndjson.gz")), "--out", p(&b)]);
    let strip = |path: &Path| {
        let mut v: serde_json::Value = serde_json::from_str(&ok(&["inspect", p(path), "--json"])).unwrap();
        v.as_object_mut().unwrap().remove("builtAt");
        v.as_object_mut().unwrap().remove("file");
        // The size too: the table of contents holds each section's CRC as a varint, and the
        // meta section's CRC (so its length, 4 or 5 bytes) changes with the build time.
        v.as_object_mut().unwrap().remove("bytes");
        v
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(strip(&a)["counts"]["purchases"], 12);
    let got = items(&ok(&["recommend", "--snapshot", p(&b), "--widget", "also_bought", "--product", "A", "--json"]));
    assert_eq!(got[0]["id"], "B");
    assert_eq!(got[0]["reason"], "bought_together");
    assert_eq!(got[0]["title"], "Beta, the second");
}

#[test]
fn malformed_rows_are_reported_with_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("catalog.csv"),
        "id,title,price\nA,Alpha,10\nB,Beta,ten\nA,Again,3\n,Nameless,1\nC,Gamma,2\n",
    )
    .unwrap();
    std::fs::write(
        d.join("events.csv"),
        "timestamp,session_id,event,product_id,quantity\n2024-01-01T00:00:00Z,s1,view,A,\nyesterday,s1,view,A,\n2024-01-01T00:00:00Z,s1,,A,\n2024-01-01T00:00:00Z,s1,view,ZZZ,\n2024-01-01T00:00:01Z,s1,cart,C,-2\n2024-01-01T00:00:02Z,s1,view,C\n",
    )
    .unwrap();
    let snap = d.join("m.snap");
    let cat = d.join("catalog.csv");
    let ev = d.join("events.csv");
    let args = ["build", "--catalog", p(&cat), "--events", p(&ev), "--out", p(&snap)];
    let out = ok(&args);
    for expected in [
        format!("{}:3: field `price`: \"ten\"", cat.display()),
        format!("{}:4: field `id`: \"A\" appears on an earlier line", cat.display()),
        format!("{}:5: field `id`: is required", cat.display()),
        format!("{}:3: field `timestamp`: \"yesterday\"", ev.display()),
        format!("{}:4: field `event`: is required", ev.display()),
        format!("{}:5: field `product_id`: \"ZZZ\" is not in the catalog", ev.display()),
        format!("{}:6: field `quantity`: \"-2\"", ev.display()),
        format!("{}:7: has 4 fields, the header has 5", ev.display()),
    ] {
        assert!(out.contains(&expected), "missing `{expected}` in:\n{out}");
    }
    assert!(out.contains("catalog   5 rows, 3 rejected -> 2 products"), "{out}");
    assert!(out.contains("6 rows, 4 rejected, 1 for unknown products"), "{out}");
    // --strict: the first problem is fatal and the previous snapshot stays.
    let before = std::fs::read(&snap).unwrap();
    let mut strict = args.to_vec();
    strict.push("--strict");
    let e = fails(&strict);
    assert!(e.contains(&format!("{}:3: field `price`", cat.display())) && e.contains("--strict"), "{e}");
    assert_eq!(std::fs::read(&snap).unwrap(), before, "a failed build leaves the old snapshot intact");
}

#[test]
fn unusable_inputs_fail_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.csv"), "").unwrap();
    std::fs::write(d.join("nocol.csv"), "sku,title\nA,x\n").unwrap();
    std::fs::write(d.join("catalog.csv"), "id\nA\n").unwrap();
    std::fs::write(d.join("events.csv"), "timestamp,event\n2024-01-01,view\n").unwrap();
    std::fs::write(d.join("bad.toml"), "[widgets.upsell]\nthreshold = 2\n").unwrap();
    let out = p(&d.join("m.snap")).to_string();
    let build = |catalog: &str, events: &str| {
        fails(&[
            "build",
            "--catalog",
            &d.join(catalog).display().to_string(),
            "--events",
            &d.join(events).display().to_string(),
            "--out",
            &out,
        ])
    };
    assert!(build("empty.csv", "events.csv").contains("empty.csv: the file is empty"));
    assert!(build("nocol.csv", "events.csv").contains("nocol.csv:1: missing required column `id` (found: sku, title)"));
    assert!(build("missing.csv", "events.csv").contains("missing.csv: cannot read"));
    assert!(build("catalog.csv", "events.csv").contains("events.csv:1: missing required column `product_id`"));
    assert!(build("catalog.csv", "events.txt").contains("unknown format"));
    let e = fails(&[
        "build",
        "--catalog",
        p(&d.join("catalog.csv")),
        "--events",
        p(&d.join("events.csv")),
        "--out",
        &out,
        "--config",
        p(&d.join("bad.toml")),
    ]);
    assert!(e.contains("widgets.upsell.threshold: 2 is out of range: allowed 0 to 1"), "{e}");
    assert!(!d.join("m.snap").exists());
}

#[test]
fn damaged_snapshots_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let snap = demo(dir.path());
    let bytes = std::fs::read(&snap).unwrap();
    let cut = dir.path().join("cut.snap");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert!(fails(&["inspect", p(&cut)]).contains("truncated"));
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 3] ^= 1;
    std::fs::write(&cut, &flipped).unwrap();
    assert!(fails(&["recommend", "--snapshot", p(&cut), "--widget", "popular"]).contains("checksum"));
    std::fs::write(&cut, b"<html>not found</html>").unwrap();
    assert!(fails(&["inspect", p(&cut)]).contains("not an edgerec snapshot"));
}

#[test]
fn config_prints_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let defaults = ok(&["config"]);
    assert!(defaults.contains("[widgets.upsell]") && defaults.contains("min_count = 3"));
    let f = dir.path().join("edgerec.toml");
    std::fs::write(&f, &defaults).unwrap();
    let widgets = edgerec::config::default_widgets().len();
    assert!(ok(&["config", "--check", p(&f)]).contains(&format!("valid ({widgets} widgets")));
    std::fs::write(&f, "[widgets.x]\nalgorithm = \"upsel\"\n").unwrap();
    let e = fails(&["config", "--check", p(&f)]);
    assert!(e.contains("unknown variant `upsel`") && e.contains("`upsell`"), "{e}");
}

#[test]
fn a_large_csv_read_on_two_threads_keeps_lines_and_results() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("catalog.csv"), "id\nA\nB\nC\nD\n").unwrap();
    // Over 4 MB, no quotes: parsed in two halves. A bad row sits in the second half.
    let mut events = String::from("timestamp,session_id,event,product_id\n");
    let n = 120_000;
    for i in 0..n {
        let p = ["A", "B", "C", "D"][i % 4];
        events.push_str(&format!("2024-01-01T00:00:{:02}Z,session-with-a-long-name-{},view,{p}\n", i % 60, i / 3));
        if i == n - 10 {
            events.push_str("not-a-time,s,view,A\n");
        }
    }
    assert!(events.len() > 4 << 20);
    std::fs::write(d.join("events.csv"), &events).unwrap();
    // The same rows gzipped take the streaming path.
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(d.join("events.csv.gz")).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(events.as_bytes()).unwrap();
    gz.finish().unwrap();
    let bad_line = n - 10 + 3; // header, then rows 0..=n-10, then the bad row
    let (a, b) = (d.join("a.snap"), d.join("b.snap"));
    let out =
        ok(&["build", "--catalog", p(&d.join("catalog.csv")), "--events", p(&d.join("events.csv")), "--out", p(&a)]);
    assert!(out.contains(&format!("events.csv:{bad_line}: field `timestamp`: \"not-a-time\"")), "{out}");
    let out_gz =
        ok(&["build", "--catalog", p(&d.join("catalog.csv")), "--events", p(&d.join("events.csv.gz")), "--out", p(&b)]);
    assert!(out_gz.contains(&format!("events.csv.gz:{bad_line}: field `timestamp`")), "{out_gz}");
    let strip = |path: &Path| {
        let mut v: serde_json::Value = serde_json::from_str(&ok(&["inspect", p(path), "--json"])).unwrap();
        v.as_object_mut().unwrap().remove("builtAt");
        v.as_object_mut().unwrap().remove("file");
        // The size too: the table of contents holds each section's CRC as a varint, and the
        // meta section's CRC (so its length, 4 or 5 bytes) changes with the build time.
        v.as_object_mut().unwrap().remove("bytes");
        v
    };
    assert_eq!(strip(&a), strip(&b));
    assert_eq!(strip(&a)["counts"]["sessions"], n as u64 / 3);
}

#[test]
fn evaluate_and_predict_write_their_tables() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["demo-data", "--out", p(d), "--products", "300", "--shoppers", "1500", "--seed", "3"]);
    let (catalog, events) = (d.join("catalog.csv"), d.join("events.csv"));
    // Next item on the store's own sessions (a smoke check of the protocol and its output).
    let cases = d.join("cases.csv");
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "evaluate",
        "next-item",
        "--train",
        p(&events),
        "--test",
        p(&events),
        "--catalog",
        p(&catalog),
        "--k",
        "5",
        "--predictions",
        p(&cases),
        "--json",
    ]))
    .unwrap();
    let n = v["results"][0]["cases"].as_u64().unwrap();
    assert!(n > 1000);
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&cases).unwrap().records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len() as u64, n, "one row per case");
    let hits = rows.iter().filter(|r| !r[3].is_empty()).count() as f64;
    assert!((hits / n as f64 - v["results"][0]["hitRate"].as_f64().unwrap()).abs() < 1e-9, "ranks agree with HR@5");
    for r in rows.iter().take(50) {
        let items: Vec<&str> = r[4].split(' ').collect();
        assert!(items.len() <= 5);
        if let Ok(rank) = r[3].parse::<usize>() {
            assert_eq!(items[rank - 1], &r[2], "the target sits at its rank");
        }
    }
    // The CRM table.
    let snap = d.join("m.snap");
    ok(&["build", "--catalog", p(&catalog), "--events", p(&events), "--out", p(&snap), "--quiet"]);
    let out = d.join("predictions.csv");
    let summary = ok(&["predict", "--snapshot", p(&snap), "--events", p(&events), "--out", p(&out), "--k", "4"]);
    assert!(summary.contains("customers"), "{summary}");
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    assert_eq!(
        rdr.headers().unwrap(),
        vec!["user_unique_id", "recommended_item_id", "ranking", "score", "last_update_date"]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert!(!rows.is_empty());
    let mut by_user: HashMap<String, Vec<(usize, f64)>> = HashMap::new();
    for r in &rows {
        assert!(r[0].starts_with('U'), "only known customers");
        by_user.entry(r[0].to_string()).or_default().push((r[2].parse().unwrap(), r[3].parse().unwrap()));
        assert_eq!(r[4].len(), 10, "a date");
    }
    for (user, list) in by_user {
        assert!(list.len() <= 4);
        assert_eq!(list[0], (1, 1.0), "{user}: rank 1 scores 1");
        assert!(list.windows(2).all(|w| w[1].0 == w[0].0 + 1 && w[1].1 <= w[0].1 && w[1].1 > 0.0), "{user}: {list:?}");
    }
}

#[test]
fn predict_asks_with_the_session_the_storefront_would_hold_at_the_snapshot_gap() {
    // One customer viewed A, then B 40 minutes later (no session ids), then put C in the cart
    // and bought it. The browser's Session, at the snapshot's gap, decides whether A is still
    // in the latest session: `previously_viewed` lists the latest session's views.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let events = "timestamp,user_id,session_id,event,product_id,order_id\n\
        2024-01-01T10:00:00Z,u1,,view,A,\n\
        2024-01-01T10:40:00Z,u1,,view,B,\n\
        2024-01-01T10:41:00Z,u1,,cart,C,\n\
        2024-01-01T10:42:00Z,u1,,purchase,C,o1\n\
        2024-01-01T10:43:00Z,u1,,cart,D,\n";
    write_all(
        d,
        &[
            ("catalog.csv", "id\nA\nB\nC\nD\n"),
            ("events.csv", events),
            ("gap45.toml", "[training]\nsession_gap_minutes = 45\n"),
        ],
    );
    let (cat, ev) = (d.join("catalog.csv"), d.join("events.csv"));
    let lists = |config: Option<&Path>, widget: &str| -> Vec<String> {
        let snap = d.join("m.snap");
        let mut build = vec!["build", "--catalog", p(&cat), "--events", p(&ev), "--out", p(&snap), "--quiet"];
        if let Some(c) = config {
            build.extend(["--config", p(c)]);
        }
        ok(&build);
        let out = d.join("crm.csv");
        ok(&["predict", "--snapshot", p(&snap), "--events", p(&ev), "--out", p(&out), "--widget", widget]);
        let mut rdr = csv::Reader::from_path(&out).unwrap();
        rdr.records().map(|r| r.unwrap()[1].to_string()).collect()
    };
    assert_eq!(lists(None, "previously_viewed"), ["B"], "30 minutes: A is a past session");
    assert_eq!(lists(Some(&d.join("gap45.toml")), "previously_viewed"), ["B", "A"], "45 minutes: one session");
}

#[test]
fn predict_gives_customers_their_segment_from_the_events_or_the_segments_file() {
    // u1, u2 and u3 are Acme (the events' segment column) and viewed A; u4 viewed B and is in
    // no segment until the --segments file puts them in Acme.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut events = String::from("timestamp,user_id,session_id,event,product_id,segment\n");
    for u in 1..=3 {
        events.push_str(&format!("2024-01-0{u}T10:00:00Z,u{u},,view,A,acme\n"));
    }
    events.push_str("2024-01-04T10:00:00Z,u4,,view,B,\n");
    write_all(
        d,
        &[("catalog.csv", "id\nA\nB\n"), ("events.csv", &events), ("accounts.csv", "user_id,segment\nu4,acme\n")],
    );
    let (cat, ev, snap, out) = (d.join("catalog.csv"), d.join("events.csv"), d.join("m.snap"), d.join("crm.csv"));
    ok(&["build", "--catalog", p(&cat), "--events", p(&ev), "--out", p(&snap), "--quiet"]);
    let rows = |extra: &[&str]| -> (String, Vec<(String, String)>) {
        let mut args = vec!["predict", "--snapshot", p(&snap), "--events", p(&ev), "--out", p(&out)];
        args.extend_from_slice(&["--widget", "segment_last_viewed"]);
        args.extend_from_slice(extra);
        let summary = ok(&args);
        let mut rdr = csv::Reader::from_path(&out).unwrap();
        (summary, rdr.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[1].to_string())).collect())
    };
    let (summary, plain) = rows(&[]);
    assert!(summary.contains("3 in a segment"), "{summary}");
    let acme: Vec<(String, String)> = (1..=3).map(|u| (format!("u{u}"), "A".to_string())).collect();
    assert_eq!(plain, acme, "u4 has no segment");
    let (summary, mapped) = rows(&["--segments", p(&d.join("accounts.csv"))]);
    assert!(summary.contains("4 in a segment"), "{summary}");
    assert_eq!(mapped.last(), Some(&("u4".to_string(), "A".to_string())), "{mapped:?}");
}

/// Writes `files` (name, contents) into `d`.
fn write_all(d: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        std::fs::write(d.join(name), text).unwrap();
    }
}

#[test]
fn a_non_ascii_character_in_a_timestamp_is_a_bad_row_not_a_panic() {
    // Issue 18, item 0: found by fuzzing the readers; `&s[..10]` cut inside the `é` or the BOM.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_all(
        d,
        &[
            ("catalog.csv", "id,created_at\nA,2026-01-0\u{e9}\nB,2026-01-01\n"),
            (
                "events.csv",
                "timestamp,user_id,event,product_id\n2026-01-0\u{e9}T10:00:00Z,u1,view,A\n2026-01-01\u{feff}T10:00:00Z,u1,view,A\n2026-01-01T10:00:00Z,u1,view,B\n",
            ),
        ],
    );
    let (cat, ev, snap) = (d.join("catalog.csv"), d.join("events.csv"), d.join("m.snap"));
    let args = ["build", "--catalog", p(&cat), "--events", p(&ev), "--out", p(&snap)];
    let out = ok(&args);
    for expected in [
        format!("{}:2: field `created_at`: \"2026-01-0\u{e9}\": expected a date as YYYY-MM-DD", cat.display()),
        format!("{}:2: field `timestamp`: \"2026-01-0\u{e9}T10:00:00Z\": expected a date", ev.display()),
        format!("{}:3: field `timestamp`: \"2026-01-01\u{feff}T10:00:00Z\": expected a time", ev.display()),
    ] {
        assert!(out.contains(&expected), "missing `{expected}` in:\n{out}");
    }
    assert!(out.contains("events    3 rows, 2 rejected"), "{out}");
    let mut strict = args.to_vec();
    strict.push("--strict");
    let e = fails(&strict);
    assert!(e.contains(&format!("{}:2: field `created_at`", cat.display())) && !e.contains("panicked"), "{e}");
}

#[test]
fn events_without_user_or_session_are_not_distinct_shoppers() {
    // Issue 18, item 1: three id-less views (perhaps one visitor) must not meet min_count = 3.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut events = String::from("timestamp,user_id,session_id,event,product_id\n");
    for i in 0..3 {
        events.push_str(&format!("2024-01-01T0{i}:00:00Z,,,view,A\n"));
        events.push_str(&format!("2024-01-01T0{i}:00:00Z,u{i},,view,B\n"));
    }
    write_all(d, &[("catalog.csv", "id\nA\nB\n"), ("events.csv", &events)]);
    let (cat, ev, snap) = (d.join("catalog.csv"), d.join("events.csv"), d.join("m.snap"));
    let args = ["build", "--catalog", p(&cat), "--events", p(&ev), "--out", p(&snap)];
    let out = ok(&args);
    assert!(out.contains("events    6 rows, 3 rejected"), "{out}");
    assert!(out.contains("rejected  no user_id or session_id: 3"), "{out}");
    assert!(
        out.contains(&format!("{}:2: no user_id or session_id: cannot tell shoppers apart", ev.display())),
        "{out}"
    );
    let mut json = args.to_vec();
    json.push("--json");
    let v: serde_json::Value = serde_json::from_str(&ok(&json)).unwrap();
    assert_eq!(v["lists"]["views"], 1, "only B, viewed by three users: {v}");
    assert_eq!(v["counts"]["shoppers"], 3, "{v}");
    let got = items(&ok(&["recommend", "--snapshot", p(&snap), "--widget", "most_viewed", "--json"]));
    let ids: Vec<&str> = got.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["B"]);
    let mut strict = args.to_vec();
    strict.push("--strict");
    let e = fails(&strict);
    assert!(e.contains(&format!("{}:2: no user_id or session_id", ev.display())), "{e}");
}

#[test]
fn strict_makes_an_event_for_an_unknown_product_fatal() {
    // Issue 18, item 3.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_all(
        d,
        &[
            ("catalog.csv", "id\nA\n"),
            ("events.csv", "timestamp,user_id,event,product_id\n2024-01-01,u1,view,A\n2024-01-02,u1,view,ZZZ\n"),
        ],
    );
    let (cat, ev, snap) = (d.join("catalog.csv"), d.join("events.csv"), d.join("m.snap"));
    let args = ["build", "--catalog", p(&cat), "--events", p(&ev), "--out", p(&snap)];
    assert!(ok(&args).contains("2 rows, 0 rejected, 1 for unknown products"));
    let mut strict = args.to_vec();
    strict.push("--strict");
    let e = fails(&strict);
    let want = format!("{}:3: field `product_id`: \"ZZZ\" is not in the catalog (--strict", ev.display());
    assert!(e.contains(&want), "{e}");
}

#[test]
fn configured_names_that_match_nothing_are_warned_about() {
    // Issue 18, item 4: a typo in the config no longer empties a widget without a word.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_all(
        d,
        &[
            ("catalog.csv", "id,brand,category,tags\nA,Acme,Kitchen > Knives,eco\ngift-card,,,\n"),
            ("events.csv", "timestamp,user_id,event,product_id\n2024-01-01,u1,view,A\n"),
            (
                "edgerec.toml",
                "blacklist = [\"gift-card\", \"gift-cardd\"]\n[widgets.upsell]\nforce_include = [\"B\"]\n[widgets.upsell.filters]\nbrands = [\"Acmee\"]\ncategories = [\"Kitchen>Knives\", \"Garden\"]\nexclude_tags = [\"ecco\"]\n",
            ),
        ],
    );
    let (cat, ev, conf) = (d.join("catalog.csv"), d.join("events.csv"), d.join("edgerec.toml"));
    let warnings = [
        "blacklist[1]: \"gift-cardd\" is not in the catalog",
        "widgets.upsell.force_include[0]: \"B\" is not in the catalog",
        "widgets.upsell.filters.brands: \"Acmee\" matches no product",
        "widgets.upsell.filters.categories: \"Garden\" matches no product",
        "widgets.upsell.filters.exclude_tags: \"ecco\" matches no product",
    ];
    let snap = d.join("m.snap");
    let args = ["build", "--catalog", p(&cat), "--events", p(&ev), "--config", p(&conf), "--out", p(&snap)];
    let out = ok(&args);
    for w in warnings {
        assert!(out.contains(&format!("  warning   {w}\n")), "missing `{w}` in:\n{out}");
    }
    assert_eq!(out.matches("warning   blacklist").count() + out.matches("warning   widgets.").count(), 5, "{out}");
    let mut json = args.to_vec();
    json.push("--json");
    let v: serde_json::Value = serde_json::from_str(&ok(&json)).unwrap();
    assert!(warnings.iter().all(|w| v["warnings"].as_array().unwrap().contains(&serde_json::json!(w))), "{v}");
    // `config --check` with a catalog prints the same warnings and still passes.
    let out = ok(&["config", "--check", p(&conf), "--catalog", p(&cat)]);
    assert!(out.contains("valid ("), "{out}");
    let printed: Vec<&str> = out.lines().filter_map(|l| l.strip_prefix("warning: ")).collect();
    assert_eq!(printed, warnings, "{out}");
    std::fs::write(&conf, "blacklist = [\"gift-card\"]\n").unwrap();
    let out = ok(&["config", "--check", p(&conf), "--catalog", p(&cat)]);
    assert!(!out.contains("warning") && out.contains("is in"), "{out}");
}

#[test]
fn an_editorial_list_is_built_warned_about_and_recommended_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_all(
        d,
        &[
            ("catalog.csv", "id,brand,category,price
A,Acme,Kitchen,10
B,Bolt,Kitchen,20
C,Acme,Garden,30
D,Acme,Garden,40
"),
            ("events.csv", "timestamp,user_id,event,product_id
2024-01-01,u1,view,A
"),
            (
                "edgerec.toml",
                "blacklist = [\"D\"]\n[lists.summer]\ntitle = \"Summer sale\"\nproducts = [\"C\", \"Z\", \"D\", \"A\", \"B\"]\n[widgets.home]\nalgorithm = \"editorial\"\nlist = \"summer\"\nfallback = []\n",
            ),
        ],
    );
    let (cat, ev, conf, snap) = (d.join("catalog.csv"), d.join("events.csv"), d.join("edgerec.toml"), d.join("m.snap"));
    let out = ok(&["build", "--catalog", p(&cat), "--events", p(&ev), "--config", p(&conf), "--out", p(&snap)]);
    assert!(out.contains("  warning   lists.summer.products[1]: \"Z\" is not in the catalog\n"), "{out}");
    // In the list's order, without the blacklisted D, on A's page without A; the list's title is
    // the widget's heading and the reason.
    let json = ok(&["recommend", "--snapshot", p(&snap), "--widget", "home", "--product", "A", "--json"]);
    let got: Vec<String> = items(&json).iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(got, ["C", "B"]);
    assert_eq!(items(&json)[0]["explanation"], "Picked by our team: Summer sale");
    let text = ok(&["recommend", "--snapshot", p(&snap), "--widget", "home", "--filters", r#"{"brands": ["Acme"]}"#]);
    assert!(text.starts_with("home \"Summer sale\""), "{text}");
    assert!(text.contains("C ") && text.contains(" A ") && !text.contains(" B "), "{text}");
    // The built-in widget shows every list, or the one asked for.
    let json = ok(&["recommend", "--snapshot", p(&snap), "--widget", "editorial", "--list", "summer", "--json"]);
    assert_eq!(items(&json)[0]["reason"], "editorial");
    let e = fails(&["recommend", "--snapshot", p(&snap), "--widget", "editorial", "--list", "winter"]);
    assert!(e.contains("invalid option `list`: no list \"winter\"; lists: summer"), "{e}");
    // inspect lists the lists, with how many of their products the catalog has.
    assert!(
        ok(&["inspect", p(&snap)]).contains("  lists      summer \"Summer sale\" (4 of 5 products in the catalog)\n")
    );
    let info: serde_json::Value = serde_json::from_str(&ok(&["inspect", p(&snap), "--json"])).unwrap();
    assert_eq!(info["lists"]["summer"]["inCatalog"], 4, "D is blacklisted but in the catalog");
    // A fallback naming no list is an error naming the key.
    std::fs::write(&conf, "[lists.summer]\nproducts = [\"A\"]\n[widgets.popular]\nfallback = [\"list:sumer\"]\n")
        .unwrap();
    let e = fails(&["build", "--catalog", p(&cat), "--events", p(&ev), "--config", p(&conf), "--out", p(&snap)]);
    assert!(e.contains("widgets.popular.fallback[0]: no list \"sumer\"; lists: summer"), "{e}");
}

#[test]
fn predict_and_evaluate_report_malformed_rows_like_build() {
    // Issue 18, item 6: a bad timestamp or a short row no longer vanishes.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut good = String::new();
    for u in 0..4 {
        for (i, prod) in ["A", "B", "C"].iter().enumerate() {
            good.push_str(&format!("2024-01-0{}T10:00:0{i}Z,u{u},s{u},view,{prod},\n", u + 1));
            good.push_str(&format!("2024-01-0{}T11:00:0{i}Z,u{u},s{u},purchase,{prod},o{u}\n", u + 1));
        }
    }
    let header = "timestamp,user_id,session_id,event,product_id,order_id\n";
    let bad = "yesterday,u1,s1,view,A,\n2024-01-05T10:00:00Z,u1,s1,view\n";
    let events = format!("{header}{bad}{good}");
    write_all(
        d,
        &[("catalog.csv", "id\nA\nB\nC\n"), ("events.csv", &events), ("good.csv", &format!("{header}{good}"))],
    );
    let (cat, ev, good) = (d.join("catalog.csv"), d.join("events.csv"), d.join("good.csv"));
    let problems = [
        format!("{}:2: field `timestamp`: \"yesterday\"", ev.display()),
        format!("{}:3: has 4 fields, the header has 6", ev.display()),
    ];
    let reported = |out: &str| {
        assert!(out.contains("rejected  invalid timestamp: 1, wrong number of fields: 1"), "{out}");
        assert!(problems.iter().all(|p| out.contains(p.as_str())), "{out}");
    };
    let (snap, crm) = (d.join("m.snap"), d.join("crm.csv"));
    ok(&["build", "--catalog", p(&cat), "--events", p(&good), "--out", p(&snap)]);
    let predict = ["predict", "--snapshot", p(&snap), "--events", p(&ev), "--out", p(&crm)];
    let out = ok(&predict);
    assert!(out.contains("26 event rows, 2 rejected"), "{out}");
    reported(&out);
    let next_item = ["evaluate", "next-item", "--train", p(&good), "--test", p(&ev), "--catalog", p(&cat)];
    reported(&ok(&next_item));
    let basket = ["evaluate", "basket", "--history", p(&ev), "--future", p(&good), "--catalog", p(&cat)];
    let out = ok(&basket);
    reported(&out);
    assert_eq!(out.matches("field `timestamp`").count(), 1, "the history is read twice, reported once: {out}");
    let v: serde_json::Value = serde_json::from_str(&ok(&[&next_item[..], &["--json"]].concat())).unwrap();
    assert_eq!(v["rejected"], serde_json::json!({"invalid timestamp": 1, "wrong number of fields": 1}), "{v}");
    assert_eq!(
        v["problems"][0].as_str().unwrap(),
        format!("{}: expected an RFC 3339 date-time or Unix seconds", problems[0])
    );
    for args in [&predict[..], &next_item[..], &basket[..]] {
        let e = fails(&[args, &["--strict"]].concat());
        assert!(e.contains(problems[0].as_str()) && e.contains("--strict"), "{args:?}: {e}");
    }
}

/// Gzips `text` into `path`.
fn write_gz(path: &Path, text: &str) {
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(path).unwrap(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap();
}

#[test]
fn events_can_be_a_directory_of_partitions_or_a_glob() {
    // Issue 13: the Worker writes events/site=…/date=…/HH-<random>.ndjson.gz.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_all(d, &[("catalog.csv", "id\nA\nB\n")]);
    let day = |date: &str| {
        let p = d.join("events").join("site=shop").join(format!("date={date}"));
        std::fs::create_dir_all(&p).unwrap();
        p
    };
    let (d1, d2) = (day("2026-11-01"), day("2026-11-02"));
    let line = |ts: &str, s: &str, p: &str| {
        format!(r#"{{"timestamp":"{ts}","session_id":"{s}","event":"view","product_id":"{p}"}}"#) + "\n"
    };
    write_gz(
        &d1.join("10-x1.ndjson.gz"),
        &(line("2026-11-01T10:00:00Z", "s1", "A") + &line("2026-11-01T10:00:00Z", "s2", "A")),
    );
    write_gz(&d2.join("09-y2.ndjson.gz"), &(line("2026-11-02T09:00:00Z", "s3", "A") + "{not json\n"));
    std::fs::write(d2.join("README.txt"), "not events").unwrap();
    let (cat, snap) = (d.join("catalog.csv"), d.join("m.snap"));
    let out = ok(&["build", "--catalog", p(&cat), "--events", p(&d.join("events")), "--out", p(&snap), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["events"]["rows"], 4, "{v}");
    assert_eq!(v["counts"]["views"], 3, "{v}");
    let bad = d2.join("09-y2.ndjson.gz");
    assert_eq!(v["problems"][0].as_str().unwrap().split(": not").next().unwrap(), format!("{}:2", bad.display()));
    let pattern = d.join("events").join("site=shop").join("date=2026-11-01").join("*.ndjson.gz");
    let out = ok(&["build", "--catalog", p(&cat), "--events", p(&pattern), "--out", p(&snap), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["counts"]["views"], 2, "only 2026-11-01: {v}");
    let none = d.join("events").join("*.csv");
    let e = fails(&["build", "--catalog", p(&cat), "--events", p(&none), "--out", p(&snap)]);
    assert!(e.contains(&format!("{}: this pattern holds no", none.display())), "{e}");
}

#[test]
fn a_frozen_model_is_not_retrained_and_rebuild_follows_the_cadence() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut events = String::from("timestamp,session_id,event,product_id\n");
    for i in 0..4 {
        events.push_str(&format!("2026-11-01T10:00:00Z,s{i},view,A\n"));
    }
    write_all(
        d,
        &[("catalog.csv", "id\nA\nB\n"), ("events.csv", &events), ("edgerec.toml", "[training]\nevery_days = 7\n")],
    );
    let (cat, ev, snap, cfg) = (d.join("catalog.csv"), d.join("events.csv"), d.join("m.snap"), d.join("edgerec.toml"));
    let rebuild = |now: &str, extra: &[&str]| {
        let mut args =
            vec!["rebuild", "--catalog", p(&cat), "--events", p(&ev), "--config", p(&cfg), "--out", p(&snap)];
        args.extend_from_slice(&["--now", now, "--quiet"]);
        args.extend_from_slice(extra);
        edgerec(&args)
    };
    let stdout = |o: &Output| String::from_utf8_lossy(&o.stdout).to_string();
    let first = rebuild("2026-11-02T00:00:00Z", &[]);
    assert!(
        first.status.success() && stdout(&first).contains("retraining: there is no snapshot at"),
        "{}",
        stdout(&first)
    );
    let built = std::fs::read(&snap).unwrap();
    let again = rebuild("2026-11-08T23:00:00Z", &[]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(
        stdout(&again).contains("nothing to do: ") && stdout(&again).contains("6.9 days old"),
        "{}",
        stdout(&again)
    );
    assert_eq!(std::fs::read(&snap).unwrap(), built, "the snapshot is left alone");
    let due = rebuild("2026-11-09T00:00:00Z", &[]);
    assert!(due.status.success() && stdout(&due).contains("is 7.0 days old"), "{}", stdout(&due));
    let inspect = ok(&["inspect", p(&snap), "--json"]);
    assert!(inspect.contains("2026-11-09T00:00:00Z") || inspect.contains("1794182400"), "built_at is --now: {inspect}");
    std::fs::write(&cfg, "[training]\nevery_days = 7\nmin_count = 2\n").unwrap();
    let changed = rebuild("2026-11-09T01:00:00Z", &[]);
    assert!(stdout(&changed).contains("the configuration changed"), "{}", stdout(&changed));

    std::fs::write(&cfg, "[training]\nfrozen = true\n").unwrap();
    let new = d.join("new.snap");
    let args = ["build", "--catalog", p(&cat), "--events", p(&ev), "--config", p(&cfg), "--out", p(&new)];
    let out = edgerec(&args);
    assert_eq!(out.status.code(), Some(3));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains(&format!("{}: `[training] frozen = true`", cfg.display())) && e.contains("--force"), "{e}");
    assert!(!new.exists());
    let mut forced = args.to_vec();
    forced.push("--force");
    ok(&forced);
    let frozen = rebuild("2027-06-01T00:00:00Z", &[]);
    assert!(
        frozen.status.success() && stdout(&frozen).contains("nothing to do: `[training] frozen = true`"),
        "{}",
        stdout(&frozen)
    );
    assert!(stdout(&rebuild("2027-06-01T00:00:00Z", &["--force"])).contains("retraining: --force"));
}

#[test]
fn report_writes_one_offline_page_with_the_snapshots_holdout() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["demo-data", "--out", p(d), "--products", "300", "--shoppers", "1500", "--seed", "11"]);
    let snap = d.join("m.snap");
    let (cat, ev) = (d.join("catalog.csv"), d.join("events.csv"));
    ok(&["build", "--catalog", p(&cat), "--events", p(&ev), "--out", p(&snap), "--holdout-days", "7", "--quiet"]);
    let id = std::fs::read_to_string(&cat).unwrap().lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    let mut widget = String::from("timestamp,session_id,event,product_id,widget,variant,position\n");
    for i in 0..10 {
        widget.push_str(&format!("2026-11-01T10:00:00Z,s{i},impression,{id},<b>pdp</b>,A,1\n"));
    }
    widget.push_str(&format!("2026-11-01T10:00:05Z,s0,click,{id},<b>pdp</b>,A,1\n"));
    write_all(
        d,
        &[
            ("widget.csv", &widget),
            ("plain.csv", &format!("timestamp,session_id,event,product_id\n2026-11-01T10:00:00Z,s1,view,{id}\n")),
        ],
    );
    let html = d.join("report.html");
    let out = ok(&["report", "--events", p(&d.join("widget.csv")), "--snapshot", p(&snap), "--out", p(&html)]);
    assert!(out.contains("1 widget variants, 0 A/B tests"), "{out}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("&lt;b&gt;pdp&lt;/b&gt; / A") && !page.contains("<b>pdp"), "names are escaped");
    assert!(page.contains("Holdout quality by build time") && page.contains("<circle"), "the holdout plot");
    assert!(page.contains("10.00%"), "CTR 1 of 10");
    assert_eq!(page.matches("http://").count(), page.matches("xmlns=\"http://www.w3.org/2000/svg\"").count());
    assert!(!page.contains("<script") && !page.contains("https://"), "nothing to fetch at view time");
    let e = fails(&["report", "--events", p(&d.join("plain.csv")), "--catalog", p(&cat), "--out", p(&html)]);
    assert!(e.contains("no impression or click event with a `widget`"), "{e}");
    let e = fails(&["report", "--events", p(&d.join("widget.csv")), "--out", p(&html)]);
    assert!(e.contains("give --snapshot or --catalog"), "{e}");
}

#[test]
fn recommend_caps_brands_leaves_out_what_the_page_shows_and_rotates_by_day() {
    let dir = tempfile::tempdir().unwrap();
    let snap = demo(dir.path());
    let snap = p(&snap);
    let brands: HashMap<String, String> = csv::Reader::from_path(dir.path().join("catalog.csv"))
        .unwrap()
        .deserialize::<HashMap<String, String>>()
        .map(|r| {
            let r = r.unwrap();
            (r["id"].clone(), r["brand"].clone())
        })
        .collect();
    let ids = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["recommend", "--snapshot", snap, "--widget", "popular", "--limit", "20", "--json"];
        args.extend_from_slice(extra);
        items(&ok(&args)).iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
    };
    let distinct = |list: &[String]| list.iter().map(|id| &brands[id]).collect::<HashSet<_>>().len();
    let plain = ids(&[]);
    assert_eq!(plain.len(), 20);
    assert!(distinct(&plain) < 20, "twenty best sellers repeat a brand, so the cap has work to do");
    let capped = ids(&["--max-per-brand", "1"]);
    assert_eq!(distinct(&capped), capped.len(), "one product per brand: {capped:?}");
    assert_eq!(capped[0], plain[0]);

    let shown = plain[..5].join(",");
    let rest = ids(&["--exclude", &shown]);
    assert_eq!(rest[..15], plain[5..], "the list moves up past what the page shows");

    let day = |d: &str| ids(&["--rotation", "day", "--now", d]);
    let (a, b) = (day("2026-11-01"), day("2026-11-01"));
    assert_eq!(a, b, "one order per day");
    let mut days: HashSet<Vec<String>> = HashSet::new();
    for d in 1..=9 {
        days.insert(day(&format!("2026-11-0{d}")));
    }
    assert!(days.len() > 1, "the order changes from day to day");

    let e = fails(&["recommend", "--snapshot", snap, "--widget", "popular", "--rotation", "hourly"]);
    assert!(e.contains("--rotation") && e.contains("expected one of off, day, session"), "{e}");
    let e = fails(&["recommend", "--snapshot", snap, "--widget", "popular", "--max-per-category", "101"]);
    assert!(e.contains("max_per_category") && e.contains("allowed 0 (no cap) to 100"), "{e}");
}
