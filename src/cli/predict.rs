//! `edgerec predict`: the per-customer table marketers load into their CRM. For every known
//! customer (user id) of an events file, the widget's top K as the storefront would show it
//! right after their latest event (their events replayed through the browser's Session, with
//! the snapshot's session gap), with a score relative to rank 1 and the date of that event.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use super::inspect::load;
use super::output::{thousands, Rejections};
use super::Error;
use crate::build::segments::shopper_segments;
use crate::engine::{Overrides, Recommender};
use crate::evaluate::csv_field;
use crate::ingest::events::{merge_report, Event, EventLog, NONE};
use crate::ingest::segments::read_segment_map;
use crate::session::SessionState;
use crate::time::format_date;
use crate::walk::{shopper_of, Walk};

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
    /// A `user_id,segment` file (CSV or NDJSON) putting customers in segments (business
    /// accounts), as `edgerec build --segments` takes; it wins over the events' `segment` column.
    #[arg(long)]
    segments: Option<PathBuf>,
    /// Make any malformed row (and any event for a product not in the snapshot) fatal.
    #[arg(long)]
    strict: bool,
}

/// A customer's events in time order: (time, file position, event).
type Timeline = Vec<(i64, u32, Event)>;

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
    if let Some(path) = &a.segments {
        let (pairs, report) = read_segment_map(path, a.strict)?;
        log.assign_segments(pairs.iter().map(|(u, s)| (u.as_str(), s.as_str())));
        merge_report(&mut log.report, &report);
    }
    let names = log.user_names();
    // Per customer: their events in time order (file order breaks ties), replayed through the
    // storefront's Session with the snapshot's gap: the context is the one the Session holds
    // after their latest event.
    // A customer's segment is their events' `segment` (the last given), else the --segments
    // file's, as the build has it.
    let walk = Walk::of(&log.events, rec.session_gap(), |e| e.user != NONE)
        .with_segments(shopper_segments(&log, shopper_of), &log.segment_names);
    let mut customers: Vec<(u32, Option<&str>, Timeline)> = walk
        .shoppers()
        .map(|s| {
            let mut timeline: Vec<(i64, u32, Event)> = s.events.iter().map(|&(_, i, e)| (e.ts, i, e)).collect();
            timeline.sort_unstable_by_key(|&(t, i, _)| (t, i));
            (s.events[0].2.user, s.segment.map(|x| x.1), timeline)
        })
        .collect();
    customers.sort_unstable_by(|a, b| names[a.0 as usize].cmp(&names[b.0 as usize]));
    let file = File::create(&a.out).map_err(|e| format!("{}: cannot write: {e}", a.out.display()))?;
    let mut out = BufWriter::new(file);
    writeln!(out, "user_unique_id,recommended_item_id,ranking,score,last_update_date")?;
    let over = Overrides { limit: Some(a.k), ..Default::default() };
    let c = rec.catalog();
    let (mut rows, mut with_history, mut fallback_only) = (0u64, 0u64, 0u64);
    let mut in_segment = 0u64;
    for (user, segment, timeline) in customers {
        let last = timeline.last().map_or(0, |t| t.0);
        let mut state = SessionState::new(timeline.first().map_or(0, |t| t.0));
        state.set_gap(rec.session_gap());
        for (_, _, e) in &timeline {
            crate::evaluate::personal::record(&mut state, c.id(e.product), e);
        }
        let mut ctx = state.context(None, last);
        ctx.segment = segment.map(String::from);
        in_segment += u64::from(segment.is_some());
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
        "edgerec predict: wrote {} rows for {} customers to {} ({} from their own history, {} popular fallback only, {} in a segment; {} event rows, {} rejected, {} for unknown products)",
        thousands(rows),
        thousands(with_history + fallback_only),
        a.out.display(),
        thousands(with_history),
        thousands(fallback_only),
        thousands(in_segment),
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
