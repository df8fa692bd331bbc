//! Privacy, proven on generated event logs, through the real CSV readers and builder: every
//! stored pair, list entry, bundle, journey link, repurchase interval and segment list has at least `min_count` distinct shoppers
//! behind it, counted here independently from the raw rows; and no user, session or order id
//! string from the input appears anywhere in the snapshot's bytes.
//!
//! The independent counts are the plain definitions (docs/snapshot.md): a shopper is the user id,
//! else the session id; rows with neither are rejected. The builder's own counts are windowed
//! and decayed, so a kept entry must have *at least* this many shoppers by the plain definition.
#![cfg(feature = "cli")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use edgerec::build::{build, BuildOptions};
use edgerec::config::Config;
use edgerec::ingest::catalog::read_catalog_in;
use edgerec::ingest::events::EventLog;
use edgerec::ingest::{open_bytes, Format};
use edgerec::neighbours::NeighbourKind;
use edgerec::popularity::PopularityKind;
use proptest::prelude::*;

const PRODUCTS: usize = 12;
const DAY: i64 = 86_400;
const AS_OF: i64 = 20_000 * DAY;

/// One generated row: (user, session, product, kind, order, days before as-of, second of day).
type Row = (Option<u8>, Option<u8>, usize, u8, Option<u8>, u8, u32);

fn rows() -> impl Strategy<Value = (Vec<Row>, u32)> {
    let row = (
        proptest::option::of(0u8..6),
        proptest::option::of(0u8..10),
        0..PRODUCTS,
        0u8..3,
        proptest::option::of(0u8..6),
        0u8..40,
        0u32..86_000,
    );
    (proptest::collection::vec(row, 0..250), 2u32..4)
}

/// Ids that cannot appear by accident in a snapshot: long, distinctive, per kind.
fn user_id(u: u8) -> String {
    format!("uZq{u}xUSERsecret{u}")
}
fn session_id(s: u8) -> String {
    format!("sJk{s}wSESSIONsecret{s}")
}
fn order_id(o: u8) -> String {
    format!("oPv{o}yORDERsecret{o}")
}
/// Users 0 to 4 work for two business accounts (segments); the others for none.
fn segment_of(u: u8) -> Option<String> {
    (u < 5).then(|| format!("sEg{}zSEGMENTsecret", u % 2))
}
const KINDS: [&str; 3] = ["view", "cart", "purchase"];

fn catalog_csv() -> String {
    let mut s = String::from("id,title,brand,category,price,created_at\n");
    for p in 0..PRODUCTS {
        let cat = ["Home > Kitchen", "Home > Bath", "Garden"][p % 3];
        s.push_str(&format!("P{p:02},Product {p},Brand{},{cat},{}.00,2024-10-{:02}\n", p % 2, 10 + p, 1 + p));
    }
    s
}

fn events_csv(rows: &[Row]) -> String {
    let mut s = String::from("timestamp,user_id,session_id,event,product_id,order_id,segment\n");
    for &(u, ses, p, k, o, day, sec) in rows {
        let ts = AS_OF - i64::from(day) * DAY + i64::from(sec);
        let o = if k == 2 { o.map(order_id).unwrap_or_default() } else { String::new() };
        s.push_str(&format!(
            "{ts},{},{},{},P{p:02},{o},{}\n",
            u.map(user_id).unwrap_or_default(),
            ses.map(session_id).unwrap_or_default(),
            KINDS[k as usize],
            u.and_then(segment_of).unwrap_or_default()
        ));
    }
    s
}

/// The shopper of a row by the plain definition, or None (rejected).
fn shopper(r: &Row) -> Option<String> {
    r.0.map(user_id).or_else(|| r.1.map(session_id))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_stored_signal_has_min_count_shoppers_and_no_id_is_stored((rows, min_count) in rows()) {
        let (catalog, _) = read_catalog_in(
            open_bytes(catalog_csv().into_bytes(), Format::Csv, false), Path::new("catalog.csv"), false, &mut |_, _| {},
        ).unwrap();
        let mut log = EventLog::new();
        log.read_in(open_bytes(events_csv(&rows).into_bytes(), Format::Csv, false), Path::new("events.csv"), &catalog, false).unwrap();
        let mut config = Config::default();
        config.training.min_count = min_count;
        config.trending.min_shoppers = 1; // the floor must still hold through min_count
        let opts = BuildOptions { config, as_of: Some(AS_OF), built_at: AS_OF };
        let (snap, _) = build(catalog, &log, &opts);
        let bytes = snap.encode();
        let c = &snap.catalog;
        let id = |p: u32| c.id(p).to_string();

        // No id string from the input, anywhere in the bytes.
        let text = String::from_utf8_lossy(&bytes);
        for marker in ["USERsecret", "SESSIONsecret", "ORDERsecret", "SEGMENTsecret"] {
            prop_assert!(!text.contains(marker), "{marker} found in the snapshot");
        }

        // Plain per-shopper facts from the raw rows.
        let valid: Vec<&Row> = rows.iter().filter(|r| shopper(r).is_some()).collect();
        let mut did: BTreeMap<(usize, u8), BTreeSet<String>> = BTreeMap::new(); // (product, kind) -> shoppers
        // Everything each shopper touched: a session or an order is a subset of it, so "both in one
        // basket" implies "both among the shopper's products", the plain bound checked below.
        let mut touched: BTreeMap<(String, String), BTreeSet<usize>> = BTreeMap::new();
        let mut viewed: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        let mut bought: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for r in &valid {
            let s = shopper(r).unwrap();
            did.entry((r.2, r.3)).or_default().insert(s.clone());
            touched.entry((s.clone(), String::new())).or_default().insert(r.2);
            if r.3 == 2 {
                bought.entry(s.clone()).or_default().insert(r.2);
            }
            if r.3 == 0 {
                viewed.entry(s).or_default().insert(r.2);
            }
        }
        let together = |p: &str, q: &str, of: &BTreeMap<(String, String), BTreeSet<usize>>| {
            let (p, q) = (p[1..].parse::<usize>().unwrap(), q[1..].parse::<usize>().unwrap());
            of.iter().filter(|(_, items)| items.contains(&p) && items.contains(&q)).map(|((s, _), _)| s).collect::<BTreeSet<_>>().len() as u32
        };

        // Neighbour tables learnt from events: each pair has min_count shoppers who had both.
        for kind in [NeighbourKind::ViewedTogether, NeighbourKind::CartedTogether, NeighbourKind::BoughtTogether, NeighbourKind::ViewedNext] {
            let t = snap.neighbours.table(kind);
            for p in 0..c.len() as u32 {
                for (q, _) in t.neighbours(p) {
                    let n = together(&id(p), &id(q), &touched);
                    prop_assert!(n >= min_count, "{}: {} -> {} has {n} shoppers < {min_count}", kind.name(), id(p), id(q));
                }
            }
        }
        // Ultimately bought: shoppers who viewed p and bought q.
        let t = snap.neighbours.table(NeighbourKind::UltimatelyBought);
        for p in 0..c.len() as u32 {
            for (q, _) in t.neighbours(p) {
                let (pi, qi) = (p as usize, q as usize);
                let n = viewed.iter().filter(|(s, v)| v.contains(&pi) && bought.get(*s).is_some_and(|b| b.contains(&qi))).count() as u32;
                prop_assert!(n >= min_count, "ultimately_bought {} -> {}: {n} shoppers", id(p), id(q));
            }
        }
        // Popularity lists (and trending): each entry has min_count shoppers with an event on it.
        for kind in PopularityKind::ALL {
            let l = snap.popularity.list(kind);
            for &(p, _) in l.global.iter().chain(l.by_category.values()) {
                let n = (0u8..3).flat_map(|k| did.get(&(p as usize, k)).into_iter().flatten()).collect::<BTreeSet<_>>().len() as u32;
                prop_assert!(n >= min_count, "{}: {} has {n} shoppers", kind.name(), id(p));
            }
        }
        // Bundles: every product of a kept bundle was bought by min_count of the same shoppers.
        for b in 0..snap.bundles.len() as u32 {
            let items: Vec<usize> = snap.bundles.products(b).iter().map(|&p| p as usize).collect();
            let n = bought.values().filter(|set| items.iter().all(|p| set.contains(p))).count() as u32;
            prop_assert!(n >= min_count && snap.bundles.orders[b as usize] >= min_count, "bundle {items:?}: {n} shoppers");
        }
        // Segments: exactly those with min_count distinct users in the training events (those up
        // to the as-of time) are written.
        let mut members: BTreeMap<String, BTreeSet<u8>> = BTreeMap::new();
        for r in valid.iter().filter(|r| i64::from(r.6) <= i64::from(r.5) * DAY) {
            if let Some(seg) = r.0.and_then(segment_of) {
                members.entry(seg).or_default().insert(r.0.unwrap());
            }
        }
        let big = members.iter().filter(|(_, m)| m.len() >= min_count as usize).count();
        prop_assert_eq!(snap.segments.len(), big, "segments written");
        for (seg, m) in &members {
            prop_assert_eq!(snap.segments.row_of(seg).is_some(), m.len() >= min_count as usize, "{}", seg);
        }
        // Recurring: each interval comes from min_count shoppers who bought the product at
        // least a day apart, and is at least the minimum period.
        for (i, &p) in snap.recurring.products.iter().enumerate() {
            let mut times: BTreeMap<String, Vec<i64>> = BTreeMap::new();
            for r in valid.iter().filter(|r| r.2 == p as usize && r.3 == 2) {
                times.entry(shopper(r).unwrap()).or_default().push(i64::from(r.6) - i64::from(r.5) * DAY);
            }
            let n = times.values().filter(|t| t.iter().max().unwrap() - t.iter().min().unwrap() >= DAY).count() as u32;
            prop_assert!(n >= min_count, "recurring {}: {n} repeat buyers", id(p));
            prop_assert!(snap.recurring.days[i] >= opts.config.recurring.min_period_days);
        }
    }
}
