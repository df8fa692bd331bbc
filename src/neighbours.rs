//! Per-product neighbour lists (co-occurrence), one table per kind, in compressed sparse rows.
//!
//! Row `p` of a table holds up to K (product, score) pairs, best first. Scores are quantised to
//! `u16` against the table's largest score, which keeps each entry at two to five bytes on disk
//! and scores comparable across rows (the in-session list adds them up across the session).

use serde::{Deserialize, Serialize};

use crate::columns::Csr;

/// What a neighbour table counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NeighbourKind {
    /// Viewed in the same session.
    ViewedTogether,
    /// Added to cart in the same session.
    CartedTogether,
    /// Bought in the same order (or the same session when orders are not given).
    BoughtTogether,
    /// Viewed soon after, in the same session (directed).
    ViewedNext,
    /// Alike by catalog attributes (learnt from the catalog alone).
    Similar,
    /// Viewed, then another product bought within the journey (directed).
    UltimatelyBought,
}

impl NeighbourKind {
    /// Every kind, in storage order.
    pub const ALL: [NeighbourKind; 6] = [
        NeighbourKind::ViewedTogether,
        NeighbourKind::CartedTogether,
        NeighbourKind::BoughtTogether,
        NeighbourKind::ViewedNext,
        NeighbourKind::Similar,
        NeighbourKind::UltimatelyBought,
    ];

    /// The kind's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            NeighbourKind::ViewedTogether => "viewed_together",
            NeighbourKind::CartedTogether => "carted_together",
            NeighbourKind::BoughtTogether => "bought_together",
            NeighbourKind::ViewedNext => "viewed_next",
            NeighbourKind::Similar => "similar",
            NeighbourKind::UltimatelyBought => "ultimately_bought",
        }
    }
}

/// One neighbour table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeighbourTable {
    /// Real score of a quantised score of 1.
    pub scale: f32,
    /// Row per product: (neighbour, quantised score), best first.
    pub rows: Csr<(u32, u16)>,
}

impl Default for NeighbourTable {
    fn default() -> Self {
        NeighbourTable { scale: 1.0, rows: Csr::new() }
    }
}

impl NeighbourTable {
    /// Builds a table from rows of real scores (each row best first).
    pub fn from_rows(rows: &[Vec<(u32, f32)>]) -> NeighbourTable {
        let max = rows.iter().flatten().map(|&(_, s)| s).fold(0.0f32, f32::max);
        let scale = if max > 0.0 { max / u16::MAX as f32 } else { 1.0 };
        let mut csr = Csr::new();
        for row in rows {
            csr.push_row(row.iter().map(|&(p, s)| (p, ((s / scale).round() as u32).clamp(1, u16::MAX as u32) as u16)));
        }
        NeighbourTable { scale, rows: csr }
    }

    /// The neighbours of product `p` with their real scores, best first.
    pub fn neighbours(&self, p: u32) -> impl ExactSizeIterator<Item = (u32, f32)> + '_ {
        let scale = self.scale;
        self.rows.row(p as usize).iter().map(move |&(q, s)| (q, s as f32 * scale))
    }

    /// The number of (product, neighbour) entries.
    pub fn entries(&self) -> usize {
        self.rows.values().len()
    }
}

/// Every neighbour table of a snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Neighbours {
    /// Viewed together.
    pub viewed: NeighbourTable,
    /// Carted together.
    pub carted: NeighbourTable,
    /// Bought together.
    pub bought: NeighbourTable,
    /// Viewed next.
    pub next: NeighbourTable,
    /// Similar by catalog attributes.
    pub similar: NeighbourTable,
    /// Ultimately bought after viewing.
    pub ultimately: NeighbourTable,
}

impl Neighbours {
    /// The table of one kind.
    pub fn table(&self, kind: NeighbourKind) -> &NeighbourTable {
        match kind {
            NeighbourKind::ViewedTogether => &self.viewed,
            NeighbourKind::CartedTogether => &self.carted,
            NeighbourKind::BoughtTogether => &self.bought,
            NeighbourKind::ViewedNext => &self.next,
            NeighbourKind::Similar => &self.similar,
            NeighbourKind::UltimatelyBought => &self.ultimately,
        }
    }

    /// The table of one kind, for the builder to fill.
    pub fn table_mut(&mut self, kind: NeighbourKind) -> &mut NeighbourTable {
        match kind {
            NeighbourKind::ViewedTogether => &mut self.viewed,
            NeighbourKind::CartedTogether => &mut self.carted,
            NeighbourKind::BoughtTogether => &mut self.bought,
            NeighbourKind::ViewedNext => &mut self.next,
            NeighbourKind::Similar => &mut self.similar,
            NeighbourKind::UltimatelyBought => &mut self.ultimately,
        }
    }

    /// Checks that every table has one row per product and names only catalog products.
    pub fn check(&self, products: usize) -> Result<(), String> {
        NeighbourKind::ALL.iter().try_for_each(|&kind| self.table(kind).check(kind.name(), products))
    }
}

impl NeighbourTable {
    /// Checks that the table `name` is empty or has one row per product, and names only catalog products.
    pub fn check(&self, name: &str, products: usize) -> Result<(), String> {
        if self.rows.rows() != products && self.rows.rows() != 0 {
            return Err(format!("the {name} table has {} rows for {products} products", self.rows.rows()));
        }
        if !(self.scale.is_finite() && self.scale > 0.0) {
            return Err(format!("the {name} table has an invalid score scale"));
        }
        if self.rows.values().iter().any(|&(q, _)| q as usize >= products) {
            return Err(format!("the {name} table names a product that is not in the catalog"));
        }
        Ok(())
    }
}

/// A `similar` table computed with a widget's own weights (`[widgets.NAME] similarity`): the
/// `neighbours.similar_widgets` section holds one per distinct set of weights.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimilarBy {
    /// The weights (attribute to weight, summing to 100).
    pub attributes: std::collections::BTreeMap<String, u32>,
    /// Similar products by those weights.
    pub table: NeighbourTable,
}

/// Checks every table of the `neighbours.similar_widgets` section.
pub fn check_similar_by(tables: &[SimilarBy], products: usize) -> Result<(), String> {
    tables.iter().try_for_each(|s| s.table.check("similar_widgets", products))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantised_scores_keep_order_and_scale() {
        let t = NeighbourTable::from_rows(&[vec![(1, 0.9), (2, 0.3)], vec![], vec![(0, 0.000_001)]]);
        let row: Vec<_> = t.neighbours(0).collect();
        assert_eq!(row[0].0, 1);
        assert!((row[0].1 - 0.9).abs() < 1e-4 && (row[1].1 - 0.3).abs() < 1e-4);
        assert_eq!(t.neighbours(1).len(), 0);
        assert!(t.neighbours(2).next().unwrap().1 > 0.0, "tiny scores stay positive");
        assert_eq!(t.entries(), 3);
    }
}
