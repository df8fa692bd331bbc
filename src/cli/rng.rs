//! A small deterministic random number generator (SplitMix64), so that the same seed gives the
//! same demo store and the same benchmark contexts on every machine and version.

/// SplitMix64.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n); 0 when n is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (((self.next_u64() >> 32) * n as u64) >> 32) as usize
        }
    }

    /// Uniform in [lo, hi].
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability p.
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// A Zipf-like rank in [0, n): rank r has weight 1 / (r + 1)^s (inverse-CDF approximation).
    pub fn zipf(&mut self, n: usize, s: f64) -> usize {
        if n <= 1 {
            return 0;
        }
        // Continuous approximation of the inverse CDF of a power law on [1, n + 1).
        let u = self.f64();
        let x = if (s - 1.0).abs() < 1e-9 {
            ((n as f64 + 1.0).ln() * u).exp()
        } else {
            let a = 1.0 - s;
            ((((n as f64 + 1.0).powf(a) - 1.0) * u) + 1.0).powf(1.0 / a)
        };
        (x as usize).saturating_sub(1).min(n - 1)
    }

    /// A random element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_in_range() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
            let z = a.zipf(10, 1.1);
            assert!(z < 10);
            b.zipf(10, 1.1);
            assert!(a.below(3) < 3);
            b.below(3);
        }
        let mut r = Rng::new(1);
        let mut counts = [0; 5];
        for _ in 0..10_000 {
            counts[r.zipf(5, 1.0)] += 1;
        }
        assert!(counts[0] > counts[4] * 2, "rank 0 is the most frequent: {counts:?}");
    }
}
