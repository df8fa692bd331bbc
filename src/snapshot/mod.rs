//! The snapshot file: the one place that owns edgerec's binary format.
//!
//! ```text
//!  offset  size  field
//!  0       8     magic            b"EDGEREC\0"
//!  8       4     format version   u32 little-endian (FORMAT_VERSION)
//!  12      4     toc length t     u32 little-endian
//!  16      t     table of contents, postcard: [TocEntry { name, version, offset, len, crc }]
//!  16+t    4     CRC-32 (IEEE) of bytes 0 .. 16+t, u32 little-endian
//!  20+t    ...   the sections, back to back in table order; each entry's `offset` counts from
//!                byte 0 of the file, its `crc` is the CRC-32 of its `len` bytes
//! ```
//!
//! Sections are named, versioned and optional. The table of contents lets a reader check the head
//! on its own, skip sections it does not know, and fetch and decode one section on its own (a byte
//! range of the file). The sections this library knows are listed in [`SECTIONS`]: `meta`,
//! `config` and `catalog` are required; every model's section (`popularity.*`, `neighbours.*`) is
//! optional, and a snapshot without one still answers every other widget, while that model's
//! widgets fall back (the missing names are in [`Snapshot::absent`]). A known section whose
//! version differs from this library's is treated as absent when optional, refused when required.
//!
//! Decoding checks, in order, the length, the magic, the version, the table of contents and its
//! checksum, the extent of every section, then each section's checksum, its value and the indices
//! between sections. It returns a [`SnapshotError`] that says how to fix the problem and never
//! panics, whatever the input. Every change to this layout bumps [`FORMAT_VERSION`]; every change
//! to a section's type bumps that section's version in [`SECTIONS`]; both get a "Breaking" line in
//! the CHANGELOG.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::bundles::Bundles;
use crate::catalog::Catalog;
use crate::config::{Config, TunedForYou};
use crate::neighbours::{NeighbourKind, NeighbourTable, Neighbours, SimilarBy};
use crate::personalization::GroupProfiles;
use crate::popularity::{Popularity, PopularityKind, PopularityList};
use crate::recurring::Intervals;
use crate::segments::SegmentLists;

/// The first eight bytes of every snapshot.
pub const MAGIC: [u8; 8] = *b"EDGEREC\0";
/// The format version this library reads and writes.
pub const FORMAT_VERSION: u32 = 2;
/// Magic, version and table-of-contents length.
const HEADER: usize = 16;
/// The table of contents' checksum.
const TOC_CRC: usize = 4;
/// A table of contents larger than this is refused before it is decoded.
const MAX_TOC: usize = 1 << 16;

/// A section this library knows: its name, the version of its type, whether a snapshot needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionSpec {
    /// The name in the table of contents.
    pub name: &'static str,
    /// The version of the section's type that this library reads and writes.
    pub version: u32,
    /// Whether a snapshot without it is refused (`meta`, `config`, `catalog`).
    pub required: bool,
}

const fn spec(name: &'static str, required: bool) -> SectionSpec {
    SectionSpec { name, version: 1, required }
}

/// Every section this library knows, in the order it writes them.
pub const SECTIONS: [SectionSpec; 21] = [
    spec("meta", true),
    // Version 2: `[recurring]` and `[segments]`; 3: `[personalization]`, widgets' `personalize`;
    // 4: `[lists]`, widgets' `list`, fallback steps as strings (`list:NAME`),
    // widgets' `max_per_brand`, `max_per_category`, `rotation`; 5: `[submodels]`, widgets'
    // `submodels`; 6: widgets' `similarity`.
    SectionSpec { name: "config", version: 6, required: true },
    spec("catalog", true),
    spec("popularity.views", false),
    spec("popularity.carts", false),
    spec("popularity.purchases", false),
    spec("popularity.popular", false),
    spec("popularity.trending", false),
    spec("neighbours.viewed_together", false),
    spec("neighbours.carted_together", false),
    spec("neighbours.bought_together", false),
    spec("neighbours.viewed_next", false),
    spec("neighbours.similar", false),
    spec("neighbours.ultimately_bought", false),
    spec("catalog.recent", false),
    spec("bundles", false),
    spec("recurring", false),
    spec("segments", false),
    // Version 2: the refinements by session shape.
    SectionSpec { name: "for_you.tuned", version: 2, required: false },
    spec("personalization", false),
    spec("neighbours.similar_widgets", false),
];

/// Counts from the build's input, kept so `inspect` and `info()` can show what a model learnt from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputCounts {
    /// Catalog rows read.
    pub catalog_rows: u64,
    /// Event rows read.
    pub event_rows: u64,
    /// Rows rejected as malformed (catalog and events).
    pub rejected_rows: u64,
    /// Events naming a product that is not in the catalog.
    pub unknown_products: u64,
    /// Events outside the training period or inside an excluded period.
    pub outside_period: u64,
    /// Events used.
    pub events_used: u64,
    /// Views used.
    pub views: u64,
    /// Add-to-carts used.
    pub carts: u64,
    /// Order lines used.
    pub purchases: u64,
    /// Custom events used.
    pub custom: u64,
    /// Sessions (given, or cut at inactivity).
    pub sessions: u64,
    /// Orders (given, or one per session with purchases).
    pub orders: u64,
    /// Distinct shoppers (user ids, or sessions without one).
    pub shoppers: u64,
}

/// Quality measured on held-out days at build time (`edgerec build --holdout-days N`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Holdout {
    /// Days held out.
    pub days: u32,
    /// Evaluation cases.
    pub cases: u64,
    /// Metric name (`for_you.hr@20`, ...) to value.
    pub metrics: BTreeMap<String, f64>,
}

/// Build metadata: the `meta` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Version of the edgerec that built the snapshot.
    pub edgerec_version: String,
    /// When the snapshot was built (Unix seconds).
    pub built_at: i64,
    /// The time popularity decays towards (Unix seconds): the newest event, or `--as-of`.
    pub as_of: i64,
    /// Oldest and newest event time used (Unix seconds).
    pub events_from: i64,
    /// Newest event time used.
    pub events_to: i64,
    /// Input counts.
    pub counts: InputCounts,
    /// Holdout quality, when the build measured it.
    pub holdout: Option<Holdout>,
}

/// Everything the engine needs, decoded.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Build metadata.
    pub meta: Meta,
    /// Training parameters and widgets.
    pub config: Config,
    /// Products.
    pub catalog: Catalog,
    /// Popularity lists.
    pub popularity: Popularity,
    /// Neighbour lists.
    pub neighbours: Neighbours,
    /// New arrivals: products by the day they were added, newest first (`catalog.recent`).
    pub recent: PopularityList,
    /// Exact combinations bought as one order (`bundles`).
    pub bundles: Bundles,
    /// Repurchase intervals of the products bought regularly (`recurring`).
    pub recurring: Intervals,
    /// The lists of the B2B segment models (`segments`).
    pub segments: SegmentLists,
    /// The `for_you` weights fitted at build time, if the build tuned them (`for_you.tuned`).
    pub tuned: Option<TunedForYou>,
    /// The personalisation models' group profiles (`personalization`).
    pub groups: GroupProfiles,
    /// `similar` tables of the widgets with their own weights (`neighbours.similar_widgets`).
    pub similar_by: Vec<SimilarBy>,
    /// Optional sections this snapshot does not have (or has in a version this library does not
    /// read): their models answer nothing, and their widgets fall back.
    pub absent: Vec<&'static str>,
}

/// Why bytes are not a usable snapshot. The message says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// Fewer bytes than a header and its checksum.
    TooShort {
        /// Bytes given.
        len: usize,
    },
    /// The magic bytes are wrong: not an edgerec snapshot.
    NotASnapshot,
    /// Written by a different format version.
    Version {
        /// Version in the file.
        found: u32,
    },
    /// The table of contents announces more or fewer bytes than are given.
    Truncated {
        /// Bytes the table of contents announces.
        expected: u64,
        /// Bytes given.
        found: u64,
    },
    /// A checksum does not match: the file was damaged.
    Checksum {
        /// The table of contents (`toc`) or the section whose checksum failed.
        section: String,
        /// Checksum stored in the file.
        stored: u32,
        /// Checksum of the bytes read.
        computed: u32,
    },
    /// A required section is missing.
    MissingSection(&'static str),
    /// A required section was written in a version this library does not read.
    SectionVersion {
        /// The section.
        section: &'static str,
        /// Version in the file.
        found: u32,
    },
    /// A section did not decode, or contradicts another.
    Corrupt {
        /// The section.
        section: &'static str,
        /// What is wrong.
        detail: String,
    },
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::TooShort { len } => write!(
                f,
                "not an edgerec snapshot: {len} bytes is shorter than its header and table of contents (was the download cut short?)"
            ),
            SnapshotError::NotASnapshot => f.write_str(
                "not an edgerec snapshot: the file does not start with the edgerec magic bytes (is this the right file, or an HTML error page?)",
            ),
            SnapshotError::Version { found } => write!(
                f,
                "snapshot format {found}, this edgerec reads format {FORMAT_VERSION}: rebuild the snapshot with `edgerec build` from edgerec {}",
                env!("CARGO_PKG_VERSION")
            ),
            SnapshotError::Truncated { expected, found } => write!(
                f,
                "truncated or padded snapshot: its table of contents announces {expected} bytes, {found} are present (re-download or rebuild it)"
            ),
            SnapshotError::Checksum { section, stored, computed } => write!(
                f,
                "corrupt snapshot: the checksum of `{section}` is {computed:08x}, not the stored {stored:08x} (the file was damaged; re-download or rebuild it)"
            ),
            SnapshotError::MissingSection(s) => write!(f, "corrupt snapshot: the `{s}` section is missing (rebuild it)"),
            SnapshotError::SectionVersion { section, found } => write!(
                f,
                "the `{section}` section is in version {found}, which edgerec {} does not read: rebuild the snapshot with a matching `edgerec build`",
                env!("CARGO_PKG_VERSION")
            ),
            SnapshotError::Corrupt { section, detail } => {
                write!(f, "corrupt snapshot: the `{section}` section is invalid: {detail} (rebuild it)")
            }
        }
    }
}

impl std::error::Error for SnapshotError {}

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    /// The section's name.
    pub name: String,
    /// The version of the section's type.
    pub version: u32,
    /// Where the section starts, from byte 0 of the file.
    pub offset: u64,
    /// Its length in bytes.
    pub len: u64,
    /// CRC-32 (IEEE) of its bytes.
    pub crc: u32,
}

/// The table of contents of a snapshot: what sections it has and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toc {
    /// The sections, in file order.
    pub entries: Vec<TocEntry>,
    /// Bytes of the header and the table of contents: where the first section starts.
    pub head_len: u64,
}

impl Toc {
    /// Reads and checks the header and table of contents from the start of a snapshot. `bytes`
    /// may be the whole file or only its first [`Toc::head_len`] bytes: a reader that fetches
    /// sections on demand reads the first 16 bytes, then the rest of the head.
    pub fn read(bytes: &[u8]) -> Result<Toc, SnapshotError> {
        if bytes.len() < 8 {
            return Err(SnapshotError::TooShort { len: bytes.len() });
        }
        if bytes[..8] != MAGIC {
            return Err(SnapshotError::NotASnapshot);
        }
        if bytes.len() < HEADER {
            return Err(SnapshotError::TooShort { len: bytes.len() });
        }
        let word = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let version = word(8);
        if version != FORMAT_VERSION {
            return Err(SnapshotError::Version { found: version });
        }
        let toc_len = word(12) as usize;
        if toc_len > MAX_TOC {
            return Err(corrupt("toc", format!("{toc_len} bytes is more than the {MAX_TOC} allowed")));
        }
        let end = HEADER + toc_len;
        if bytes.len() < end + TOC_CRC {
            return Err(SnapshotError::TooShort { len: bytes.len() });
        }
        check_crc("toc", &bytes[..end], word(end))?;
        let entries: Vec<TocEntry> =
            postcard::from_bytes(&bytes[HEADER..end]).map_err(|e| corrupt("toc", e.to_string()))?;
        let head_len = (end + TOC_CRC) as u64;
        let mut at = head_len;
        for (i, e) in entries.iter().enumerate() {
            if e.offset != at {
                return Err(corrupt("toc", format!("section `{}` starts at {}, not {at}", e.name, e.offset)));
            }
            at = e
                .offset
                .checked_add(e.len)
                .ok_or_else(|| corrupt("toc", format!("section `{}` is too long", e.name)))?;
            if entries[..i].iter().any(|o| o.name == e.name) {
                return Err(corrupt("toc", format!("section `{}` appears twice", e.name)));
            }
        }
        Ok(Toc { entries, head_len })
    }

    /// The length of the whole file that this table of contents describes.
    pub fn file_len(&self) -> u64 {
        self.entries.last().map_or(self.head_len, |e| e.offset + e.len)
    }

    /// The entry of a section, if the snapshot has it.
    pub fn entry(&self, name: &str) -> Option<&TocEntry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The bytes of a section in the whole file `bytes`, checked against its checksum; `None` when
    /// the snapshot has no such section.
    pub fn section<'a>(&self, bytes: &'a [u8], name: &str) -> Result<Option<&'a [u8]>, SnapshotError> {
        let Some(e) = self.entry(name) else { return Ok(None) };
        // `read` checked that offsets are contiguous; `sections` checked the file's length.
        let b = bytes
            .get(e.offset as usize..(e.offset + e.len) as usize)
            .ok_or(SnapshotError::Truncated { expected: self.file_len(), found: bytes.len() as u64 })?;
        check_crc(&e.name, b, e.crc)?;
        Ok(Some(b))
    }
}

fn corrupt(section: &'static str, detail: String) -> SnapshotError {
    SnapshotError::Corrupt { section, detail }
}

fn check_crc(section: &str, bytes: &[u8], stored: u32) -> Result<(), SnapshotError> {
    let computed = crc32fast::hash(bytes);
    if computed == stored {
        Ok(())
    } else {
        Err(SnapshotError::Checksum { section: section.to_string(), stored, computed })
    }
}

fn section_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).expect("postcard serialisation into memory cannot fail")
}

/// Writes a snapshot file from sections given as (name, version, bytes), in that order. The
/// low-level writer behind [`Snapshot::encode`]; tests and tools use it to write snapshots with
/// sections left out, or with sections this library does not know.
pub fn write_sections(sections: &[(&str, u32, Vec<u8>)]) -> Vec<u8> {
    let toc_len_of = |entries: &[TocEntry]| section_bytes(&entries.to_vec()).len();
    let mut entries: Vec<TocEntry> = sections
        .iter()
        .map(|(name, version, b)| TocEntry {
            name: name.to_string(),
            version: *version,
            offset: 0,
            len: b.len() as u64,
            crc: crc32fast::hash(b),
        })
        .collect();
    // Offsets are varints, so the table's length depends on them: settle it (two rounds at most).
    let mut toc_len = toc_len_of(&entries);
    loop {
        let mut at = (HEADER + toc_len + TOC_CRC) as u64;
        for e in &mut entries {
            e.offset = at;
            at += e.len;
        }
        let now = toc_len_of(&entries);
        if now == toc_len {
            break;
        }
        toc_len = now;
    }
    let toc = section_bytes(&entries);
    let mut out = Vec::with_capacity(entries.last().map_or(0, |e| (e.offset + e.len) as usize));
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(toc.len() as u32).to_le_bytes());
    out.extend_from_slice(&toc);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    for (_, _, b) in sections {
        out.extend_from_slice(b);
    }
    out
}

fn decode_value<'a, T: Deserialize<'a>>(section: &'static str, b: &'a [u8]) -> Result<T, SnapshotError> {
    postcard::from_bytes(b).map_err(|e| corrupt(section, e.to_string()))
}

/// The checked table of contents of a whole file, and the file.
struct Sections<'a> {
    toc: Toc,
    bytes: &'a [u8],
}

impl<'a> Sections<'a> {
    fn open(bytes: &'a [u8]) -> Result<Sections<'a>, SnapshotError> {
        let toc = Toc::read(bytes)?;
        if toc.file_len() != bytes.len() as u64 {
            return Err(SnapshotError::Truncated { expected: toc.file_len(), found: bytes.len() as u64 });
        }
        Ok(Sections { toc, bytes })
    }

    /// The bytes of a known section: `None` when it is absent or in another version (an error
    /// for required sections).
    fn get(&self, spec: &SectionSpec) -> Result<Option<&'a [u8]>, SnapshotError> {
        match self.toc.entry(spec.name) {
            None if spec.required => Err(SnapshotError::MissingSection(spec.name)),
            None => Ok(None),
            Some(e) if e.version != spec.version => {
                if spec.required {
                    Err(SnapshotError::SectionVersion { section: spec.name, found: e.version })
                } else {
                    Ok(None)
                }
            }
            Some(_) => self.toc.section(self.bytes, spec.name),
        }
    }

    /// Decodes and checks the optional section `name`: `None` (and the name added to `absent`)
    /// when the file does not have it in the version this library reads.
    fn optional<T: Deserialize<'a>>(
        &self,
        name: &'static str,
        absent: &mut Vec<&'static str>,
        check: impl FnOnce(&T) -> Result<(), String>,
    ) -> Result<Option<T>, SnapshotError> {
        let Some((name, b)) = self.optional_bytes(name, absent)? else { return Ok(None) };
        let value: T = decode_value(name, b)?;
        check(&value).map_err(|d| corrupt(name, d))?;
        Ok(Some(value))
    }

    /// The bytes of the optional section `name` (the part of [`Sections::optional`] that does
    /// not depend on the section's type: one copy in the wasm, not one per type).
    fn optional_bytes(
        &self,
        name: &'static str,
        absent: &mut Vec<&'static str>,
    ) -> Result<Option<(&'static str, &'a [u8])>, SnapshotError> {
        let spec = SECTIONS.iter().find(|s| s.name == name).expect("a known section");
        match self.get(spec)? {
            Some(b) => Ok(Some((spec.name, b))),
            None => {
                absent.push(spec.name);
                Ok(None)
            }
        }
    }

    fn required(&self, i: usize) -> Result<&'a [u8], SnapshotError> {
        self.get(&SECTIONS[i])?.ok_or(SnapshotError::MissingSection(SECTIONS[i].name))
    }
}

impl Snapshot {
    /// Encodes the snapshot into the file format, every section included.
    pub fn encode(&self) -> Vec<u8> {
        let mut parts: Vec<(&str, Vec<u8>)> =
            vec![("meta", section_bytes(&self.meta)), ("config", section_bytes(&self.config))];
        parts.push(("catalog", section_bytes(&self.catalog)));
        for (&k, spec) in PopularityKind::ALL.iter().zip(&SECTIONS[3..]) {
            parts.push((spec.name, section_bytes(self.popularity.list(k))));
        }
        for (&k, spec) in NeighbourKind::ALL.iter().zip(&SECTIONS[3 + PopularityKind::ALL.len()..]) {
            parts.push((spec.name, section_bytes(self.neighbours.table(k))));
        }
        parts.push(("catalog.recent", section_bytes(&self.recent)));
        parts.push(("bundles", section_bytes(&self.bundles)));
        parts.push(("recurring", section_bytes(&self.recurring)));
        parts.push(("segments", section_bytes(&self.segments)));
        parts.push(("for_you.tuned", section_bytes(&self.tuned)));
        parts.push(("personalization", section_bytes(&self.groups)));
        parts.push(("neighbours.similar_widgets", section_bytes(&self.similar_by)));
        let sections: Vec<(&str, u32, Vec<u8>)> = SECTIONS
            .iter()
            .map(|s| {
                let i = parts.iter().position(|p| p.0 == s.name).expect("every section is encoded");
                (s.name, s.version, std::mem::take(&mut parts[i].1))
            })
            .collect();
        write_sections(&sections)
    }

    /// Decodes and validates a snapshot.
    pub fn decode(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
        let sections = Sections::open(bytes)?;
        let meta: Meta = decode_value("meta", sections.required(0)?)?;
        let config: Config = decode_value("config", sections.required(1)?)?;
        config.validate().map_err(|e| corrupt("config", e.to_string()))?;
        let mut catalog: Catalog = decode_value("catalog", sections.required(2)?)?;
        catalog.prepare().map_err(|e| corrupt("catalog", e.0))?;
        let mut s = Snapshot { meta, config, catalog, ..Default::default() };
        let (products, categories) = (s.catalog.len(), s.catalog.category_names().len());
        let mut absent = Vec::new();
        for (&kind, spec) in PopularityKind::ALL.iter().zip(&SECTIONS[3..]) {
            let check = |l: &PopularityList| l.check(kind.name(), products, categories);
            if let Some(list) = sections.optional(spec.name, &mut absent, check)? {
                *s.popularity.list_mut(kind) = list;
            }
        }
        for (&kind, spec) in NeighbourKind::ALL.iter().zip(&SECTIONS[3 + PopularityKind::ALL.len()..]) {
            let check = |t: &NeighbourTable| t.check(kind.name(), products);
            if let Some(table) = sections.optional(spec.name, &mut absent, check)? {
                *s.neighbours.table_mut(kind) = table;
            }
        }
        let recent = |l: &PopularityList| l.check("recent", products, categories);
        if let Some(list) = sections.optional("catalog.recent", &mut absent, recent)? {
            s.recent = list;
        }
        if let Some(b) = sections.optional("bundles", &mut absent, |b: &Bundles| b.check(products))? {
            s.bundles = b;
        }
        if let Some(i) = sections.optional("recurring", &mut absent, |i: &Intervals| i.check(products))? {
            s.recurring = i;
        }
        if let Some(l) = sections.optional("segments", &mut absent, |l: &SegmentLists| l.check(products))? {
            s.segments = l;
        }
        let tuned = |t: &Option<TunedForYou>| t.as_ref().map_or(Ok(()), TunedForYou::check);
        if let Some(t) = sections.optional("for_you.tuned", &mut absent, tuned)? {
            s.tuned = t;
        }
        if let Some(g) = sections.optional("personalization", &mut absent, GroupProfiles::check)? {
            s.groups = g;
        }
        let similar = |t: &Vec<SimilarBy>| crate::neighbours::check_similar_by(t, products);
        if let Some(t) = sections.optional("neighbours.similar_widgets", &mut absent, similar)? {
            s.similar_by = t;
        }
        s.absent = absent;
        Ok(s)
    }

    /// Decodes only the metadata (after checking the table of contents and the section).
    pub fn decode_meta(bytes: &[u8]) -> Result<Meta, SnapshotError> {
        decode_value("meta", Sections::open(bytes)?.required(0)?)
    }

    /// The size in bytes of each section, from the checked table of contents.
    pub fn section_sizes(bytes: &[u8]) -> Result<Vec<(String, usize)>, SnapshotError> {
        Ok(Sections::open(bytes)?.toc.entries.into_iter().map(|e| (e.name, e.len as usize)).collect())
    }
}

#[cfg(test)]
mod tests;
