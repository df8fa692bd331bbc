//! The documentation's claims checked against the code: figures that a command prints, exit
//! codes, where output goes, error texts and the explanation table. When one of these fails,
//! the docs (or the code) changed without the other.
#![cfg(feature = "cli")]

use std::path::Path;

mod common;
use common::{edgerec, ok, p};

fn doc(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines of the first fenced block of `lang` after the line containing `marker`.
fn block_after<'a>(text: &'a str, marker: &str, lang: &str) -> Vec<&'a str> {
    let at = text.find(marker).unwrap_or_else(|| panic!("the docs no longer contain {marker:?}"));
    let fence = format!("```{lang}\n");
    let start = at + text[at..].find(&fence).expect("a fenced block after the marker") + fence.len();
    let end = start + text[start..].find("```").expect("the block ends");
    text[start..end].lines().collect()
}

#[test]
fn cli_md_build_summary_is_what_build_prints_for_the_demo_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The store and the command docs/cli.md names: demo-data's defaults, --holdout-days 14.
    ok(&["demo-data", "--out", p(d)]);
    let out = ok(&[
        "build",
        "--catalog",
        p(&d.join("catalog.csv")),
        "--events",
        p(&d.join("events.csv")),
        "--out",
        p(&d.join("model.snap")),
        "--holdout-days",
        "14",
    ]);
    let text = doc("cli.md");
    let block = block_after(&text, "It ends with a summary", "text");
    let mut checked = 0;
    for line in block {
        // Timings differ per machine; the problem line comes from another input.
        let t = line.trim_start();
        if t.starts_with("edgerec build: wrote") {
            // The snapshot's size is the same on every machine.
            let size = |s: &str| s.split_once(" (").and_then(|(_, r)| r.split_once(')')).map(|(x, _)| x.to_string());
            assert_eq!(size(t), size(&out), "the snapshot size in docs/cli.md");
            checked += 1;
            continue;
        }
        if t.starts_with("speed") || t.starts_with("...") {
            continue;
        }
        if t.starts_with("first problems") {
            break;
        }
        // `...` elides the rest of a line; what is shown must be printed as shown.
        for piece in line.split("...").map(|s| s.trim_end().trim_end_matches(',')).filter(|s| !s.trim().is_empty()) {
            assert!(out.contains(piece), "docs/cli.md shows {piece:?}, build printed:\n{out}");
            checked += 1;
        }
    }
    assert!(checked >= 8, "the summary block was read ({checked} lines)");
}

#[test]
fn build_shows_the_first_ten_problems_of_each_kind() {
    // docs/formats.md: the first ten of each kind (catalog rows, event rows, unknown products).
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut catalog = String::from("id,price\np1,10\np2,20\n");
    let mut events = String::from("timestamp,user_id,event,product_id\n");
    for i in 0..12 {
        catalog.push_str(&format!("bad{i},not-a-price\n"));
        events.push_str(&format!("yesterday,u{i},view,p1\n"));
        events.push_str(&format!("2026-01-01T00:00:{i:02}Z,u{i},view,nowhere{i}\n"));
        events.push_str(&format!("2026-01-01T00:01:{i:02}Z,u{i},view,p2\n"));
    }
    std::fs::write(d.join("catalog.csv"), catalog).unwrap();
    std::fs::write(d.join("events.csv"), events).unwrap();
    let out = ok(&[
        "build",
        "--catalog",
        p(&d.join("catalog.csv")),
        "--events",
        p(&d.join("events.csv")),
        "--out",
        p(&d.join("m.snap")),
    ]);
    let shown: Vec<&str> = out.lines().skip_while(|l| !l.starts_with("first problems")).skip(1).collect();
    let count = |what: &str| shown.iter().filter(|l| l.contains(what)).count();
    assert_eq!((count("catalog.csv:"), count("yesterday"), count("nowhere")), (10, 10, 10), "{out}");
    assert_eq!(shown.len(), 30, "{out}");
    assert!(doc("formats.md").contains("first ten of each kind"), "docs/formats.md says how many are shown");
}

#[test]
fn argument_errors_exit_2_other_errors_exit_1() {
    // docs/cli.md: 0 on success, 1 with `edgerec: error:`, 2 for arguments clap refuses.
    let bad_flag = edgerec(&["inspect", "--bogus", "x.snap"]);
    assert_eq!(bad_flag.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad_flag.stderr);
    assert!(err.starts_with("error: unexpected argument '--bogus'") && err.contains("Usage: edgerec inspect"), "{err}");
    let missing = edgerec(&["recommend", "--snapshot", "x.snap"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--widget <WIDGET>"));
    let dir = tempfile::tempdir().unwrap();
    let absent = dir.path().join("absent.snap");
    let runtime = edgerec(&["inspect", p(&absent)]);
    assert_eq!(runtime.status.code(), Some(1));
    let err = String::from_utf8_lossy(&runtime.stderr);
    assert!(err.starts_with(&format!("edgerec: error: {}: cannot read", absent.display())), "{err}");
    assert_eq!(edgerec(&["--version"]).status.code(), Some(0));
    let text = doc("cli.md");
    assert!(text.contains("exits 2") && text.contains("`edgerec: error: …`"), "docs/cli.md states the exit codes");
}

#[test]
fn recommend_lists_unknown_ids_on_stderr_or_in_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("c.csv"), "id\np1\np2\np3\n").unwrap();
    let mut events = String::from("timestamp,user_id,event,product_id\n");
    for u in 0..4 {
        for p in ["p1", "p2"] {
            events.push_str(&format!("2026-01-01T00:00:0{u}Z,u{u},view,{p}\n"));
        }
    }
    std::fs::write(d.join("e.csv"), events).unwrap();
    let snap = d.join("m.snap");
    ok(&["build", "--catalog", p(&d.join("c.csv")), "--events", p(&d.join("e.csv")), "--out", p(&snap), "--quiet"]);
    let args = ["recommend", "--snapshot", p(&snap), "--widget", "popular", "--viewed", "p1,ghost"];
    let plain = edgerec(&args);
    assert!(plain.status.success());
    assert_eq!(String::from_utf8_lossy(&plain.stderr), "note: not in this snapshot's catalog (ignored): ghost\n");
    let json = edgerec(&[&args[..], &["--json"]].concat());
    assert!(json.status.success());
    assert!(json.stderr.is_empty(), "--json keeps stderr clean: {}", String::from_utf8_lossy(&json.stderr));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["unknownIds"], serde_json::json!(["ghost"]));
}

#[test]
fn an_unknown_file_extension_names_every_accepted_one() {
    // docs/formats.md: CSV or newline-delimited JSON (`.ndjson`, `.jsonl`, `.json`), optionally `.gz`.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("c.txt"), "id\np1\n").unwrap();
    std::fs::write(d.join("e.csv"), "timestamp,session_id,event,product_id\n2026-01-01T00:00:00Z,s1,view,p1\n")
        .unwrap();
    let out = edgerec(&["build", "--catalog", p(&d.join("c.txt")), "--events", p(&d.join("e.csv")), "--out", "x"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for ext in [".csv", ".ndjson", ".jsonl", ".json", ".gz"] {
        // Named as itself, not as the start of a longer one (`.json` in `.jsonl`).
        let named = err.match_indices(ext).any(|(i, _)| !err[i + ext.len()..].starts_with(char::is_alphanumeric));
        assert!(named, "{ext} is not named: {err}");
    }
    // And `.json` is read as it says.
    std::fs::write(d.join("c.json"), "{\"id\": \"p1\"}\n").unwrap();
    ok(&["build", "--catalog", p(&d.join("c.json")), "--events", p(&d.join("e.csv")), "--out", p(&d.join("m.snap"))]);
}

#[test]
fn javascript_md_explanations_are_the_engines() {
    use edgerec::engine::explanation;
    use edgerec::Source;
    let text = doc("javascript.md");
    let rows = block_rows(&text, "### Reasons");
    for s in Source::ALL {
        let cell = rows
            .iter()
            .find(|r| r[0] == format!("`{}`", s.name()))
            .unwrap_or_else(|| panic!("docs/javascript.md has no row for {}", s.name()))[1]
            .as_str();
        let with = explanation(s, Some("*title*"));
        assert!(cell.starts_with(&with), "{}: the engine says {with:?}, the docs {cell:?}", s.name());
        let without = explanation(s, None);
        if cell.contains('(') {
            assert!(cell.contains(&without), "{}: without an anchor {without:?}, the docs {cell:?}", s.name());
        } else {
            // "When there is no anchor, the text reads '… this product'".
            assert_eq!(without, with.replace("*title*", "this product"), "{}", s.name());
        }
    }
}

/// The cells of the markdown table that follows `heading`.
fn block_rows(text: &str, heading: &str) -> Vec<Vec<String>> {
    let at = text.find(heading).unwrap_or_else(|| panic!("the docs no longer contain {heading:?}"));
    text[at..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| l.trim_matches('|').split(" | ").map(|c| c.trim().to_string()).collect())
        .collect()
}

#[test]
fn cli_md_submodel_and_similarity_examples_are_what_recommend_prints_for_the_demo_store() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["demo-data", "--out", p(d)]);
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/edgerec.toml");
    let snap = d.join("model.snap");
    let (catalog, events) = (d.join("catalog.csv"), d.join("events.csv"));
    ok(&["build", "--catalog", p(&catalog), "--events", p(&events), "--config", p(&config), "--out", p(&snap)]);
    let text = doc("cli.md");
    for marker in ["`--submodel NAME=VALUE` keeps", "A widget's own similarity weights: the demo store's"] {
        let block = block_after(&text, marker, "text");
        let command = block[0].strip_prefix("$ edgerec ").expect("the block starts with the command");
        let args: Vec<String> =
            command.split(' ').map(|a| a.trim_matches('\'').replace("model.snap", p(&snap))).collect();
        let out = ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let printed: Vec<&str> = out.lines().collect();
        assert_eq!(printed, block[1..], "docs/cli.md's example after {marker:?}");
    }
    // And the plain list the prose names.
    let plain = ok(&[
        "recommend",
        "--snapshot",
        p(&snap),
        "--widget",
        "also_viewed",
        "--product",
        "P00100",
        "--limit",
        "4",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&plain).unwrap();
    let ids: Vec<&str> = v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["P01718", "P01875", "P00946", "P00246"]);
}
