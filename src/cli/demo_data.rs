//! `edgerec demo-data`: a realistic synthetic store in the canonical formats.
//!
//! A three-level category tree (department > category > type) with brands and price ranges per
//! type; some products discounted, some out of stock or untracked, creation dates over two
//! years. Shoppers (a third logged in) have sessions that browse a type they care about, drift to
//! related types, add to cart and buy. Planted bundles (each product of a "primary" type has one
//! complement in another type: chef knife -> cutting board) are bought together often; they are
//! written to `bundles.csv` so tests can check that `also_bought` finds them. The newer models get
//! planted signals too (new arrivals, a trending product, journeys, three-product bundles, a
//! product bought every two weeks), listed
//! in `planted.csv` and checked by `tests/models.rs`. Same seed, same files.

use std::path::{Path, PathBuf};

use super::output::thousands;
use super::{Error, Rng};
use crate::time::{format_timestamp, parse_date, DAY};

mod planted;
mod preferences;
mod taxonomy;
pub use planted::ACCOUNTS;
use planted::{plant, NEW_ARRIVALS};
use preferences::Preferences;
use taxonomy::{ADJECTIVES, BRANDS, COLORS, COMPLEMENTS, SERIES, TAXONOMY};

/// Arguments of `edgerec demo-data`.
#[derive(clap::Args)]
pub struct Args {
    /// Directory to write catalog.csv, events.csv and bundles.csv into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Number of products.
    #[arg(long, default_value_t = 2000)]
    products: usize,
    /// Number of shoppers.
    #[arg(long, default_value_t = 6000)]
    shoppers: usize,
    /// Days of events, ending at --end.
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// Last day of events (YYYY-MM-DD); fixed so the same seed gives the same files.
    #[arg(long, default_value = "2026-10-31")]
    end: String,
    /// Random seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Write view sessions only, of a store whose shoppers come back to what they viewed
    /// (`repeat`) or move on (`explore`): catalog.csv, train.csv, test.csv, one session per
    /// --shoppers (see `session_data`).
    #[arg(long, value_enum)]
    sessions: Option<super::session_data::SessionKind>,
    /// Give each shopper a preferred brand and colour that steer this share of their product
    /// choices (0.5 when given without a value), and write them to preferences.csv: a signal for
    /// personalisation to find. Without it the files are those of earlier versions, byte for byte.
    #[arg(long, conflicts_with = "sessions", num_args = 0..=1, default_missing_value = "0.5", value_name = "SHARE")]
    preferences: Option<f64>,
}

/// One event: time, user, session, kind, product, quantity, price (cents), order, segment.
type EventRow = (i64, String, String, &'static str, usize, u32, u32, String, &'static str);

struct Product {
    id: String,
    leaf: usize,
    price: u32,
    /// Not out of stock (planted signals use only these, so the default filters keep them).
    available: bool,
    brand: &'static str,
    color: &'static str,
}

struct Leaf {
    dept: &'static str,
    path: String,
    name: &'static str,
    products: Vec<usize>,
    complement: Option<usize>,
}

fn slug(s: &str) -> String {
    s.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect()
}

fn money(cents: u32) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// What was written, for the summary line.
pub struct Written {
    /// Products written.
    pub products: usize,
    /// Events written.
    pub events: usize,
    /// Bundles written.
    pub bundles: usize,
}

pub fn run(a: Args) -> Result<(), Error> {
    if let Some(kind) = a.sessions {
        let views = super::session_data::write(&a.out, kind, a.products, a.shoppers, &a.end, a.seed)?;
        println!(
            "edgerec demo-data: wrote {} sessions, {} views to {}",
            thousands(a.shoppers as u64),
            thousands(views as u64),
            a.out.display()
        );
        return Ok(());
    }
    let w = generate(&a.out, a.products, a.shoppers, a.days, &a.end, a.seed, a.preferences)?;
    println!(
        "edgerec demo-data: wrote {} products, {} events and {} planted bundles to {}",
        thousands(w.products as u64),
        thousands(w.events as u64),
        thousands(w.bundles as u64),
        a.out.display()
    );
    Ok(())
}

/// Writes the demo store into `out`; with `preferences`, shoppers with planted tastes that steer
/// that share of their choices (`preferences.rs`), and their tastes in preferences.csv.
pub fn generate(
    out: &Path,
    n_products: usize,
    n_shoppers: usize,
    days: u32,
    end: &str,
    seed: u64,
    preferences: Option<f64>,
) -> Result<Written, Error> {
    if n_products < 10 {
        return Err("--products must be at least 10".into());
    }
    if days == 0 {
        return Err("--days must be at least 1".into());
    }
    if let Some(share) = preferences.filter(|s| !(0.0..=1.0).contains(s)) {
        return Err(format!("--preferences {share}: the share of choices made by taste is between 0 and 1").into());
    }
    let end_day = parse_date(end).map_err(|e| format!("--end \"{end}\": {e}"))?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut rng = Rng::new(seed);

    let mut leaves: Vec<Leaf> = Vec::new();
    let mut kinds: Vec<(&str, f64, f64)> = Vec::new();
    for (dept, cat, types) in TAXONOMY {
        for &(leaf, noun, lo, hi) in types.iter() {
            leaves.push(Leaf {
                dept,
                path: format!("{dept} > {cat} > {leaf}"),
                name: leaf,
                products: Vec::new(),
                complement: None,
            });
            kinds.push((noun, lo, hi));
        }
    }
    for &(a, b) in COMPLEMENTS {
        let (i, j) = (leaves.iter().position(|l| l.name == a), leaves.iter().position(|l| l.name == b));
        if let (Some(i), Some(j)) = (i, j) {
            leaves[i].complement = Some(j);
        }
    }
    // Leaf popularity: a fixed shuffled Zipf order.
    let mut leaf_order: Vec<usize> = (0..leaves.len()).collect();
    shuffle(&mut rng, &mut leaf_order);

    // Products: spread over leaves (popular leaves get more products).
    let width = n_products.to_string().len().max(5);
    let mut products: Vec<Product> = Vec::with_capacity(n_products);
    let mut catalog = csv::Writer::from_path(out.join("catalog.csv")).map_err(|e| format!("{}: {e}", out.display()))?;
    catalog.write_record([
        "id",
        "title",
        "brand",
        "category",
        "tags",
        "price",
        "compare_at_price",
        "stock",
        "created_at",
        "url",
        "image",
        "color",
    ])?;
    for i in 0..n_products {
        let leaf = if i < leaves.len() { i } else { leaf_order[rng.zipf(leaves.len(), 0.6)] };
        let (noun, lo, hi) = kinds[leaf];
        let l = &leaves[leaf];
        let brands = &BRANDS.iter().find(|b| b.0 == l.dept).expect("every department has brands").1;
        let brand = brands[rng.zipf(brands.len(), 0.8)];
        let adjective = rng.pick(ADJECTIVES);
        let series = rng.pick(SERIES);
        let mut title = format!("{brand} {adjective} {noun}");
        if !series.is_empty() {
            title.push(' ');
            title.push_str(series);
        }
        // Log-uniform price in the type's range, ending in .99.
        let price_f = (lo.ln() + rng.f64() * (hi.ln() - lo.ln())).exp();
        let price = ((price_f.floor() as u32).max(1) * 100).saturating_sub(1).max(99);
        let discounted = rng.chance(0.2);
        let compare_at = discounted.then(|| {
            let d = *rng.pick(&[0.1, 0.15, 0.2, 0.25, 0.3, 0.4]);
            ((f64::from(price) / (1.0 - d) / 100.0).round() as u32 * 100).saturating_sub(1)
        });
        let stock = match rng.f64() {
            x if x < 0.2 => String::new(),
            x if x < 0.26 => "0".into(),
            _ => rng.range(1, 200).to_string(),
        };
        // The planted new arrivals are the only products added in the last 30 days.
        // (One draw for every product, so the rest of the store is the same as without them.)
        let age = rng.range(0, 730);
        let created = if i + NEW_ARRIVALS >= n_products {
            end_day - 3 * (n_products - 1 - i) as i64
        } else {
            end_day - 30 - age % 700
        };
        let premium = price_f > lo + (hi - lo) * 0.6;
        let mut tags: Vec<&str> = Vec::new();
        if premium {
            tags.push("premium");
        }
        for (tag, p) in [("eco", 0.15), ("gift-idea", 0.12), ("limited", 0.05), ("made-in-eu", 0.2)] {
            if rng.chance(p) {
                tags.push(tag);
            }
        }
        let id = format!("P{:0width$}", i + 1);
        let color = *rng.pick(COLORS);
        catalog.write_record([
            id.as_str(),
            &title,
            brand,
            &l.path,
            &tags.join("|"),
            &money(price),
            &compare_at.map(money).unwrap_or_default(),
            &stock,
            &crate::time::format_date(created),
            &format!("/product/{id}"),
            &format!("/img/{}.svg", slug(l.dept)),
            color,
        ])?;
        leaves[leaf].products.push(i);
        products.push(Product { id, leaf, price, available: stock != "0", brand, color });
    }
    catalog.flush()?;
    // Within each leaf, product popularity follows a shuffled Zipf order.
    for l in &mut leaves {
        shuffle(&mut rng, &mut l.products);
    }
    // Planted bundles: each product of a primary type has one complement, concentrated on the
    // complement type's more popular products.
    let mut bundle: Vec<Option<usize>> = vec![None; n_products];
    let mut bundles = csv::Writer::from_path(out.join("bundles.csv"))?;
    bundles.write_record(["product_id", "complement_id"])?;
    let mut n_bundles = 0;
    for (i, p) in products.iter().enumerate() {
        if let Some(c) = leaves[p.leaf].complement {
            let pool = &leaves[c].products;
            if !pool.is_empty() {
                let q = pool[rng.zipf(pool.len(), 1.0)];
                bundle[i] = Some(q);
                bundles.write_record([p.id.as_str(), products[q].id.as_str()])?;
                n_bundles += 1;
            }
        }
    }
    bundles.flush()?;

    // Shoppers and their sessions.
    let start = (end_day - i64::from(days) + 1) * DAY;
    let span = i64::from(days) * DAY;
    let mut rows: Vec<EventRow> = Vec::new();
    let depts: Vec<&str> = BRANDS.iter().map(|b| b.0).collect();
    let mut session_no = 0usize;
    // With --preferences: the generator of tastes, and the logged-in shoppers' tastes.
    let mut tastes = preferences.map(|share| (Preferences::new(seed, share), Vec::new()));
    let mut order_no = 0usize;
    for s in 0..n_shoppers {
        let logged_in = rng.chance(0.35);
        let user = if logged_in { format!("U{:06}", s + 1) } else { String::new() };
        // One logged-in shopper in ten works for one of the business accounts (B2B segments).
        let segment = if logged_in && rng.chance(0.1) { ACCOUNTS[s % ACCOUNTS.len()] } else { "" };
        // Logged-in shoppers sometimes send no session id: sessions are then cut at 30 minutes.
        let sessionless = logged_in && rng.chance(0.2);
        let favourite = depts[rng.zipf(depts.len(), 0.7)];
        let taste = tastes.as_mut().map(|(prefs, written)| {
            let brands = &BRANDS.iter().find(|b| b.0 == favourite).expect("every department has brands").1;
            let t = prefs.taste(brands, COLORS);
            if !user.is_empty() {
                written.push((user.clone(), t));
            }
            t
        });
        let n_sessions = 1 + (0..7).take_while(|_| rng.chance(0.45)).count();
        for _ in 0..n_sessions {
            session_no += 1;
            let sid = if sessionless { String::new() } else { format!("S{session_no:07}") };
            let mut t = start + rng.range(0, span - 3600);
            let mut leaf = if rng.chance(0.7) {
                let pool: Vec<usize> = leaf_order.iter().copied().filter(|&l| leaves[l].dept == favourite).collect();
                pool[rng.zipf(pool.len(), 0.8)]
            } else {
                leaf_order[rng.zipf(leaves.len(), 0.9)]
            };
            let n_views = 1 + (0..14).take_while(|_| rng.chance(0.78)).count();
            let mut cart: Vec<usize> = Vec::new();
            let mut last: Option<usize> = None;
            for v in 0..n_views {
                // Drift: mostly the same type, sometimes the complement of the last product or a
                // sibling type in the same department.
                let r = rng.f64();
                let product = if let (Some(q), true) = (last.and_then(|l| bundle[l]), r < 0.12) {
                    q
                } else {
                    if r > 0.88 {
                        let sib: Vec<usize> = (0..leaves.len())
                            .filter(|&l| leaves[l].dept == leaves[leaf].dept && !leaves[l].products.is_empty())
                            .collect();
                        leaf = *rng.pick(&sib);
                    }
                    let pool = &leaves[leaf].products;
                    if pool.is_empty() {
                        continue;
                    }
                    let plain = pool[rng.zipf(pool.len(), 1.0)];
                    match (&mut tastes, &taste) {
                        (Some((prefs, _)), Some(t)) => prefs.choose(t, pool, &products, plain),
                        _ => plain,
                    }
                };
                rows.push((t, user.clone(), sid.clone(), "view", product, 0, 0, String::new(), segment));
                if rng.chance(0.03) {
                    rows.push((t + 5, user.clone(), sid.clone(), "wishlist", product, 0, 0, String::new(), segment));
                }
                let cart_p = if v + 1 == n_views { 0.35 } else { 0.12 };
                if rng.chance(cart_p) && !cart.contains(&product) {
                    t += rng.range(5, 60);
                    rows.push((t, user.clone(), sid.clone(), "cart", product, 0, 0, String::new(), segment));
                    cart.push(product);
                    if let Some(q) = bundle[product] {
                        if rng.chance(0.6) && !cart.contains(&q) {
                            t += rng.range(10, 90);
                            rows.push((t, user.clone(), sid.clone(), "view", q, 0, 0, String::new(), segment));
                            t += rng.range(5, 40);
                            rows.push((t, user.clone(), sid.clone(), "cart", q, 0, 0, String::new(), segment));
                            cart.push(q);
                        }
                    }
                }
                last = Some(product);
                t += rng.range(20, 240);
            }
            if !cart.is_empty() && rng.chance(0.6) {
                order_no += 1;
                t += rng.range(60, 600);
                let oid = format!("O{order_no:07}");
                for &p in &cart {
                    let qty = if rng.chance(0.1) { 2 } else { 1 };
                    rows.push((
                        t,
                        user.clone(),
                        sid.clone(),
                        "purchase",
                        p,
                        qty,
                        products[p].price,
                        oid.clone(),
                        segment,
                    ));
                }
            }
        }
    }
    if let Some((_, written)) = &tastes {
        preferences::write(&out.join("preferences.csv"), written)?;
    }
    let planted = plant(&mut Rng::new(seed ^ 0x5eed_1ab5), &mut rows, &products, &leaves, end_day * DAY);
    let mut signals = csv::Writer::from_path(out.join("planted.csv"))?;
    signals.write_record(["signal", "product_id", "related_id"])?;
    for p in &products[n_products - NEW_ARRIVALS..] {
        signals.write_record(["new_arrival", p.id.as_str(), ""])?;
    }
    for (signal, a, b) in &planted {
        signals.write_record([*signal, products[*a].id.as_str(), b.map_or("", |b| products[b].id.as_str())])?;
    }
    signals.flush()?;
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)));
    let mut events = csv::Writer::from_path(out.join("events.csv"))?;
    events.write_record([
        "timestamp",
        "user_id",
        "session_id",
        "event",
        "product_id",
        "quantity",
        "price",
        "order_id",
        "segment",
    ])?;
    for (t, user, sid, kind, p, qty, price, oid, segment) in &rows {
        let qty = if *qty > 0 { qty.to_string() } else { String::new() };
        let price = if *price > 0 { money(*price) } else { String::new() };
        events.write_record([
            format_timestamp(*t).as_str(),
            user,
            sid,
            kind,
            &products[*p].id,
            &qty,
            &price,
            oid,
            segment,
        ])?;
    }
    events.flush()?;
    Ok(Written { products: n_products, events: rows.len(), bundles: n_bundles })
}

fn shuffle<T>(rng: &mut Rng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i + 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_files() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        generate(a.path(), 200, 100, 30, "2026-10-31", 3, None).unwrap();
        generate(b.path(), 200, 100, 30, "2026-10-31", 3, None).unwrap();
        for f in ["catalog.csv", "events.csv", "bundles.csv"] {
            assert_eq!(std::fs::read(a.path().join(f)).unwrap(), std::fs::read(b.path().join(f)).unwrap(), "{f}");
        }
        let c = tempfile::tempdir().unwrap();
        generate(c.path(), 200, 100, 30, "2026-10-31", 4, None).unwrap();
        assert_ne!(
            std::fs::read(a.path().join("events.csv")).unwrap(),
            std::fs::read(c.path().join("events.csv")).unwrap()
        );
    }
}
