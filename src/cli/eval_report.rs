//! `edgerec evaluate next-item --report report.html`: the evaluation as one HTML page with inline
//! SVG plots and no external assets: the summary table, HR@K and MRR@K by position in the session
//! and by session length (the list against in-session popularity), coverage, and a histogram of
//! query latencies.

use std::fmt::Write as _;

use crate::evaluate::{CaseRecord, Scores};

/// Buckets of the position and session-length plots: 1 to 9, then "10+".
const BUCKETS: usize = 10;
/// Latency histogram: 1 µs bins up to this many, then one "or more" bin.
const LATENCY_BINS: usize = 30;

/// HR and MRR (both in percent) per bucket of `key`, and the cases in each bucket.
fn by_bucket(
    cases: &[CaseRecord],
    key: impl Fn(&CaseRecord) -> u32,
    rank: impl Fn(&CaseRecord) -> Option<u32>,
) -> Vec<(f64, f64, u64)> {
    let mut acc = vec![(0.0f64, 0.0f64, 0u64); BUCKETS];
    for c in cases {
        let b = (key(c).max(1) as usize - 1).min(BUCKETS - 1);
        acc[b].2 += 1;
        if let Some(r) = rank(c) {
            acc[b].0 += 1.0;
            acc[b].1 += 1.0 / f64::from(r);
        }
    }
    acc.into_iter()
        .map(|(h, rr, n)| if n == 0 { (0.0, 0.0, 0) } else { (100.0 * h / n as f64, 100.0 * rr / n as f64, n) })
        .collect()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A chart: grouped bars per x label, one colour per series, values with a y axis from 0.
fn bar_chart(title: &str, labels: &[String], series: &[(&str, &str, Vec<f64>)], unit: &str) -> String {
    let (w, h, left, bottom, top) = (720.0, 260.0, 48.0, 40.0, 28.0);
    let max = series.iter().flat_map(|s| s.2.iter().copied()).fold(0.0f64, f64::max).max(1e-9);
    let nice = nice_ceiling(max);
    let plot_w = w - left - 12.0;
    let plot_h = h - bottom - top;
    let group = plot_w / labels.len().max(1) as f64;
    let bar = (group * 0.8) / series.len().max(1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{}">"#,
        esc(title)
    );
    let _ = write!(s, r#"<text x="{left}" y="16" font-size="13" font-weight="bold">{}</text>"#, esc(title));
    for i in 0..=4 {
        let v = nice * f64::from(i) / 4.0;
        let y = top + plot_h - plot_h * v / nice;
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" font-size="10" text-anchor="end">{}{unit}</text>"##,
            w - 12.0,
            left - 4.0,
            y + 3.0,
            fmt_num(v)
        );
    }
    for (gi, label) in labels.iter().enumerate() {
        let x0 = left + group * gi as f64 + group * 0.1;
        for (si, (_, colour, values)) in series.iter().enumerate() {
            let v = values.get(gi).copied().unwrap_or(0.0);
            let bh = plot_h * v / nice;
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" fill="{colour}"><title>{}: {}</title></rect>"#,
                x0 + bar * si as f64,
                top + plot_h - bh,
                bar.max(1.0) - 1.0,
                esc(label),
                fmt_num(v)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle">{}</text>"#,
            left + group * (gi as f64 + 0.5),
            h - bottom + 14.0,
            esc(label)
        );
    }
    let mut lx = left;
    for (name, colour, _) in series {
        let _ = write!(
            s,
            r#"<rect x="{lx}" y="{}" width="10" height="10" fill="{colour}"/><text x="{}" y="{}" font-size="11">{}</text>"#,
            h - 14.0,
            lx + 14.0,
            h - 5.0,
            esc(name)
        );
        lx += 16.0 + 7.0 * name.len() as f64 + 18.0;
    }
    s.push_str("</svg>");
    s
}

/// The smallest of 1, 2, 2.5, 5 times a power of ten at or above `x`.
fn nice_ceiling(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|m| m * p).find(|v| *v >= x).unwrap_or(10.0 * p)
}

fn fmt_num(v: f64) -> String {
    if v >= 100.0 || v == v.round() {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The whole page.
pub fn html(title: &str, k: usize, rows: &[Scores], cases: &[CaseRecord], catalog: usize) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:780px;color:#222}}table{{border-collapse:collapse}}td,th{{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}}td:first-child,th:first-child{{text-align:left}}figure{{margin:1.5em 0}}</style></head><body>\n<h1>{}</h1>\n",
        esc(title),
        esc(title)
    );
    page.push_str("<table><tr><th>list</th><th>cases</th><th>HR@K %</th><th>MRR@K %</th><th>NDCG@K %</th><th>coverage</th><th>p50 µs</th><th>p99 µs</th></tr>\n");
    for r in rows {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.2}</td><td>{:.2}</td><td>{:.4}</td><td>{:.1}</td><td>{:.1}</td></tr>",
            esc(&r.name),
            r.cases,
            100.0 * r.hit_rate,
            100.0 * r.mrr,
            100.0 * r.ndcg,
            r.coverage,
            r.p50_us,
            r.p99_us
        );
    }
    let _ = writeln!(page, "</table><p>K = {k}; {} catalog products.</p>", catalog);
    let labels: Vec<String> =
        (1..=BUCKETS).map(|i| if i == BUCKETS { format!("{i}+") } else { i.to_string() }).collect();
    let (model, base) = ("#2b6cb0", "#b7b7b7");
    for (what, key) in [
        (
            "position in the session (views so far)",
            Box::new(|c: &CaseRecord| c.position) as Box<dyn Fn(&CaseRecord) -> u32>,
        ),
        ("session length (views)", Box::new(|c: &CaseRecord| c.session_len)),
    ] {
        let m = by_bucket(cases, &key, |c| c.rank);
        let b = by_bucket(cases, &key, |c| c.baseline_rank);
        let counts: Vec<String> = m.iter().map(|x| x.2.to_string()).collect();
        for (metric, pick) in [("HR@K", 0usize), ("MRR@K", 1)] {
            let get = |v: &[(f64, f64, u64)]| v.iter().map(|x| if pick == 0 { x.0 } else { x.1 }).collect::<Vec<_>>();
            let chart = bar_chart(
                &format!("{metric} by {what}"),
                &labels,
                &[("the list", model, get(&m)), ("in-session popularity", base, get(&b))],
                "%",
            );
            let _ = writeln!(page, "<figure>{chart}</figure>");
        }
        let _ = writeln!(page, "<p>Cases per bucket, by {what}: {}.</p>", counts.join(", "));
    }
    let recommended = rows.first().map_or(0.0, |r| r.coverage);
    let coverage = bar_chart(
        "Coverage: share of the catalog recommended at least once",
        &rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
        &[("coverage", model, rows.iter().map(|r| 100.0 * r.coverage).collect())],
        "%",
    );
    let _ = writeln!(
        page,
        "<figure>{coverage}</figure><p>The list recommends {:.1}% of the catalog.</p>",
        100.0 * recommended
    );
    let mut bins = vec![0.0f64; LATENCY_BINS + 1];
    for c in cases {
        bins[(c.us.max(0.0) as usize).min(LATENCY_BINS)] += 1.0;
    }
    let n = cases.len().max(1) as f64;
    let latency_labels: Vec<String> =
        (0..=LATENCY_BINS).map(|i| if i == LATENCY_BINS { format!("{i}+") } else { i.to_string() }).collect();
    let hist = bar_chart(
        "Query latency (µs, 1 µs bins): share of queries",
        &latency_labels,
        &[("queries", model, bins.iter().map(|b| 100.0 * b / n).collect())],
        "%",
    );
    let _ = writeln!(page, "<figure>{hist}</figure>\n</body></html>");
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(position: u32, rank: Option<u32>, us: f32) -> CaseRecord {
        CaseRecord { position, session_len: position + 1, rank, baseline_rank: None, us }
    }

    #[test]
    fn buckets_count_hits_and_reciprocal_ranks() {
        let cases = [case(1, Some(1), 2.0), case(1, None, 3.0), case(2, Some(4), 1.0), case(14, Some(2), 40.0)];
        let b = by_bucket(&cases, |c| c.position, |c| c.rank);
        assert_eq!(b[0], (50.0, 50.0, 2));
        assert_eq!(b[1], (100.0, 25.0, 1));
        assert_eq!(b[BUCKETS - 1], (100.0, 50.0, 1), "positions of 10 or more share the last bucket");
        assert_eq!(b[2].2, 0);
    }

    #[test]
    fn the_page_is_self_contained_with_one_plot_per_view() {
        let cases = [case(1, Some(1), 2.0), case(3, None, 50.0)];
        let rows = [Scores {
            name: "for_you <edgerec>".into(),
            cases: 2,
            hit_rate: 0.5,
            mrr: 0.5,
            ndcg: 0.5,
            recall: 0.5,
            coverage: 0.1,
            p50_us: 2.0,
            p99_us: 50.0,
        }];
        let page = html("t", 20, &rows, &cases, 100);
        assert_eq!(page.matches("<svg").count(), 6, "HR and MRR by position and by length, coverage, latency");
        assert!(!page.contains("src=") && !page.contains("href="), "no external assets");
        assert!(page.contains("for_you &lt;edgerec&gt;"), "names are escaped");
    }
}
