//! Reading `events.csv` / `.ndjson` into a compact in-memory log. Shopper, session and order ids
//! are interned to numbers here and never leave the builder; events naming a product that is not
//! in the catalog are counted and reported (file:line), not silently dropped.

use std::path::Path;

use rustc_hash::FxHashMap;

use super::{
    csv_rows, expand_inputs, for_each_row, for_each_row_in, parse_cents, split_csv, InputError, Opened, Problem,
    Report, Row, RowsError, MAX_EXAMPLES,
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

const COLUMNS: [&str; 13] = [
    "timestamp",
    "user_id",
    "session_id",
    "event",
    "product_id",
    "quantity",
    "price",
    "order_id",
    "widget",
    "variant",
    "position",
    "site",
    "segment",
];
/// Event kind name of a widget showing a product (custom: weight 0 unless configured).
pub const IMPRESSION: &str = "impression";
/// Event kind name of a click on a product a widget showed (custom: weight 0 unless configured).
pub const CLICK: &str = "click";

/// The optional fields of one event beyond what training needs, kept only for events that have
/// one: the widget and A/B variant that showed the product (`impression`, `click`), its 1-based
/// position in the list, and the unit price given with the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// Index of the event in [`EventLog::events`].
    pub event: u32,
    /// Index into [`EventLog::widget_names`], or [`NONE`].
    pub widget: u32,
    /// Index into [`EventLog::variant_names`], or [`NONE`].
    pub variant: u32,
    /// 1-based position in the widget's list; 0 when not given.
    pub position: u32,
    /// Unit price in cents, when the event gives one.
    pub price: Option<u32>,
}
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
    /// Widget, variant, position and price of the events that give any, in event order.
    pub placements: Vec<Placement>,
    /// Widget names by number (`widget` column).
    pub widget_names: Vec<String>,
    /// Variant names by number (`variant` column).
    pub variant_names: Vec<String>,
    /// Segment (business account) names by number (`segment` column, `--segments` file).
    pub segment_names: Vec<String>,
    /// (event index, segment) of the events whose row names a segment, in event order.
    pub event_segments: Vec<(u32, u32)>,
    /// (user, segment) from a `user_id,segment` mapping file ([`EventLog::assign_segments`]):
    /// it wins over the `segment` column.
    pub user_segments: Vec<(u32, u32)>,
    segment_ids: FxHashMap<String, u32>,
    widget_ids: FxHashMap<String, u32>,
    variant_ids: FxHashMap<String, u32>,
    user_ids: FxHashMap<String, u32>,
    session_ids: FxHashMap<String, u32>,
    order_ids: FxHashMap<String, u32>,
}

/// Adds one report's rows, rejections and (up to [`MAX_EXAMPLES`]) examples to another.
pub(crate) fn merge_report(total: &mut Report, report: &Report) {
    total.rows += report.rows;
    for (k, v) in &report.rejected {
        *total.rejected.entry(k).or_insert(0) += v;
    }
    for p in &report.examples {
        if total.examples.len() < MAX_EXAMPLES {
            total.examples.push(p.clone());
        }
    }
}

/// [`intern`], keeping the names by number too.
fn intern_named(map: &mut FxHashMap<String, u32>, names: &mut Vec<String>, s: &str) -> u32 {
    let i = intern(map, s);
    if i as usize == names.len() {
        names.push(s.to_string());
    }
    i
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

    /// Reads an events file, or every events file of a directory or a glob pattern (see
    /// [`super::expand_inputs`]: sorted by path), into the log; returns their report.
    pub fn read(
        &mut self,
        path: &Path,
        catalog: &Catalog,
        strict: bool,
        on_progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Report, InputError> {
        let files = expand_inputs(&[path.to_path_buf()])?;
        let mut total = Report::default();
        for file in &files {
            let report = self.read_file(file, catalog, strict, on_progress)?;
            merge_report(&mut total, &report);
        }
        Ok(total)
    }

    /// Reads one events file into the log; returns that file's report.
    fn read_file(
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
        merge_report(&mut self.report, &report);
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
        merge_report(&mut report, &b);
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
        let widgets: Vec<u32> = other.widget_names.iter().map(|w| self.name_widget(w)).collect();
        let variants: Vec<u32> = other.variant_names.iter().map(|v| self.name_variant(v)).collect();
        let segments: Vec<u32> = other.segment_names.iter().map(|s| self.name_segment(s)).collect();
        let offset = self.events.len() as u32;
        self.event_segments.extend(other.event_segments.iter().map(|&(e, s)| (e + offset, segments[s as usize])));
        self.placements.extend(other.placements.iter().map(|p| Placement {
            event: p.event + offset,
            widget: map(&widgets, p.widget),
            variant: map(&variants, p.variant),
            ..*p
        }));
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
        // A whole number from 1, or absent.
        let positive = |i: usize, kind: &'static str, expected: &str| match get(i)? {
            None => Ok(None),
            Some(s) => match s.parse::<u32>() {
                Ok(n) if n > 0 => Ok(Some(n)),
                _ => Err(problem(COLUMNS[i], kind, format!("\"{s}\": expected {expected}"))),
            },
        };
        let qty = positive(5, "invalid quantity", "a positive whole number")?.unwrap_or(1);
        let price = match get(6)? {
            Some(s) => Some(parse_cents(&s).map_err(|e| problem("price", "invalid price", format!("\"{s}\": {e}")))?),
            None => None,
        };
        let position =
            positive(10, "invalid position", "a whole number from 1 (the first item of the list)")?.unwrap_or(0);
        let (widget, variant) = (get(8)?, get(9)?);
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
        if widget.is_some() || variant.is_some() || position > 0 || price.is_some() {
            let widget = widget.map_or(NONE, |w| self.name_widget(&w));
            let variant = variant.map_or(NONE, |v| self.name_variant(&v));
            let event = self.events.len() as u32;
            self.placements.push(Placement { event, widget, variant, position, price });
        }
        if let Some(segment) = get(12)? {
            let segment = self.name_segment(&segment);
            self.event_segments.push((self.events.len() as u32, segment));
        }
        self.events.push(Event { ts, product, user, session, order, qty, kind });
        Ok(())
    }

    /// The number of a segment name, interning it.
    fn name_segment(&mut self, name: &str) -> u32 {
        intern_named(&mut self.segment_ids, &mut self.segment_names, name)
    }

    /// Puts users in segments from `(user id, segment)` pairs (a mapping file), before
    /// [`EventLog::drop_ids`]; returns how many pairs name a user with no event (ignored).
    pub fn assign_segments<'a>(&mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> u64 {
        let mut unknown = 0;
        for (user, segment) in pairs {
            match self.user_ids.get(user) {
                Some(&u) => {
                    let s = self.name_segment(segment);
                    self.user_segments.push((u, s));
                }
                None => unknown += 1,
            }
        }
        unknown
    }

    /// The number of a widget name, interning it.
    fn name_widget(&mut self, name: &str) -> u32 {
        intern_named(&mut self.widget_ids, &mut self.widget_names, name)
    }

    /// The number of a variant name, interning it.
    fn name_variant(&mut self, name: &str) -> u32 {
        intern_named(&mut self.variant_ids, &mut self.variant_names, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::catalog::read_catalog_in;
    use crate::ingest::{open_bytes, Format};

    fn catalog() -> Catalog {
        let csv = b"id,title,price\np1,One,10\np2,Two,20\n".to_vec();
        read_catalog_in(open_bytes(csv, Format::Csv, false), Path::new("c.csv"), true, &mut |_, _| {}).unwrap().0
    }

    #[test]
    fn widget_columns_are_kept_beside_the_events_and_a_bad_position_is_named() {
        let text = concat!(
            r#"{"timestamp":"2026-11-01T10:00:00Z","session_id":"s1","event":"impression","product_id":"p1","widget":"pdp_similar","variant":"B","position":2,"site":"shop"}"#,
            "\n",
            r#"{"timestamp":"2026-11-01T10:00:05Z","session_id":"s1","event":"click","product_id":"p1","widget":"pdp_similar","variant":"B","position":"2"}"#,
            "\n",
            r#"{"timestamp":"2026-11-01T10:01:00Z","session_id":"s1","event":"purchase","product_id":"p1","price":"9.50"}"#,
            "\n",
            r#"{"timestamp":"2026-11-01T10:02:00Z","session_id":"s1","event":"view","product_id":"p2"}"#,
            "\n",
            r#"{"timestamp":"2026-11-01T10:03:00Z","session_id":"s1","event":"click","product_id":"p2","widget":"w","position":0}"#,
            "\n",
        );
        let mut log = EventLog::new();
        let opened = open_bytes(text.as_bytes().to_vec(), Format::Ndjson, false);
        let report = log.read_in(opened, Path::new("e.ndjson"), &catalog(), false).unwrap();
        assert_eq!(log.events.len(), 4);
        assert_eq!(log.kind_name(log.events[0].kind), IMPRESSION);
        assert_eq!(log.kind_name(log.events[1].kind), CLICK);
        assert_eq!(log.widget_names, ["pdp_similar"]);
        assert_eq!(log.variant_names, ["B"]);
        let placed = |event, position, price| Placement { event, widget: 0, variant: 0, position, price };
        assert_eq!(
            log.placements,
            [
                placed(0, 2, None),
                placed(1, 2, None),
                Placement { event: 2, widget: NONE, variant: NONE, position: 0, price: Some(950) }
            ]
        );
        assert_eq!(report.rejected.get("invalid position"), Some(&1));
        assert_eq!(report.examples[0].to_string().split(": \"").next(), Some("e.ndjson:5: field `position`"));
    }

    #[test]
    fn placements_survive_the_two_thread_parse() {
        let dir = std::env::temp_dir().join(format!("edgerec-placements-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("events.csv");
        let mut text = String::from("timestamp,session_id,event,product_id,widget,variant,position\n");
        let rows = 120_000;
        for i in 0..rows {
            let (widget, variant) = if i < rows / 2 { ("first", "A") } else { ("second", "B") };
            text.push_str(&format!("2026-11-01T10:00:00Z,s{i},click,p1,{widget},{variant},{}\n", i % 7 + 1));
        }
        assert!(text.len() as u64 >= PARALLEL_MIN_BYTES);
        std::fs::write(&path, text).unwrap();
        let mut log = EventLog::new();
        log.read(&path, &catalog(), true, &mut |_, _| {}).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(log.placements.len(), rows);
        for (i, p) in log.placements.iter().enumerate() {
            let (widget, variant) = if i < rows / 2 { ("first", "A") } else { ("second", "B") };
            assert_eq!(p.event as usize, i);
            assert_eq!(
                (log.widget_names[p.widget as usize].as_str(), log.variant_names[p.variant as usize].as_str()),
                (widget, variant)
            );
            assert_eq!(p.position, i as u32 % 7 + 1);
        }
    }
}
