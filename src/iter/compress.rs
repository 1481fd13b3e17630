//! `compress`: the data items whose selector is true.

use core::iter::{FusedIterator, Zip};

/// A value with Python's truth (`bool(x)`). Used by [`compress`] for its selectors; implement
/// it for your own selector types.
///
/// | Rust | Python | false when |
/// |---|---|---|
/// | `bool` | `bool` | `false` |
/// | integers, `f32`, `f64` | `int`, `float` | zero (`-0.0` too; NaN is true, as in Python) |
/// | `str`, `String` | `str` | empty |
/// | `char` | a `str` of one character | never |
/// | `()` | the empty tuple | always |
/// | tuples of 1 to 12 values | a non-empty tuple | never (whatever they hold) |
/// | `Option<T>` | `None`, or the value | `None`, or `Some(v)` with `v` false |
/// | `[T]`, `[T; N]`, `Vec`, `VecDeque`, `BinaryHeap` | `list` | empty |
/// | `HashMap`, `BTreeMap` | `dict` | empty |
/// | `HashSet`, `BTreeSet` | `set` | empty |
/// | `&T`, `&mut T`, `Box<T>`, `Rc<T>`, `Arc<T>` | as `T` | as `T` |
///
/// The collections of `alloc` need the `alloc` feature, `HashMap` and `HashSet` need `std`.
///
/// ```
/// use cogen::iter::Truthy;
///
/// assert!(3u8.is_truthy() && !0i64.is_truthy() && (-0.5f32).is_truthy() && f64::NAN.is_truthy());
/// assert!(!(&false).is_truthy() && !0.0f64.is_truthy() && !(-0.0f64).is_truthy());
/// // Python: bool(''), bool('a'), bool([]), bool([0]), bool(()), bool((0,)), bool(None)
/// assert!(!"".is_truthy() && "a".is_truthy());
/// assert!(!Vec::<i32>::new().is_truthy() && vec![0].is_truthy());
/// assert!(!().is_truthy() && (0,).is_truthy() && !None::<i32>.is_truthy());
/// ```
pub trait Truthy {
    /// Python's `bool(self)`.
    ///
    /// ```
    /// use cogen::iter::Truthy;
    ///
    /// assert!(true.is_truthy());
    /// assert!(!0u32.is_truthy());
    /// ```
    fn is_truthy(&self) -> bool;
}

impl Truthy for bool {
    #[inline]
    fn is_truthy(&self) -> bool {
        *self
    }
}

macro_rules! truthy_number {
    ($zero:literal: $($t:ty)*) => {$(
        impl Truthy for $t {
            #[inline]
            fn is_truthy(&self) -> bool {
                *self != $zero
            }
        }
    )*};
}
truthy_number!(0: i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);
truthy_number!(0.0: f32 f64);

impl<T: Truthy + ?Sized> Truthy for &T {
    #[inline]
    fn is_truthy(&self) -> bool {
        (**self).is_truthy()
    }
}

impl<T: Truthy + ?Sized> Truthy for &mut T {
    #[inline]
    fn is_truthy(&self) -> bool {
        (**self).is_truthy()
    }
}

impl Truthy for str {
    #[inline]
    fn is_truthy(&self) -> bool {
        !self.is_empty()
    }
}

/// A `char` is a Python `str` of one character: always true.
impl Truthy for char {
    #[inline]
    fn is_truthy(&self) -> bool {
        true
    }
}

/// The empty tuple: always false.
impl Truthy for () {
    #[inline]
    fn is_truthy(&self) -> bool {
        false
    }
}

/// `None` is false; `Some(v)` is as true as `v`.
impl<T: Truthy> Truthy for Option<T> {
    #[inline]
    fn is_truthy(&self) -> bool {
        self.as_ref().is_some_and(T::is_truthy)
    }
}

/// A slice is a Python list: true when not empty (whatever its items are).
impl<T> Truthy for [T] {
    #[inline]
    fn is_truthy(&self) -> bool {
        !self.is_empty()
    }
}

impl<T, const N: usize> Truthy for [T; N] {
    #[inline]
    fn is_truthy(&self) -> bool {
        N != 0
    }
}

/// A non-empty tuple is true in Python, whatever it holds (`bool((0,))` is `True`).
macro_rules! truthy_tuple {
    ($($name:ident)+) => {
        impl<$($name),+> Truthy for ($($name,)+) {
            #[inline]
            fn is_truthy(&self) -> bool {
                true
            }
        }
    };
}
truthy_tuple!(A);
truthy_tuple!(A B);
truthy_tuple!(A B C);
truthy_tuple!(A B C D);
truthy_tuple!(A B C D E);
truthy_tuple!(A B C D E F);
truthy_tuple!(A B C D E F G);
truthy_tuple!(A B C D E F G H);
truthy_tuple!(A B C D E F G H I);
truthy_tuple!(A B C D E F G H I J);
truthy_tuple!(A B C D E F G H I J K);
truthy_tuple!(A B C D E F G H I J K L);

#[cfg(feature = "alloc")]
mod alloc_impls {
    use super::Truthy;
    use alloc::boxed::Box;
    use alloc::collections::{BTreeMap, BTreeSet, BinaryHeap, VecDeque};
    use alloc::rc::Rc;
    use alloc::string::String;
    use alloc::sync::Arc;
    use alloc::vec::Vec;

    impl Truthy for String {
        #[inline]
        fn is_truthy(&self) -> bool {
            !self.is_empty()
        }
    }

    macro_rules! truthy_pointer {
        ($($pointer:ident)*) => {$(
            impl<T: Truthy + ?Sized> Truthy for $pointer<T> {
                #[inline]
                fn is_truthy(&self) -> bool {
                    (**self).is_truthy()
                }
            }
        )*};
    }
    truthy_pointer!(Box Rc Arc);

    macro_rules! truthy_collection {
        ($($collection:ident<$($param:ident),+>)*) => {$(
            impl<$($param),+> Truthy for $collection<$($param),+> {
                #[inline]
                fn is_truthy(&self) -> bool {
                    !self.is_empty()
                }
            }
        )*};
    }
    truthy_collection!(Vec<T> VecDeque<T> BinaryHeap<T> BTreeSet<T> BTreeMap<K, V>);
}

#[cfg(feature = "std")]
mod std_impls {
    use super::Truthy;
    use std::collections::{HashMap, HashSet};

    impl<K, V, S> Truthy for HashMap<K, V, S> {
        #[inline]
        fn is_truthy(&self) -> bool {
            !self.is_empty()
        }
    }

    impl<T, S> Truthy for HashSet<T, S> {
        #[inline]
        fn is_truthy(&self) -> bool {
            !self.is_empty()
        }
    }
}

/// The iterator returned by [`compress`] and [`IterExt::compress`](super::IterExt::compress).
///
/// ```
/// use cogen::IterExt;
///
/// // Python: list(compress('ABCDEF', [1, 0, 1, 0, 1, 1]))
/// let kept: String = "ABCDEF".chars().compress([1, 0, 1, 0, 1, 1]).collect();
/// assert_eq!(kept, "ACEF");
/// ```
#[derive(Clone, Debug)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Compress<I, S> {
    pairs: Zip<I, S>,
}

/// The items of `data` whose selector (the item of `selectors` at the same place) is
/// [truthy](Truthy), stopping when either runs out (Python's
/// `itertools.compress(data, selectors)`). Like CPython, each step reads a datum and then a
/// selector.
///
/// ```
/// use cogen::iter::compress;
///
/// // Python: list(compress('ABCDEF', [True, False, True]))
/// let kept: String = compress("ABCDEF".chars(), [true, false, true]).collect();
/// assert_eq!(kept, "AC");
/// ```
pub fn compress<I, S>(data: I, selectors: S) -> Compress<I::IntoIter, S::IntoIter>
where
    I: IntoIterator,
    S: IntoIterator,
    S::Item: Truthy,
{
    Compress {
        pairs: data.into_iter().zip(selectors),
    }
}

impl<I, S> Iterator for Compress<I, S>
where
    I: Iterator,
    S: Iterator,
    S::Item: Truthy,
{
    type Item = I::Item;

    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        self.pairs
            .find_map(|(datum, selector)| selector.is_truthy().then_some(datum))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.pairs.size_hint().1)
    }

    #[inline]
    fn fold<B, F>(self, init: B, mut f: F) -> B
    where
        F: FnMut(B, I::Item) -> B,
    {
        self.pairs.fold(init, |acc, (datum, selector)| {
            if selector.is_truthy() {
                f(acc, datum)
            } else {
                acc
            }
        })
    }
}

impl<I, S> FusedIterator for Compress<I, S>
where
    I: FusedIterator,
    S: FusedIterator,
    S::Item: Truthy,
{
}
