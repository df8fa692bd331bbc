//! Bundles: exact combinations of 2 to 4 products bought together in one order, as the
//! `bundles` snapshot section holds them.
//!
//! A bundle is kept only when at least `min_count` distinct shoppers bought exactly that
//! combination (each in an order of their own); its `orders` is that number of shoppers, so it
//! never says more about any one shopper. Each product lists the bundles that contain it, most
//! bought first.

use serde::{Deserialize, Serialize};

use crate::columns::Csr;

/// The most products in one bundle.
pub const MAX_BUNDLE: usize = 4;

/// Every bundle of a snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bundles {
    /// Row `b`: the products of bundle `b`, sorted by index.
    pub items: Csr<u32>,
    /// Distinct shoppers who bought bundle `b` as one order.
    pub orders: Vec<u32>,
    /// Row `p`: the bundles that contain product `p`, most bought first (ties by bundle index).
    pub by_product: Csr<u32>,
}

impl Bundles {
    /// Bundles from (sorted products, shoppers) pairs, each kept as given.
    pub fn from_counted(products: usize, mut counted: Vec<(Vec<u32>, u32)>) -> Bundles {
        counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut items = Csr::new();
        let mut of: Vec<Vec<u32>> = vec![Vec::new(); products];
        for (b, (ps, _)) in counted.iter().enumerate() {
            items.push_row(ps.iter().copied());
            for &p in ps {
                of[p as usize].push(b as u32);
            }
        }
        let mut by_product = Csr::new();
        for row in of {
            by_product.push_row(row);
        }
        Bundles { items, orders: counted.iter().map(|c| c.1).collect(), by_product }
    }

    /// The number of bundles.
    pub fn len(&self) -> usize {
        self.orders.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.orders.is_empty()
    }

    /// The bundles that contain `p`, most bought first.
    pub fn of(&self, p: u32) -> &[u32] {
        self.by_product.row(p as usize)
    }

    /// The products of bundle `b`.
    pub fn products(&self, b: u32) -> &[u32] {
        self.items.row(b as usize)
    }

    /// Checks every index against the catalog and the bundles against each other.
    pub fn check(&self, products: usize) -> Result<(), String> {
        if self.items.rows() != self.orders.len() {
            return Err(format!("{} bundles but {} order counts", self.items.rows(), self.orders.len()));
        }
        if self.by_product.rows() != products && self.by_product.rows() != 0 {
            return Err(format!("{} product rows for {products} products", self.by_product.rows()));
        }
        for b in 0..self.items.rows() {
            let row = self.items.row(b);
            if row.len() < 2 || row.len() > MAX_BUNDLE || row.windows(2).any(|w| w[0] >= w[1]) {
                return Err(format!("bundle {b} is not 2 to {MAX_BUNDLE} distinct sorted products"));
            }
            if row.iter().any(|&p| p as usize >= products) {
                return Err(format!("bundle {b} names a product that is not in the catalog"));
            }
        }
        if self.by_product.values().iter().any(|&b| b as usize >= self.orders.len()) {
            return Err("a product names a bundle that does not exist".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_list_their_bundles_most_bought_first() {
        let b = Bundles::from_counted(4, vec![(vec![0, 1], 3), (vec![0, 1, 2], 5), (vec![2, 3], 4)]);
        assert_eq!(b.len(), 3);
        assert_eq!(b.orders, [5, 4, 3]);
        assert_eq!(b.of(0).iter().map(|&x| b.products(x).to_vec()).collect::<Vec<_>>(), [vec![0, 1, 2], vec![0, 1]]);
        assert_eq!(b.of(3), &[1]);
        assert!(b.check(4).is_ok());
        assert!(b.check(3).is_err(), "product 3 is out of a 3-product catalog");
    }
}
