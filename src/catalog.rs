//! The product catalog as the engine reads it: one column per attribute (struct of arrays).
//!
//! Products are interned to dense `u32` indices sorted by id, so index order is id order and
//! "ties broken by product id" is an integer comparison. Brands, categories and tags are indices
//! into sorted string tables; a product's categories include every ancestor, so a category filter
//! is a binary search in a short sorted list, never a string comparison at query time.

use std::collections::BTreeSet;
use std::hash::Hasher;

use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};

use crate::columns::{Csr, StrColumn};

/// Separates the levels of a category path (`Home > Kitchen > Knives`).
pub const LEVEL_SEPARATOR: &str = " > ";

/// One product as the builder or a test hands it to [`CatalogBuilder`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductRecord {
    /// The storefront's product id (SKU).
    pub id: String,
    /// Display name.
    pub title: String,
    /// Brand name (empty: none).
    pub brand: String,
    /// Category paths, levels separated by `>`.
    pub categories: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Selling price in cents.
    pub price: Option<u32>,
    /// List price before discount, in cents.
    pub compare_at: Option<u32>,
    /// Units in stock; `None` when not tracked.
    pub stock: Option<i32>,
    /// Day added to the catalog (days since 1970-01-01).
    pub created: Option<i32>,
    /// Product page URL.
    pub url: String,
    /// Image URL.
    pub image: String,
    /// Extra attributes (unknown catalog columns), for display.
    pub attributes: Vec<(String, String)>,
}

/// The catalog columns. Build one with [`CatalogBuilder`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Catalog {
    ids: StrColumn,
    titles: StrColumn,
    urls: StrColumn,
    images: StrColumn,
    /// Brand index + 1 (0: no brand).
    brand: Vec<u32>,
    brands: Vec<String>,
    /// Assigned categories (the last level of each path), sorted.
    categories: Csr<u32>,
    category_names: Vec<String>,
    /// Parent category index + 1 (0: a top-level category).
    category_parent: Vec<u32>,
    tags: Csr<u32>,
    tag_names: Vec<String>,
    price: Vec<Option<u32>>,
    compare_at: Vec<Option<u32>>,
    stock: Vec<Option<i32>>,
    created: Vec<Option<i32>>,
    attribute_names: Vec<String>,
    attributes: Vec<StrColumn>,
    #[serde(skip)]
    derived: Derived,
}

/// Lookup structures computed when a catalog is built or decoded, never stored.
#[derive(Debug, Clone, Default)]
struct Derived {
    /// Categories with all their ancestors, sorted.
    all_categories: Csr<u32>,
    /// Open-addressing hash table of product indices by id.
    slots: Vec<u32>,
}

const EMPTY: u32 = u32::MAX;

fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

/// Where a submodel's attribute is stored in the catalog.
#[derive(Clone, Copy)]
enum AttributeSource {
    /// An extra column (its index).
    Column(usize),
    Brand,
    Price,
}

/// Why a decoded catalog is inconsistent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError(pub String);

impl Catalog {
    /// The number of products.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the catalog has no products.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The index of a product id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        let slots = &self.derived.slots;
        if slots.is_empty() {
            return None;
        }
        let mask = slots.len() - 1;
        let mut i = hash_str(id) as usize & mask;
        loop {
            let p = slots[i];
            if p == EMPTY {
                return None;
            }
            if self.ids.get(p as usize) == id {
                return Some(p);
            }
            i = (i + 1) & mask;
        }
    }

    /// The id of product `p`.
    pub fn id(&self, p: u32) -> &str {
        self.ids.get(p as usize)
    }
    /// The title of product `p`.
    pub fn title(&self, p: u32) -> &str {
        self.titles.get(p as usize)
    }
    /// The URL of product `p`.
    pub fn url(&self, p: u32) -> &str {
        self.urls.get(p as usize)
    }
    /// The image URL of product `p`.
    pub fn image(&self, p: u32) -> &str {
        self.images.get(p as usize)
    }
    /// The brand index of product `p`.
    pub fn brand(&self, p: u32) -> Option<u32> {
        self.brand[p as usize].checked_sub(1)
    }
    /// The brand name of product `p` (empty when none).
    pub fn brand_name(&self, p: u32) -> &str {
        self.brand(p).map_or("", |b| &self.brands[b as usize])
    }
    /// The index of a brand name.
    pub fn brand_index(&self, name: &str) -> Option<u32> {
        self.brands.binary_search_by(|b| b.as_str().cmp(name)).ok().map(|i| i as u32)
    }
    /// All brand names, sorted.
    pub fn brands(&self) -> &[String] {
        &self.brands
    }
    /// The categories product `p` was assigned (last level of each path), sorted.
    pub fn categories(&self, p: u32) -> &[u32] {
        self.categories.row(p as usize)
    }
    /// The categories of product `p` with all their ancestors, sorted.
    pub fn all_categories(&self, p: u32) -> &[u32] {
        self.derived.all_categories.row(p as usize)
    }
    /// Whether product `p` is in category `c` or one of its subcategories.
    pub fn in_category(&self, p: u32, c: u32) -> bool {
        self.all_categories(p).binary_search(&c).is_ok()
    }
    /// Full path of category `c` (`Home > Kitchen`).
    pub fn category_name(&self, c: u32) -> &str {
        &self.category_names[c as usize]
    }
    /// The parent of category `c`.
    pub fn category_parent(&self, c: u32) -> Option<u32> {
        self.category_parent[c as usize].checked_sub(1)
    }
    /// The index of a category by its full path; spacing around `>` is forgiven.
    pub fn category_index(&self, path: &str) -> Option<u32> {
        let norm = normalise_path(path)?;
        self.category_names.binary_search(&norm).ok().map(|i| i as u32)
    }
    /// All category paths, sorted.
    pub fn category_names(&self) -> &[String] {
        &self.category_names
    }
    /// Tag indices of product `p`, sorted.
    pub fn tags(&self, p: u32) -> &[u32] {
        self.tags.row(p as usize)
    }
    /// Name of tag `t`.
    pub fn tag_name(&self, t: u32) -> &str {
        &self.tag_names[t as usize]
    }
    /// All tag names, sorted.
    pub fn tag_names(&self) -> &[String] {
        &self.tag_names
    }
    /// The index of a tag.
    pub fn tag_index(&self, name: &str) -> Option<u32> {
        self.tag_names.binary_search_by(|t| t.as_str().cmp(name)).ok().map(|i| i as u32)
    }
    /// Price of product `p` in cents.
    pub fn price(&self, p: u32) -> Option<u32> {
        self.price[p as usize]
    }
    /// Compare-at (list) price of product `p` in cents.
    pub fn compare_at(&self, p: u32) -> Option<u32> {
        self.compare_at[p as usize]
    }
    /// Discount of product `p` in percent (0 without a higher compare-at price).
    pub fn discount_percent(&self, p: u32) -> f64 {
        match (self.price(p), self.compare_at(p)) {
            (Some(price), Some(was)) if was > price => 100.0 * (1.0 - price as f64 / was as f64),
            _ => 0.0,
        }
    }
    /// Stock of product `p`; `None` when not tracked.
    pub fn stock(&self, p: u32) -> Option<i32> {
        self.stock[p as usize]
    }
    /// Whether product `p` is tracked and has no stock.
    pub fn out_of_stock(&self, p: u32) -> bool {
        matches!(self.stock(p), Some(s) if s <= 0)
    }
    /// Day product `p` was added (days since 1970-01-01).
    pub fn created(&self, p: u32) -> Option<i32> {
        self.created[p as usize]
    }
    /// Names of the extra attributes.
    pub fn attribute_names(&self) -> &[String] {
        &self.attribute_names
    }
    /// Where a submodel's `attribute` is read: an extra catalog column of that name, else `brand`,
    /// else `price`; `None` when the catalog has no such attribute.
    fn attribute_source(&self, attribute: &str) -> Option<AttributeSource> {
        match self.attribute_names.iter().position(|n| n == attribute) {
            Some(col) => Some(AttributeSource::Column(col)),
            None if attribute == "brand" => Some(AttributeSource::Brand),
            None if attribute == "price" => Some(AttributeSource::Price),
            None => None,
        }
    }

    /// Whether the catalog has the attribute a submodel reads (see [`Catalog::submodel_groups`]).
    pub fn has_attribute(&self, attribute: &str) -> bool {
        self.attribute_source(attribute).is_some()
    }

    /// Every product's group in `submodel`, in catalog order (`None`: in no group, no value, or
    /// an attribute the catalog lacks): an extra column or `brand` by its text, `price` in
    /// currency units. The attribute is looked up once.
    pub fn submodel_groups<'a>(
        &'a self,
        submodel: &'a crate::config::Submodel,
    ) -> impl Iterator<Item = Option<usize>> + 'a {
        let source = self.attribute_source(&submodel.attribute);
        let text = move |v: &str| Some(v).filter(|v| !v.is_empty()).and_then(|v| submodel.group_of(v));
        (0..self.len() as u32).map(move |p| match source? {
            AttributeSource::Column(col) => text(self.attributes[col].get(p as usize)),
            AttributeSource::Brand => text(self.brand_name(p)),
            AttributeSource::Price => submodel.group_of_number(f64::from(self.price(p)?) / 100.0),
        })
    }
    /// Extra attributes of product `p` that are set, as (name, value).
    pub fn attributes(&self, p: u32) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.attribute_names
            .iter()
            .zip(&self.attributes)
            .map(move |(n, col)| (n.as_str(), col.get(p as usize)))
            .filter(|(_, v)| !v.is_empty())
    }

    /// Checks that every column has one entry per product and every index is in range, then
    /// builds the lookup structures. Decoding calls this; it never panics.
    pub fn prepare(&mut self) -> Result<(), CatalogError> {
        let n = self.ids.len();
        let bad =
            |what: &str| Err(CatalogError(format!("catalog column `{what}` does not have one entry per product")));
        for (what, len) in [
            ("titles", self.titles.len()),
            ("urls", self.urls.len()),
            ("images", self.images.len()),
            ("brand", self.brand.len()),
            ("categories", self.categories.rows()),
            ("tags", self.tags.rows()),
            ("price", self.price.len()),
            ("compare_at", self.compare_at.len()),
            ("stock", self.stock.len()),
            ("created", self.created.len()),
        ] {
            if len != n {
                return bad(what);
            }
        }
        if self.attributes.len() != self.attribute_names.len() || self.attributes.iter().any(|c| c.len() != n) {
            return bad("attributes");
        }
        if self.brand.iter().any(|&b| b as usize > self.brands.len()) {
            return Err(CatalogError("a product's brand is not in the brand table".into()));
        }
        let nc = self.category_names.len();
        if self.category_parent.len() != nc
            || self.category_parent.iter().enumerate().any(|(c, &p)| p as usize > nc || p as usize == c + 1)
        {
            return Err(CatalogError("the category tree is inconsistent".into()));
        }
        if self.categories.values().iter().any(|&c| c as usize >= nc) {
            return Err(CatalogError("a product's category is not in the category table".into()));
        }
        if self.tags.values().iter().any(|&t| t as usize >= self.tag_names.len()) {
            return Err(CatalogError("a product's tag is not in the tag table".into()));
        }
        if self.ids.iter().zip(self.ids.iter().skip(1)).any(|(a, b)| a >= b) {
            return Err(CatalogError("product ids are not sorted and unique".into()));
        }
        // Ancestors, walking up at most `nc` levels so a cycle cannot hang.
        let mut all = Csr::new();
        let mut row = Vec::new();
        for p in 0..n {
            row.clear();
            for &c in self.categories.row(p) {
                let mut cur = Some(c);
                let mut steps = 0;
                while let Some(x) = cur {
                    row.push(x);
                    steps += 1;
                    if steps > nc {
                        return Err(CatalogError("the category tree has a cycle".into()));
                    }
                    cur = self.category_parent[x as usize].checked_sub(1);
                }
            }
            row.sort_unstable();
            row.dedup();
            all.push_row(row.iter().copied());
        }
        let cap = (n * 2).next_power_of_two().max(2);
        let mut slots = vec![EMPTY; cap];
        for p in 0..n {
            let mut i = hash_str(self.ids.get(p)) as usize & (cap - 1);
            while slots[i] != EMPTY {
                i = (i + 1) & (cap - 1);
            }
            slots[i] = p as u32;
        }
        self.derived = Derived { all_categories: all, slots };
        Ok(())
    }

    /// Approximate bytes held in memory by the catalog.
    pub fn heap_bytes(&self) -> usize {
        let strs = [&self.ids, &self.titles, &self.urls, &self.images]
            .iter()
            .chain(self.attributes.iter().collect::<Vec<_>>().iter())
            .map(|c| c.data_len() + 4 * c.len())
            .sum::<usize>();
        strs + self.len() * (4 + 8 + 8 + 8 + 8)
            + 4 * (self.categories.values().len()
                + self.tags.values().len()
                + self.derived.all_categories.values().len())
            + 4 * self.derived.slots.len()
    }
}

/// Turns a category path into its canonical spelling (`A > B > C`); `None` when empty.
pub fn normalise_path(path: &str) -> Option<String> {
    let levels: Vec<&str> = path.split('>').map(str::trim).filter(|l| !l.is_empty()).collect();
    if levels.is_empty() {
        None
    } else {
        Some(levels.join(LEVEL_SEPARATOR))
    }
}

/// Collects [`ProductRecord`]s and produces a [`Catalog`].
#[derive(Debug, Default)]
pub struct CatalogBuilder {
    products: Vec<ProductRecord>,
}

/// A product id given twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateId(pub String);

impl CatalogBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a product.
    pub fn push(&mut self, product: ProductRecord) {
        self.products.push(product);
    }

    /// The number of products added.
    pub fn len(&self) -> usize {
        self.products.len()
    }

    /// Whether no product was added.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    /// Sorts products by id, interns brands, categories and tags, and builds the catalog.
    /// Fails on the first duplicate id.
    pub fn finish(mut self) -> Result<Catalog, DuplicateId> {
        self.products.sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(w) = self.products.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(DuplicateId(w[0].id.clone()));
        }
        let brands: Vec<String> = self
            .products
            .iter()
            .filter(|p| !p.brand.is_empty())
            .map(|p| p.brand.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let tag_names: Vec<String> = self
            .products
            .iter()
            .flat_map(|p| p.tags.iter().cloned())
            .filter(|t| !t.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // Every prefix of every path is a category.
        let mut paths = BTreeSet::new();
        let normalised: Vec<Vec<String>> =
            self.products.iter().map(|p| p.categories.iter().filter_map(|c| normalise_path(c)).collect()).collect();
        for path in normalised.iter().flatten() {
            let mut prefix = String::new();
            for level in path.split(LEVEL_SEPARATOR) {
                if !prefix.is_empty() {
                    prefix.push_str(LEVEL_SEPARATOR);
                }
                prefix.push_str(level);
                paths.insert(prefix.clone());
            }
        }
        let category_names: Vec<String> = paths.into_iter().collect();
        let find = |name: &str| category_names.binary_search_by(|c| c.as_str().cmp(name)).ok().map(|i| i as u32);
        let category_parent = category_names
            .iter()
            .map(|c| c.rfind(LEVEL_SEPARATOR).and_then(|i| find(&c[..i])).map_or(0, |i| i + 1))
            .collect();

        let mut attribute_names: Vec<String> = self
            .products
            .iter()
            .flat_map(|p| p.attributes.iter().map(|(k, _)| k.clone()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        attribute_names.retain(|n| !n.is_empty());
        let mut attributes = vec![StrColumn::new(); attribute_names.len()];

        let mut c = Catalog { brands, tag_names, attribute_names, ..Default::default() };
        for (p, cats) in self.products.iter().zip(&normalised) {
            c.ids.push(&p.id);
            c.titles.push(&p.title);
            c.urls.push(&p.url);
            c.images.push(&p.image);
            c.brand.push(if p.brand.is_empty() { 0 } else { c.brand_index(&p.brand).map_or(0, |b| b + 1) });
            let mut row: Vec<u32> = cats.iter().filter_map(|x| find(x)).collect();
            row.sort_unstable();
            row.dedup();
            c.categories.push_row(row);
            let mut row: Vec<u32> = p.tags.iter().filter_map(|t| c.tag_index(t)).collect();
            row.sort_unstable();
            row.dedup();
            c.tags.push_row(row);
            c.price.push(p.price);
            c.compare_at.push(p.compare_at);
            c.stock.push(p.stock);
            c.created.push(p.created);
            for (name, col) in c.attribute_names.iter().zip(attributes.iter_mut()) {
                col.push(p.attributes.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str()));
            }
        }
        c.category_names = category_names;
        c.category_parent = category_parent;
        c.attributes = attributes;
        c.prepare().expect("a catalog built from records is consistent");
        Ok(c)
    }
}

/// A catalog of products with these ids (titled the same), for tests.
#[cfg(test)]
pub fn test_catalog(ids: &[&str]) -> Catalog {
    let mut b = CatalogBuilder::new();
    for &id in ids {
        b.push(ProductRecord { id: id.into(), title: id.into(), ..Default::default() });
    }
    b.finish().expect("distinct ids")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(id: &str, brand: &str, cats: &[&str]) -> ProductRecord {
        ProductRecord {
            id: id.into(),
            title: format!("Title {id}"),
            brand: brand.into(),
            categories: cats.iter().map(|s| s.to_string()).collect(),
            tags: vec!["sale".into()],
            price: Some(1000),
            compare_at: Some(2000),
            stock: None,
            attributes: vec![("color".into(), "red".into())],
            ..Default::default()
        }
    }

    fn catalog() -> Catalog {
        let mut b = CatalogBuilder::new();
        b.push(product("b", "Acme", &["Home > Kitchen > Knives", "Gifts"]));
        b.push(product("a", "", &["Home>Garden"]));
        b.push(product("c", "Zed", &[]));
        b.finish().unwrap()
    }

    #[test]
    fn products_are_sorted_by_id_and_found_by_hash() {
        let c = catalog();
        assert_eq!((0..3).map(|p| c.id(p)).collect::<Vec<_>>(), vec!["a", "b", "c"]);
        assert_eq!(c.index_of("b"), Some(1));
        assert_eq!(c.index_of("nope"), None);
        assert_eq!(c.brand_name(0), "");
        assert_eq!(c.brand_name(1), "Acme");
        assert_eq!(c.brand_index("Zed"), Some(1));
    }

    #[test]
    fn categories_include_ancestors() {
        let c = catalog();
        let knives = c.category_index("Home > Kitchen > Knives").unwrap();
        let home = c.category_index("Home").unwrap();
        let kitchen = c.category_index(" Home >Kitchen").unwrap();
        assert_eq!(c.category_parent(knives), Some(kitchen));
        assert_eq!(c.category_parent(home), None);
        assert!(c.in_category(1, home) && c.in_category(1, kitchen) && c.in_category(1, knives));
        assert!(c.in_category(0, home) && !c.in_category(0, kitchen));
        assert_eq!(c.categories(1).len(), 2, "assigned: Knives and Gifts");
        assert_eq!(c.all_categories(1).len(), 4);
        assert!(c.all_categories(2).is_empty());
    }

    #[test]
    fn discount_and_attributes() {
        let c = catalog();
        assert!((c.discount_percent(0) - 50.0).abs() < 1e-9);
        assert_eq!(c.attributes(0).collect::<Vec<_>>(), vec![("color", "red")]);
        assert_eq!(c.tag_name(c.tags(0)[0]), "sale");
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let mut b = CatalogBuilder::new();
        b.push(product("x", "", &[]));
        b.push(product("x", "", &[]));
        assert_eq!(b.finish().unwrap_err(), DuplicateId("x".into()));
    }

    #[test]
    fn decoding_checks_consistency() {
        let c = catalog();
        let bytes = postcard::to_allocvec(&c).unwrap();
        let mut back: Catalog = postcard::from_bytes(&bytes).unwrap();
        back.prepare().unwrap();
        assert_eq!(back.index_of("c"), Some(2));
        assert_eq!(back.all_categories(1), c.all_categories(1));
        let mut broken = c.clone();
        broken.brand.push(7);
        assert!(broken.prepare().is_err());
        let mut cyclic = c;
        cyclic.category_parent[0] = 2;
        cyclic.category_parent[1] = 1;
        assert!(cyclic.prepare().is_err());
    }
}
