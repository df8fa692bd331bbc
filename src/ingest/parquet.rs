//! Reading Parquet files (catalog, events, count tables) with the same column names as CSV.
//!
//! Each row becomes the same [`Row`] the NDJSON reader hands out, so every row check and report
//! is the one CSV and NDJSON get; the "line" of a problem is the 1-based row number in the file
//! (across row groups). Strings, integers, floats, booleans, decimals, dates and timestamps are
//! read (a timestamp as Unix seconds, a date as `YYYY-MM-DD`); a wanted column of a nested type
//! (list, map, struct) is an error naming the file and the column. Pages may be uncompressed or
//! compressed with snappy, gzip or zstd.

use std::path::Path;

use ::parquet::file::reader::{FileReader, SerializedFileReader};
use ::parquet::record::Field;
use bytes::Bytes;
use serde_json::{Map, Number, Value};

use super::{InputError, Problem, Report, Row};

/// Reads every row of the Parquet file `bytes` (named `path`), handing each with its 1-based row
/// number to `f`; problems go to `report` (fatal with `strict`).
#[allow(clippy::too_many_arguments)]
pub(super) fn for_each_row(
    bytes: Vec<u8>,
    path: &Path,
    columns: &[&'static str],
    required: &[&'static str],
    strict: bool,
    report: &mut Report,
    on_progress: &mut dyn FnMut(u64, u64),
    f: &mut dyn FnMut(&Row, u64) -> Result<(), Problem>,
) -> Result<(), InputError> {
    let size = bytes.len() as u64;
    let invalid = |e: ::parquet::errors::ParquetError| InputError::Io {
        path: path.to_path_buf(),
        error: std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not a readable Parquet file: {e}")),
    };
    let reader = SerializedFileReader::new(Bytes::from(bytes)).map_err(invalid)?;
    let meta = reader.metadata().file_metadata();
    let fields = meta.schema().get_fields();
    let names: Vec<String> = fields.iter().map(|t| t.name().to_string()).collect();
    for &req in required {
        if !names.iter().any(|n| n == req) {
            return Err(InputError::MissingColumn { path: path.to_path_buf(), column: req, found: names });
        }
    }
    for t in fields {
        if columns.contains(&t.name()) && !t.is_primitive() {
            return Err(InputError::ColumnType {
                path: path.to_path_buf(),
                column: t.name().to_string(),
                found: "a nested type (list, map or struct)".into(),
            });
        }
    }
    let total = meta.num_rows().max(0) as u64;
    if total == 0 {
        return Err(InputError::Empty { path: path.to_path_buf() });
    }
    let file = path.display().to_string();
    let rows = reader.get_row_iter(None).map_err(invalid)?;
    for (i, row) in rows.enumerate() {
        let row_no = i as u64 + 1;
        let row = row.map_err(invalid)?;
        report.rows += 1;
        let mut obj = Map::new();
        let mut bad = None;
        for (name, field) in row.get_column_iter() {
            match value(field) {
                Ok(Some(v)) => {
                    obj.insert(name.clone(), v);
                }
                Ok(None) => {}
                Err(detail) if bad.is_none() && columns.contains(&name.as_str()) => {
                    bad = Some(Problem::field(&file, row_no, name, "invalid field", detail.into()));
                }
                Err(_) => {}
            }
        }
        let outcome = match bad {
            Some(p) => Err(p),
            None => f(&Row::Json(&obj, columns), row_no),
        };
        if let Err(p) = outcome {
            report.reject(p, strict)?;
        }
        if row_no % 65_536 == 0 {
            on_progress(size * row_no / total, size);
        }
    }
    Ok(())
}

/// One Parquet value as the JSON value the row checks read; `None` for a null.
fn value(field: &Field) -> Result<Option<Value>, &'static str> {
    let int = |v: i64| Some(Value::Number(v.into()));
    let float = |v: f64| {
        // A whole number reads as one (a quantity of 2.0 is 2), others as decimals.
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            Some(Value::Number((v as i64).into()))
        } else {
            Number::from_f64(v).map(Value::Number)
        }
    };
    Ok(match field {
        Field::Null => None,
        Field::Bool(b) => Some(Value::Bool(*b)),
        Field::Byte(v) => int(i64::from(*v)),
        Field::Short(v) => int(i64::from(*v)),
        Field::Int(v) => int(i64::from(*v)),
        Field::Long(v) => int(*v),
        Field::UByte(v) => int(i64::from(*v)),
        Field::UShort(v) => int(i64::from(*v)),
        Field::UInt(v) => int(i64::from(*v)),
        Field::ULong(v) => Some(Value::Number((*v).into())),
        Field::Float16(v) => float(f64::from(*v)),
        Field::Float(v) => float(f64::from(*v)),
        Field::Double(v) => float(*v),
        Field::Decimal(_) => Some(Value::String(field.to_string())),
        Field::Str(s) => Some(Value::String(s.clone())),
        Field::Bytes(b) => {
            Some(Value::String(std::str::from_utf8(b.data()).map_err(|_| "is binary, not UTF-8 text")?.to_string()))
        }
        Field::Date(d) => Some(Value::String(crate::time::format_date(i64::from(*d)))),
        Field::TimestampMillis(ms) => int(ms.div_euclid(1000)),
        Field::TimestampMicros(us) => int(us.div_euclid(1_000_000)),
        Field::Group(_) | Field::ListInternal(_) | Field::MapInternal(_) => Some(Value::String(field.to_string())),
    })
}

/// Writes Parquet files for tests: every column optional, strings and 64-bit integers.
#[cfg(test)]
pub(crate) mod write {
    use std::sync::Arc;

    use ::parquet::column::writer::ColumnWriter;
    use ::parquet::data_type::ByteArray;
    use ::parquet::file::properties::WriterProperties;
    use ::parquet::file::writer::SerializedFileWriter;
    use ::parquet::schema::parser::parse_message_type;

    /// One column of a test file.
    pub enum Col<'a> {
        /// A UTF-8 string column (`None`: null).
        Str(&'a str, Vec<Option<String>>),
        /// A 64-bit integer column.
        Long(&'a str, Vec<Option<i64>>),
        /// A list of integers (a nested type no input column may have).
        List(&'a str),
    }

    /// The bytes of a Parquet file with `cols` (snappy pages, two row groups when `rows > 1`).
    pub fn parquet(cols: &[Col], rows: usize) -> Vec<u8> {
        let mut schema = String::from("message t {");
        for c in cols {
            match c {
                Col::Str(n, _) => schema += &format!(" optional binary {n} (UTF8);"),
                Col::Long(n, _) => schema += &format!(" optional int64 {n};"),
                Col::List(n) => {
                    schema +=
                        &format!(" optional group {n} (LIST) {{ repeated group list {{ optional int64 element; }} }}")
                }
            }
        }
        schema += " }";
        let schema = Arc::new(parse_message_type(&schema).unwrap());
        let props =
            Arc::new(WriterProperties::builder().set_compression(::parquet::basic::Compression::SNAPPY).build());
        let mut out = Vec::new();
        let mut w = SerializedFileWriter::new(&mut out, schema, props).unwrap();
        let half = rows.div_ceil(2);
        for (lo, hi) in [(0, half), (half, rows)] {
            if lo == hi {
                continue;
            }
            let mut rg = w.next_row_group().unwrap();
            for c in cols {
                let mut col = rg.next_column().unwrap().unwrap();
                match (c, col.untyped()) {
                    (Col::Str(_, v), ColumnWriter::ByteArrayColumnWriter(cw)) => {
                        let part = &v[lo..hi];
                        let vals: Vec<ByteArray> = part.iter().flatten().map(|s| ByteArray::from(s.as_str())).collect();
                        let defs: Vec<i16> = part.iter().map(|s| i16::from(s.is_some())).collect();
                        cw.write_batch(&vals, Some(&defs), None).unwrap();
                    }
                    (Col::Long(_, v), ColumnWriter::Int64ColumnWriter(cw)) => {
                        let part = &v[lo..hi];
                        let vals: Vec<i64> = part.iter().flatten().copied().collect();
                        let defs: Vec<i16> = part.iter().map(|s| i16::from(s.is_some())).collect();
                        cw.write_batch(&vals, Some(&defs), None).unwrap();
                    }
                    (Col::List(_), ColumnWriter::Int64ColumnWriter(cw)) => {
                        let vals: Vec<i64> = (lo..hi).map(|i| i as i64).collect();
                        let defs = vec![3i16; hi - lo];
                        let reps = vec![0i16; hi - lo];
                        cw.write_batch(&vals, Some(&defs), Some(&reps)).unwrap();
                    }
                    _ => unreachable!("column type"),
                }
                col.close().unwrap();
            }
            rg.close().unwrap();
        }
        w.close().unwrap();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::write::{parquet, Col};
    use crate::ingest::catalog::read_catalog_in;
    use crate::ingest::events::EventLog;
    use crate::ingest::{open_bytes, Format, InputError};
    use std::path::Path;

    fn s(v: &[&str]) -> Vec<Option<String>> {
        v.iter().map(|x| (!x.is_empty()).then(|| x.to_string())).collect()
    }

    fn catalog_file() -> Vec<u8> {
        parquet(
            &[
                Col::Str("id", s(&["P1", "P2", "P3"])),
                Col::Str("title", s(&["One", "Two", ""])),
                Col::Str("price", s(&["12.50", "3", "7"])),
                Col::Long("stock", vec![Some(4), None, Some(0)]),
                Col::Str("colour", s(&["red", "", "blue"])),
            ],
            3,
        )
    }

    fn read_catalog(bytes: Vec<u8>) -> Result<crate::catalog::Catalog, InputError> {
        let opened = open_bytes(bytes, Format::Parquet, false);
        read_catalog_in(opened, Path::new("catalog.parquet"), false, &mut |_, _| {}).map(|(c, _)| c)
    }

    #[test]
    fn a_parquet_catalog_reads_like_its_csv() {
        let from_pq = read_catalog(catalog_file()).unwrap();
        let csv = "id,title,price,stock,colour\nP1,One,12.50,4,red\nP2,Two,3,,\nP3,,7,0,blue\n";
        let opened = open_bytes(csv.as_bytes().to_vec(), Format::Csv, false);
        let (from_csv, _) = read_catalog_in(opened, Path::new("c.csv"), true, &mut |_, _| {}).unwrap();
        assert_eq!(from_pq.len(), 3);
        for p in 0..3 {
            let fields = |c: &crate::catalog::Catalog| {
                let attrs: Vec<(String, String)> = c.attributes(p).map(|(k, v)| (k.into(), v.into())).collect();
                (c.id(p).to_string(), c.title(p).to_string(), c.price(p), c.stock(p), attrs)
            };
            assert_eq!(fields(&from_pq), fields(&from_csv), "product {p}");
        }
    }

    #[test]
    fn bad_rows_name_the_file_row_and_column() {
        let catalog = read_catalog(catalog_file()).unwrap();
        // Row 3 has a timestamp that is not one; row 4 has no shopper; the rest are fine.
        let file = parquet(
            &[
                Col::Long("timestamp", vec![Some(1_700_000_000), Some(1_700_000_100), None, Some(1_700_000_300)]),
                Col::Str("user_id", s(&["u1", "u2", "u3", ""])),
                Col::Str("event", s(&["view", "purchase", "view", "view"])),
                Col::Str("product_id", s(&["P1", "P2", "P1", "P3"])),
                Col::Long("quantity", vec![None, Some(2), None, None]),
            ],
            4,
        );
        let mut log = EventLog::new();
        let opened = open_bytes(file.clone(), Format::Parquet, false);
        let report = log.read_in(opened, Path::new("events.parquet"), &catalog, false).unwrap();
        assert_eq!(report.rows, 4);
        assert_eq!(log.events.len(), 2);
        assert_eq!(log.events[1].qty, 2);
        assert_eq!(log.events[0].ts, 1_700_000_000);
        let text: Vec<String> = report.examples.iter().map(|p| p.to_string()).collect();
        assert!(text[0].starts_with("events.parquet:3: field `timestamp`:"), "{text:?}");
        assert!(text[1].starts_with("events.parquet:4:") && text[1].contains("no user_id"), "{text:?}");
        let strict = log.read_in(open_bytes(file, Format::Parquet, false), Path::new("e.parquet"), &catalog, true);
        assert!(strict.unwrap_err().to_string().starts_with("e.parquet:3: field `timestamp`"));
    }

    #[test]
    fn a_nested_column_a_missing_column_and_garbage_are_errors() {
        let nested = parquet(&[Col::Str("id", s(&["P1", "P2"])), Col::List("price")], 2);
        let e = read_catalog(nested).unwrap_err().to_string();
        assert_eq!(
            e,
            "catalog.parquet: column `price` is a nested type (list, map or struct); expected strings, numbers, \
             booleans, dates or timestamps"
        );
        let no_id = parquet(&[Col::Str("title", s(&["a"]))], 1);
        let e = read_catalog(no_id).unwrap_err().to_string();
        assert!(e.starts_with("catalog.parquet:1: missing required column `id` (found: title)"), "{e}");
        let e = read_catalog(b"PAR1 not really".to_vec()).unwrap_err().to_string();
        assert!(e.starts_with("catalog.parquet: cannot read: not a readable Parquet file"), "{e}");
    }
}
