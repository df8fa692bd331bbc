//! `edgerec sql`: the queries that count the tables of docs/scale-out.md from an events table and
//! a catalog table, for Spark SQL, DataFusion or DuckDB, with the training window, excluded
//! periods, session rules and `min_count` of an edgerec.toml written into them as constants.
//!
//! The queries read two tables the caller registers: `events` (`ts` BIGINT Unix seconds,
//! `user_id`, `session_id`, `event`, `product_id`, `quantity`, `order_id`, and `seq` BIGINT, the
//! event's position in the log, which orders events of the same second as `edgerec build` does)
//! and `catalog` (`id`). They are a chain of views (`CREATE ... VIEW er_...`) and one `SELECT` per
//! count table, each after a line `-- output: NAME`. Sessions are cut as the builder cuts them: by
//! `session_id`, else at `session_gap_minutes` of inactivity per shopper (a running sum of `LAG`
//! gaps); shoppers are the user, else the session.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{load_config, Error};
use crate::build::cooccurrence::{step_weight, DISTANCE_WEIGHT};
use crate::config::{Config, DateRange};
use crate::time::{parse_date, DAY};

/// The SQL dialects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    /// Apache Spark SQL (also Databricks).
    Spark,
    /// Apache DataFusion.
    Datafusion,
    /// DuckDB.
    Duckdb,
    /// Google BigQuery (temporary tables in one multi-statement query).
    Bigquery,
}

/// Arguments of `edgerec sql`.
#[derive(clap::Args)]
pub struct Args {
    /// The engine the queries are written for.
    #[arg(long, value_enum)]
    dialect: Dialect,
    /// Configuration file (edgerec.toml); built-in defaults when absent. Give `edgerec pack` the same.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Write the queries to this folder (`views.sql` and one `NAME.sql` per count table) instead of
    /// printing them.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Runs `edgerec sql`.
pub fn run(a: Args) -> Result<(), Error> {
    let config = match &a.config {
        Some(p) => load_config(p)?,
        None => Config::default(),
    };
    let statements = queries(a.dialect, &config);
    match a.out {
        None => {
            for (name, sql) in &statements {
                if let Some(name) = name {
                    println!("-- output: {name}");
                }
                println!("{sql}\n;\n");
            }
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
            let mut views = String::new();
            for (name, sql) in &statements {
                match name {
                    None => views += &format!("{sql}\n;\n\n"),
                    Some(name) => std::fs::write(dir.join(format!("{name}.sql")), format!("{sql}\n"))
                        .map_err(|e| format!("{}: {e}", dir.display()))?,
                }
            }
            std::fs::write(dir.join("views.sql"), views).map_err(|e| format!("{}: {e}", dir.display()))?;
            let tables = statements.iter().filter(|s| s.0.is_some()).count();
            println!("edgerec sql: wrote views.sql and {tables} table queries to {}", dir.display());
        }
    }
    Ok(())
}

/// The day range `[lo, hi]` of a date range as a condition on `ts`.
fn range_condition(r: &DateRange) -> String {
    let lo = r.from.as_deref().and_then(|d| parse_date(d).ok());
    let hi = r.to.as_deref().and_then(|d| parse_date(d).ok());
    let mut parts = Vec::new();
    if let Some(lo) = lo {
        parts.push(format!("ts >= {}", lo * DAY));
    }
    if let Some(hi) = hi {
        parts.push(format!("ts < {}", (hi + 1) * DAY));
    }
    if parts.is_empty() {
        "TRUE".into()
    } else {
        format!("({})", parts.join(" AND "))
    }
}

/// An f64 literal that reads back as exactly `x`.
fn lit(x: f64) -> String {
    let s = format!("{x:?}");
    if s.contains(['.', 'e', 'E']) {
        s
    } else {
        format!("{s}.0")
    }
}

/// `CASE` over a distance column: the fixed-point weight of `1/sqrt(distance)`.
fn distance_weight(d: &str) -> String {
    let mut s = format!("CASE WHEN {d} >= 8 THEN {}", DISTANCE_WEIGHT[8]);
    for (i, w) in DISTANCE_WEIGHT.iter().enumerate().take(8).skip(1) {
        let _ = write!(s, " WHEN {d} = {i} THEN {w}");
    }
    s + " END"
}

/// The statements, in order: `(None, view)` or `(Some(table), query)`.
pub fn queries(dialect: Dialect, config: &Config) -> Vec<(Option<&'static str>, String)> {
    let t = &config.training;
    let view = match dialect {
        Dialect::Datafusion => "CREATE OR REPLACE VIEW",
        Dialect::Spark | Dialect::Duckdb => "CREATE OR REPLACE TEMP VIEW",
        Dialect::Bigquery => "CREATE OR REPLACE TEMP TABLE",
    };
    let (text, int, float) = match dialect {
        Dialect::Spark => ("STRING", "BIGINT", "DOUBLE"),
        Dialect::Datafusion | Dialect::Duckdb => ("VARCHAR", "BIGINT", "DOUBLE"),
        Dialect::Bigquery => ("STRING", "INT64", "FLOAT64"),
    };
    // The ids of a bundle, separated by spaces (NULLs left out).
    let ids = |parts: &[String]| match dialect {
        Dialect::Bigquery => format!("ARRAY_TO_STRING([{}], ' ')", parts.join(", ")),
        _ => format!("CONCAT_WS(' ', {})", parts.join(", ")),
    };
    let items = ids(&(1..=4).map(|r| format!("MAX(CASE WHEN r = {r} THEN product END)")).collect::<Vec<_>>());
    let min = t.min_count;
    let gap = i64::from(t.session_gap_minutes) * 60;
    let window = t.max_session_items;
    let mut inside = vec![t.period.as_ref().map_or("TRUE".to_string(), range_condition)];
    for p in &t.exclude_periods {
        inside.push(format!("NOT {}", range_condition(p)));
    }
    let inside = inside.join(" AND ");
    let weight = {
        let mut s = String::from("CASE");
        for (name, w) in &t.weights {
            let _ = write!(s, " WHEN kind = '{}' THEN {}", name.replace('\'', "''"), lit(f64::from(*w)));
        }
        s + " ELSE 0.0 END"
    };
    let half_life = f64::from(t.half_life_days) * DAY as f64;
    let decay = if half_life > 0.0 {
        format!("POWER(0.5, CAST(a.as_of - e.ts AS {float}) / {})", lit(half_life))
    } else {
        "1.0".into()
    };
    let frame = format!("e.ts >= a.as_of - {}", i64::from(t.timeframe_days) * DAY);
    let recent = format!("e.ts >= a.as_of - {}", i64::from(t.recent_days) * DAY);
    let tr = &config.trending;
    let (tw, tb) = (i64::from(tr.window_days) * DAY, i64::from(tr.baseline_days) * DAY);
    let journey = i64::from(t.journey_days) * DAY;
    let next_window = t.next_window;

    let mut out: Vec<(Option<&'static str>, String)> = Vec::new();
    let mut v = |name: &str, body: String| out.push((None, format!("{view} {name} AS\n{body}")));
    // Every event of a catalog product with a shopper; kind names as the builder reads them.
    v(
        "er_all",
        format!(
            "SELECT CAST(e.ts AS {int}) AS ts, e.seq AS seq, e.product_id AS product, e.session_id AS session_id,
  e.order_id AS order_id, CASE WHEN e.quantity IS NULL THEN 1 ELSE CAST(e.quantity AS {int}) END AS qty,
  CASE WHEN LOWER(e.event) IN ('view', 'cart', 'purchase') THEN LOWER(e.event) ELSE e.event END AS kind,
  CASE WHEN e.user_id IS NOT NULL THEN CONCAT('u', CAST(e.user_id AS {text})) ELSE CONCAT('s', CAST(e.session_id AS {text})) END AS shopper
FROM events e JOIN catalog c ON e.product_id = c.id
WHERE e.user_id IS NOT NULL OR e.session_id IS NOT NULL"
        ),
    );
    v("er_asof", "SELECT MAX(ts) AS as_of FROM er_all".into());
    v(
        "er_used",
        format!(
            "SELECT e.* FROM er_all e CROSS JOIN er_asof a WHERE e.ts <= a.as_of AND {}",
            inside.replace("ts", "e.ts")
        ),
    );
    // Sessions: the session id, else a new one after `gap` seconds without an event.
    v(
        "er_gaps",
        format!(
            "SELECT e.*, CASE WHEN e.session_id IS NULL AND (prev_ts IS NULL OR e.ts - prev_ts > {gap}) THEN 1 ELSE 0 END AS starts
FROM (SELECT u.*, LAG(u.ts) OVER (PARTITION BY u.shopper, CASE WHEN u.session_id IS NULL THEN 1 ELSE 0 END ORDER BY u.ts, u.seq) AS prev_ts
      FROM er_used u) e"
        ),
    );
    v(
        "er_ev",
        format!(
            "SELECT g.*, CASE WHEN g.session_id IS NOT NULL THEN CONCAT('s', CAST(g.session_id AS {text}))
  ELSE CONCAT('g', CAST(SUM(g.starts) OVER (PARTITION BY g.shopper, CASE WHEN g.session_id IS NULL THEN 1 ELSE 0 END
    ORDER BY g.ts, g.seq ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS {text})) END AS sess
FROM er_gaps g"
        ),
    );
    // View sequences: consecutive repeats collapsed, numbered in time order.
    v(
        "er_vseq",
        "SELECT shopper, sess, product, ROW_NUMBER() OVER (PARTITION BY shopper, sess ORDER BY ts, seq) AS pos
FROM (SELECT e.*, LAG(e.product) OVER (PARTITION BY e.shopper, e.sess ORDER BY e.ts, e.seq) AS prev
      FROM er_ev e WHERE e.kind = 'view') x
WHERE prev IS NULL OR prev <> product"
            .into(),
    );
    // Baskets of distinct items in first-occurrence order: viewed together (V), carted together (C),
    // bought together (B: orders, their products in catalog order; loose purchases per session).
    v(
        "er_baskets",
        "SELECT 'viewed_together' AS kind, shopper, CONCAT('v', sess) AS basket, product,
  ROW_NUMBER() OVER (PARTITION BY shopper, sess ORDER BY first_pos) AS pos
FROM (SELECT shopper, sess, product, MIN(pos) AS first_pos FROM er_vseq GROUP BY shopper, sess, product) v
UNION ALL
SELECT 'carted_together' AS kind, shopper, CONCAT('c', sess) AS basket, product,
  ROW_NUMBER() OVER (PARTITION BY shopper, sess ORDER BY first_ts, first_seq) AS pos
FROM (SELECT shopper, sess, product, MIN(ts) AS first_ts, MIN(seq) AS first_seq FROM
        (SELECT shopper, sess, product, ts, seq, ROW_NUMBER() OVER (PARTITION BY shopper, sess, product ORDER BY ts, seq) AS k
         FROM er_ev WHERE kind = 'cart') c0 WHERE k = 1 GROUP BY shopper, sess, product) c
UNION ALL
SELECT 'bought_together' AS kind, shopper, CONCAT('o', order_id) AS basket, product,
  ROW_NUMBER() OVER (PARTITION BY shopper, order_id ORDER BY product) AS pos
FROM (SELECT DISTINCT shopper, order_id, product FROM er_ev WHERE kind = 'purchase' AND order_id IS NOT NULL) o
UNION ALL
SELECT 'bought_together' AS kind, shopper, CONCAT('l', sess) AS basket, product,
  ROW_NUMBER() OVER (PARTITION BY shopper, sess ORDER BY first_ts, first_seq) AS pos
FROM (SELECT shopper, sess, product, ts AS first_ts, seq AS first_seq FROM
        (SELECT shopper, sess, product, ts, seq, ROW_NUMBER() OVER (PARTITION BY shopper, sess, product ORDER BY ts, seq) AS k
         FROM er_ev WHERE kind = 'purchase' AND order_id IS NULL) l0 WHERE k = 1) l"
            .into(),
    );
    let mut o = |name: &'static str, sql: String| out.push((Some(name), sql));
    o(
        "summary",
        "SELECT 'as_of' AS key, MAX(a.as_of) AS value FROM er_asof a
UNION ALL SELECT 'events_from', MIN(ts) FROM er_ev
UNION ALL SELECT 'events_to', MAX(ts) FROM er_ev
UNION ALL SELECT 'events_used', COUNT(*) FROM er_ev
UNION ALL SELECT 'outside_period', (SELECT COUNT(*) FROM er_all) - (SELECT COUNT(*) FROM er_ev)
UNION ALL SELECT 'views', COUNT(*) FROM er_ev WHERE kind = 'view'
UNION ALL SELECT 'carts', COUNT(*) FROM er_ev WHERE kind = 'cart'
UNION ALL SELECT 'purchases', COUNT(*) FROM er_ev WHERE kind = 'purchase'
UNION ALL SELECT 'custom', COUNT(*) FROM er_ev WHERE kind NOT IN ('view', 'cart', 'purchase')
UNION ALL SELECT 'sessions', COUNT(*) FROM (SELECT DISTINCT shopper, sess FROM er_ev) s
UNION ALL SELECT 'orders', COUNT(*) FROM (SELECT DISTINCT shopper, basket FROM er_baskets WHERE kind = 'bought_together') b
UNION ALL SELECT 'shoppers', COUNT(*) FROM (SELECT DISTINCT shopper FROM er_ev) p"
            .into(),
    );
    o(
        "popularity",
        format!(
            "SELECT 'views' AS kind, e.product AS product_id, SUM({decay}) AS score, COUNT(DISTINCT e.shopper) AS shoppers
FROM er_ev e CROSS JOIN er_asof a WHERE e.kind = 'view' AND {frame} GROUP BY e.product
UNION ALL
SELECT 'carts', e.product, SUM({decay}), COUNT(DISTINCT e.shopper)
FROM er_ev e CROSS JOIN er_asof a WHERE e.kind = 'cart' AND {frame} GROUP BY e.product
UNION ALL
SELECT 'purchases', e.product, SUM(CAST(e.qty AS {float})), COUNT(DISTINCT e.shopper)
FROM er_ev e CROSS JOIN er_asof a WHERE e.kind = 'purchase' AND {recent} GROUP BY e.product
UNION ALL
SELECT 'popular', e.product,
  SUM(({weight}) * {decay} * CASE WHEN e.kind = 'purchase' THEN CAST(e.qty AS {float}) ELSE 1.0 END), COUNT(DISTINCT e.shopper)
FROM er_ev e CROSS JOIN er_asof a WHERE {frame} AND ({weight}) > 0.0 GROUP BY e.product",
            weight = weight.replace("kind", "e.kind"),
        ),
    );
    o(
        "baskets",
        "SELECT kind, product AS product_id, COUNT(*) AS baskets FROM er_baskets GROUP BY kind, product
UNION ALL
SELECT 'viewed_next', product, COUNT(*) FROM er_baskets WHERE kind = 'viewed_together' GROUP BY product"
            .into(),
    );
    o(
        "pairs",
        format!(
            "SELECT kind, a, b, SUM(w) AS weight, COUNT(DISTINCT shopper) AS shoppers FROM (
  SELECT x.kind, x.shopper, CASE WHEN x.product < y.product THEN x.product ELSE y.product END AS a,
    CASE WHEN x.product < y.product THEN y.product ELSE x.product END AS b, {dw_xy} AS w
  FROM er_baskets x JOIN er_baskets y ON x.kind = y.kind AND x.shopper = y.shopper AND x.basket = y.basket
    AND y.pos > x.pos AND y.pos <= x.pos + {window}
  UNION ALL
  SELECT 'viewed_next' AS kind, shopper, a, b, {step} AS w FROM (
    SELECT x.shopper, x.sess, x.product AS a, y.product AS b, MIN(y.pos - x.pos) AS d
    FROM er_vseq x JOIN er_vseq y ON x.shopper = y.shopper AND x.sess = y.sess
      AND y.pos > x.pos AND y.pos <= x.pos + {next_window} AND x.product <> y.product
    GROUP BY x.shopper, x.sess, x.product, y.product) n
) p GROUP BY kind, a, b HAVING COUNT(DISTINCT shopper) >= {min}",
            dw_xy = distance_weight("(y.pos - x.pos)"),
            step = step_case(next_window),
        ),
    );
    // Journeys: a view at most `journey_days` before a purchase of another product, among the
    // shopper's 50 latest views up to it, not of a product bought in the same order.
    v_after(
        &mut out,
        view,
        "er_journey_steps",
        format!(
            "SELECT q.shopper, q.seq AS purchase, v.product AS a, q.product AS b,
  ROW_NUMBER() OVER (PARTITION BY q.shopper, q.seq ORDER BY v.ts DESC, v.product DESC) AS k
FROM er_ev q JOIN er_ev v ON q.shopper = v.shopper AND v.kind = 'view' AND v.ts <= q.ts AND v.ts >= q.ts - {journey}
WHERE q.kind = 'purchase'"
        ),
    );
    // The products bought in the same order as each purchase (without order ids: the same session,
    // or, without session ids either, within the session gap).
    v_after(
        &mut out,
        view,
        "er_same_order",
        format!(
            "SELECT DISTINCT q.shopper, q.seq AS purchase, o.product AS a
FROM er_ev q JOIN er_ev o ON o.shopper = q.shopper AND o.kind = 'purchase'
WHERE q.kind = 'purchase' AND (
  (o.order_id IS NOT NULL OR q.order_id IS NOT NULL) AND o.order_id = q.order_id
  OR o.order_id IS NULL AND q.order_id IS NULL AND (o.session_id = q.session_id
    OR o.session_id IS NULL AND q.session_id IS NULL AND o.ts - q.ts <= {gap} AND q.ts - o.ts <= {gap}))"
        ),
    );
    v_after(
        &mut out,
        view,
        "er_journeys",
        "SELECT DISTINCT s.shopper, s.a, s.b FROM er_journey_steps s
LEFT JOIN er_same_order x ON x.shopper = s.shopper AND x.purchase = s.purchase AND x.a = s.a
WHERE s.k <= 50 AND s.a <> s.b AND x.a IS NULL"
            .into(),
    );
    let mut o = |name: &'static str, sql: String| out.push((Some(name), sql));
    o("journeys", format!("SELECT a, b, COUNT(*) AS shoppers FROM er_journeys GROUP BY a, b HAVING COUNT(*) >= {min}"));
    o(
        "journey_ends",
        "SELECT product AS product_id, SUM(CASE WHEN kind = 'view' THEN 1 ELSE 0 END) AS viewers,
  SUM(CASE WHEN kind = 'purchase' THEN 1 ELSE 0 END) AS buyers
FROM (SELECT DISTINCT product, kind, shopper FROM er_ev WHERE kind IN ('view', 'purchase')) d GROUP BY product"
            .into(),
    );
    o(
        "bundles",
        format!(
            "SELECT items, COUNT(DISTINCT shopper) AS shoppers FROM (
  SELECT shopper, basket, {items} AS items, COUNT(*) AS size
  FROM (SELECT shopper, basket, product, ROW_NUMBER() OVER (PARTITION BY shopper, basket ORDER BY product) AS r
        FROM er_baskets WHERE kind = 'bought_together') b
  GROUP BY shopper, basket) c
WHERE size BETWEEN 2 AND 4 GROUP BY items HAVING COUNT(DISTINCT shopper) >= {min}"
        ),
    );
    o(
        "trending",
        format!(
            "SELECT product AS product_id, SUM(CASE WHEN recent THEN w ELSE 0.0 END) AS recent,
  SUM(CASE WHEN recent THEN 0.0 ELSE w END) AS baseline, MAX(shoppers) AS shoppers
FROM (SELECT x.product, x.recent, SUM(x.w) AS w,
        SUM(CASE WHEN x.recent THEN 1 ELSE 0 END) AS shoppers
      FROM (SELECT e.product, e.shopper, e.ts >= a.as_of - {tw} AS recent,
              SUM(({weight}) * CAST(CASE WHEN e.qty > 1 THEN e.qty ELSE 1 END AS {float})) AS w
            FROM er_ev e CROSS JOIN er_asof a
            WHERE e.ts <= a.as_of AND e.ts >= a.as_of - {tw} - {tb} AND ({weight}) > 0.0
            GROUP BY e.product, e.shopper, e.ts >= a.as_of - {tw}) x
      GROUP BY x.product, x.recent) y
GROUP BY product",
            weight = weight.replace("kind", "e.kind"),
        ),
    );
    out
}

/// Appends a view after the outputs so far (views may come between outputs).
fn v_after(out: &mut Vec<(Option<&'static str>, String)>, view: &str, name: &str, body: String) {
    out.push((None, format!("{view} {name} AS\n{body}")));
}

/// `CASE` over `MIN(distance)` of a "viewed next" pair: the fixed-point weight of `1/distance`.
fn step_case(window: u32) -> String {
    let mut s = String::from("CASE");
    for d in 1..=window.max(1) as usize {
        let _ = write!(s, " WHEN d = {d} THEN {}", step_weight(d));
    }
    s + " END"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_date;

    fn all(dialect: Dialect, config: &Config) -> String {
        queries(dialect, config).into_iter().map(|(_, q)| q).collect::<Vec<_>>().join("\n;\n")
    }

    #[test]
    fn the_training_rules_are_written_into_the_queries() {
        let mut config = Config::default();
        let t = &mut config.training;
        t.min_count = 5;
        t.session_gap_minutes = 45;
        t.exclude_periods = vec![DateRange { from: Some("2026-11-27".into()), to: Some("2026-11-30".into()) }];
        t.period = Some(DateRange { from: Some("2026-01-01".into()), to: None });
        let sql = all(Dialect::Spark, &config);
        let day = |d: &str| parse_date(d).unwrap() * DAY;
        assert!(
            sql.contains(&format!("NOT (e.ts >= {} AND e.ts < {})", day("2026-11-27"), day("2026-12-01"))),
            "{sql}"
        );
        assert!(sql.contains(&format!("(e.ts >= {})", day("2026-01-01"))));
        assert!(sql.contains("e.ts - prev_ts > 2700"));
        assert!(sql.contains("HAVING COUNT(DISTINCT shopper) >= 5") && !sql.contains(">= 3\n"));
        let outputs: Vec<&str> = queries(Dialect::Datafusion, &config).iter().filter_map(|q| q.0).collect();
        assert_eq!(
            outputs,
            ["summary", "popularity", "baskets", "pairs", "journeys", "journey_ends", "bundles", "trending"]
        );
    }

    #[test]
    fn dialects_differ_only_where_the_engines_do() {
        let config = Config::default();
        let (spark, df, bq) =
            (all(Dialect::Spark, &config), all(Dialect::Datafusion, &config), all(Dialect::Bigquery, &config));
        assert!(spark.contains("CREATE OR REPLACE TEMP VIEW er_all") && spark.contains("AS STRING"));
        assert!(df.contains("CREATE OR REPLACE VIEW er_all") && df.contains("AS VARCHAR"));
        assert!(
            bq.contains("CREATE OR REPLACE TEMP TABLE er_all")
                && bq.contains("AS FLOAT64")
                && bq.contains("ARRAY_TO_STRING([")
        );
        assert!(!bq.contains("DOUBLE") && !bq.contains("BIGINT") && !bq.contains("CONCAT_WS"));
        // The fixed-point weights are the builder's.
        assert!(
            df.contains(&format!("THEN {}", DISTANCE_WEIGHT[2])) && df.contains(&format!("THEN {}", step_weight(3)))
        );
    }
}
