//! The demo store's planted signals: the business accounts, new arrivals, and the shoppers of
//! their own whose events make the newer models' answers known in advance (tests and the demo
//! storefront check them).

use super::*;

/// The business accounts (the `segment` column) of the demo's B2B shoppers.
pub const ACCOUNTS: [&str; 12] = [
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "vandelay",
    "northwind",
    "wayne",
    "stark",
    "wonka",
    "tyrell",
    "soylent",
];

/// Planted new arrivals: the last products of the catalog, added 0, 3, 6, ... days before --end.
pub(super) const NEW_ARRIVALS: usize = 6;
/// Shoppers behind each planted trending product, journey and bundle (above the default min_count 3).
const PLANTED_SHOPPERS: usize = 8;

/// Plants the signals of the newer models, with events of shoppers of their own (user ids `UT…`,
/// `UJ…`, `UB…`, `UR…`): a product whose demand jumps in the last 7 days (`trending`), shoppers who
/// view a product and buy another of its type days later in another session (`ultimately_bought`),
/// exact three-product orders (`bundle`), and a filter coffee bought again every 12 to 16 days
/// (`recurring`). Returns (signal, product, related product) rows.
pub(super) fn plant(
    rng: &mut Rng,
    rows: &mut Vec<EventRow>,
    products: &[Product],
    leaves: &[Leaf],
    end: i64,
) -> Vec<(&'static str, usize, Option<usize>)> {
    let mut planted = Vec::new();
    let ev = |rows: &mut Vec<EventRow>, t: i64, user: &str, sid: &str, kind: &'static str, p: usize, oid: &str| {
        let (qty, price) = if kind == "purchase" { (1, products[p].price) } else { (0, 0) };
        rows.push((t, user.into(), sid.into(), kind, p, qty, price, oid.into(), ""));
    };
    // The available products of each leaf with at least three, in catalog order (deterministic).
    let rich: Vec<Vec<usize>> = leaves
        .iter()
        .map(|l| l.products.iter().copied().filter(|&p| products[p].available).collect::<Vec<_>>())
        .filter(|pool| pool.len() >= 3)
        .collect();
    // Trending: a product of the first rich leaf bought by PLANTED_SHOPPERS * 3 shoppers in the last 5 days.
    if let Some(l) = rich.first() {
        let p = l[l.len() - 1];
        for k in 0..PLANTED_SHOPPERS * 3 {
            let (user, sid, oid) = (format!("UT{k:05}"), format!("ST{k:06}"), format!("OT{k:06}"));
            let t = end - rng.range(3600, 5 * DAY);
            ev(rows, t, &user, &sid, "view", p, "");
            ev(rows, t + 30, &user, &sid, "cart", p, "");
            ev(rows, t + 90, &user, &sid, "purchase", p, &oid);
        }
        planted.push(("trending", p, None));
    }
    // Journeys: in three leaves, view A, then 1 to 5 days later (another session) view and buy B.
    for (j, l) in rich.iter().skip(1).take(3).enumerate() {
        let (a, b) = (l[l.len() - 1], l[l.len() - 2]);
        for k in 0..PLANTED_SHOPPERS {
            let user = format!("UJ{j}{k:04}");
            let t = end - rng.range(20 * DAY, 60 * DAY);
            ev(rows, t, &user, &format!("SJ{j}{k:04}a"), "view", a, "");
            let t2 = t + rng.range(DAY, 5 * DAY);
            let sid = format!("SJ{j}{k:04}b");
            ev(rows, t2, &user, &sid, "view", b, "");
            ev(rows, t2 + 40, &user, &sid, "cart", b, "");
            ev(rows, t2 + 120, &user, &sid, "purchase", b, &format!("OJ{j}{k:04}"));
        }
        planted.push(("journey", a, Some(b)));
    }
    // Bundles: three products of a leaf and two other leaves, bought together as one order.
    for (j, w) in rich.windows(3).skip(4).take(2).enumerate() {
        let items = [w[0][0], w[1][0], w[2][0]];
        for k in 0..PLANTED_SHOPPERS {
            let (user, sid, oid) = (format!("UB{j}{k:04}"), format!("SB{j}{k:04}"), format!("OB{j}{k:04}"));
            let mut t = end - rng.range(DAY, 80 * DAY);
            for &p in &items {
                ev(rows, t, &user, &sid, "view", p, "");
                ev(rows, t + 20, &user, &sid, "cart", p, "");
                t += 60;
            }
            for &p in &items {
                ev(rows, t + 60, &user, &sid, "purchase", p, &oid);
            }
        }
        planted.push(("bundle", items[0], Some(items[1])));
        planted.push(("bundle", items[0], Some(items[2])));
    }
    // Recurring: filter coffee (or any consumable: the last leaf with available products when
    // the catalogue has none), bought again every 12 to 16 days.
    let beans = leaves.iter().position(|l| l.name == "Filter Beans");
    let pool = |l: &Leaf| l.products.iter().copied().find(|&p| products[p].available);
    let coffee = beans.and_then(|b| pool(&leaves[b])).or_else(|| leaves.iter().rev().find_map(pool));
    if let Some(p) = coffee {
        for k in 0..PLANTED_SHOPPERS {
            let user = format!("UR{k:05}");
            let mut t = end - 85 * DAY + rng.range(0, 10 * DAY);
            let mut n = 0;
            while t < end - DAY {
                let (sid, oid) = (format!("SR{k:04}{n:02}"), format!("OR{k:04}{n:02}"));
                ev(rows, t, &user, &sid, "view", p, "");
                ev(rows, t + 30, &user, &sid, "cart", p, "");
                ev(rows, t + 90, &user, &sid, "purchase", p, &oid);
                t += rng.range(12 * DAY, 16 * DAY);
                n += 1;
            }
        }
        planted.push(("recurring", p, None));
    }
    // The `acme` account's office: four users take turns buying two bags of espresso beans every
    // 9 to 11 days (segment_recurring, segment_last_purchased).
    let espresso = leaves.iter().position(|l| l.name == "Espresso Beans").and_then(|b| pool(&leaves[b]));
    if let Some(p) = espresso {
        let mut t = end - 80 * DAY;
        let mut n = 0;
        while t < end - 2 * DAY {
            let (user, sid, oid) = (format!("UA{:04}", n % 4), format!("SA{n:05}"), format!("OA{n:05}"));
            let price = products[p].price;
            rows.push((t, user.clone(), sid.clone(), "view", p, 0, 0, String::new(), ACCOUNTS[0]));
            rows.push((t + 60, user, sid, "purchase", p, 2, price, oid, ACCOUNTS[0]));
            t += rng.range(9 * DAY, 11 * DAY);
            n += 1;
        }
        planted.push(("segment_recurring", p, None));
    }
    planted
}
