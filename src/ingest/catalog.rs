//! Reading `catalog.csv` / `.ndjson`: one product per row; unknown columns become extra attributes.

use std::collections::HashSet;
use std::path::Path;

use super::{for_each_row_in, open, parse_cents, InputError, Opened, Problem, Report, Row};
use crate::catalog::{Catalog, CatalogBuilder, ProductRecord};
use crate::time::{parse_timestamp, DAY};

const COLUMNS: [&str; 11] =
    ["id", "title", "brand", "category", "tags", "price", "compare_at_price", "stock", "created_at", "url", "image"];

/// Reads a catalog file. Malformed rows (and repeated ids) are counted in the report and
/// skipped; with `strict` the first one is an error.
pub fn read_catalog(
    path: &Path,
    strict: bool,
    on_progress: &mut dyn FnMut(u64, u64),
) -> Result<(Catalog, Report), InputError> {
    read_catalog_in(open(path)?, path, strict, on_progress)
}

/// [`read_catalog`] over an input already opened (in memory for tests and fuzzing: see
/// [`super::open_bytes`]); `path` names it in errors and problems.
pub fn read_catalog_in(
    opened: Opened,
    path: &Path,
    strict: bool,
    on_progress: &mut dyn FnMut(u64, u64),
) -> Result<(Catalog, Report), InputError> {
    let file = path.display().to_string();
    let mut builder = CatalogBuilder::new();
    let mut seen: HashSet<String> = HashSet::new();
    let report = for_each_row_in(opened, path, &COLUMNS, &["id"], strict, on_progress, |row, line| {
        let product = parse_product(row, &file, line)?;
        if !seen.insert(product.id.clone()) {
            return Err(Problem {
                file: file.clone(),
                line,
                field: Some("id".into()),
                kind: "duplicate product id",
                detail: format!("\"{}\" appears on an earlier line; ids must be unique", product.id),
            });
        }
        builder.push(product);
        Ok(())
    })?;
    if builder.is_empty() {
        return Err(InputError::Empty { path: path.to_path_buf() });
    }
    let catalog = builder.finish().expect("duplicate ids were rejected while reading");
    Ok((catalog, report))
}

fn parse_product(row: &Row, file: &str, line: u64) -> Result<ProductRecord, Problem> {
    let problem = |field: &str, kind: &'static str, detail: String| Problem::field(file, line, field, kind, detail);
    let mut fields: [Option<String>; 11] = Default::default();
    for (i, slot) in fields.iter_mut().enumerate() {
        *slot = row.get(i).map_err(|e| problem(COLUMNS[i], "invalid field", e.0.to_string()))?.map(|c| c.into_owned());
    }
    let [id, title, brand, category, tags, price, compare_at, stock, created, url, image] = fields;
    let Some(id) = id else {
        return Err(problem("id", "missing product id", "is required".into()));
    };
    let money = |field: &str, v: &Option<String>| -> Result<Option<u32>, Problem> {
        v.as_deref()
            .map(|s| parse_cents(s).map_err(|e| problem(field, "invalid price", format!("\"{s}\": {e}"))))
            .transpose()
    };
    let price_c = money("price", &price)?;
    let compare_c = money("compare_at_price", &compare_at)?;
    let stock = stock
        .as_deref()
        .map(|s| {
            s.parse::<i32>().map_err(|_| problem("stock", "invalid stock", format!("\"{s}\": expected a whole number")))
        })
        .transpose()?;
    let created = created
        .as_deref()
        .map(|s| {
            parse_timestamp(s)
                .map(|t| t.div_euclid(DAY) as i32)
                .map_err(|e| problem("created_at", "invalid date", format!("\"{s}\": {e}")))
        })
        .transpose()?;
    let split = |v: Option<String>| -> Vec<String> {
        v.map(|s| s.split('|').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect()).unwrap_or_default()
    };
    Ok(ProductRecord {
        id,
        title: title.unwrap_or_default(),
        brand: brand.unwrap_or_default(),
        categories: split(category),
        tags: split(tags),
        price: price_c,
        compare_at: compare_c,
        stock,
        created,
        url: url.unwrap_or_default(),
        image: image.unwrap_or_default(),
        attributes: row.extras(),
    })
}
