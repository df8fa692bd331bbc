//! # edgerec
//!
//! Product recommendations for online stores, computed from a compact snapshot: in the shopper's
//! browser (WebAssembly), at the edge (a Cloudflare Worker) or natively.
//!
//! A native builder (`edgerec build`, behind the `cli` feature) turns a product catalog and
//! shopper events into a [`Snapshot`]: catalog attributes, popularity lists, co-occurrence
//! neighbour lists and the widget configuration, without any shopper, session or order id, and
//! without any signal seen from fewer than `min_count` shoppers. The [`Recommender`] answers
//! "give me widget W for this context" with pure functions: no IO, no clock, no randomness.
//!
//! ## Quick start
//!
//! ```
//! use edgerec::{Context, Overrides, Recommender};
//!
//! let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small.snap")).unwrap();
//! let rec = Recommender::from_bytes(&bytes)?;
//!
//! // A shopper on product P00001's page who viewed P00003 then P00002 before it.
//! let ctx = Context::from_ids(Some("P00001"), &["P00003", "P00002"], &[], &[]);
//! let list = rec.recommend("cross_sell", &ctx, &Overrides::default())?;
//! for item in &list.items {
//!     let id = rec.catalog().id(item.product);
//!     println!("{id} score {:.2} because {} (step {})", item.score, item.source, item.step);
//!     assert_ne!(id, "P00001", "the current product is never recommended");
//! }
//! assert!(!list.items.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Modules
//! - [`snapshot`]: the binary format (magic, version, checksum, postcard sections).
//! - [`catalog`], [`popularity`], [`neighbours`], [`bundles`]: what a snapshot holds.
//! - [`config`]: training parameters and widget configuration (`edgerec.toml`).
//! - [`engine`] and [`filter`]: the recommender.
//! - [`session`]: the shopper's session state kept on the device.
//! - `ingest`, `build`, `cli` (feature `cli`): the native builder and command-line tool.

#![warn(missing_docs)]

pub mod bundles;
pub mod catalog;
pub mod columns;
pub mod config;
pub mod engine;
pub mod error_code;
pub mod filter;
pub mod json;
pub mod neighbours;
pub mod personalization;
pub mod popularity;
pub mod recurring;
pub mod segments;
pub mod session;
pub mod snapshot;
pub mod time;

#[cfg(feature = "cli")]
pub mod build;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod evaluate;
#[cfg(feature = "cli")]
pub mod ingest;
#[cfg(feature = "cli")]
pub mod walk;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod typescript;

pub use catalog::Catalog;
pub use config::{Algorithm, Config, Filters, Source, WidgetConfig};
pub use engine::{Context, EngineError, Overrides, Recommendation, Recommendations, Recommender, View};
pub use snapshot::{Snapshot, SnapshotError};
