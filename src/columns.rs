//! Compact column types the snapshot is made of: many strings in one buffer, and variable-length
//! rows of integers in one array (compressed sparse rows). Both serialise as lengths, which
//! postcard's varints keep to a byte or two each, and decode with one allocation per column.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Many strings in one buffer, addressed by index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StrColumn {
    data: String,
    ends: Vec<u32>,
}

impl StrColumn {
    /// An empty column.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a string.
    pub fn push(&mut self, s: &str) {
        self.data.push_str(s);
        self.ends.push(self.data.len() as u32);
    }

    /// The number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the column holds no strings.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`-th string. Panics when `i` is out of bounds.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.data[start..self.ends[i] as usize]
    }

    /// Iterates over the strings in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    /// Bytes of string data held.
    pub fn data_len(&self) -> usize {
        self.data.len()
    }
}

impl<'a> FromIterator<&'a str> for StrColumn {
    fn from_iter<I: IntoIterator<Item = &'a str>>(iter: I) -> Self {
        let mut c = StrColumn::new();
        for s in iter {
            c.push(s);
        }
        c
    }
}

#[derive(Serialize, Deserialize)]
struct StrColumnWire {
    data: String,
    lens: Vec<u32>,
}

impl Serialize for StrColumn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut prev = 0;
        let lens: Vec<u32> = self
            .ends
            .iter()
            .map(|&e| {
                let l = e - prev;
                prev = e;
                l
            })
            .collect();
        (self.data.as_str(), lens).serialize(s)
    }
}

impl<'de> Deserialize<'de> for StrColumn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = StrColumnWire::deserialize(d)?;
        let mut ends = w.lens;
        let mut end: u64 = 0;
        for e in ends.iter_mut() {
            end += u64::from(*e);
            if end > w.data.len() as u64 || !w.data.is_char_boundary(end as usize) {
                return Err(D::Error::custom("string column lengths do not match its data"));
            }
            *e = end as u32;
        }
        if end != w.data.len() as u64 {
            return Err(D::Error::custom("string column lengths do not match its data"));
        }
        Ok(StrColumn { data: w.data, ends })
    }
}

/// Variable-length rows of values in one array (compressed sparse rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Csr<T> {
    offsets: Vec<u32>,
    values: Vec<T>,
}

impl<T> Default for Csr<T> {
    fn default() -> Self {
        Csr { offsets: vec![0], values: Vec::new() }
    }
}

impl<T> Csr<T> {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a row.
    pub fn push_row<I: IntoIterator<Item = T>>(&mut self, row: I) {
        self.values.extend(row);
        self.offsets.push(self.values.len() as u32);
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The `i`-th row; an empty slice when `i` is out of bounds.
    pub fn row(&self, i: usize) -> &[T] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.values[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Where the `i`-th row is in [`Csr::values`]; empty when `i` is out of bounds. Columns
    /// stored beside a table (one value per table value) use it.
    pub fn range(&self, i: usize) -> std::ops::Range<usize> {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// All values, row after row.
    pub fn values(&self) -> &[T] {
        &self.values
    }
}

#[derive(Serialize, Deserialize)]
struct CsrWire<T> {
    lens: Vec<u32>,
    values: Vec<T>,
}

impl<T: Serialize> Serialize for Csr<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let lens: Vec<u32> = self.offsets.windows(2).map(|w| w[1] - w[0]).collect();
        (lens, self.values.as_slice()).serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Csr<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = CsrWire::<T>::deserialize(d)?;
        let mut offsets = Vec::with_capacity(w.lens.len() + 1);
        offsets.push(0u32);
        let mut end: u64 = 0;
        for l in w.lens {
            end += u64::from(l);
            if end > w.values.len() as u64 {
                return Err(D::Error::custom("row lengths exceed the values they index"));
            }
            offsets.push(end as u32);
        }
        if end != w.values.len() as u64 {
            return Err(D::Error::custom("row lengths do not cover the values they index"));
        }
        Ok(Csr { offsets, values: w.values })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_column_round_trips() {
        let c: StrColumn = ["a", "", "héllo", "z"].into_iter().collect();
        assert_eq!(c.get(2), "héllo");
        assert_eq!(c.get(1), "");
        let bytes = postcard::to_allocvec(&c).unwrap();
        let back: StrColumn = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.iter().collect::<Vec<_>>(), vec!["a", "", "héllo", "z"]);
    }

    #[test]
    fn str_column_refuses_lengths_that_split_a_character() {
        let bytes = postcard::to_allocvec(&StrColumnWire { data: "é".into(), lens: vec![1, 1] }).unwrap();
        assert!(postcard::from_bytes::<StrColumn>(&bytes).is_err());
        let bytes = postcard::to_allocvec(&StrColumnWire { data: "ab".into(), lens: vec![1] }).unwrap();
        assert!(postcard::from_bytes::<StrColumn>(&bytes).is_err());
    }

    #[test]
    fn csr_round_trips_and_checks_lengths() {
        let mut c = Csr::new();
        c.push_row([1u32, 2, 3]);
        c.push_row([]);
        c.push_row([9]);
        assert_eq!(c.rows(), 3);
        assert_eq!(c.row(0), &[1, 2, 3]);
        assert_eq!(c.row(1), &[] as &[u32]);
        assert_eq!(c.row(7), &[] as &[u32]);
        let back: Csr<u32> = postcard::from_bytes(&postcard::to_allocvec(&c).unwrap()).unwrap();
        assert_eq!(back, c);
        let bad = postcard::to_allocvec(&CsrWire { lens: vec![2, 5], values: vec![1u32, 2, 3] }).unwrap();
        assert!(postcard::from_bytes::<Csr<u32>>(&bad).is_err());
    }
}
