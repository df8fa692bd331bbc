//! Reading `events.csv` / `.ndjson` into a compact in-memory log. Shopper, session and order ids
//! are interned to numbers here and never leave the builder; events naming a product that is not
//! in the catalog are counted and reported (file:line), not silently dropped.

use std::path::Path;

use rustc_hash::FxHashMap;

use super::{
    csv_rows, for_each_row, for_each_row_in, parse_cents, split_csv, InputError, Opened, Problem, Report, Row,
    RowsError, MAX_EXAMPLES,
};
use crate::catalog::Catalog;
use crate::time::parse_timestamp;

/// Event kind of a view.
pub const VIEW: u16 = 0;
/// Event kind of an add-to-cart.
pub const CART: u16 = 1;
/// Event kind of an order line.
pub const PURCHASE: u16 = 2;
/// Custom event kinds start here (index into [`EventLog::custom_kinds`] + `CUSTOM`).
pub const CUSTOM: u16 = 3;
/// "No shopper / session / order".
pub const NONE: u32 = u32::MAX;

/// One event, interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// Unix seconds.
    pub ts: i64,
    /// Catalog index.
    pub product: u32,
    /// Interned user id or [`NONE`].
    pub user: u32,
    /// Interned session id or [`NONE`].
    pub session: u32,
    /// Interned order id or [`NONE`].
    pub order: u32,
    /// Units (1 unless given).
    pub qty: u32,
    /// [`VIEW`], [`CART`], [`PURCHASE`] or a custom kind.
    pub kind: u16,
}

const COLUMNS: [&str; 8] =
    ["timestamp", "user_id", "session_id", "event", "product_id", "quantity", "price", "order_id"];
const REQUIRED: [&str; 3] = ["timestamp", "event", "product_id"];
/// The reason counted for an event row with neither `user_id` nor `session_id`.
pub const NO_SHOPPER: &str = "no user_id or session_id";
/// Plain CSV files from this size on are parsed on two threads.
pub const PARALLEL_MIN_BYTES: u64 = 4 << 20;

/// The events of one or more files, interned against a catalog.
#[derive(Debug, Default)]
pub struct EventLog {
    /// Every accepted event, in file order.
    pub events: Vec<Event>,
    /// Names of the custom event kinds.
    pub custom_kinds: Vec<String>,
    /// Distinct user ids seen.
    pub users: u32,
    /// Distinct session ids seen.
    pub sessions: u32,
    /// Distinct order ids seen.
    pub orders: u32,
    /// Events whose product is not in the catalog.
    pub unknown_products: u64,
    /// The first of those, with file and line.
    pub unknown_examples: Vec<Problem>,
    /// Rows read and rejected, summed over the files read.
    pub report: Report,
    user_ids: FxHashMap<String, u32>,
    session_ids: FxHashMap<String, u32>,
    order_ids: FxHashMap<String, u32>,
}

fn invert(map: &FxHashMap<String, u32>) -> Vec<String> {
    let mut names = vec![String::new(); map.len()];
    for (name, &i) in map {
        names[i as usize] = name.clone();
    }
    names
}

fn intern(map: &mut FxHashMap<String, u32>, s: &str) -> u32 {
    if let Some(&i) = map.get(s) {
        return i;
    }
    let i = map.len() as u32;
    map.insert(s.to_string(), i);
    i
}

impl EventLog {
    /// An empty log.
    pub fn new() -> EventLog {
        EventLog::default()
    }

    /// The name of an event kind.
    pub fn kind_name(&self, kind: u16) -> &str {
        match kind {
            VIEW => "view",
            CART => "cart",
            PURCHASE => "purchase",
            k => &self.custom_kinds[(k - CUSTOM) as usize],
        }
    }

    /// Reads one events file into the log; returns that file's report.
    pub fn read(
        &mut self,
        path: &Path,
        catalog: &Catalog,
        strict: bool,
        on_progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Report, InputError> {
        let file = path.display().to_string();
        let report = match split_csv(path, PARALLEL_MIN_BYTES)? {
            Some(split) => {
                let size = split.bytes.len() as u64;
                let r = self.read_split(path, &split, catalog, strict)?;
                on_progress(size, size);
                r
            }
            None => for_each_row(path, &COLUMNS, &REQUIRED, strict, on_progress, |row, line| {
                self.push_row(row, &file, line, catalog, strict)
            })?,
        };
        Ok(self.add_report(report))
    }

    /// [`EventLog::read`] over an input already opened (in memory for tests and fuzzing: see
    /// [`super::open_bytes`]), on one thread; `path` names it in errors and problems.
    pub fn read_in(
        &mut self,
        opened: Opened,
        path: &Path,
        catalog: &Catalog,
        strict: bool,
    ) -> Result<Report, InputError> {
        let file = path.display().to_string();
        let report = for_each_row_in(opened, path, &COLUMNS, &REQUIRED, strict, &mut |_, _| {}, |row, line| {
            self.push_row(row, &file, line, catalog, strict)
        })?;
        Ok(self.add_report(report))
    }

    /// Adds one file's report to the log's totals and returns it.
    fn add_report(&mut self, report: Report) -> Report {
        self.report.rows += report.rows;
        for (k, v) in &report.rejected {
            *self.report.rejected.entry(k).or_insert(0) += v;
        }
        for p in &report.examples {
            if self.report.examples.len() < MAX_EXAMPLES {
                self.report.examples.push(p.clone());
            }
        }
        self.users = self.user_ids.len() as u32;
        self.sessions = self.session_ids.len() as u32;
        self.orders = self.order_ids.len() as u32;
        report
    }

    /// Session id strings by number (empty after [`EventLog::drop_ids`]).
    pub fn session_names(&self) -> Vec<String> {
        invert(&self.session_ids)
    }

    /// User id strings by number (empty after [`EventLog::drop_ids`]).
    pub fn user_names(&self) -> Vec<String> {
        invert(&self.user_ids)
    }

    /// Forgets the id strings (the numbers stay valid); frees memory before aggregation.
    pub fn drop_ids(&mut self) {
        self.user_ids = FxHashMap::default();
        self.session_ids = FxHashMap::default();
        self.order_ids = FxHashMap::default();
    }

    /// Parses the two halves of a plain CSV file on two threads and merges the second into
    /// this log (ids interned again, events in file order).
    fn read_split(
        &mut self,
        path: &Path,
        split: &super::SplitCsv,
        catalog: &Catalog,
        strict: bool,
    ) -> Result<Report, InputError> {
        let file = path.display().to_string();
        let header = &split.header;
        for req in REQUIRED {
            if !header.iter().any(|h| h == req) {
                return Err(InputError::MissingColumn { path: path.to_path_buf(), column: req, found: header.clone() });
            }
        }
        let idx: Vec<Option<usize>> = COLUMNS.iter().map(|c| header.iter().position(|h| h == c)).collect();
        let body = &split.bytes[split.body..];
        let mid = body.len() / 2;
        let cut = mid + body[mid..].iter().position(|&b| b == b'\n').map_or(body.len() - mid, |p| p + 1);
        let (first, second) = body.split_at(cut);
        // The header is line 1; the second half starts after the first half's lines.
        let second_offset = 1 + first.iter().filter(|&&b| b == b'\n').count() as u64;
        let parse = |log: &mut EventLog, chunk: &[u8], offset: u64| -> Result<Report, InputError> {
            let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(chunk);
            let mut report = Report::default();
            csv_rows(&mut rdr, header, &idx, &file, offset, strict, &mut report, &mut || {}, &mut |row, line| {
                log.push_row(row, &file, line, catalog, strict)
            })
            .map_err(|e| match e {
                RowsError::Io(error) => InputError::Io { path: path.to_path_buf(), error },
                RowsError::Input(e) => e,
            })?;
            Ok(report)
        };
        let mut other = EventLog::new();
        let (a, b) = std::thread::scope(|s| {
            let h = s.spawn(|| parse(&mut other, second, second_offset));
            let a = parse(self, first, 1);
            (a, h.join().expect("parsing does not panic"))
        });
        // Under --strict, the first problem in file order wins.
        let (mut report, b) = (a?, b?);
        self.absorb(other);
        report.rows += b.rows;
        for (k, v) in b.rejected {
            *report.rejected.entry(k).or_insert(0) += v;
        }
        for p in b.examples {
            if report.examples.len() < MAX_EXAMPLES {
                report.examples.push(p);
            }
        }
        Ok(report)
    }

    /// Appends another log's events, re-interning its user, session and order ids and custom
    /// event kinds into this log's.
    fn absorb(&mut self, other: EventLog) {
        fn remap(mine: &mut FxHashMap<String, u32>, theirs: FxHashMap<String, u32>) -> Vec<u32> {
            let mut table = vec![NONE; theirs.len()];
            for (name, i) in theirs {
                table[i as usize] = intern(mine, &name);
            }
            table
        }
        let users = remap(&mut self.user_ids, other.user_ids);
        let sessions = remap(&mut self.session_ids, other.session_ids);
        let orders = remap(&mut self.order_ids, other.order_ids);
        let kinds: Vec<u16> = other
            .custom_kinds
            .iter()
            .map(|k| match self.custom_kinds.iter().position(|m| m == k) {
                Some(i) => CUSTOM + i as u16,
                None => {
                    self.custom_kinds.push(k.clone());
                    CUSTOM + (self.custom_kinds.len() - 1) as u16
                }
            })
            .collect();
        let map = |table: &[u32], x: u32| if x == NONE { NONE } else { table[x as usize] };
        self.events.extend(other.events.into_iter().map(|e| Event {
            user: map(&users, e.user),
            session: map(&sessions, e.session),
            order: map(&orders, e.order),
            kind: if e.kind >= CUSTOM { kinds[(e.kind - CUSTOM) as usize] } else { e.kind },
            ..e
        }));
        self.unknown_products += other.unknown_products;
        for p in other.unknown_examples {
            if self.unknown_examples.len() < MAX_EXAMPLES {
                self.unknown_examples.push(p);
            }
        }
    }

    /// Parses one row into an event. A row is rejected (returned as a problem) when a field is
    /// malformed or when it has neither a user nor a session id: such events cannot be told apart
    /// by shopper, and counting each as a shopper of its own would let one anonymous visitor meet
    /// `min_count` alone. An unknown product is counted in [`EventLog::unknown_products`], or,
    /// with `strict`, returned as a problem too (which makes it fatal).
    fn push_row(&mut self, row: &Row, file: &str, line: u64, catalog: &Catalog, strict: bool) -> Result<(), Problem> {
        let problem = |field: &str, kind: &'static str, detail: String| Problem::field(file, line, field, kind, detail);
        let get = |i: usize| row.get(i).map_err(|e| problem(COLUMNS[i], "invalid field", e.0.to_string()));
        let ts = match get(0)? {
            None => return Err(problem("timestamp", "missing timestamp", "is required".into())),
            Some(s) => {
                parse_timestamp(&s).map_err(|e| problem("timestamp", "invalid timestamp", format!("\"{s}\": {e}")))?
            }
        };
        let (user, session) = (get(1)?, get(2)?);
        if user.is_none() && session.is_none() {
            return Err(Problem {
                file: file.to_string(),
                line,
                field: None,
                kind: NO_SHOPPER,
                detail: "no user_id or session_id: cannot tell shoppers apart".into(),
            });
        }
        let kind = match get(3)? {
            None => {
                return Err(problem(
                    "event",
                    "missing event",
                    "is required (view, cart, purchase or a custom name)".into(),
                ))
            }
            Some(s) if s.eq_ignore_ascii_case("view") => VIEW,
            Some(s) if s.eq_ignore_ascii_case("cart") => CART,
            Some(s) if s.eq_ignore_ascii_case("purchase") => PURCHASE,
            Some(s) => {
                let other = s.to_ascii_lowercase();
                match self.custom_kinds.iter().position(|k| *k == other) {
                    Some(i) => CUSTOM + i as u16,
                    None if self.custom_kinds.len() < 1000 => {
                        self.custom_kinds.push(other);
                        CUSTOM + (self.custom_kinds.len() - 1) as u16
                    }
                    None => {
                        return Err(problem(
                            "event",
                            "too many event kinds",
                            format!("\"{other}\": more than 1000 custom event names"),
                        ))
                    }
                }
            }
        };
        let product = match get(4)? {
            None => return Err(problem("product_id", "missing product id", "is required".into())),
            Some(s) => catalog.index_of(&s),
        };
        let qty = match get(5)? {
            None => 1,
            Some(s) => match s.parse::<u32>() {
                Ok(q) if q > 0 => q,
                _ => {
                    return Err(problem(
                        "quantity",
                        "invalid quantity",
                        format!("\"{s}\": expected a positive whole number"),
                    ))
                }
            },
        };
        if let Some(s) = get(6)? {
            parse_cents(&s).map_err(|e| problem("price", "invalid price", format!("\"{s}\": {e}")))?;
        }
        let Some(product) = product else {
            let id = get(4)?.unwrap_or_default();
            let p = problem("product_id", "unknown product", format!("\"{id}\" is not in the catalog"));
            if strict {
                return Err(p);
            }
            self.unknown_products += 1;
            if self.unknown_examples.len() < MAX_EXAMPLES {
                self.unknown_examples.push(p);
            }
            return Ok(());
        };
        let user = user.map_or(NONE, |s| intern(&mut self.user_ids, &s));
        let session = session.map_or(NONE, |s| intern(&mut self.session_ids, &s));
        let order = get(7)?.map_or(NONE, |s| intern(&mut self.order_ids, &s));
        self.events.push(Event { ts, product, user, session, order, qty, kind });
        Ok(())
    }
}
