//! `edgerec inspect`: a snapshot's metadata, configuration summary and section sizes.

use std::path::PathBuf;

use serde_json::json;

use super::output::{bytes, metrics_line, thousands};
use super::Error;
use crate::neighbours::NeighbourKind;
use crate::popularity::PopularityKind;
use crate::snapshot::{Snapshot, FORMAT_VERSION};
use crate::time::format_timestamp;

/// Arguments of `edgerec inspect`.
#[derive(clap::Args)]
pub struct Args {
    /// The snapshot file.
    snapshot: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Reads and decodes a snapshot file, naming the file in errors.
pub fn load(path: &std::path::Path) -> Result<(Vec<u8>, Snapshot), Error> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let s = Snapshot::decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((bytes, s))
}

pub fn run(a: Args) -> Result<(), Error> {
    let (raw, s) = load(&a.snapshot)?;
    let sizes = Snapshot::section_sizes(&raw)?;
    let m = &s.meta;
    let c = &m.counts;
    if a.json {
        let v = json!({
            "file": a.snapshot.display().to_string(),
            "bytes": raw.len(),
            "formatVersion": FORMAT_VERSION,
            "edgerecVersion": m.edgerec_version,
            "builtAt": format_timestamp(m.built_at),
            "asOf": format_timestamp(m.as_of),
            "eventsFrom": format_timestamp(m.events_from),
            "eventsTo": format_timestamp(m.events_to),
            "counts": {
                "catalogRows": c.catalog_rows, "eventRows": c.event_rows, "rejectedRows": c.rejected_rows,
                "unknownProducts": c.unknown_products, "outsidePeriod": c.outside_period, "eventsUsed": c.events_used,
                "views": c.views, "carts": c.carts, "purchases": c.purchases, "custom": c.custom,
                "sessions": c.sessions, "orders": c.orders, "shoppers": c.shoppers,
            },
            "products": s.catalog.len(),
            "categories": s.catalog.category_names().len(),
            "brands": s.catalog.brands().len(),
            "neighbours": NeighbourKind::ALL.iter().map(|&k| (k.name().to_string(), json!(s.neighbours.table(k).entries()))).collect::<serde_json::Map<_, _>>(),
            "popularity": PopularityKind::ALL.iter().map(|&k| (k.name().to_string(), json!(s.popularity.list(k).global.len()))).collect::<serde_json::Map<_, _>>(),
            "bundles": s.bundles.len(),
            "segments": s.segments.len(),
            "recurring": (0..s.recurring.len()).map(|i| json!({"id": s.catalog.id(s.recurring.products[i]), "days": s.recurring.days[i], "spread": s.recurring.spread[i], "shoppers": s.recurring.shoppers[i]})).collect::<Vec<_>>(),
            "widgets": s.config.widgets.iter().map(|(n, w)| (n.clone(), json!(w.algorithm.name()))).collect::<serde_json::Map<_, _>>(),
            "lists": s.config.lists.iter().map(|(n, l)| (n.clone(), json!({"title": l.title, "products": l.products.len(), "inCatalog": l.products.iter().filter(|id| s.catalog.index_of(id).is_some()).count()}))).collect::<serde_json::Map<_, _>>(),
            "submodels": s.config.submodels.iter().map(|(n, m)| (n.clone(), json!({"attribute": m.attribute, "groups": m.groups, "ranges": m.ranges}))).collect::<serde_json::Map<_, _>>(),
            "minCount": s.config.training.min_count,
            "sections": sizes.iter().map(|(n, b)| (n.clone(), json!(b))).collect::<serde_json::Map<_, _>>(),
            "absentSections": s.absent,
            "holdout": m.holdout.as_ref().map(|h| json!({"days": h.days, "cases": h.cases, "metrics": h.metrics})),
            "tuned": s.tuned.as_ref().map(super::build::tuned_json),
            "personalization": personalization_json(&s),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let n = |x: u64| thousands(x);
    println!("{}: edgerec snapshot, format {FORMAT_VERSION}, {}", a.snapshot.display(), bytes(raw.len() as u64));
    println!("  built      {} by edgerec {}", format_timestamp(m.built_at), m.edgerec_version);
    println!(
        "  as of      {} (events {} .. {})",
        format_timestamp(m.as_of),
        format_timestamp(m.events_from),
        format_timestamp(m.events_to)
    );
    println!(
        "  input      {} catalog rows, {} event rows, {} rejected, {} unknown products, {} outside the period",
        n(c.catalog_rows),
        n(c.event_rows),
        n(c.rejected_rows),
        n(c.unknown_products),
        n(c.outside_period)
    );
    println!(
        "  learnt     {} views, {} carts, {} order lines, {} custom; {} sessions, {} orders, {} shoppers",
        n(c.views),
        n(c.carts),
        n(c.purchases),
        n(c.custom),
        n(c.sessions),
        n(c.orders),
        n(c.shoppers)
    );
    println!(
        "  catalog    {} products, {} categories, {} brands",
        n(s.catalog.len() as u64),
        n(s.catalog.category_names().len() as u64),
        n(s.catalog.brands().len() as u64)
    );
    let nb: Vec<String> = NeighbourKind::ALL
        .iter()
        .map(|&k| format!("{} {}", k.name(), n(s.neighbours.table(k).entries() as u64)))
        .collect();
    println!(
        "  neighbours {} (min_count {}, K {})",
        nb.join(", "),
        s.config.training.min_count,
        s.config.training.neighbours
    );
    let pl: Vec<String> = PopularityKind::ALL
        .iter()
        .map(|&k| format!("{} {}", k.name(), n(s.popularity.list(k).global.len() as u64)))
        .collect();
    println!("  popularity {}", pl.join(", "));
    let r = &s.recurring;
    let shown: Vec<String> = (0..r.len().min(5))
        .map(|i| {
            let id = s.catalog.id(r.products[i]);
            format!("{id} every {:.1} days (IQR {:.1}, {} shoppers)", r.days[i], r.spread[i], r.shoppers[i])
        })
        .collect();
    let more = if r.len() > shown.len() { ", ..." } else { "" };
    println!("  bundles    {}", n(s.bundles.len() as u64));
    let seg = &s.segments;
    println!(
        "  segments   {} (lists: {} viewed, {} bought lately, {} regular)",
        n(seg.len() as u64),
        n(seg.viewed.values().len() as u64),
        n(seg.purchased.values().len() as u64),
        n(seg.recurring.values().len() as u64)
    );
    println!(
        "  recurring  {} products{}{}{more}",
        n(r.len() as u64),
        if shown.is_empty() { "" } else { ": " },
        shown.join(", ")
    );
    println!("  widgets    {}", s.config.widgets.keys().cloned().collect::<Vec<_>>().join(", "));
    if !s.config.lists.is_empty() {
        let lists: Vec<String> = s
            .config
            .lists
            .iter()
            .map(|(name, l)| {
                let known = l.products.iter().filter(|id| s.catalog.index_of(id).is_some()).count();
                let title = l.title.as_deref().map(|t| format!(" \"{t}\"")).unwrap_or_default();
                format!("{name}{title} ({known} of {} products in the catalog)", l.products.len())
            })
            .collect();
        println!("  lists      {}", lists.join(", "));
    }
    for (name, m) in &s.config.submodels {
        let groups: Vec<String> = (0..m.group_count()).map(|g| m.describe(g)).collect();
        println!("  submodel   {name} by {}: {}", m.attribute, groups.join(" | "));
    }
    if let Some(h) = &m.holdout {
        println!("  holdout    last {} days, {} cases: {}", h.days, n(h.cases), metrics_line(&h.metrics));
    }
    if let Some(t) = &s.tuned {
        let w: Vec<String> = t.params.weights().iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("  tuned      for_you weights {}", w.join(", "));
        let shape: Vec<String> = t.shape.values().iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("             by session shape {}", shape.join(", "));
        println!("             fitted {}", super::build::tuned_line(t));
    }
    for line in personalization_lines(&s) {
        println!("{line}");
    }
    println!("  sections");
    for (name, b) in &sizes {
        println!("    {name:<26} {:>10}", bytes(*b as u64));
    }
    if !s.absent.is_empty() {
        println!("  absent     {} (their widgets fall back)", s.absent.join(", "));
    }
    Ok(())
}

/// `weights` as `brand 50, color 20`.
fn weights(w: &std::collections::BTreeMap<String, u32>) -> String {
    w.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
}

/// The group profiles the builder wrote for `model`.
fn groups_of(s: &Snapshot, model: &str) -> usize {
    s.groups.of(model).map_or(0, |g| g.groups.len())
}

/// The personalisation lines: on or off, the active model, and each model's fields, events,
/// switches, category overrides and group profiles.
fn personalization_lines(s: &Snapshot) -> Vec<String> {
    let p = &s.config.personalization;
    let state = if p.enabled { "on" } else { "off" };
    let mut out = vec![format!("  personal   {state}, active model \"{}\", strength {}", p.active, p.strength)];
    for (name, m) in &p.models {
        let active = if *name == p.active { " (active)" } else { "" };
        let on: Vec<&str> = [("in_session", m.in_session), ("icp", m.icp), ("igp", m.igp)]
            .iter()
            .filter(|x| x.1)
            .map(|x| x.0)
            .collect();
        out.push(format!(
            "             {name}{active}: fields {}; events {}; decay {} days; {}; {} group profiles",
            weights(&m.fields),
            weights(&m.events),
            m.decay_days,
            if on.is_empty() { "no sources".to_string() } else { on.join(" ") },
            groups_of(s, name)
        ));
        for (cat, f) in &m.categories {
            out.push(format!("               \"{cat}\": fields {}", weights(&f.fields)));
        }
    }
    out
}

fn personalization_json(s: &Snapshot) -> serde_json::Value {
    let p = &s.config.personalization;
    json!({
        "enabled": p.enabled,
        "active": p.active,
        "strength": p.strength,
        "models": p.models.iter().map(|(name, m)| json!({
            "name": name,
            "fields": m.fields,
            "events": m.events,
            "decayDays": m.decay_days,
            "inSession": m.in_session,
            "icp": m.icp,
            "igp": m.igp,
            "categories": m.categories.iter().map(|(c, f)| (c.clone(), json!(f.fields))).collect::<serde_json::Map<_, _>>(),
            "groupProfiles": groups_of(s, name),
        })).collect::<Vec<_>>(),
    })
}
