//! A small sort for `(id, value)` pairs.

/// An `(id, value)` pair.
pub(super) type Pair = (u32, f32);

/// Sorts `(id, value)` pairs by value, highest first, then by id. A plain merge sort: core's
/// sort is 10 KB of wasm per element type and comparison; this is a few hundred bytes.
pub(super) fn sort_desc(v: &mut [Pair]) {
    let before = |x: &(u32, f32), y: &(u32, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)).is_lt();
    let n = v.len();
    if n < 2 {
        return;
    }
    let mut buf = v.to_vec();
    let mut width = 1;
    // Each pass merges runs of `width` from `src` into `dst`; the two swap roles.
    let mut from_v = true;
    while width < n {
        let (src, dst): (&[Pair], &mut [Pair]) = if from_v { (&*v, &mut buf[..]) } else { (&buf[..], &mut *v) };
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut dst[start..end] {
                if j >= end || (i < mid && !before(&src[j], &src[i])) {
                    *slot = src[i];
                    i += 1;
                } else {
                    *slot = src[j];
                    j += 1;
                }
            }
            start = end;
        }
        from_v = !from_v;
        width *= 2;
    }
    if !from_v {
        v.copy_from_slice(&buf);
    }
}
