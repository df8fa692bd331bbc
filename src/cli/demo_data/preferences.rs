//! `edgerec demo-data --preferences`: planted shopper tastes, so that personalisation has a real
//! signal to find (docs/personalization.md, "Measured lift").
//!
//! Each shopper gets a preferred brand (one of their favourite department's brands, uniformly,
//! so that a taste is not just what is popular) and a preferred colour. Whenever the shopper
//! picks a product of a type, with the probability given (`--preferences SHARE`, 0.5 by
//! default) they look at [`CANDIDATES`] products
//! of that type (drawn as the store's popularity draws them) and take the one that matches their
//! taste best (brand and colour, then brand, then colour; else the first). Tastes and choices
//! come from a generator of their own, so the store keeps its shape (catalog, shoppers, session
//! lengths, cart and order rates), though not its exact events: a changed product changes the
//! draws that follow it (its planted complement, for one).

use std::path::Path;

use super::{Error, Product, Rng};

/// Products looked at for a choice made by taste.
pub const CANDIDATES: usize = 6;

/// One shopper's planted taste.
#[derive(Debug, Clone, Copy)]
pub struct Taste {
    /// The preferred brand.
    pub brand: &'static str,
    /// The preferred colour.
    pub color: &'static str,
}

/// The generator of tastes and choices.
pub struct Preferences {
    rng: Rng,
    /// The share of choices made by taste.
    share: f64,
}

impl Preferences {
    /// A generator for the store of `seed` (independent of the store's own draws), whose
    /// shoppers make `share` of their choices by taste.
    pub fn new(seed: u64, share: f64) -> Preferences {
        Preferences { rng: Rng::new(seed ^ 0x7a57_e5ee_d000_0001), share }
    }

    /// A new shopper's taste: one of `brands` and one of `colors`, uniformly.
    pub fn taste(&mut self, brands: &[&'static str], colors: &[&'static str]) -> Taste {
        let brand = brands[self.rng.below(brands.len())];
        let color = colors[self.rng.below(colors.len())];
        Taste { brand, color }
    }

    /// The product chosen from `pool` (a type's products, most popular first) by a shopper of
    /// `taste` whose choice without a taste would have been `plain`.
    pub fn choose(&mut self, taste: &Taste, pool: &[usize], products: &[Product], plain: usize) -> usize {
        if pool.len() < 2 || !self.rng.chance(self.share) {
            return plain;
        }
        let fit =
            |p: usize| 2 * u32::from(products[p].brand == taste.brand) + u32::from(products[p].color == taste.color);
        let mut best = plain;
        for _ in 1..CANDIDATES {
            let p = pool[self.rng.zipf(pool.len(), 1.0)];
            if fit(p) > fit(best) {
                best = p;
            }
        }
        best
    }
}

/// Writes `user_id,brand,color` for the logged-in shoppers (anonymous ones have tastes too, but
/// no id to name them by).
pub fn write(path: &Path, tastes: &[(String, Taste)]) -> Result<(), Error> {
    let mut w = csv::Writer::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    w.write_record(["user_id", "brand", "color"])?;
    for (user, t) in tastes {
        w.write_record([user.as_str(), t.brand, t.color])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(brand: &'static str, color: &'static str) -> Product {
        Product { id: String::new(), leaf: 0, price: 100, available: true, brand, color }
    }

    #[test]
    fn choices_lean_to_the_taste() {
        let products: Vec<Product> = (0..20)
            .map(|i| product(["A", "B", "C", "D"][i % 4], ["red", "blue", "green", "grey", "black"][i % 5]))
            .collect();
        let pool: Vec<usize> = (0..20).collect();
        let mut prefs = Preferences::new(1, 0.5);
        let taste = Taste { brand: "C", color: "green" };
        let mut plain = Rng::new(2);
        let (mut brand, mut plain_brand) = (0, 0);
        let n = 4000;
        for _ in 0..n {
            let p = pool[plain.zipf(pool.len(), 1.0)];
            plain_brand += usize::from(products[p].brand == "C");
            brand += usize::from(products[prefs.choose(&taste, &pool, &products, p)].brand == "C");
        }
        // Without a taste a quarter of the choices are brand C (less: popularity favours index 0).
        assert!(plain_brand < n * 3 / 10, "{plain_brand}");
        // With one, half the choices look at six products: twice as many end on brand C.
        assert!(brand > 2 * plain_brand, "{brand} against {plain_brand} of {n}");
        // A pool of one product leaves no choice.
        assert_eq!(prefs.choose(&taste, &[3], &products, 3), 3);
    }
}
