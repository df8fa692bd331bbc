//! `edgerec demo-data --sessions repeat|explore`: synthetic view sessions in the layout of
//! `../shared/data/diginetica-sessions` (catalog.csv, train.csv, test.csv: the last 7 days), to
//! measure the in-session list on two kinds of store.
//!
//! Products are linked to 8 related products each (drawn by a Zipf popularity). A session starts
//! at a product drawn by popularity; each next view either comes back to a product the session
//! already viewed (an earlier position j of the pos views so far, with weight `0.75^(pos-1-j)`,
//! so the latest and the most viewed products come back most), or moves on to a related product
//! of the current one (the r-th related with weight 1/(r+1)), or jumps to a product drawn by
//! popularity. A `repeat` store comes back with probability 0.7 and half its other views jump
//! (groceries, marketplaces: shoppers compare and return, and what is new is hard to predict); an
//! `explore` store comes back with probability 0.08 and jumps one time in ten.

use std::fmt::Write as _;
use std::path::Path;

use super::{Error, Rng};
use crate::time::{format_timestamp, parse_date, DAY};

/// The kind of store `--sessions` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SessionKind {
    /// Shoppers come back to what they viewed (70% of next views).
    Repeat,
    /// Shoppers move on to related products (8% of next views come back).
    Explore,
}

impl SessionKind {
    /// The probability that a next view comes back to a product of the session, and that a view
    /// moving on jumps to a popular product instead of a related one.
    pub fn shares(self) -> (f64, f64) {
        match self {
            SessionKind::Repeat => (0.7, 0.5),
            SessionKind::Explore => (0.08, 0.1),
        }
    }
}

/// Days of sessions, the last [`TEST_DAYS`] of them in test.csv.
const DAYS: i64 = 60;
/// Days in test.csv.
const TEST_DAYS: i64 = 7;
/// Related products per product.
const RELATED: usize = 8;

/// The sessions of a store: `sessions` view sequences over `products` products.
pub fn sessions(kind: SessionKind, products: usize, sessions: usize, seed: u64) -> Vec<Vec<u32>> {
    let mut rng = Rng::new(seed);
    let n = products.max(RELATED + 1);
    let related: Vec<Vec<u32>> = (0..n)
        .map(|p| {
            let mut r: Vec<u32> = Vec::with_capacity(RELATED);
            while r.len() < RELATED {
                let q = rng.zipf(n, 0.8) as u32;
                if q as usize != p && !r.contains(&q) {
                    r.push(q);
                }
            }
            r
        })
        .collect();
    let (back, jump) = kind.shares();
    (0..sessions)
        .map(|_| {
            let len = 2 + (0..28).take_while(|_| rng.chance(0.8)).count();
            let mut s: Vec<u32> = vec![rng.zipf(n, 1.0) as u32];
            while s.len() < len {
                let cur = *s.last().expect("a session has a first view");
                let next = if s.len() > 1 && rng.chance(back) {
                    // An earlier position, recent ones more likely.
                    let weights: Vec<f64> = (0..s.len()).map(|j| 0.75f64.powi((s.len() - 1 - j) as i32)).collect();
                    let mut u = rng.f64() * weights.iter().sum::<f64>();
                    let mut j = 0;
                    while j + 1 < s.len() && u >= weights[j] {
                        u -= weights[j];
                        j += 1;
                    }
                    s[j]
                } else if rng.chance(jump) {
                    rng.zipf(n, 1.0) as u32
                } else {
                    related[cur as usize][rng.zipf(RELATED, 1.0)]
                };
                s.push(next);
            }
            s
        })
        .collect()
}

/// Writes catalog.csv, train.csv and test.csv (sessions of the last 7 of 60 days ending on `end`).
pub fn write(
    out: &Path,
    kind: SessionKind,
    products: usize,
    n_sessions: usize,
    end: &str,
    seed: u64,
) -> Result<usize, Error> {
    let end_day = parse_date(end).map_err(|e| format!("--end \"{end}\": {e}"))?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let all = sessions(kind, products, n_sessions, seed);
    let mut catalog = String::from("id,title,brand,category,tags,price,compare_at_price,stock,created_at,url,image\n");
    for p in 0..products.max(RELATED + 1) {
        writeln!(catalog, "{},,,,,,,,,,", p + 1)?;
    }
    let header = "timestamp,user_id,session_id,event,product_id,quantity,price,order_id,segment\n";
    let (mut train, mut test) = (String::from(header), String::from(header));
    let start = (end_day - DAYS + 1) * DAY;
    let test_from = (end_day - TEST_DAYS + 1) * DAY;
    let span = DAYS * DAY - 3600;
    for (i, s) in all.iter().enumerate() {
        // Sessions in time order over the days, one view every 30 seconds.
        let t0 = start + span * i as i64 / all.len() as i64;
        let (file, name) = if t0 >= test_from { (&mut test, "test") } else { (&mut train, "train") };
        for (k, p) in s.iter().enumerate() {
            writeln!(file, "{},,{name}-{},view,{},,,,", format_timestamp(t0 + 30 * k as i64), i + 1, p + 1)?;
        }
    }
    for (name, text) in [("catalog.csv", &catalog), ("train.csv", &train), ("test.csv", &test)] {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    Ok(all.iter().map(Vec::len).sum())
}
