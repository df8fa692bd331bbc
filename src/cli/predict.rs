//! `edgerec predict`: the per-customer table marketers load into their CRM. For every known
//! customer (user id) of an events file, the widget's top K given their views, cart and
//! purchases, with a score relative to rank 1 and the date of their latest event.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use rustc_hash::FxHashMap;

use super::inspect::load;
use super::output::{thousands, Rejections};
use super::Error;
use crate::engine::{Context, Overrides, Purchase, Recommender, View};
use crate::evaluate::csv_field;
use crate::ingest::events::{EventLog, CART, NONE, PURCHASE, VIEW};
use crate::time::format_date;

/// Arguments of `edgerec predict`.
#[derive(clap::Args)]
pub struct Args {
    /// The snapshot file.
    #[arg(long)]
    snapshot: PathBuf,
    /// Events with user ids (the customers' history).
    #[arg(long)]
    events: PathBuf,
    /// Where to write the CSV.
    #[arg(long)]
    out: PathBuf,
    /// Recommendations per customer.
    #[arg(long, default_value_t = 10)]
    k: u32,
    /// The widget that recommends.
    #[arg(long, default_value = "for_you")]
    widget: String,
    /// Make any malformed row (and any event for a product not in the snapshot) fatal.
    #[arg(long)]
    strict: bool,
}

/// Views kept per customer, most recent first.
const MAX_VIEWS: usize = 30;

/// Runs `edgerec predict`.
pub fn run(a: Args) -> Result<(), Error> {
    let (_, snapshot) = load(&a.snapshot)?;
    let rec = Recommender::new(snapshot);
    if rec.widget(&a.widget).is_none() {
        return Err(format!(
            "unknown widget \"{}\": this snapshot has {}",
            a.widget,
            rec.widget_names().collect::<Vec<_>>().join(", ")
        )
        .into());
    }
    let mut log = EventLog::new();
    log.read(&a.events, rec.catalog(), a.strict, &mut |_, _| {})?;
    let names = log.user_names();
    // Per customer: events in time order (file order breaks ties).
    let mut by_user: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (i, e) in log.events.iter().enumerate() {
        if e.user != NONE {
            by_user.entry(e.user).or_default().push(i);
        }
    }
    let mut users: Vec<u32> = by_user.keys().copied().collect();
    users.sort_unstable_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
    let file = File::create(&a.out).map_err(|e| format!("{}: cannot write: {e}", a.out.display()))?;
    let mut out = BufWriter::new(file);
    writeln!(out, "user_unique_id,recommended_item_id,ranking,score,last_update_date")?;
    let over = Overrides { limit: Some(a.k), ..Default::default() };
    let c = rec.catalog();
    let (mut rows, mut with_history, mut fallback_only) = (0u64, 0u64, 0u64);
    for user in users {
        let mut idx = by_user.remove(&user).unwrap_or_default();
        idx.sort_by_key(|&i| log.events[i].ts);
        let last = idx.last().map_or(0, |&i| log.events[i].ts);
        let mut ctx = Context { now: Some(last), ..Default::default() };
        let mut cart: Vec<u32> = Vec::new();
        for &i in idx.iter().rev() {
            let e = &log.events[i];
            match e.kind {
                VIEW if ctx.views.len() < MAX_VIEWS => {
                    ctx.views.push(View { id: c.id(e.product).to_string(), at: Some(e.ts) })
                }
                PURCHASE => ctx.purchased.push(Purchase { id: c.id(e.product).to_string(), at: Some(e.ts) }),
                _ => {}
            }
        }
        // The cart: products added and not bought afterwards.
        for &i in &idx {
            let e = &log.events[i];
            match e.kind {
                CART if !cart.contains(&e.product) => cart.push(e.product),
                PURCHASE => cart.retain(|&p| p != e.product),
                _ => {}
            }
        }
        ctx.cart = cart.iter().map(|&p| c.id(p).to_string()).collect();
        let r = rec.recommend(&a.widget, &ctx, &over)?;
        let first_step = r.items.first().map(|i| i.step);
        if first_step.is_none()
            || r.items.iter().all(|i| i.source.name().starts_with("most_") || i.source.name().starts_with("popular"))
        {
            fallback_only += 1;
        } else {
            with_history += 1;
        }
        // Scores relative to rank 1, kept non-increasing across steps: a later step's items
        // scale from the last score of the step before.
        let (mut scale, mut step, mut last_score) = (1.0f64, first_step.unwrap_or(0), 1.0f64);
        for (rank, item) in r.items.iter().enumerate() {
            if item.step != step {
                scale = last_score;
                step = item.step;
            }
            let score = (scale * f64::from(item.score)).clamp(1e-6, 1.0);
            last_score = score;
            writeln!(
                out,
                "{},{},{},{score:.6},{}",
                csv_field(&names[user as usize]),
                csv_field(c.id(item.product)),
                rank + 1,
                format_date(last.div_euclid(86_400))
            )?;
            rows += 1;
        }
    }
    out.flush()?;
    println!(
        "edgerec predict: wrote {} rows for {} customers to {} ({} from their own history, {} popular fallback only; {} event rows, {} rejected, {} for unknown products)",
        thousands(rows),
        thousands(with_history + fallback_only),
        a.out.display(),
        thousands(with_history),
        thousands(fallback_only),
        thousands(log.report.rows),
        thousands(log.report.rejected_total()),
        thousands(log.unknown_products)
    );
    let mut rejections = Rejections::default();
    rejections.add(&log.report).add_unknown(&log);
    if let Some(line) = rejections.line() {
        println!("{line}");
    }
    rejections.print_problems();
    Ok(())
}
