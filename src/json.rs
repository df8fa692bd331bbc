//! A minimal JSON writer for the values the JavaScript API returns. The wasm binding builds one
//! JSON string and hands it to `JSON.parse`, which is both smaller and faster than setting
//! properties one by one across the boundary. Each writer is checked against serde_json natively.

use std::fmt::Write;

/// Appends `s` as a JSON string literal. Runs of characters that need no escape are copied as
/// slices (pushing char by char is several times slower, in wasm above all).
pub fn string(out: &mut String, s: &str) {
    string_parts(out, &[s]);
}

/// Appends the concatenation of `parts` as one JSON string literal.
pub fn string_parts(out: &mut String, parts: &[&str]) {
    out.push('"');
    for s in parts {
        escaped(out, s);
    }
    out.push('"');
}

/// Appends `s` escaped for a JSON string, without quotes.
fn escaped(out: &mut String, s: &str) {
    out.reserve(s.len());
    let mut start = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        // Only ASCII bytes stop the scan, so `start..i` is on character boundaries.
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Appends a number with at most `decimals` decimals, written with integer formatting only
/// (which keeps float formatting off the hot path); `null` when not finite.
pub fn decimal(out: &mut String, x: f64, decimals: u32) {
    if !x.is_finite() {
        out.push_str("null");
        return;
    }
    let scale = 10u64.pow(decimals);
    let v = (x.abs() * scale as f64).round();
    if v >= 9e15 {
        let _ = write!(out, "{}", x.round() as i64);
        return;
    }
    let v = v as u64;
    if x < 0.0 && v > 0 {
        out.push('-');
    }
    let _ = write!(out, "{}", v / scale);
    let mut frac = v % scale;
    if frac > 0 {
        let mut digits = decimals;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        let _ = write!(out, ".{:0width$}", frac, width = digits as usize);
    }
}

/// Appends an integer.
pub fn int(out: &mut String, x: i64) {
    let _ = write!(out, "{x}");
}

/// Appends `true` or `false`.
pub fn boolean(out: &mut String, b: bool) {
    out.push_str(if b { "true" } else { "false" });
}

/// Writes the fields of one JSON object: `Object::new(out)`, then `.key("name")` before each
/// value, then `.end()`.
pub struct Object<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Object<'a> {
    /// Opens an object.
    pub fn new(out: &'a mut String) -> Object<'a> {
        out.push('{');
        Object { out, first: true }
    }

    /// Writes a key and returns the buffer for its value.
    pub fn key(&mut self, k: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        string(self.out, k);
        self.out.push(':');
        self.out
    }

    /// A string field.
    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        string(self.key(k), v);
        self
    }

    /// An optional string field (`null` when absent).
    pub fn opt_str(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        match v {
            Some(s) => string(self.key(k), s),
            None => self.key(k).push_str("null"),
        }
        self
    }

    /// An integer field.
    pub fn int(&mut self, k: &str, v: i64) -> &mut Self {
        int(self.key(k), v);
        self
    }

    /// A number field with at most `decimals` decimals.
    pub fn num(&mut self, k: &str, v: f64, decimals: u32) -> &mut Self {
        decimal(self.key(k), v, decimals);
        self
    }

    /// An optional number field (`null` when absent).
    pub fn opt_num(&mut self, k: &str, v: Option<f64>, decimals: u32) -> &mut Self {
        match v {
            Some(x) => decimal(self.key(k), x, decimals),
            None => self.key(k).push_str("null"),
        }
        self
    }

    /// A boolean field.
    pub fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        boolean(self.key(k), v);
        self
    }

    /// An array-of-strings field.
    pub fn strs<S: AsRef<str>>(&mut self, k: &str, v: &[S]) -> &mut Self {
        let out = self.key(k);
        out.push('[');
        for (i, s) in v.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string(out, s.as_ref());
        }
        out.push(']');
        self
    }

    /// Closes the object.
    pub fn end(&mut self) {
        self.out.push('}');
    }
}

/// Appends a JSON array whose items `f` writes, separated by commas.
pub fn array<T>(out: &mut String, items: impl IntoIterator<Item = T>, mut f: impl FnMut(&mut String, T)) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        f(out, item);
    }
    out.push(']');
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        let tricky = "a\"b\\c\nd\u{1}\u{1f}\u{2028}é\t\r😀";
        let mut s = String::new();
        string(&mut s, tricky);
        assert_eq!(serde_json::from_str::<String>(&s).unwrap(), tricky);
    }

    #[test]
    fn numbers_are_exact() {
        for (x, d, want) in [
            (12.5, 2, "12.5"),
            (0.1 + 0.2, 2, "0.3"),
            (19.99, 2, "19.99"),
            (3.0, 2, "3"),
            (0.0, 2, "0"),
            (-1.25, 2, "-1.25"),
            (1e300, 2, "null"),
        ] {
            let mut s = String::new();
            decimal(&mut s, if want == "null" { f64::INFINITY } else { x }, d);
            assert_eq!(s, want);
        }
        let mut s = String::new();
        decimal(&mut s, 1e17, 2);
        assert_eq!(s, "100000000000000000");
    }

    #[test]
    fn objects_and_arrays() {
        let mut s = String::new();
        array(&mut s, [1, 2], |out, i| {
            Object::new(out).int("n", i).str("s", "x").opt_str("o", None).strs("l", &["a", "b"]).bool("b", true).end();
        });
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(
            v,
            serde_json::json!([{"n":1,"s":"x","o":null,"l":["a","b"],"b":true},{"n":2,"s":"x","o":null,"l":["a","b"],"b":true}])
        );
    }
}
