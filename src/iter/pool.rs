//! The machinery shared by the combinatoric iterators: a pool of items read in full, an index
//! engine stepping through index tuples in CPython's order, and the buffer `next_ref` lends.

use core::ops::Range;

use super::unwind::OnUnwind;
use alloc::vec::Vec;

/// Steps through the index tuples of one combinatoric iterator.
pub(crate) trait Engine {
    /// Moves to the next index tuple; returns the lowest slot that may have changed, or `None`
    /// when there is no next tuple.
    fn advance(&mut self) -> Option<usize>;

    /// The pool index of each output slot, for the current tuple.
    fn slots(&self) -> &[usize];

    /// How many tuples come after the current one (`None` if more than `usize::MAX`).
    fn remaining(&self) -> Option<usize>;

    /// The pool indices the last slot runs through, from its current one, while no other
    /// slot changes, when they are contiguous (for `fold`'s inner loop).
    #[inline]
    fn last_run(&self) -> Option<Range<usize>> {
        None
    }

    /// Puts the last slot at the end of its [`last_run`](Engine::last_run), so that the next
    /// `advance` moves another slot.
    #[inline]
    fn end_last_run(&mut self) {}

    /// The pool indices the second-to-last slot runs through, from its current one, while no
    /// slot before it changes (with `inner_range`: for `fold`'s two inner loops).
    #[inline]
    fn second_run(&self) -> Option<Range<usize>> {
        None
    }

    /// The last slot's whole run when the second-to-last slot is at `second`.
    #[inline]
    fn inner_range(&self, second: usize) -> Range<usize> {
        second..second
    }

    /// Puts the last two slots at the ends of their runs.
    #[inline]
    fn end_second_run(&mut self) {}
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// The first tuple has not been given out.
    Fresh,
    /// An item's `Clone` panicked while the tuple at the engine's position was being made: that
    /// tuple has not been given out, and the `Vec` forms' current items may not match it.
    Stale,
    Running,
    Done,
}

/// A pool, an engine and the current tuple's items (the `Vec` forms).
#[derive(Clone, Debug)]
pub(crate) struct Streamer<T, E> {
    pool: Vec<T>,
    engine: E,
    current: Vec<T>,
    stage: Stage,
}

impl<T: Clone, E: Engine> Streamer<T, E> {
    /// `empty`: there is no tuple at all (the engine's state is then irrelevant).
    pub(crate) fn new(pool: Vec<T>, engine: E, empty: bool) -> Self {
        let (current, stage) = if empty {
            (Vec::new(), Stage::Done)
        } else {
            let current = engine.slots().iter().map(|&i| pool[i].clone()).collect();
            (current, Stage::Fresh)
        };
        Streamer {
            pool,
            engine,
            current,
            stage,
        }
    }

    #[inline(always)]
    pub(crate) fn next_ref(&mut self) -> Option<&[T]> {
        let changed = match self.stage {
            Stage::Running => match self.engine.advance() {
                Some(changed) => changed,
                None => {
                    self.stage = Stage::Done;
                    return None;
                }
            },
            Stage::Fresh => {
                self.stage = Stage::Running;
                return Some(&self.current);
            }
            // The tuple whose making panicked, made again from its first slot.
            Stage::Stale => {
                self.stage = Stage::Running;
                0
            }
            Stage::Done => return None,
        };
        self.refresh(changed);
        Some(&self.current)
    }

    /// Refreshes the current items from slot `changed` on; should a `Clone` panic, the stage
    /// becomes `Stale`.
    #[inline(always)]
    fn refresh(&mut self, changed: usize) {
        let guard = OnUnwind::arm(&mut self.stage, Stage::Stale);
        refresh(&mut self.current, &self.pool, self.engine.slots(), changed);
        guard.disarm();
    }

    pub(crate) fn size_hint(&self) -> (usize, Option<usize>) {
        hint(self.stage, &self.engine)
    }

    /// `fold` over the tuples as `Vec`s, with a tight inner loop over the last slot's run.
    #[inline]
    pub(crate) fn fold_vecs<B, F>(mut self, init: B, mut f: F) -> B
    where
        F: FnMut(B, Vec<T>) -> B,
    {
        let mut acc = init;
        match self.stage {
            Stage::Done => return acc,
            Stage::Fresh => {}
            Stage::Stale => refresh(&mut self.current, &self.pool, self.engine.slots(), 0),
            Stage::Running => match self.engine.advance() {
                Some(changed) => {
                    refresh(&mut self.current, &self.pool, self.engine.slots(), changed);
                }
                None => return acc,
            },
        }
        loop {
            match self.engine.last_run() {
                Some(run) => {
                    let last = self.current.len() - 1;
                    for item in &self.pool[run] {
                        self.current[last].clone_from(item);
                        acc = f(acc, self.current.clone());
                    }
                    self.engine.end_last_run();
                }
                None => acc = f(acc, self.current.clone()),
            }
            match self.engine.advance() {
                Some(changed) => {
                    refresh(&mut self.current, &self.pool, self.engine.slots(), changed);
                }
                None => return acc,
            }
        }
    }
}

/// Refreshes the current items from slot `changed` on.
#[inline(always)]
fn refresh<T: Clone>(current: &mut [T], pool: &[T], slots: &[usize], changed: usize) {
    if changed + 1 == slots.len() {
        // Usually only the last slot moved.
        current[changed].clone_from(&pool[slots[changed]]);
        return;
    }
    for (item, &i) in current[changed..].iter_mut().zip(&slots[changed..]) {
        item.clone_from(&pool[i]);
    }
}

/// A pool and an engine (the array forms, which build each array from the pool).
#[derive(Clone, Debug)]
pub(crate) struct ArrayStreamer<T, E> {
    pool: Vec<T>,
    engine: E,
    stage: Stage,
}

impl<T: Clone, E: Engine> ArrayStreamer<T, E> {
    pub(crate) fn new(pool: Vec<T>, engine: E, empty: bool) -> Self {
        ArrayStreamer {
            pool,
            engine,
            stage: if empty { Stage::Done } else { Stage::Fresh },
        }
    }

    #[inline]
    pub(crate) fn next_array<const N: usize>(&mut self) -> Option<[T; N]> {
        match self.stage {
            Stage::Running => {
                if self.engine.advance().is_none() {
                    self.stage = Stage::Done;
                    return None;
                }
            }
            Stage::Fresh | Stage::Stale => self.stage = Stage::Running,
            Stage::Done => return None,
        }
        let slots: &[usize; N] = self.engine.slots().try_into().ok()?;
        let guard = OnUnwind::arm(&mut self.stage, Stage::Stale);
        let tuple = slots.map(|i| self.pool[i].clone());
        guard.disarm();
        Some(tuple)
    }

    pub(crate) fn size_hint(&self) -> (usize, Option<usize>) {
        hint(self.stage, &self.engine)
    }

    /// `fold` over the tuples as arrays, with a tight inner loop over the last slot's run.
    #[inline]
    pub(crate) fn fold_arrays<const N: usize, B, F>(mut self, init: B, mut f: F) -> B
    where
        F: FnMut(B, [T; N]) -> B,
    {
        let mut acc = init;
        match self.stage {
            Stage::Done => return acc,
            Stage::Fresh | Stage::Stale => {}
            Stage::Running => {
                if self.engine.advance().is_none() {
                    return acc;
                }
            }
        }
        loop {
            let Ok(slots) = <&[usize; N]>::try_from(self.engine.slots()) else {
                return acc;
            };
            match (self.engine.last_run(), self.engine.second_run()) {
                (Some(run), Some(second_run)) if N >= 2 => {
                    let last = N - 1;
                    let mut fixed: [T; N] = slots.map(|i| self.pool[i].clone());
                    // The rest of the current last-slot run, then a whole run for each later
                    // item of the second-to-last slot: two loops over the pool, no engine.
                    for item in &self.pool[run] {
                        let tuple = core::array::from_fn(|k| {
                            if k == last { item } else { &fixed[k] }.clone()
                        });
                        acc = f(acc, tuple);
                    }
                    for second in second_run.start + 1..second_run.end {
                        fixed[N - 2] = self.pool[second].clone();
                        for item in &self.pool[self.engine.inner_range(second)] {
                            let tuple = core::array::from_fn(|k| {
                                if k == last { item } else { &fixed[k] }.clone()
                            });
                            acc = f(acc, tuple);
                        }
                    }
                    self.engine.end_second_run();
                }
                (Some(run), _) => {
                    let last = N - 1;
                    // The other slots' items, cloned once per run (a local copy the compiler
                    // keeps in registers for small items).
                    let fixed: [T; N] = slots.map(|i| self.pool[i].clone());
                    for item in &self.pool[run] {
                        let tuple = core::array::from_fn(|k| {
                            if k == last { item } else { &fixed[k] }.clone()
                        });
                        acc = f(acc, tuple);
                    }
                    self.engine.end_last_run();
                }
                (None, _) => acc = f(acc, slots.map(|i| self.pool[i].clone())),
            }
            if self.engine.advance().is_none() {
                return acc;
            }
        }
    }
}

fn hint<E: Engine>(stage: Stage, engine: &E) -> (usize, Option<usize>) {
    let count = match stage {
        Stage::Done => Some(0),
        Stage::Running => engine.remaining(),
        Stage::Fresh | Stage::Stale => engine.remaining().and_then(|rest| rest.checked_add(1)),
    };
    match count {
        Some(count) => (count, Some(count)),
        None => (usize::MAX, None),
    }
}

/// The value of a mixed-radix counter: `digits` are `(digit, radix)` pairs, most significant
/// first. `None` if it exceeds `usize::MAX`.
pub(crate) fn mixed_radix(
    digits: impl DoubleEndedIterator<Item = (usize, usize)>,
) -> Option<usize> {
    let mut value = 0usize;
    // The place value of the current digit; `None` once it exceeds usize::MAX.
    let mut place = Some(1usize);
    for (digit, radix) in digits.rev() {
        if digit > 0 {
            value = value.checked_add(place?.checked_mul(digit)?)?;
        }
        place = place.and_then(|place| place.checked_mul(radix));
    }
    Some(value)
}

/// `n` choose `k`, or `None` if it exceeds `usize::MAX`.
pub(crate) fn binomial(n: usize, k: usize) -> Option<usize> {
    if k > n {
        return Some(0);
    }
    let k = k.min(n - k);
    let mut value: u128 = 1;
    for j in 0..k {
        // value = C(n, j) <= usize::MAX here, so the product fits in a u128, and C(n, j) grows
        // with j up to k <= n / 2: once it exceeds usize::MAX, so does the result.
        value = value * (n - j) as u128 / (j + 1) as u128;
        if value > usize::MAX as u128 {
            return None;
        }
    }
    Some(value as usize)
}

/// Reads a whole iterable into a pool.
pub(crate) fn pool<I: IntoIterator>(iterable: I) -> Vec<I::Item> {
    iterable.into_iter().collect()
}
