//! B2B segment lists: what the users of one business account (a segment) viewed and bought
//! lately, and what the account buys regularly, as the `segments` snapshot section holds them.
//!
//! A segment is written only when at least `training.min_count` distinct users of it are in the
//! events. Segment ids are stored as [`segment_key`] hashes, so the snapshot does not list the
//! store's business customers; anyone who knows (or guesses) a segment id can still read its
//! lists from a snapshot that has them, which is why the edge worker can require a signed
//! segment token (docs/segments.md).

use serde::{Deserialize, Serialize};

use crate::columns::Csr;

/// The key of a segment id in the snapshot: 64-bit FNV-1a of its UTF-8 bytes. A fixed,
/// documented function (not the process's hasher), so builder and engine agree across
/// versions and platforms.
pub fn segment_key(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in id.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One product a segment buys regularly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SegmentRepurchase {
    /// Catalog index.
    pub product: u32,
    /// The segment's last purchase of it (Unix seconds).
    pub last: i64,
    /// Days the last purchase lasts at the segment's average demand per day.
    pub interval_days: f32,
}

/// Every segment's lists, one row per segment in key order. Stored as plain columns (tables of
/// `u32` with `i64` and `f32` columns beside them), which keeps the wasm's decoder small.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentLists {
    /// [`segment_key`] of each segment, strictly increasing.
    pub keys: Vec<u64>,
    /// Distinct products viewed by the segment's users, most recently viewed first.
    pub viewed: Csr<u32>,
    /// Distinct products bought in the last `segments.purchased_days` before the build's as-of
    /// time, most recent first.
    pub purchased: Csr<u32>,
    /// The time of the last purchase of each `purchased` value (Unix seconds).
    pub purchased_at: Vec<i64>,
    /// Products bought at least twice in the last `segments.recurring_days`.
    pub recurring: Csr<u32>,
    /// The last purchase of each `recurring` value (Unix seconds).
    pub recurring_last: Vec<i64>,
    /// How many days each `recurring` value's last purchase lasts.
    pub recurring_days: Vec<f32>,
}

impl SegmentLists {
    /// The number of segments.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Adds a segment; keys must come in increasing order.
    pub fn push(
        &mut self,
        key: u64,
        viewed: impl IntoIterator<Item = u32>,
        purchased: impl IntoIterator<Item = (u32, i64)>,
        recurring: impl IntoIterator<Item = SegmentRepurchase>,
    ) {
        debug_assert!(self.keys.last().is_none_or(|&k| k < key));
        self.keys.push(key);
        self.viewed.push_row(viewed);
        let (p, at): (Vec<u32>, Vec<i64>) = purchased.into_iter().unzip();
        self.purchased.push_row(p);
        self.purchased_at.extend(at);
        let r: Vec<SegmentRepurchase> = recurring.into_iter().collect();
        self.recurring.push_row(r.iter().map(|x| x.product));
        self.recurring_last.extend(r.iter().map(|x| x.last));
        self.recurring_days.extend(r.iter().map(|x| x.interval_days));
    }

    /// The row of a segment id, if the snapshot has lists for it.
    pub fn row_of(&self, id: &str) -> Option<usize> {
        self.keys.binary_search(&segment_key(id)).ok()
    }

    /// A segment's purchases: (product, time of the last purchase), most recent first.
    pub fn purchased(&self, row: usize) -> impl Iterator<Item = (u32, i64)> + '_ {
        let r = self.purchased.range(row);
        self.purchased.row(row).iter().copied().zip(self.purchased_at[r].iter().copied())
    }

    /// A segment's regular purchases.
    pub fn recurring(&self, row: usize) -> impl Iterator<Item = SegmentRepurchase> + '_ {
        let r = self.recurring.range(row);
        let (last, days) = (&self.recurring_last[r.clone()], &self.recurring_days[r]);
        self.recurring
            .row(row)
            .iter()
            .zip(last.iter().zip(days))
            .map(|(&product, (&last, &interval_days))| SegmentRepurchase { product, last, interval_days })
    }

    /// Checks the rows against the keys and a catalog of `products` products.
    pub fn check(&self, products: usize) -> Result<(), String> {
        let n = self.keys.len();
        if self.viewed.rows() != n || self.purchased.rows() != n || self.recurring.rows() != n {
            return Err("the lists do not have one row per segment".into());
        }
        let r = self.recurring.values().len();
        if self.purchased_at.len() != self.purchased.values().len()
            || self.recurring_last.len() != r
            || self.recurring_days.len() != r
        {
            return Err("a column beside a list does not have one value per entry".into());
        }
        if self.keys.windows(2).any(|w| w[0] >= w[1]) {
            return Err("segment keys are not strictly increasing".into());
        }
        let past = |p: &u32| *p as usize >= products;
        if self.viewed.values().iter().chain(self.purchased.values()).chain(self.recurring.values()).any(past) {
            return Err("a product index is past the catalog".into());
        }
        if self.recurring_days.iter().any(|d| !d.is_finite() || *d <= 0.0) {
            return Err("an interval is not a positive number of days".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_fnv1a_64() {
        // Reference values of the FNV-1a 64 specification.
        assert_eq!(segment_key(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(segment_key("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(segment_key("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn check_refuses_rows_that_do_not_match() {
        let mut s = SegmentLists { keys: vec![1], ..Default::default() };
        assert!(s.check(5).is_err());
        s = SegmentLists::default();
        for key in [1, 2] {
            let r = SegmentRepurchase { product: 2, last: 5, interval_days: 3.0 };
            s.push(key, [0], [(1, 10), (3, 7)], [r]);
        }
        assert!(s.check(5).is_ok());
        assert_eq!(s.purchased(1).collect::<Vec<_>>(), [(1, 10), (3, 7)]);
        assert_eq!(s.recurring(1).map(|r| r.product).collect::<Vec<_>>(), [2]);
        assert!(s.check(2).unwrap_err().contains("past the catalog"));
        s.purchased_at.pop();
        assert!(s.check(5).unwrap_err().contains("one value per entry"));
        s.purchased_at.push(7);
        s.keys = vec![2, 1];
        assert!(s.check(5).unwrap_err().contains("increasing"));
    }
}
