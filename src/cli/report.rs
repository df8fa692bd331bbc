//! `edgerec report`: the A/B-test and attribution report of a widget event log, as one
//! self-contained HTML page: per widget and variant, impressions, CTR, add-to-cart rate,
//! conversion and revenue per thousand impressions, with Wilson intervals, a verdict per A/B
//! test, and the holdout quality of the given snapshots over time. The attribution rule is on
//! [`stats::attribute`]; docs/production.md explains it for merchandisers.

mod html;
mod stats;

use std::fmt::Write;
use std::path::PathBuf;

use serde_json::json;

use super::output::write_atomic;
use super::Error;
use crate::catalog::Catalog;
use crate::ingest::catalog::read_catalog;
use crate::ingest::events::EventLog;
use crate::snapshot::Snapshot;
use crate::time::format_timestamp;
use html::{bar_chart, esc, line_chart, page, Bar};
use stats::{attribute, verdicts, wilson, z_critical, Arm, Metric};

/// Arguments of `edgerec report`.
#[derive(clap::Args)]
pub struct Args {
    /// Widget events (impression, click, cart, purchase): a file, a directory (read
    /// recursively) or a quoted glob pattern; repeatable.
    #[arg(long, required = true)]
    events: Vec<PathBuf>,
    /// Where to write the HTML page (written atomically).
    #[arg(long)]
    out: PathBuf,
    /// Snapshot(s) whose catalog names the products and whose holdout figures are plotted over
    /// time (build with --holdout-days); repeatable. The newest one's catalog is used.
    #[arg(long)]
    snapshot: Vec<PathBuf>,
    /// Product catalog, instead of a snapshot's (prices for purchases that give none).
    #[arg(long)]
    catalog: Option<PathBuf>,
    /// The rate the A/B verdicts compare.
    #[arg(long, value_enum, default_value = "ctr")]
    metric: Metric,
    /// Confidence level of the intervals and verdicts.
    #[arg(long, default_value_t = 0.95)]
    confidence: f64,
    /// "No difference" when the interval of the difference is within this fraction of the
    /// runner-up's rate.
    #[arg(long, default_value_t = 0.1)]
    min_effect: f64,
    /// Make any malformed row fatal.
    #[arg(long)]
    strict: bool,
    /// Also print the figures as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args) -> Result<(), Error> {
    if !(a.confidence > 0.5 && a.confidence < 1.0) {
        return Err(format!("--confidence {}: expected a level between 0.5 and 1, like 0.95", a.confidence).into());
    }
    if !(a.min_effect >= 0.0 && a.min_effect.is_finite()) {
        return Err(format!("--min-effect {}: expected a fraction like 0.1", a.min_effect).into());
    }
    let mut snapshots = Vec::new();
    for path in &a.snapshot {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let s = Snapshot::decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        snapshots.push((path.clone(), s));
    }
    snapshots.sort_by_key(|(_, s)| s.meta.built_at);
    let catalog: Catalog = match (&a.catalog, snapshots.last_mut()) {
        (Some(path), _) => read_catalog(path, a.strict, &mut |_, _| {})?.0,
        (None, Some((_, s))) => std::mem::take(&mut s.catalog),
        (None, None) => return Err("give --snapshot or --catalog: the events name products of a catalog".into()),
    };
    let mut log = EventLog::new();
    for path in &a.events {
        log.read(path, &catalog, a.strict, &mut |_, _| {})?;
    }
    let att = attribute(&log, &catalog);
    if att.arms.is_empty() {
        return Err(format!(
            "{}: no impression or click event with a `widget` ({} rows, {} rejected, {} for unknown products): nothing to report",
            a.events.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
            log.report.rows,
            log.report.rejected_total(),
            log.unknown_products
        )
        .into());
    }
    let verdicts = verdicts(&att.arms, a.metric, a.confidence, a.min_effect);
    let holdout: Vec<(i64, &std::collections::BTreeMap<String, f64>)> =
        snapshots.iter().filter_map(|(_, s)| s.meta.holdout.as_ref().map(|h| (s.meta.built_at, &h.metrics))).collect();
    let body = body(&a, &log, &att, &verdicts, &holdout);
    write_atomic(&a.out, page("edgerec report", &body).as_bytes())?;
    if a.json {
        let arms: Vec<_> = att
            .arms
            .iter()
            .map(|r| {
                json!({"widget": r.widget, "variant": r.variant, "impressions": r.impressions, "clicks": r.clicks,
                    "carts": r.carts, "purchases": r.purchases, "revenue": r.revenue_cents as f64 / 100.0,
                    "ctr": r.ctr(), "cartRate": r.cart_rate(), "conversion": r.conversion(), "rpm": r.rpm()})
            })
            .collect();
        let v: Vec<_> =
            verdicts.iter().map(|v| json!({"widget": v.widget, "verdict": v.verdict, "detail": v.detail})).collect();
        let out = json!({"out": a.out.display().to_string(), "arms": arms, "verdicts": v,
            "unplaced": att.unplaced, "unattributed": att.unattributed});
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "edgerec report: wrote {} ({} widget variants, {} A/B tests)",
            a.out.display(),
            att.arms.len(),
            verdicts.len()
        );
        for v in &verdicts {
            println!("  {:<24} {}: {}", v.widget, v.verdict, v.detail);
        }
    }
    Ok(())
}

fn percent(v: f64) -> String {
    format!("{:.2}%", v * 100.0)
}

/// The page's body: summary, verdicts, plots, table, holdout.
fn body(
    a: &Args,
    log: &EventLog,
    att: &stats::Attribution,
    verdicts: &[stats::Verdict],
    holdout: &[(i64, &std::collections::BTreeMap<String, f64>)],
) -> String {
    let z = z_critical(a.confidence);
    let level = format!("{:.0}%", a.confidence * 100.0);
    let (from, to) = log.events.iter().fold((i64::MAX, i64::MIN), |(lo, hi), e| (lo.min(e.ts), hi.max(e.ts)));
    let mut s = String::new();
    let _ = write!(
        s,
        "<h1>edgerec report</h1><p class=\"note\">{} events from {} to {}; {} rows rejected, {} for unknown products, {} impressions or clicks without a widget, {} carts or purchases after no widget click. Carts and purchases count for the last click on the same product earlier in the same session; rates are per impression, intervals are Wilson {level}.</p>",
        log.events.len(),
        esc(&format_timestamp(from)),
        esc(&format_timestamp(to)),
        log.report.rejected_total(),
        log.unknown_products,
        att.unplaced,
        att.unattributed
    );
    s.push_str("<h2>A/B tests</h2>");
    if verdicts.is_empty() {
        s.push_str("<p>No widget shows two or more variants.</p>");
    } else {
        let _ =
            write!(s, "<table><tr><th>widget</th><th>verdict ({} at {level})</th><th>why</th></tr>", a.metric.label());
        for v in verdicts {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"l verdict\">{}</td><td class=\"l\">{}</td></tr>",
                esc(&v.widget),
                esc(&v.verdict),
                esc(&v.detail)
            );
        }
        s.push_str("</table>");
    }
    s.push_str("<h2>Per widget and variant</h2>");
    let label = |r: &Arm| format!("{} / {}", r.widget, r.variant);
    let rate_bars = |f: &dyn Fn(&Arm) -> u64| -> Vec<Bar> {
        att.arms
            .iter()
            .map(|r| Bar {
                label: label(r),
                value: if r.impressions == 0 { 0.0 } else { f(r) as f64 / r.impressions as f64 },
                interval: Some(wilson(f(r), r.impressions, z)),
            })
            .collect()
    };
    s.push_str(&bar_chart(
        "Impressions",
        &att.arms
            .iter()
            .map(|r| Bar { label: label(r), value: r.impressions as f64, interval: None })
            .collect::<Vec<_>>(),
        &|v| format!("{v:.0}"),
    ));
    s.push_str(&bar_chart(
        &format!("CTR (clicks per impression, {level} interval)"),
        &rate_bars(&|r| r.clicks),
        &percent,
    ));
    s.push_str(&bar_chart(
        &format!("Add-to-cart rate (per impression, {level} interval)"),
        &rate_bars(&|r| r.carts),
        &percent,
    ));
    s.push_str(&bar_chart(
        &format!("Conversion (purchases per impression, {level} interval)"),
        &rate_bars(&|r| r.purchases),
        &percent,
    ));
    s.push_str(&bar_chart(
        "Revenue per thousand impressions",
        &att.arms.iter().map(|r| Bar { label: label(r), value: r.rpm(), interval: None }).collect::<Vec<_>>(),
        &|v| format!("{v:.2}"),
    ));
    s.push_str("<table><tr><th>widget</th><th>variant</th><th>impressions</th><th>clicks</th><th>CTR</th><th>carts</th><th>add-to-cart rate</th><th>purchases</th><th>conversion</th><th>revenue</th><th>per 1,000 impressions</th></tr>");
    for r in &att.arms {
        let ci = |x: u64| {
            let (lo, hi) = wilson(x, r.impressions, z);
            format!(
                "{} <span class=\"note\">({} to {})</span>",
                percent(x as f64 / r.impressions.max(1) as f64),
                percent(lo),
                percent(hi)
            )
        };
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.2}{}</td><td>{:.2}</td></tr>",
            esc(&r.widget),
            esc(&r.variant),
            r.impressions,
            r.clicks,
            ci(r.clicks),
            r.carts,
            ci(r.carts),
            r.purchases,
            ci(r.purchases),
            r.revenue_cents as f64 / 100.0,
            if r.unpriced > 0 { format!(" ({} lines without a price)", r.unpriced) } else { String::new() },
            r.rpm()
        );
    }
    s.push_str("</table>");
    s.push_str("<h2>Holdout quality of the snapshots</h2>");
    if holdout.is_empty() {
        s.push_str("<p>No snapshot with holdout figures given (build with <code>--holdout-days 7</code> and pass <code>--snapshot</code>).</p>");
    } else {
        let mut names: Vec<&String> =
            holdout.iter().flat_map(|(_, m)| m.keys()).filter(|k| !k.ends_with(".cases")).collect();
        names.sort();
        names.dedup();
        let series: Vec<(String, Vec<(i64, f64)>)> = names
            .iter()
            .map(|n| ((*n).clone(), holdout.iter().filter_map(|(t, m)| m.get(*n).map(|v| (*t, *v))).collect()))
            .collect();
        let (t0, t1) = (holdout[0].0, holdout[holdout.len() - 1].0);
        s.push_str(&line_chart(
            "Holdout quality by build time",
            &series,
            (&format_timestamp(t0)[..10], &format_timestamp(t1)[..10]),
        ));
        s.push_str("<table><tr><th>built</th>");
        for n in &names {
            let _ = write!(s, "<th>{}</th>", esc(n));
        }
        s.push_str("</tr>");
        for (t, m) in holdout {
            let _ = write!(s, "<tr><td>{}</td>", esc(&format_timestamp(*t)));
            for n in &names {
                let _ = write!(s, "<td>{}</td>", m.get(*n).map_or("-".into(), |v| format!("{v:.4}")));
            }
            s.push_str("</tr>");
        }
        s.push_str("</table>");
    }
    s
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ingest::catalog::read_catalog_in;
    use crate::ingest::{open_bytes, Format};

    /// A hand-made log: widget `pdp`, variants A and B; widget `home` with one variant.
    fn log() -> (EventLog, Catalog) {
        let catalog = b"id,title,price\np1,One,10\np2,Two,20\np3,Three,\n".to_vec();
        let catalog =
            read_catalog_in(open_bytes(catalog, Format::Csv, false), Path::new("c.csv"), true, &mut |_, _| {})
                .unwrap()
                .0;
        let mut text = String::from("timestamp,session_id,event,product_id,widget,variant,position,price,quantity\n");
        let mut row = |t: u32, s: &str, ev: &str, p: &str, w: &str, v: &str, price: &str, qty: &str| {
            text.push_str(&format!("2026-11-01T10:{:02}:{:02}Z,{s},{ev},{p},{w},{v},,{price},{qty}\n", t / 60, t % 60));
        };
        // Session s1 (variant A): sees p1 and p2, clicks p1, carts and buys 2 of p1 at the event's price 9.00.
        row(0, "s1", "impression", "p1", "pdp", "A", "", "");
        row(0, "s1", "impression", "p2", "pdp", "A", "", "");
        row(5, "s1", "click", "p1", "pdp", "A", "", "");
        row(9, "s1", "cart", "p1", "", "", "", "");
        row(20, "s1", "purchase", "p1", "", "", "9.00", "2");
        // s2 (A): sees p1, buys p1 without clicking: not attributed.
        row(0, "s2", "impression", "p1", "pdp", "A", "", "");
        row(30, "s2", "purchase", "p1", "", "", "", "");
        // s3 (B): sees p2, clicks it in pdp/B, later clicks it in home/-, buys it (catalog price 20): home wins.
        row(0, "s3", "impression", "p2", "pdp", "B", "", "");
        row(3, "s3", "click", "p2", "pdp", "B", "", "");
        row(4, "s3", "impression", "p2", "home", "", "", "");
        row(6, "s3", "click", "p2", "home", "", "", "");
        row(50, "s3", "purchase", "p2", "", "", "", "");
        // s4 (B): a cart of p1 before the click does not count; the one after does, once.
        row(0, "s4", "impression", "p1", "pdp", "B", "", "");
        row(1, "s4", "cart", "p1", "", "", "", "");
        row(2, "s4", "click", "p1", "pdp", "B", "", "");
        row(3, "s4", "cart", "p1", "", "", "", "");
        row(4, "s4", "cart", "p1", "", "", "", "");
        // s5 (B): clicks p3 (no price anywhere) and buys it.
        row(0, "s5", "impression", "p3", "pdp", "B", "", "");
        row(1, "s5", "click", "p3", "pdp", "B", "", "");
        row(2, "s5", "purchase", "p3", "", "", "", "");
        // s6: a click in s6 does not reach a purchase in s7.
        row(0, "s6", "click", "p1", "pdp", "B", "", "");
        row(1, "s7", "purchase", "p1", "", "", "", "");
        let mut log = EventLog::new();
        log.read_in(open_bytes(text.into_bytes(), Format::Csv, false), Path::new("e.csv"), &catalog, true).unwrap();
        (log, catalog)
    }

    #[test]
    fn attribution_follows_the_last_click_in_the_session() {
        let (log, catalog) = log();
        let att = attribute(&log, &catalog);
        let arm = |w: &str, v: &str| att.arms.iter().find(|a| a.widget == w && a.variant == v).unwrap().clone();
        let base = |w: &str, v: &str| Arm { widget: w.into(), variant: v.into(), ..Default::default() };
        assert_eq!(att.arms.len(), 3);
        assert_eq!(
            arm("pdp", "A"),
            Arm { impressions: 3, clicks: 1, carts: 1, purchases: 1, revenue_cents: 1800, ..base("pdp", "A") }
        );
        assert_eq!(
            arm("pdp", "B"),
            Arm {
                impressions: 3,
                clicks: 4,
                carts: 1,
                purchases: 1,
                revenue_cents: 0,
                unpriced: 1,
                ..base("pdp", "B")
            }
        );
        assert_eq!(
            arm("home", "-"),
            Arm { impressions: 1, clicks: 1, purchases: 1, revenue_cents: 2000, ..base("home", "-") }
        );
        // s2's purchase, s4's first cart, s7's purchase.
        assert_eq!(att.unattributed, 3);
        let a = arm("pdp", "A");
        assert!((a.ctr() - 1.0 / 3.0).abs() < 1e-12);
        assert!((a.rpm() - 18.0 / 3.0 * 1000.0).abs() < 1e-9, "18.00 over 3 impressions: 6,000 per thousand");
    }
}
