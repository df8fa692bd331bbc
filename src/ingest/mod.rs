//! Reading the canonical input formats: CSV (header row, RFC 4180 quoting) or newline-delimited
//! JSON with the same field names, optionally gzip-compressed (`.gz`), or Parquet with the same
//! column names. Every malformed row is counted by reason and reported with its file, line (the
//! row number in Parquet) and field; none is silently dropped.

pub mod catalog;
pub mod events;
mod parquet;
pub mod segments;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

/// How many problems a report keeps verbatim (all are counted).
pub const MAX_EXAMPLES: usize = 10;

/// A problem with one input row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file.
    pub file: String,
    /// 1-based line number (the header is line 1 in CSV).
    pub line: u64,
    /// The field at fault, if one is.
    pub field: Option<String>,
    /// Short reason, used to count problems by kind.
    pub kind: &'static str,
    /// What exactly is wrong.
    pub detail: String,
}

impl Problem {
    /// A problem with one field of the row at `file:line`.
    pub fn field(file: &str, line: u64, field: &str, kind: &'static str, detail: String) -> Problem {
        Problem { file: file.to_string(), line, field: Some(field.to_string()), kind, detail }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        write!(f, "{}", self.detail)
    }
}

/// Why an input could not be read at all.
#[derive(Debug)]
pub enum InputError {
    /// The file could not be opened or read.
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        error: io::Error,
    },
    /// The file has no rows, or no header.
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A required column is missing from the header.
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column.
        column: &'static str,
        /// The columns found.
        found: Vec<String>,
    },
    /// A row was malformed and `--strict` was given.
    Strict(Problem),
    /// The file's format could not be told from its name.
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// A Parquet column has a type the readers cannot read as text or a number.
    ColumnType {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
        /// The type found.
        found: String,
    },
    /// A directory or pattern given as input holds no input file.
    NoFiles {
        /// The directory or pattern.
        path: PathBuf,
        /// `directory` or `pattern`.
        what: &'static str,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io { path, error } => write!(f, "{}: cannot read: {error}", path.display()),
            InputError::Empty { path } => {
                write!(f, "{}: the file is empty (expected a header row and data rows)", path.display())
            }
            InputError::MissingColumn { path, column, found } => write!(
                f,
                "{}:1: missing required column `{column}` (found: {})",
                path.display(),
                if found.is_empty() { "none".to_string() } else { found.join(", ") }
            ),
            InputError::Strict(p) => write!(f, "{p} (--strict makes malformed rows fatal)"),
            InputError::UnknownFormat { path } => write!(
                f,
                "{}: unknown format: name the file .csv, .ndjson, .jsonl or .json, optionally followed by .gz, or .parquet",
                path.display()
            ),
            InputError::ColumnType { path, column, found } => write!(
                f,
                "{}: column `{column}` is {found}; expected strings, numbers, booleans, dates or timestamps",
                path.display()
            ),
            InputError::NoFiles { path, what } => {
                write!(f, "{}: this {what} holds no .ndjson, .ndjson.gz, .csv, .csv.gz or .parquet file", path.display())
            }
        }
    }
}

impl std::error::Error for InputError {}

/// Rows read and problems found in one input file.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Data rows read (excluding the header).
    pub rows: u64,
    /// Rows rejected, by reason.
    pub rejected: BTreeMap<&'static str, u64>,
    /// The first problems, verbatim.
    pub examples: Vec<Problem>,
}

impl Report {
    /// Rows rejected in all.
    pub fn rejected_total(&self) -> u64 {
        self.rejected.values().sum()
    }

    /// Counts a problem; with `strict`, returns it as an error instead.
    pub fn reject(&mut self, p: Problem, strict: bool) -> Result<(), InputError> {
        if strict {
            return Err(InputError::Strict(p));
        }
        *self.rejected.entry(p.kind).or_insert(0) += 1;
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(p);
        }
        Ok(())
    }
}

/// The data formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Ndjson,
    /// Apache Parquet (never gzip-wrapped: its pages carry their own compression).
    Parquet,
}

/// Tells the format and compression from a file name.
pub fn detect(path: &Path) -> Result<(Format, bool), InputError> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let (stem, gz) = match name.strip_suffix(".gz") {
        Some(s) => (s.to_string(), true),
        None => (name.clone(), false),
    };
    let format = if stem.ends_with(".parquet") && !gz {
        Format::Parquet
    } else if stem.ends_with(".csv") {
        Format::Csv
    } else if stem.ends_with(".ndjson") || stem.ends_with(".jsonl") || stem.ends_with(".json") {
        Format::Ndjson
    } else {
        return Err(InputError::UnknownFormat { path: path.to_path_buf() });
    };
    Ok((format, gz))
}

/// The file names an events or catalog directory is searched for (a `.gz` suffix allowed).
const INPUT_SUFFIXES: [&str; 5] = [".ndjson", ".ndjson.gz", ".csv", ".csv.gz", ".parquet"];

/// Expands input arguments into files: a file stays as given; a directory stands for every
/// `*.ndjson`, `*.ndjson.gz`, `*.csv`, `*.csv.gz` and `*.parquet` below it (recursively), sorted by path; a
/// pattern with `*`, `?` or `[` (a glob such as `events/site=shop/**/*.ndjson.gz`, quoted so the
/// shell leaves it alone) stands for the files it matches, sorted by path. A directory or a
/// pattern that yields no file is an error naming it.
pub fn expand_inputs(args: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for arg in args {
        let before = out.len();
        let text = arg.to_string_lossy();
        if arg.is_dir() {
            walk(arg, &mut out)?;
            out[before..].sort();
        } else if !arg.exists() && text.contains(['*', '?', '[']) {
            let pattern_err =
                |e: String| InputError::Io { path: arg.clone(), error: io::Error::new(io::ErrorKind::InvalidInput, e) };
            let paths = glob::glob(&text).map_err(|e| pattern_err(format!("not a valid pattern: {e}")))?;
            for p in paths {
                let p = p.map_err(|e| InputError::Io { path: e.path().to_path_buf(), error: e.into() })?;
                if p.is_file() {
                    out.push(p);
                }
            }
            out[before..].sort();
        } else {
            out.push(arg.clone());
            continue;
        }
        if out.len() == before {
            let what = if arg.is_dir() { "directory" } else { "pattern" };
            return Err(InputError::NoFiles { path: arg.clone(), what });
        }
    }
    Ok(out)
}

/// Adds the input files below `dir` to `out` (see [`expand_inputs`]).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let io_err = |error| InputError::Io { path: dir.to_path_buf(), error };
    for entry in std::fs::read_dir(dir).map_err(io_err)? {
        let path = entry.map_err(io_err)?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
            if INPUT_SUFFIXES.iter().any(|s| name.ends_with(s)) {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Counts bytes read from the underlying file, for progress bars.
pub struct Counting<R> {
    inner: R,
    /// Bytes read so far.
    pub count: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// An opened input: a buffered reader over the (decompressed) bytes, its format, its size on
/// disk and a counter of the bytes consumed from disk.
pub struct Opened {
    /// The decompressed bytes.
    pub reader: Box<dyn BufRead>,
    /// The data format.
    pub format: Format,
    /// Size of the file on disk.
    pub size: u64,
    /// Bytes read from disk so far.
    pub progress: std::rc::Rc<std::cell::Cell<u64>>,
}

/// Opens an input file, detecting format and compression from its name.
pub fn open(path: &Path) -> Result<Opened, InputError> {
    let (format, gz) = detect(path)?;
    let io_err = |error| InputError::Io { path: path.to_path_buf(), error };
    let file = File::open(path).map_err(io_err)?;
    let size = file.metadata().map_err(io_err)?.len();
    let progress = std::rc::Rc::new(std::cell::Cell::new(0));
    let counting = Counting { inner: file, count: progress.clone() };
    let reader: Box<dyn BufRead> = if gz {
        Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(BufReader::with_capacity(1 << 16, counting))))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, counting))
    };
    Ok(Opened { reader, format, size, progress })
}

/// One input row, whatever its format: fields by column index of the caller's `columns`.
pub enum Row<'a> {
    /// A CSV record with, per wanted column, its index in the record.
    Csv(&'a csv::ByteRecord, &'a [Option<usize>], &'a [String]),
    /// A JSON object.
    Json(&'a serde_json::Map<String, serde_json::Value>, &'a [&'static str]),
}

/// A field that is not valid UTF-8 or not a scalar.
pub struct FieldError(pub &'static str);

impl Row<'_> {
    /// The value of wanted column `i`, trimmed; `None` when absent or empty.
    pub fn get(&self, i: usize) -> Result<Option<Cow<'_, str>>, FieldError> {
        let raw: Option<Cow<str>> = match self {
            Row::Csv(rec, idx, _) => match idx[i].and_then(|j| rec.get(j)) {
                None => None,
                Some(b) => Some(Cow::Borrowed(std::str::from_utf8(b).map_err(|_| FieldError("is not valid UTF-8"))?)),
            },
            Row::Json(obj, cols) => match obj.get(cols[i]) {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::String(s)) => Some(Cow::Borrowed(s.as_str())),
                Some(serde_json::Value::Number(n)) => Some(Cow::Owned(n.to_string())),
                Some(serde_json::Value::Bool(b)) => Some(Cow::Owned(b.to_string())),
                Some(_) => return Err(FieldError("must be a string or a number, not an array or object")),
            },
        };
        Ok(match raw {
            Some(Cow::Borrowed(s)) => Some(Cow::Borrowed(s.trim())).filter(|s: &Cow<str>| !s.is_empty()),
            Some(Cow::Owned(s)) => Some(Cow::Owned(s.trim().to_string())).filter(|s: &Cow<str>| !s.is_empty()),
            None => None,
        })
    }

    /// Columns that are not among the wanted ones, as (name, value), non-empty values only.
    pub fn extras(&self) -> Vec<(String, String)> {
        match self {
            Row::Csv(rec, idx, header) => header
                .iter()
                .enumerate()
                .filter(|(j, _)| !idx.contains(&Some(*j)))
                .filter_map(|(j, name)| {
                    let v = String::from_utf8_lossy(rec.get(j)?).trim().to_string();
                    (!v.is_empty()).then(|| (name.clone(), v))
                })
                .collect(),
            Row::Json(obj, cols) => obj
                .iter()
                .filter(|(k, _)| !cols.contains(&k.as_str()))
                .filter_map(|(k, v)| {
                    let s = match v {
                        serde_json::Value::String(s) => s.trim().to_string(),
                        serde_json::Value::Null => return None,
                        other => other.to_string(),
                    };
                    (!s.is_empty()).then(|| (k.clone(), s))
                })
                .collect(),
        }
    }
}

/// Reads every row of `path`, handing each with its line number to `f`. `columns` are the wanted
/// field names; `required` those that must be in a CSV header. Problems `f` returns are counted
/// in the report (or fatal with `strict`); a row that is not CSV or JSON at all is reported too.
pub fn for_each_row(
    path: &Path,
    columns: &[&'static str],
    required: &[&'static str],
    strict: bool,
    on_progress: &mut dyn FnMut(u64, u64),
    f: impl FnMut(&Row, u64) -> Result<(), Problem>,
) -> Result<Report, InputError> {
    for_each_row_in(open(path)?, path, columns, required, strict, on_progress, f)
}

/// An input held in memory, as [`open`] would read it from a file: `bytes` in `format`,
/// gzip-compressed when `gz`. For tests and fuzzing, with [`for_each_row_in`].
pub fn open_bytes(bytes: Vec<u8>, format: Format, gz: bool) -> Opened {
    let size = bytes.len() as u64;
    let reader: Box<dyn BufRead> = if gz {
        Box::new(BufReader::new(MultiGzDecoder::new(io::Cursor::new(bytes))))
    } else {
        Box::new(io::Cursor::new(bytes))
    };
    Opened { reader, format, size, progress: std::rc::Rc::new(std::cell::Cell::new(0)) }
}

/// [`for_each_row`] over an input already opened (see [`open_bytes`]); `path` names it in errors
/// and problems.
pub fn for_each_row_in(
    opened: Opened,
    path: &Path,
    columns: &[&'static str],
    required: &[&'static str],
    strict: bool,
    on_progress: &mut dyn FnMut(u64, u64),
    mut f: impl FnMut(&Row, u64) -> Result<(), Problem>,
) -> Result<Report, InputError> {
    let file = path.display().to_string();
    let mut report = Report::default();
    let io_err = |error| InputError::Io { path: path.to_path_buf(), error };
    let (size, progress) = (opened.size, opened.progress.clone());
    match opened.format {
        Format::Parquet => {
            let mut bytes = Vec::with_capacity(size as usize);
            let mut reader = opened.reader;
            reader.read_to_end(&mut bytes).map_err(io_err)?;
            self::parquet::for_each_row(bytes, path, columns, required, strict, &mut report, on_progress, &mut f)?;
        }
        Format::Csv => {
            let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(opened.reader);
            let header: Vec<String> = match rdr.byte_headers() {
                Ok(h) => h
                    .iter()
                    .map(|b| String::from_utf8_lossy(b).trim().trim_start_matches('\u{feff}').to_string())
                    .collect(),
                Err(e) => return Err(io_err(io::Error::new(io::ErrorKind::InvalidData, e.to_string()))),
            };
            if header.iter().all(|h| h.is_empty()) {
                return Err(InputError::Empty { path: path.to_path_buf() });
            }
            for &req in required {
                if !header.iter().any(|h| h == req) {
                    return Err(InputError::MissingColumn {
                        path: path.to_path_buf(),
                        column: req,
                        found: header.clone(),
                    });
                }
            }
            let idx: Vec<Option<usize>> = columns.iter().map(|c| header.iter().position(|h| h == c)).collect();
            let mut progress_cb = || on_progress(progress.get(), size);
            csv_rows(&mut rdr, &header, &idx, &file, 0, strict, &mut report, &mut progress_cb, &mut f).map_err(
                |e| match e {
                    RowsError::Io(e) => io_err(e),
                    RowsError::Input(e) => e,
                },
            )?;
        }
        Format::Ndjson => {
            let mut line_no = 0u64;
            let mut buf = Vec::new();
            let mut reader = opened.reader;
            let mut any = false;
            loop {
                buf.clear();
                let n = reader.read_until(b'\n', &mut buf).map_err(io_err)?;
                if n == 0 {
                    break;
                }
                line_no += 1;
                if buf.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                any = true;
                report.rows += 1;
                match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&buf) {
                    Ok(obj) => {
                        if let Some(req) = required.iter().find(|r| !obj.contains_key(**r)) {
                            let p = Problem {
                                file: file.clone(),
                                line: line_no,
                                field: Some(req.to_string()),
                                kind: "missing required field",
                                detail: "is required".into(),
                            };
                            report.reject(p, strict)?;
                            continue;
                        }
                        if let Err(p) = f(&Row::Json(&obj, columns), line_no) {
                            report.reject(p, strict)?;
                        }
                    }
                    Err(e) => {
                        let p = Problem {
                            file: file.clone(),
                            line: line_no,
                            field: None,
                            kind: "invalid JSON",
                            detail: format!("not a JSON object: {e}"),
                        };
                        report.reject(p, strict)?;
                    }
                }
                if report.rows % 65_536 == 0 {
                    on_progress(progress.get(), size);
                }
            }
            if !any {
                return Err(InputError::Empty { path: path.to_path_buf() });
            }
        }
    }
    on_progress(size, size);
    Ok(report)
}

/// A Parquet file with string `columns` and no rows, for tests.
#[cfg(test)]
pub(crate) fn parquet_test_file(columns: &[&str]) -> Vec<u8> {
    let cols: Vec<_> = columns.iter().map(|c| self::parquet::write::Col::Str(c, Vec::new())).collect();
    self::parquet::write::parquet(&cols, 0)
}

/// Why a CSV row loop stopped.
pub enum RowsError {
    /// Reading failed.
    Io(io::Error),
    /// A row was malformed under `--strict`.
    Input(InputError),
}

/// The record loop of a CSV reader positioned after its header: every row goes to `f` with its
/// line number (plus `line_offset`); problems are counted in `report`.
#[allow(clippy::too_many_arguments)]
pub fn csv_rows<R: Read>(
    rdr: &mut csv::Reader<R>,
    header: &[String],
    idx: &[Option<usize>],
    file: &str,
    line_offset: u64,
    strict: bool,
    report: &mut Report,
    on_progress: &mut dyn FnMut(),
    f: &mut dyn FnMut(&Row, u64) -> Result<(), Problem>,
) -> Result<(), RowsError> {
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line()) + line_offset;
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(RowsError::Io(io::Error::other(e.to_string())));
                }
                report.rows += 1;
                let p =
                    Problem { file: file.to_string(), line, field: None, kind: "malformed CSV", detail: e.to_string() };
                report.reject(p, strict).map_err(RowsError::Input)?;
                continue;
            }
        }
        let line = rec.position().map_or(0, |p| p.line()) + line_offset;
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.is_empty()) {
            continue; // a blank line
        }
        report.rows += 1;
        if rec.len() != header.len() {
            let detail = format!("has {} fields, the header has {}", rec.len(), header.len());
            let p = Problem { file: file.to_string(), line, field: None, kind: "wrong number of fields", detail };
            report.reject(p, strict).map_err(RowsError::Input)?;
            continue;
        }
        if let Err(p) = f(&Row::Csv(&rec, idx, header), line) {
            report.reject(p, strict).map_err(RowsError::Input)?;
        }
        if report.rows % 65_536 == 0 {
            on_progress();
        }
    }
}

/// A plain (not compressed) CSV file large enough to parse on two threads, read into memory:
/// its bytes, the header's columns and the body's start. `None` when the file holds a quote
/// character, since a quoted field could then span lines and a split could cut a row.
pub struct SplitCsv {
    /// The whole file.
    pub bytes: Vec<u8>,
    /// The header's columns.
    pub header: Vec<String>,
    /// Where the body starts (after the header line).
    pub body: usize,
}

/// Reads `path` for a two-thread parse when it qualifies (see [`SplitCsv`]).
pub fn split_csv(path: &Path, min_size: u64) -> Result<Option<SplitCsv>, InputError> {
    if detect(path)? != (Format::Csv, false) {
        return Ok(None);
    }
    let io_err = |error| InputError::Io { path: path.to_path_buf(), error };
    if std::fs::metadata(path).map_err(io_err)?.len() < min_size {
        return Ok(None);
    }
    let bytes = std::fs::read(path).map_err(io_err)?;
    if bytes.contains(&b'"') {
        return Ok(None);
    }
    let Some(nl) = bytes.iter().position(|&b| b == b'\n') else { return Ok(None) };
    let header: Vec<String> = String::from_utf8_lossy(&bytes[..nl])
        .split(',')
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    Ok(Some(SplitCsv { bytes, header, body: nl + 1 }))
}

/// Parses a decimal amount (`12`, `12.5`, `12.345`) into cents, rounding half up.
pub fn parse_cents(s: &str) -> Result<u32, &'static str> {
    let s = s.trim();
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return Err("expected a decimal number like 12.50");
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(if s.starts_with('-') { "must not be negative" } else { "expected a decimal number like 12.50" });
    }
    let whole: u64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| "too large")? };
    let fb = frac.as_bytes();
    let digit = |i: usize| fb.get(i).map_or(0, |b| u64::from(b - b'0'));
    let mut cents = whole.checked_mul(100).ok_or("too large")? + digit(0) * 10 + digit(1);
    if digit(2) >= 5 {
        cents += 1;
    }
    u32::try_from(cents).map_err(|_| "too large (at most 42,949,672.95)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents() {
        assert_eq!(parse_cents("12"), Ok(1200));
        assert_eq!(parse_cents("12.5"), Ok(1250));
        assert_eq!(parse_cents("0.999"), Ok(100));
        assert_eq!(parse_cents(".5"), Ok(50));
        assert_eq!(parse_cents("19.994"), Ok(1999));
        assert!(parse_cents("-1").is_err());
        assert!(parse_cents("1,5").is_err());
        assert!(parse_cents("abc").is_err());
        assert!(parse_cents(".").is_err());
        assert!(parse_cents("99999999999").is_err());
    }

    #[test]
    fn directories_and_patterns_expand_to_sorted_input_files() {
        let dir = std::env::temp_dir().join(format!("edgerec-expand-{}", std::process::id()));
        let day = dir.join("site=shop").join("date=2026-11-02");
        std::fs::create_dir_all(&day).unwrap();
        std::fs::create_dir_all(dir.join("site=shop").join("date=2026-11-01")).unwrap();
        for f in ["site=shop/date=2026-11-02/00-b.ndjson.gz", "site=shop/date=2026-11-01/23-a.ndjson.gz", "notes.txt"] {
            std::fs::write(dir.join(f), b"").unwrap();
        }
        std::fs::write(dir.join("z.csv"), b"").unwrap();
        let names = |v: Vec<PathBuf>| {
            v.iter().map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/")).collect::<Vec<_>>()
        };
        let all = expand_inputs(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(
            names(all),
            ["site=shop/date=2026-11-01/23-a.ndjson.gz", "site=shop/date=2026-11-02/00-b.ndjson.gz", "z.csv"]
        );
        let pattern = dir.join("site=shop").join("*").join("*.ndjson.gz");
        assert_eq!(
            names(expand_inputs(&[pattern]).unwrap()),
            ["site=shop/date=2026-11-01/23-a.ndjson.gz", "site=shop/date=2026-11-02/00-b.ndjson.gz"]
        );
        let empty = dir.join("site=shop").join("*").join("*.csv");
        let e = expand_inputs(std::slice::from_ref(&empty)).unwrap_err().to_string();
        assert!(e.starts_with(&empty.display().to_string()) && e.contains("pattern holds no"), "{e}");
        let file = dir.join("missing.csv");
        assert_eq!(expand_inputs(std::slice::from_ref(&file)).unwrap(), [file]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn formats_from_names() {
        assert_eq!(detect(Path::new("a/events.csv")).unwrap(), (Format::Csv, false));
        assert_eq!(detect(Path::new("events.NDJSON.gz")).unwrap(), (Format::Ndjson, true));
        assert_eq!(detect(Path::new("e.jsonl")).unwrap(), (Format::Ndjson, false));
        assert!(detect(Path::new("events.txt")).is_err());
    }
}
