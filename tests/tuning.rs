//! Self-tuning at build time on two synthetic stores (`edgerec demo-data --sessions`): one whose
//! shoppers come back to what they viewed, one whose shoppers move on. The build must fit
//! different weights to each, and the fitted list must beat the session's own items by count on
//! the store where that baseline is strong. Explicit `[for_you]` weights and `--no-tune` turn
//! tuning off; a store too small to hold out from says so.
#![cfg(feature = "cli")]

use std::path::Path;
use std::process::Command;

fn ok(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_edgerec")).args(args).output().expect("the edgerec binary runs");
    assert!(out.status.success(), "edgerec {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A synthetic store of `kind`, evaluated on its last 7 days (`evaluate next-item --json`).
fn evaluate(dir: &Path, kind: &str, extra: &[&str]) -> serde_json::Value {
    let d = dir.join(kind);
    if !d.join("train.csv").exists() {
        ok(&["demo-data", "--sessions", kind, "--products", "400", "--shoppers", "12000", "--out", p(&d)]);
    }
    let (train, test, catalog) = (d.join("train.csv"), d.join("test.csv"), d.join("catalog.csv"));
    let mut args = vec!["evaluate", "next-item", "--train", p(&train), "--test", p(&test), "--catalog", p(&catalog)];
    args.extend_from_slice(extra);
    args.push("--json");
    serde_json::from_str(&ok(&args)).unwrap()
}

fn scores(v: &serde_json::Value, row: usize) -> (f64, f64) {
    let r = &v["results"][row];
    (r["hitRate"].as_f64().unwrap(), r["mrr"].as_f64().unwrap())
}

fn weight(v: &serde_json::Value, name: &str) -> f64 {
    v["tuning"]["weights"][name].as_f64().unwrap_or_else(|| panic!("no fitted {name}: {}", v["tuning"]))
}

#[test]
fn the_build_fits_each_store_its_own_weights_and_beats_in_session_popularity() {
    let dir = tempfile::tempdir().unwrap();
    let repeat = evaluate(dir.path(), "repeat", &[]);
    let explore = evaluate(dir.path(), "explore", &[]);
    // Different stores, different weights: a session item's own score is worth more where
    // shoppers come back, and older views fade more slowly.
    assert!(
        weight(&repeat, "repeat_weight") > 2.0 * weight(&explore, "repeat_weight"),
        "repeat_weight: repeat store {}, explore store {}",
        repeat["tuning"]["weights"],
        explore["tuning"]["weights"]
    );
    assert!(weight(&repeat, "recency_decay") > weight(&explore, "recency_decay"));
    // Where the session's own items by count are a strong list, the fitted list beats them on
    // both measures, on the test days the tuning never saw.
    let (model, baseline) = (scores(&repeat, 0), scores(&repeat, 2));
    assert!(baseline.0 > 0.5, "the baseline is strong on the repeat store: {baseline:?}");
    assert!(model.0 > baseline.0 && model.1 > baseline.1, "for_you {model:?}, in-session popularity {baseline:?}");
    // And the fitted weights do at least as well as the defaults on the test days of each store.
    for (v, kind) in [(&repeat, "repeat"), (&explore, "explore")] {
        let untuned = evaluate(dir.path(), kind, &["--no-tune"]);
        assert!(untuned["tuning"].is_null(), "--no-tune: {}", untuned["tuning"]);
        let (t, d) = (scores(v, 0), scores(&untuned, 0));
        assert!(t.0 + t.1 >= d.0 + d.1 - 0.005, "{kind}: tuned {t:?}, defaults {d:?}");
    }
}

#[test]
fn explicit_weights_no_tune_and_small_stores_keep_the_configured_weights() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&["demo-data", "--sessions", "repeat", "--products", "400", "--shoppers", "12000", "--out", p(d)]);
    let (catalog, events, snap) = (d.join("catalog.csv"), d.join("train.csv"), d.join("model.snap"));
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "--catalog", p(&catalog), "--events", p(&events), "--out", p(&snap), "--quiet"];
        args.extend_from_slice(extra);
        let out = ok(&args);
        let info: serde_json::Value = serde_json::from_str(&ok(&["inspect", p(&snap), "--json"])).unwrap();
        (out, info["tuned"].clone())
    };
    let (out, tuned) = build(&[]);
    assert!(out.contains("tuning    for_you fitted in "), "{out}");
    assert!(tuned["weights"]["repeat_weight"].as_f64().is_some(), "{tuned}");
    assert!(ok(&["inspect", p(&snap)]).contains("tuned      for_you weights"));

    let config = d.join("edgerec.toml");
    std::fs::write(&config, "[for_you]\nrepeat_weight = 0.5\n").unwrap();
    let (out, tuned) = build(&["--config", p(&config)]);
    assert!(out.contains("sets [for_you]: its weights are used as they are"), "{out}");
    assert!(tuned.is_null(), "{tuned}");

    let (out, tuned) = build(&["--no-tune"]);
    assert!(!out.contains("tuning"), "--no-tune prints nothing about it: {out}");
    assert!(tuned.is_null());

    // The default demo store is too small to hold out from: the build says so and goes on.
    let small = d.join("small");
    ok(&["demo-data", "--out", p(&small), "--products", "300", "--shoppers", "1500", "--seed", "11"]);
    let out = ok(&[
        "build",
        "--catalog",
        p(&small.join("catalog.csv")),
        "--events",
        p(&small.join("events.csv")),
        "--out",
        p(&snap),
    ]);
    assert!(out.contains("tuning    skipped: the most recent 10% of the views give"), "{out}");
}
