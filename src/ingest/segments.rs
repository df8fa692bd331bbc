//! Reading a `user_id,segment` mapping file (`edgerec build --segments`): which business
//! account (segment) each user belongs to, for the segment models. CSV or NDJSON like the other
//! inputs, optionally gzipped; a user listed twice counts in the last segment given.

use std::path::Path;

use super::{for_each_row, InputError, Problem, Report};

const COLUMNS: [&str; 2] = ["user_id", "segment"];

/// Reads the pairs (user id, segment) of a mapping file, with its report (bad rows name
/// file:line and the field; `strict` makes the first one fatal).
pub fn read_segment_map(path: &Path, strict: bool) -> Result<(Vec<(String, String)>, Report), InputError> {
    let file = path.display().to_string();
    let mut pairs = Vec::new();
    let report = for_each_row(path, &COLUMNS, &COLUMNS, strict, &mut |_, _| {}, |row, line| {
        let get = |i: usize| -> Result<String, Problem> {
            match row.get(i) {
                Ok(Some(v)) => Ok(v.into_owned()),
                Ok(None) => Err(Problem::field(&file, line, COLUMNS[i], "missing field", "is required".into())),
                Err(e) => Err(Problem::field(&file, line, COLUMNS[i], "invalid field", e.0.to_string())),
            }
        };
        pairs.push((get(0)?, get(1)?));
        Ok(())
    })?;
    Ok((pairs, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs_and_names_bad_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("segments.csv");
        std::fs::write(&p, "user_id,segment\nu1,acme\nu2,\nu3,globex\n").unwrap();
        let (pairs, report) = read_segment_map(&p, false).unwrap();
        assert_eq!(pairs, [("u1".to_string(), "acme".to_string()), ("u3".into(), "globex".into())]);
        assert_eq!(report.rejected_total(), 1);
        let shown = report.examples[0].to_string();
        assert!(shown.contains("segments.csv:3") && shown.contains("segment"), "{shown}");
        assert!(read_segment_map(&p, true).is_err(), "strict: the bad row is fatal");
        std::fs::write(&p, "user,segment\nu1,acme\n").unwrap();
        assert!(read_segment_map(&p, false).unwrap_err().to_string().contains("user_id"));
    }
}
