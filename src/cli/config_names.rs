//! Names in a configuration that match nothing in a catalog: blacklisted and force-included ids
//! that are not products, and filter brands, categories, tags and product ids that no product
//! has. The engine treats them as matching nothing (see `crate::filter`), so a typo would
//! quietly empty a widget or let a blacklisted product through; `edgerec build` and
//! `edgerec config --check --catalog` print these warnings instead.

use std::path::Path;

use super::output::thousands;
use super::{load_config, Error};
use crate::catalog::Catalog;
use crate::config::{Config, Filters};
use crate::ingest::catalog::read_catalog;

/// `edgerec config --check FILE [--catalog CATALOG]`: validates the file (an invalid one is an
/// error) and, given a catalog, prints a `warning:` line per name that matches nothing in it.
/// Warnings do not fail the check.
pub fn check(path: &Path, catalog: Option<&Path>) -> Result<(), Error> {
    let config = load_config(path)?;
    println!(
        "{}: valid ({} widgets: {})",
        path.display(),
        config.widgets.len(),
        config.widgets.keys().cloned().collect::<Vec<_>>().join(", ")
    );
    if let Some(catalog_path) = catalog {
        let (catalog, _) = read_catalog(catalog_path, false, &mut |_, _| {})?;
        let warnings = unmatched_names(&config, &catalog);
        let products = thousands(catalog.len() as u64);
        if warnings.is_empty() {
            println!(
                "every product, brand, category and tag it names is in {} ({products} products)",
                catalog_path.display()
            );
        }
        for w in &warnings {
            println!("warning: {w}");
        }
    }
    Ok(())
}

/// One warning per configured name that matches nothing in `catalog`, naming its key:
/// `blacklist[2]: "gift-cardd" is not in the catalog`,
/// `widgets.upsell.filters.brands: "Acme" matches no product`, `submodels.colors.groups[2]: no
/// product has a value in it (teal)`. In key order: the blacklist,
/// each editorial list's products, then each widget (by name) with its `force_include` and its
/// filters.
pub fn unmatched_names(config: &Config, catalog: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    let not_a_product = |key: &str, id: &str| format!("{key}: \"{id}\" is not in the catalog");
    for (i, id) in config.blacklist.iter().enumerate() {
        if catalog.index_of(id).is_none() {
            out.push(not_a_product(&format!("blacklist[{i}]"), id));
        }
    }
    for (name, l) in &config.lists {
        for (i, id) in l.products.iter().enumerate() {
            if catalog.index_of(id).is_none() {
                out.push(not_a_product(&format!("lists.{name}.products[{i}]"), id));
            }
        }
    }
    for (name, w) in &config.widgets {
        for (i, id) in w.force_include.iter().enumerate() {
            if catalog.index_of(id).is_none() {
                out.push(not_a_product(&format!("widgets.{name}.force_include[{i}]"), id));
            }
        }
        filter_names(&format!("widgets.{name}.filters"), &w.filters, catalog, &mut out);
    }
    for (name, s) in &config.submodels {
        if !catalog.has_attribute(&s.attribute) {
            let mut have = vec!["brand".to_string(), "price".to_string()];
            have.extend(catalog.attribute_names().iter().cloned());
            out.push(format!(
                "submodels.{name}.attribute: \"{}\" is not a catalog attribute (the catalog has {})",
                s.attribute,
                have.join(", ")
            ));
            continue;
        }
        let mut used = vec![false; s.group_count()];
        for g in catalog.submodel_groups(s).flatten() {
            used[g] = true;
        }
        let what = if s.numeric() { "ranges" } else { "groups" };
        for (i, _) in used.iter().enumerate().filter(|(_, u)| !**u) {
            out.push(format!("submodels.{name}.{what}[{i}]: no product has a value in it ({})", s.describe(i)));
        }
    }
    out
}

/// What a filter field names.
#[derive(Clone, Copy)]
enum Names {
    Brands,
    Categories,
    Tags,
    Products,
}

impl Names {
    /// Whether the catalog knows `name`, looked up as the filters look it up (`crate::filter`).
    fn known(self, catalog: &Catalog, name: &str) -> bool {
        match self {
            Names::Brands => catalog.brand_index(name).is_some(),
            Names::Categories => catalog.category_index(name).is_some(),
            Names::Tags => catalog.tag_index(name).is_some(),
            Names::Products => catalog.index_of(name).is_some(),
        }
    }

    /// The catalog's spellings to suggest when only the letter case differs.
    fn spellings(self, catalog: &Catalog) -> &[String] {
        match self {
            Names::Brands => catalog.brands(),
            Names::Categories => catalog.category_names(),
            Names::Tags | Names::Products => &[],
        }
    }
}

/// The filter fields that name catalog values: brands, categories, tags and product ids, to
/// include or to exclude.
fn filter_names(key: &str, f: &Filters, catalog: &Catalog, out: &mut Vec<String>) {
    let fields = [
        ("brands", &f.brands, Names::Brands),
        ("exclude_brands", &f.exclude_brands, Names::Brands),
        ("categories", &f.categories, Names::Categories),
        ("exclude_categories", &f.exclude_categories, Names::Categories),
        ("tags", &f.tags, Names::Tags),
        ("exclude_tags", &f.exclude_tags, Names::Tags),
        ("products", &f.products, Names::Products),
        ("exclude_products", &f.exclude_products, Names::Products),
    ];
    for (field, names, kind) in fields {
        for name in names.iter().flatten().filter(|n| !kind.known(catalog, n)) {
            let what = if let Names::Products = kind { "is not in the catalog" } else { "matches no product" };
            let hint = match kind.spellings(catalog).iter().find(|s| s.eq_ignore_ascii_case(name.trim())) {
                Some(s) => format!(" (the catalog has \"{s}\"; names are case-sensitive)"),
                None => String::new(),
            };
            out.push(format!("{key}.{field}: \"{name}\" {what}{hint}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogBuilder, ProductRecord};
    use crate::config::{Algorithm, WidgetConfig};

    fn catalog() -> Catalog {
        let mut b = CatalogBuilder::new();
        b.push(ProductRecord {
            id: "knife".into(),
            brand: "Acme".into(),
            categories: vec!["Kitchen > Knives".into()],
            tags: vec!["eco".into()],
            ..Default::default()
        });
        b.push(ProductRecord { id: "gift-card".into(), ..Default::default() });
        b.finish().unwrap()
    }

    #[test]
    fn names_that_match_nothing_are_reported_with_their_key() {
        let mut config = Config { blacklist: vec!["gift-card".into(), "gift-cardd".into()], ..Default::default() };
        config.widgets.clear();
        let mut w = WidgetConfig::for_algorithm(Algorithm::Upsell);
        w.force_include = vec!["knife".into(), "knive".into()];
        w.filters = Filters {
            brands: Some(vec!["Acme".into(), "acme".into(), "Nope".into()]),
            exclude_brands: Some(vec!["Gone".into()]),
            categories: Some(vec!["Kitchen".into(), "Kitchen>Knives".into(), "Garden".into()]),
            exclude_categories: Some(vec!["kitchen > knives".into()]),
            tags: Some(vec!["eco".into(), "Eco".into()]),
            exclude_tags: Some(vec!["used".into()]),
            products: Some(vec!["knife".into(), "spoon".into()]),
            exclude_products: Some(vec!["fork".into()]),
            ..Default::default()
        };
        config.widgets.insert("upsell".into(), w);
        let products = vec!["knife".into(), "knif".into()];
        config.lists.insert("picks".into(), crate::config::EditorialList { products, title: None });
        assert_eq!(
            unmatched_names(&config, &catalog()),
            [
                "blacklist[1]: \"gift-cardd\" is not in the catalog",
                "lists.picks.products[1]: \"knif\" is not in the catalog",
                "widgets.upsell.force_include[1]: \"knive\" is not in the catalog",
                "widgets.upsell.filters.brands: \"acme\" matches no product (the catalog has \"Acme\"; names are case-sensitive)",
                "widgets.upsell.filters.brands: \"Nope\" matches no product",
                "widgets.upsell.filters.exclude_brands: \"Gone\" matches no product",
                "widgets.upsell.filters.categories: \"Garden\" matches no product",
                "widgets.upsell.filters.exclude_categories: \"kitchen > knives\" matches no product (the catalog has \"Kitchen > Knives\"; names are case-sensitive)",
                "widgets.upsell.filters.tags: \"Eco\" matches no product",
                "widgets.upsell.filters.exclude_tags: \"used\" matches no product",
                "widgets.upsell.filters.products: \"spoon\" is not in the catalog",
                "widgets.upsell.filters.exclude_products: \"fork\" is not in the catalog",
            ]
        );
        assert!(unmatched_names(&Config::default(), &catalog()).is_empty(), "the defaults name nothing");
        // Submodels: an attribute the catalog lacks, and a group no product is in.
        let mut config = Config::default();
        let groups = vec![vec!["acme".to_string()], vec!["Umbra".to_string()]];
        config
            .submodels
            .insert("brands".into(), crate::config::Submodel { attribute: "brand".into(), groups, ranges: vec![] });
        config.submodels.insert(
            "sizes".into(),
            crate::config::Submodel { attribute: "size".into(), groups: vec![vec!["M".into()]], ranges: vec![] },
        );
        assert_eq!(
            unmatched_names(&config, &catalog()),
            [
                "submodels.brands.groups[1]: no product has a value in it (Umbra)",
                "submodels.sizes.attribute: \"size\" is not a catalog attribute (the catalog has brand, price)",
            ]
        );
    }
}
