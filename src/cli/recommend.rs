//! `edgerec recommend`: one widget's list for a context given on the command line.

use std::path::PathBuf;

use serde_json::json;

use super::inspect::load;
use super::{split_ids, Error};
use crate::config::{Filters, Rotation};
use crate::engine::{Context, Overrides, Recommender, Search, Timed};
use crate::time::parse_timestamp;

/// Arguments of `edgerec recommend`.
#[derive(clap::Args)]
pub struct Args {
    /// The snapshot file.
    #[arg(long)]
    snapshot: PathBuf,
    /// The widget name.
    #[arg(long)]
    widget: String,
    /// The product on the page.
    #[arg(long)]
    product: Option<String>,
    /// Products viewed in this session, comma-separated, oldest first (`ID@WHEN` gives the time).
    #[arg(long, default_value = "")]
    viewed: String,
    /// Products viewed in past sessions (the stored history personalisation reads),
    /// comma-separated, oldest first, `ID@WHEN` for the time.
    #[arg(long, default_value = "")]
    history: String,
    /// A search the shopper made (personalisation counts the brands, categories and values it
    /// names); repeat for several, oldest first.
    #[arg(long = "search")]
    searches: Vec<String>,
    /// Products in the cart, comma-separated.
    #[arg(long, default_value = "")]
    cart: String,
    /// Products bought before, comma-separated, oldest first; `ID@WHEN` gives the time (a date
    /// `2026-01-10`, RFC 3339 or Unix seconds), a bare id means "time unknown".
    #[arg(long, default_value = "")]
    purchased: String,
    /// The shopper's segment (a business account), for the segment models.
    #[arg(long)]
    segment: Option<String>,
    /// The request's current time (a date, RFC 3339 or Unix seconds); the snapshot's as-of time
    /// when absent.
    #[arg(long)]
    now: Option<String>,
    /// Products to leave out (what other widgets of the page show), comma-separated.
    #[arg(long, default_value = "")]
    exclude: String,
    /// The seed of `rotation = "session"` (any number that stays the same for a session).
    #[arg(long)]
    seed: Option<u64>,
    /// How many items at most.
    #[arg(long)]
    limit: Option<u32>,
    /// At most this many items of one brand (0: no cap).
    #[arg(long)]
    max_per_brand: Option<u32>,
    /// At most this many items of one category (0: no cap).
    #[arg(long)]
    max_per_category: Option<u32>,
    /// Vary the order of near-tied items: off, day or session.
    #[arg(long, value_parser = parse_rotation)]
    rotation: Option<Rotation>,
    /// Filters as JSON, replacing the widget's field by field, e.g. '{"price_max": 100}'.
    #[arg(long)]
    filters: Option<String>,
    /// The editorial list (`[lists.NAME]`) an `editorial` widget shows instead of its own.
    #[arg(long)]
    list: Option<String>,
    /// Keep the widget's own steps to one group of a submodel (`[submodels.NAME]`):
    /// `NAME=VALUE`, the value an attribute value or `$product`; repeat for several (products in
    /// all of them); `NAME=` leaves a submodel the widget sets out.
    #[arg(long = "submodel", value_parser = parse_submodel)]
    submodels: Vec<(String, String)>,
    /// Leave the list as it is without `[personalization]`, to compare with the personalised one.
    #[arg(long)]
    no_personalize: bool,
    /// Print JSON: {"widget": W, "items": [{"id", "score", "reason", ...}]}.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args) -> Result<(), Error> {
    let (_, snapshot) = load(&a.snapshot)?;
    let rec = Recommender::new(snapshot);
    let now = a.now.as_deref().map(|s| parse_timestamp(s).map_err(|e| format!("--now {s:?}: {e}"))).transpose()?;
    let ctx = Context {
        product: a.product.clone(),
        views: timed_ids("--viewed", &a.viewed)?,
        past_views: timed_ids("--history", &a.history)?,
        searches: a.searches.iter().rev().map(|q| Search { query: q.clone(), at: now }).collect(),
        cart: split_ids(&a.cart),
        purchased: timed_ids("--purchased", &a.purchased)?,
        segment: a.segment.clone(),
        now,
        exclude: split_ids(&a.exclude),
        seed: a.seed,
    };
    let filters: Option<Filters> =
        a.filters.as_deref().map(|f| serde_json::from_str(f).map_err(|e| format!("--filters: {e}"))).transpose()?;
    let personalize = a.no_personalize.then_some(false);
    let over = Overrides {
        limit: a.limit,
        filters,
        personalize,
        list: a.list.clone(),
        max_per_brand: a.max_per_brand,
        max_per_category: a.max_per_category,
        rotation: a.rotation,
        submodels: (!a.submodels.is_empty()).then(|| {
            let mut picks = crate::config::Picks::new();
            for (k, v) in &a.submodels {
                crate::config::put_submodel(&mut picks, k.clone(), v.clone());
            }
            picks
        }),
        ..Default::default()
    };
    let result = rec.recommend(&a.widget, &ctx, &over)?;
    let items: Vec<_> = result.items.iter().map(|r| rec.describe(r)).collect();
    if a.json {
        let v = json!({
            "widget": a.widget,
            "items": items,
            "submodels": result.submodels,
            "unknownIds": result.unknown_ids,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let title = rec.widget(&a.widget).map_or("", |w| w.title.as_str());
    let on = a.product.as_deref().map(|p| format!(" for {p}")).unwrap_or_default();
    let within =
        if result.submodels.is_empty() { String::new() } else { format!(" (within {})", result.submodels.join("; ")) };
    println!("{} \"{title}\"{on}: {} items{within}", a.widget, items.len());
    for (i, it) in items.iter().enumerate() {
        let price = it.price.map(|p| format!("{p:.2}")).unwrap_or_else(|| "-".into());
        let stock = if it.in_stock { "" } else { " (out of stock)" };
        println!(
            "{:>3}. {:<12} {:<40} {:>9}  {:.3}  {} (step {}){stock}",
            i + 1,
            it.id,
            truncate(&it.title, 40),
            price,
            it.score,
            it.explanation,
            it.step
        );
    }
    if !result.unknown_ids.is_empty() {
        eprintln!("note: not in this snapshot's catalog (ignored): {}", result.unknown_ids.join(", "));
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

/// Reads `ID[@WHEN],...` (oldest first) into the engine's most-recent-first order.
fn timed_ids(flag: &str, s: &str) -> Result<Vec<Timed>, Error> {
    let mut out = Vec::new();
    for item in split_ids(s).into_iter().rev() {
        match item.split_once('@') {
            Some((id, when)) => {
                let at = parse_timestamp(when).map_err(|e| format!("{flag}: {item:?}: {e}"))?;
                out.push(Timed { id: id.to_string(), at: Some(at) });
            }
            None => out.push(Timed::untimed(item)),
        }
    }
    Ok(out)
}

fn parse_submodel(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err("expected NAME=VALUE, e.g. colors=$product".to_string()),
    }
}

fn parse_rotation(s: &str) -> Result<Rotation, String> {
    Rotation::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = Rotation::ALL.iter().map(|r| r.name()).collect();
        format!("expected one of {}", names.join(", "))
    })
}
