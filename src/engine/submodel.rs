//! Submodels at request time: each `[submodels.NAME]` compiled once into every product's group,
//! and a widget's selections (`submodels = { colors = "$product" }`) resolved per request into
//! the groups its own steps keep to.

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::config::{Submodel, PRODUCT_VALUE};

/// No group: the product's value is in none, or it has none.
const NONE: u16 = u16::MAX;

/// One submodel compiled against the catalog.
#[derive(Debug, Clone)]
pub(super) struct Table {
    name: String,
    def: Submodel,
    /// Each product's group ([`NONE`] when in none).
    of: Vec<u16>,
}

/// Compiles every submodel (in name order) against the catalog. An attribute the catalog does
/// not have gives every product no group (the builder warns about it).
pub(super) fn tables(defs: &BTreeMap<String, Submodel>, c: &Catalog) -> Vec<Table> {
    defs.iter()
        .map(|(name, def)| {
            let of = c.submodel_groups(def).map(|g| g.map_or(NONE, |g| g as u16)).collect();
            Table { name: name.clone(), def: def.clone(), of }
        })
        .collect()
}

/// What a widget selects in one submodel.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pick {
    /// That group.
    Group(u16),
    /// The current product's group.
    Product,
}

/// A widget's submodel selections, compiled: (table index, pick). Values in no group are left
/// out (the main model applies for that submodel).
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Selection(Vec<(u16, Pick)>);

impl Selection {
    /// Compiles `submodels = { NAME = VALUE }` against the tables (unknown names are refused by
    /// validation before this).
    pub(super) fn compile(wanted: &[(String, String)], tables: &[Table]) -> Selection {
        let mut picks = Vec::with_capacity(wanted.len());
        for (name, v) in wanted {
            let Some(t) = tables.iter().position(|t| t.name == *name) else { continue };
            let pick = if v == PRODUCT_VALUE {
                Some(Pick::Product)
            } else {
                tables[t].def.group_of(v).map(|g| Pick::Group(g as u16))
            };
            if let Some(pick) = pick {
                picks.push((t as u16, pick));
            }
        }
        Selection(picks)
    }

    /// The (table, group) pairs a request keeps to: `$product` is the current product's group,
    /// and left out when there is no current product or it is in no group.
    pub(super) fn resolve(&self, tables: &[Table], current: Option<u32>) -> Vec<(u16, u16)> {
        self.0
            .iter()
            .filter_map(|&(t, pick)| match pick {
                Pick::Group(g) => Some((t, g)),
                Pick::Product => {
                    let g = tables[t as usize].of.get(current? as usize).copied()?;
                    (g != NONE).then_some((t, g))
                }
            })
            .collect()
    }
}

/// Whether product `p` is in every group of `groups`.
pub(super) fn contains(tables: &[Table], groups: &[(u16, u16)], p: u32) -> bool {
    groups.iter().all(|&(t, g)| tables[t as usize].of.get(p as usize) == Some(&g))
}

/// The groups in words, for answers: `colors: lime, green, olive`.
pub(super) fn describe(tables: &[Table], groups: &[(u16, u16)]) -> Vec<String> {
    groups
        .iter()
        .map(|&(t, g)| {
            let t = &tables[t as usize];
            format!("{}: {}", t.name, t.def.describe(g as usize))
        })
        .collect()
}
