//! A per-thread score accumulator indexed by product: adding to a product's score is an array
//! access, not a hash-map operation. A generation stamp per slot marks which slots belong to the
//! current query, so nothing is cleared between queries; only the slots touched are read back.
//! Memory: 16 bytes per catalog product, per thread.

use std::cell::RefCell;

/// Score, anchor and the anchor's contribution of one product.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Slot {
    pub score: f32,
    pub anchor: u32,
    pub best: f32,
}

#[derive(Debug, Default)]
pub(crate) struct Scratch {
    stamp: Vec<u32>,
    slots: Vec<Slot>,
    touched: Vec<u32>,
    generation: u32,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Scratch {
    /// Runs `f` with an empty accumulator for a catalog of `n` products.
    pub(crate) fn with<R>(n: usize, f: impl FnOnce(&mut Scratch) -> R) -> R {
        SCRATCH.with(|s| {
            let mut s = s.borrow_mut();
            if s.stamp.len() < n {
                s.stamp.resize(n, 0);
                s.slots.resize(n, Slot::default());
            }
            s.generation = s.generation.wrapping_add(1);
            if s.generation == 0 {
                s.stamp.iter_mut().for_each(|x| *x = 0);
                s.generation = 1;
            }
            s.touched.clear();
            f(&mut s)
        })
    }

    /// Adds `score` to product `p`; the anchor is the one that contributed most.
    #[inline]
    pub(crate) fn add(&mut self, p: u32, score: f32, anchor: u32) {
        let i = p as usize;
        if self.stamp[i] != self.generation {
            self.stamp[i] = self.generation;
            self.slots[i] = Slot { score: 0.0, anchor, best: 0.0 };
            self.touched.push(p);
        }
        let s = &mut self.slots[i];
        s.score += score;
        if score > s.best {
            s.anchor = anchor;
            s.best = score;
        }
    }

    /// The products touched, with their slots.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u32, Slot)> + '_ {
        self.touched.iter().map(|&p| (p, self.slots[p as usize]))
    }

    /// How many products were touched.
    pub(crate) fn len(&self) -> usize {
        self.touched.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_do_not_see_each_other() {
        let first = Scratch::with(10, |s| {
            s.add(3, 1.0, 7);
            s.add(3, 2.0, 8);
            s.add(5, 0.5, 1);
            s.entries().collect::<Vec<_>>()
        });
        assert_eq!(first.len(), 2);
        assert_eq!((first[0].0, first[0].1.score, first[0].1.anchor), (3, 3.0, 8));
        let second = Scratch::with(10, |s| {
            s.add(5, 1.0, 2);
            (s.len(), s.entries().collect::<Vec<_>>())
        });
        assert_eq!(second.0, 1);
        assert_eq!((second.1[0].1.score, second.1[0].1.anchor), (1.0, 2), "no leftovers from the first query");
    }
}
