//! Precomputed popularity lists: global and per category, best first, so "most purchased in
//! category X" is a slice, not a scan.

use serde::{Deserialize, Serialize};

use crate::columns::Csr;

/// Which count a popularity list ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PopularityKind {
    /// Product views, time-decayed.
    Views,
    /// Add-to-carts, time-decayed.
    Carts,
    /// Units bought in the recent window (`training.recent_days`).
    Purchases,
    /// The weighted blend of every event kind, time-decayed.
    Popular,
    /// Rising demand against each product's own baseline (`[trending]`).
    Trending,
}

impl PopularityKind {
    /// Every kind, in storage order.
    pub const ALL: [PopularityKind; 5] = [
        PopularityKind::Views,
        PopularityKind::Carts,
        PopularityKind::Purchases,
        PopularityKind::Popular,
        PopularityKind::Trending,
    ];

    /// The kind's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            PopularityKind::Views => "views",
            PopularityKind::Carts => "carts",
            PopularityKind::Purchases => "purchases",
            PopularityKind::Popular => "popular",
            PopularityKind::Trending => "trending",
        }
    }
}

/// One ranking: the global top list and one top list per category (indexed by category).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PopularityList {
    /// (product, score), best first.
    pub global: Vec<(u32, f32)>,
    /// Row `c`: (product, score) of category `c` and its subcategories, best first.
    pub by_category: Csr<(u32, f32)>,
}

/// Every popularity ranking of a snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Popularity {
    /// Most viewed.
    pub views: PopularityList,
    /// Most carted.
    pub carts: PopularityList,
    /// Most purchased in the recent window.
    pub purchases: PopularityList,
    /// The blend.
    pub popular: PopularityList,
    /// Trending.
    pub trending: PopularityList,
}

impl Popularity {
    /// The list of one kind.
    pub fn list(&self, kind: PopularityKind) -> &PopularityList {
        match kind {
            PopularityKind::Views => &self.views,
            PopularityKind::Carts => &self.carts,
            PopularityKind::Purchases => &self.purchases,
            PopularityKind::Popular => &self.popular,
            PopularityKind::Trending => &self.trending,
        }
    }

    /// The list of one kind, for the builder to fill.
    pub fn list_mut(&mut self, kind: PopularityKind) -> &mut PopularityList {
        match kind {
            PopularityKind::Views => &mut self.views,
            PopularityKind::Carts => &mut self.carts,
            PopularityKind::Purchases => &mut self.purchases,
            PopularityKind::Popular => &mut self.popular,
            PopularityKind::Trending => &mut self.trending,
        }
    }

    /// Checks that every product and category index is in range.
    pub fn check(&self, products: usize, categories: usize) -> Result<(), String> {
        PopularityKind::ALL.iter().try_for_each(|&kind| self.list(kind).check(kind.name(), products, categories))
    }
}

impl PopularityList {
    /// Checks that the list `name` has one row per category and names only catalog products.
    pub fn check(&self, name: &str, products: usize, categories: usize) -> Result<(), String> {
        if self.by_category.rows() != categories {
            return Err(format!(
                "the {name} list has {} category rows for {categories} categories",
                self.by_category.rows()
            ));
        }
        if self.global.iter().chain(self.by_category.values()).any(|&(p, s)| p as usize >= products || !s.is_finite()) {
            return Err(format!("the {name} list names a product that is not in the catalog"));
        }
        Ok(())
    }
}
