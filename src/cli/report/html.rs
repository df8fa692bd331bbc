//! The report page: one self-contained HTML file, plots as inline SVG written here (no script,
//! no font, no request at view time).

use std::fmt::Write;

/// Escapes text for HTML and SVG (names come from the event log: untrusted).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One bar: its label, value and optional interval.
pub struct Bar {
    /// `widget / variant`.
    pub label: String,
    /// The value.
    pub value: f64,
    /// The interval, when the value is a rate.
    pub interval: Option<(f64, f64)>,
}

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 200.0;
const ROW_H: f64 = 26.0;

/// A horizontal bar chart with interval whiskers; `fmt` writes a value.
pub fn bar_chart(title: &str, bars: &[Bar], fmt: &dyn Fn(f64) -> String) -> String {
    let max = bars.iter().map(|b| b.interval.map_or(b.value, |i| i.1.max(b.value))).fold(0.0f64, f64::max);
    let max = if max > 0.0 { max } else { 1.0 };
    let plot_w = WIDTH - LABEL_W - 90.0;
    let h = 34.0 + ROW_H * bars.len() as f64 + 10.0;
    let x = |v: f64| LABEL_W + v / max * plot_w;
    let mut s = format!(
        r#"<svg class="plot" role="img" aria-label="{t}" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title><text x="0" y="18" class="title">{t}</text>"#,
        t = esc(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 34.0 + ROW_H * i as f64;
        let w = (x(b.value) - LABEL_W).max(1.0);
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect class="bar" x="{LABEL_W}" y="{y}" width="{w:.1}" height="{bh}"><title>{label}: {val}</title></rect>"#,
            lx = LABEL_W - 8.0,
            ty = y + 15.0,
            label = esc(&b.label),
            bh = ROW_H - 8.0,
            val = esc(&fmt(b.value)),
        );
        if let Some((lo, hi)) = b.interval {
            let cy = y + (ROW_H - 8.0) / 2.0;
            let _ = write!(
                s,
                r#"<path class="ci" d="M{:.1} {cy}H{:.1}M{:.1} {a}V{b}M{:.1} {a}V{b}"/>"#,
                x(lo),
                x(hi),
                x(lo),
                x(hi),
                a = cy - 5.0,
                b = cy + 5.0
            );
        }
        let right = b.interval.map_or(b.value, |i| i.1.max(b.value));
        let _ = write!(s, r#"<text x="{:.1}" y="{}">{}</text>"#, x(right) + 6.0, y + 15.0, esc(&fmt(b.value)));
    }
    s.push_str("</svg>");
    s
}

/// A line chart of series of (time, value) points, times as Unix seconds; `labels` names the x
/// axis's ends.
pub fn line_chart(title: &str, series: &[(String, Vec<(i64, f64)>)], labels: (&str, &str)) -> String {
    let points = series.iter().flat_map(|(_, p)| p.iter());
    let (mut t0, mut t1, mut vmax) = (i64::MAX, i64::MIN, 0.0f64);
    for &(t, v) in points {
        t0 = t0.min(t);
        t1 = t1.max(t);
        vmax = vmax.max(v);
    }
    let vmax = if vmax > 0.0 { vmax } else { 1.0 };
    let (left, top, pw, ph) = (50.0, 30.0, WIDTH - 220.0, 180.0);
    let span = (t1 - t0).max(1) as f64;
    let x = |t: i64| if t1 > t0 { left + (t - t0) as f64 / span * pw } else { left + pw / 2.0 };
    let y = |v: f64| top + ph - v / vmax * ph;
    let h = top + ph + 30.0;
    let mut s = format!(
        r#"<svg class="plot" role="img" aria-label="{t}" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title><text x="0" y="18" class="title">{t}</text><path class="axis" d="M{left} {top}V{b}H{r}"/><text x="{left}" y="{lb}">{l0}</text><text x="{r}" y="{lb}" text-anchor="end">{l1}</text><text x="{ax}" y="{ty}" text-anchor="end">{vmax:.3}</text>"#,
        t = esc(title),
        b = top + ph,
        r = left + pw,
        lb = top + ph + 18.0,
        l0 = esc(labels.0),
        l1 = esc(labels.1),
        ax = left - 4.0,
        ty = top + 4.0,
    );
    for (k, (name, pts)) in series.iter().enumerate() {
        let class = format!("s{}", k % 6);
        let d: Vec<String> = pts
            .iter()
            .enumerate()
            .map(|(i, &(t, v))| format!("{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, x(t), y(v)))
            .collect();
        let _ = write!(s, r#"<path class="line {class}" d="{}"/>"#, d.join(""));
        for &(t, v) in pts {
            let _ = write!(
                s,
                r#"<circle class="{class}" cx="{:.1}" cy="{:.1}" r="3"><title>{}: {v:.4}</title></circle>"#,
                x(t),
                y(v),
                esc(name)
            );
        }
        let _ = write!(
            s,
            r#"<text class="{class}" x="{}" y="{}">{}</text>"#,
            left + pw + 10.0,
            top + 14.0 * k as f64 + 10.0,
            esc(name)
        );
    }
    s.push_str("</svg>");
    s
}

/// The page around the body.
pub fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t}</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d1d1f; }}
table {{ border-collapse: collapse; margin: 1rem 0; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .3rem .6rem; text-align: right; }}
th:first-child, td:first-child, td.l {{ text-align: left; }}
.plot {{ display: block; margin: 1rem 0; max-width: 100%; height: auto; font-size: 12px; }}
.plot .title {{ font-weight: 600; font-size: 13px; }}
.bar {{ fill: #4a7bd0; }} .ci {{ stroke: #1d1d1f; stroke-width: 1.5; fill: none; }}
.axis {{ stroke: #888; fill: none; }} .line {{ fill: none; stroke-width: 2; }}
.s0 {{ stroke: #4a7bd0; fill: #4a7bd0; }} .s1 {{ stroke: #d0634a; fill: #d0634a; }} .s2 {{ stroke: #3a9a5b; fill: #3a9a5b; }}
.s3 {{ stroke: #8a5bd0; fill: #8a5bd0; }} .s4 {{ stroke: #c09a20; fill: #c09a20; }} .s5 {{ stroke: #555; fill: #555; }}
text.s0, text.s1, text.s2, text.s3, text.s4, text.s5 {{ stroke: none; }}
.verdict {{ font-weight: 600; }} .note {{ color: #555; }}
</style></head><body>
{body}
</body></html>
"#,
        t = esc(title)
    )
}
