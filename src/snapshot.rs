//! The snapshot file: the one place that owns edgerec's binary format.
//!
//! ```text
//!  offset  size  field
//!  0       8     magic            b"EDGEREC\0"
//!  8       4     format version   u32 little-endian (FORMAT_VERSION)
//!  12      4     flags            u32 little-endian, 0 (reserved)
//!  16      8     body length n    u64 little-endian
//!  24      n     body             postcard: [Section { name: str, bytes: [u8] }]
//!  24+n    4     checksum         CRC-32 (IEEE) of bytes 0 .. 24+n, u32 little-endian
//! ```
//!
//! The sections, each a postcard value: `meta` ([`Meta`]), `config` ([`Config`]), `catalog`
//! ([`Catalog`]), `popularity` ([`Popularity`]), `neighbours` ([`Neighbours`]). Decoding checks, in
//! order, the length, the magic, the version, the body length, the checksum, then each section and
//! the indices between them; it returns a [`SnapshotError`] that says how to fix the problem and
//! never panics, whatever the input. Every change to this layout or to a section's types bumps
//! [`FORMAT_VERSION`] and gets a "Breaking" line in the CHANGELOG.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::config::Config;
use crate::neighbours::Neighbours;
use crate::popularity::Popularity;

/// The first eight bytes of every snapshot.
pub const MAGIC: [u8; 8] = *b"EDGEREC\0";
/// The format version this library reads and writes.
pub const FORMAT_VERSION: u32 = 1;
const HEADER: usize = 24;
const TRAILER: usize = 4;

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
}

/// Why bytes are not a usable snapshot. The message says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// Fewer bytes than a header and checksum.
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
    /// The body length in the header does not match the bytes given.
    Truncated {
        /// Bytes the header announces.
        expected: u64,
        /// Bytes given.
        found: u64,
    },
    /// The checksum does not match: the file was damaged.
    Checksum {
        /// Checksum stored in the file.
        stored: u32,
        /// Checksum of the bytes read.
        computed: u32,
    },
    /// A section is missing.
    MissingSection(&'static str),
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
                "not an edgerec snapshot: {len} bytes is shorter than the {} byte header and checksum (was the download cut short?)",
                HEADER + TRAILER
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
                "truncated or padded snapshot: the header announces {expected} bytes, {found} are present (re-download or rebuild it)"
            ),
            SnapshotError::Checksum { stored, computed } => write!(
                f,
                "corrupt snapshot: checksum {computed:08x} does not match the stored {stored:08x} (the file was damaged; re-download or rebuild it)"
            ),
            SnapshotError::MissingSection(s) => write!(f, "corrupt snapshot: the `{s}` section is missing (rebuild it)"),
            SnapshotError::Corrupt { section, detail } => {
                write!(f, "corrupt snapshot: the `{section}` section is invalid: {detail} (rebuild it)")
            }
        }
    }
}

impl std::error::Error for SnapshotError {}

#[derive(Serialize, Deserialize)]
struct Section<'a> {
    name: &'a str,
    #[serde(borrow)]
    bytes: &'a [u8],
}

const SECTIONS: [&str; 5] = ["meta", "config", "catalog", "popularity", "neighbours"];

fn section_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).expect("postcard serialisation into memory cannot fail")
}

impl Snapshot {
    /// Encodes the snapshot into the file format.
    pub fn encode(&self) -> Vec<u8> {
        let parts = [
            section_bytes(&self.meta),
            section_bytes(&self.config),
            section_bytes(&self.catalog),
            section_bytes(&self.popularity),
            section_bytes(&self.neighbours),
        ];
        let sections: Vec<Section> = SECTIONS.iter().zip(&parts).map(|(name, b)| Section { name, bytes: b }).collect();
        let body = postcard::to_allocvec(&sections).expect("postcard serialisation into memory cannot fail");
        let mut out = Vec::with_capacity(HEADER + body.len() + TRAILER);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(&body);
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// Decodes and validates a snapshot.
    pub fn decode(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
        let sections = sections(bytes)?;
        let get = |name: &'static str| {
            sections.iter().find(|s| s.name == name).map(|s| s.bytes).ok_or(SnapshotError::MissingSection(name))
        };
        fn parse<'a, T: Deserialize<'a>>(section: &'static str, b: &'a [u8]) -> Result<T, SnapshotError> {
            postcard::from_bytes(b).map_err(|e| SnapshotError::Corrupt { section, detail: e.to_string() })
        }
        let corrupt = |section: &'static str| move |detail: String| SnapshotError::Corrupt { section, detail };
        let meta: Meta = parse("meta", get("meta")?)?;
        let config: Config = parse("config", get("config")?)?;
        config.validate().map_err(|e| SnapshotError::Corrupt { section: "config", detail: e.to_string() })?;
        let mut catalog: Catalog = parse("catalog", get("catalog")?)?;
        catalog.prepare().map_err(|e| SnapshotError::Corrupt { section: "catalog", detail: e.0 })?;
        let popularity: Popularity = parse("popularity", get("popularity")?)?;
        popularity.check(catalog.len(), catalog.category_names().len()).map_err(corrupt("popularity"))?;
        let neighbours: Neighbours = parse("neighbours", get("neighbours")?)?;
        neighbours.check(catalog.len()).map_err(corrupt("neighbours"))?;
        Ok(Snapshot { meta, config, catalog, popularity, neighbours })
    }

    /// Decodes only the metadata (after checking the header and checksum).
    pub fn decode_meta(bytes: &[u8]) -> Result<Meta, SnapshotError> {
        let sections = sections(bytes)?;
        let b = sections.iter().find(|s| s.name == "meta").ok_or(SnapshotError::MissingSection("meta"))?;
        postcard::from_bytes(b.bytes).map_err(|e| SnapshotError::Corrupt { section: "meta", detail: e.to_string() })
    }

    /// The size in bytes of each section (after checking the header and checksum).
    pub fn section_sizes(bytes: &[u8]) -> Result<Vec<(String, usize)>, SnapshotError> {
        Ok(sections(bytes)?.into_iter().map(|s| (s.name.to_string(), s.bytes.len())).collect())
    }
}

fn sections(bytes: &[u8]) -> Result<Vec<Section<'_>>, SnapshotError> {
    if bytes.len() < HEADER + TRAILER {
        return Err(if bytes.len() >= 8 && bytes[..8] != MAGIC {
            SnapshotError::NotASnapshot
        } else {
            SnapshotError::TooShort { len: bytes.len() }
        });
    }
    if bytes[..8] != MAGIC {
        return Err(SnapshotError::NotASnapshot);
    }
    let word = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let version = word(8);
    if version != FORMAT_VERSION {
        return Err(SnapshotError::Version { found: version });
    }
    let body_len = u64::from(word(16)) | (u64::from(word(20)) << 32);
    let present = (bytes.len() - HEADER - TRAILER) as u64;
    if body_len != present {
        return Err(SnapshotError::Truncated {
            expected: body_len + (HEADER + TRAILER) as u64,
            found: bytes.len() as u64,
        });
    }
    let end = HEADER + body_len as usize;
    let stored = word(end);
    let computed = crc32fast::hash(&bytes[..end]);
    if stored != computed {
        return Err(SnapshotError::Checksum { stored, computed });
    }
    postcard::from_bytes::<Vec<Section>>(&bytes[HEADER..end])
        .map_err(|e| SnapshotError::Corrupt { section: "body", detail: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{CatalogBuilder, ProductRecord};

    pub(crate) fn tiny() -> Snapshot {
        let mut b = CatalogBuilder::new();
        for id in ["a", "b", "c"] {
            b.push(ProductRecord { id: id.into(), categories: vec!["X > Y".into()], ..Default::default() });
        }
        let catalog = b.finish().unwrap();
        let mut popularity = Popularity::default();
        for kind in crate::popularity::PopularityKind::ALL {
            let l = popularity.list_mut(kind);
            l.global = vec![(2, 5.0), (0, 1.0)];
            for _ in 0..catalog.category_names().len() {
                l.by_category.push_row([(2, 5.0)]);
            }
        }
        let mut neighbours = Neighbours::default();
        for kind in crate::neighbours::NeighbourKind::ALL {
            *neighbours.table_mut(kind) =
                crate::neighbours::NeighbourTable::from_rows(&[vec![(1, 0.5)], vec![(0, 0.5)], vec![]]);
        }
        Snapshot {
            meta: Meta { edgerec_version: "test".into(), built_at: 1, ..Default::default() },
            config: Config::default(),
            catalog,
            popularity,
            neighbours,
        }
    }

    #[test]
    fn round_trip() {
        let s = tiny();
        let bytes = s.encode();
        let back = Snapshot::decode(&bytes).unwrap();
        assert_eq!(back.meta, s.meta);
        assert_eq!(back.config, s.config);
        assert_eq!(back.popularity, s.popularity);
        assert_eq!(back.neighbours, s.neighbours);
        assert_eq!(back.catalog.index_of("c"), Some(2));
        assert_eq!(Snapshot::decode_meta(&bytes).unwrap(), s.meta);
        let sizes = Snapshot::section_sizes(&bytes).unwrap();
        assert_eq!(sizes.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), SECTIONS);
    }

    #[test]
    fn the_committed_fixture_still_decodes() {
        // tests/fixtures/small.snap was written by an earlier build of this format version. If
        // this fails, the format changed: bump FORMAT_VERSION, note it in the CHANGELOG and
        // regenerate the fixture with scripts/make-fixtures.sh.
        let bytes = include_bytes!("../tests/fixtures/small.snap");
        let s = Snapshot::decode(bytes).unwrap();
        assert_eq!(s.catalog.len(), 300);
        assert!(s.neighbours.bought.entries() > 0 && s.popularity.popular.global.len() > 100);
        assert_eq!(s.config.widgets.len(), 13);
    }

    #[test]
    fn every_kind_of_damage_is_named() {
        let bytes = tiny().encode();
        assert_eq!(Snapshot::decode(&bytes[..10]).unwrap_err(), SnapshotError::TooShort { len: 10 });
        assert_eq!(Snapshot::decode(b"<!doctype html><html>hello</html>").unwrap_err(), SnapshotError::NotASnapshot);
        let mut v = bytes.clone();
        v[8] = 9;
        let e = Snapshot::decode(&v).unwrap_err();
        assert_eq!(e, SnapshotError::Version { found: 9 });
        assert!(e.to_string().contains("rebuild the snapshot with `edgerec build`"));
        assert!(matches!(Snapshot::decode(&bytes[..bytes.len() - 1]).unwrap_err(), SnapshotError::Truncated { .. }));
        let mut v = bytes.clone();
        let mid = v.len() / 2;
        v[mid] ^= 0x40;
        assert!(matches!(Snapshot::decode(&v).unwrap_err(), SnapshotError::Checksum { .. }));
    }

    #[test]
    fn a_valid_checksum_over_a_bad_body_is_still_refused() {
        // Rewrite the body with garbage and a matching checksum: decoding must fail cleanly.
        let bytes = tiny().encode();
        let mut v = bytes[..bytes.len() - 4].to_vec();
        for b in v[HEADER..].iter_mut().step_by(7) {
            *b = b.wrapping_mul(31).wrapping_add(7);
        }
        let crc = crc32fast::hash(&v);
        v.extend_from_slice(&crc.to_le_bytes());
        assert!(matches!(
            Snapshot::decode(&v).unwrap_err(),
            SnapshotError::Corrupt { .. } | SnapshotError::MissingSection(_)
        ));
    }
}
