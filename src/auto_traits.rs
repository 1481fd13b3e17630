//! Every `Send`/`Sync` statement of the docs, and the auto traits of the crate-private lock
//! guard, checked by the compiler: a statement that stops being true fails the build of the
//! unit tests. Positive statements are trait bounds; negative ones use `assert_not_impl!`, which
//! makes a method call ambiguous (a compile error) exactly when the type implements the trait.
//! (A compile-fail doctest cannot name the crate-private guard, and can fail for the wrong
//! reason; this check cannot.)

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::MutexGuard;
use std::vec::IntoIter;

use crate::iter::shared::Guard;
use crate::iter::{Group, GroupBy, Identity, Tee};
use crate::rt::{EventLoop, Task};
use crate::{Co, Frame, Gen};

/// Fails to compile when `$ty` implements `$trait`.
macro_rules! assert_not_impl {
    ($ty:ty: $trait:path) => {
        const _: fn() = || {
            trait AmbiguousIfImpl<Marker> {
                fn check() {}
            }
            impl<T: ?Sized> AmbiguousIfImpl<()> for T {}
            struct Implemented;
            impl<T: ?Sized + $trait> AmbiguousIfImpl<Implemented> for T {}
            // One impl applies (fine) unless `$ty: $trait`, when both do (ambiguous: an error).
            let _ = <$ty as AmbiguousIfImpl<_>>::check;
        };
    };
}

const fn assert_send<T: Send>() {}
const fn assert_sync<T: Sync>() {}

type SendBody = Pin<Box<dyn Future<Output = ()> + Send>>;
type LocalBody = Pin<Box<dyn Future<Output = ()>>>;
type ByParity = fn(&u32) -> u32;
type ByRcParity = fn(&u32) -> Rc<u32>;

// The lock guard has `std::sync::MutexGuard`'s auto traits: never `Send`, `Sync` when `T` is.
const _: () = assert_sync::<Guard<'static, u32>>();
const _: () = assert_sync::<MutexGuard<'static, u32>>();
assert_not_impl!(Guard<'static, u32>: Send);
assert_not_impl!(MutexGuard<'static, u32>: Send);
assert_not_impl!(Guard<'static, Cell<u32>>: Sync);
assert_not_impl!(MutexGuard<'static, Cell<u32>>: Sync);

// `Gen`: "`Send` when its body and its values are" (handle.rs, README).
const _: () = assert_send::<Gen<String, u32, SendBody>>();
const _: () = assert_send::<Frame<String, u32, SendBody>>();
const _: () = assert_send::<Co<Rc<u32>, Rc<u32>>>();
assert_not_impl!(Gen<u32, (), LocalBody>: Send);
assert_not_impl!(Gen<Rc<u32>, (), SendBody>: Send);
assert_not_impl!(Gen<u32, Rc<u32>, SendBody>: Send);

// `GroupBy` and `Group`: "`Send` and `Sync` when the source, the key function, the items and the
// keys are `Send`" (groupby.rs).
const _: () = assert_send::<GroupBy<IntoIter<u32>, ByParity>>();
const _: () = assert_sync::<GroupBy<IntoIter<u32>, ByParity>>();
const _: () = assert_send::<Group<IntoIter<Cell<u32>>, Identity>>();
const _: () = assert_sync::<Group<IntoIter<Cell<u32>>, Identity>>();
assert_not_impl!(GroupBy<IntoIter<Rc<u32>>, Identity>: Send);
assert_not_impl!(GroupBy<IntoIter<Rc<u32>>, Identity>: Sync);
assert_not_impl!(Group<IntoIter<u32>, ByRcParity>: Send);
assert_not_impl!(Group<IntoIter<u32>, ByRcParity>: Sync);

// `Tee`: "`Send` when the source and its items are `Send`, and `Sync` when the items are `Sync`
// too" (tee.rs).
const _: () = assert_send::<Tee<IntoIter<u32>>>();
const _: () = assert_sync::<Tee<IntoIter<u32>>>();
const _: () = assert_send::<Tee<IntoIter<Cell<u32>>>>();
assert_not_impl!(Tee<IntoIter<Cell<u32>>>: Sync);
assert_not_impl!(Tee<IntoIter<Rc<u32>>>: Send);

// The event loop and its task handles: "neither `Send` nor `Sync`" (event_loop.rs).
assert_not_impl!(EventLoop: Send);
assert_not_impl!(EventLoop: Sync);
assert_not_impl!(Task<u32>: Send);
assert_not_impl!(Task<u32>: Sync);

fn is_send<T: Send>(_: &T) {}

/// "Every adapter is ... `Send` when its parts are" (iter/mod.rs): each adapter over `Send`
/// parts, built as a user builds it.
#[test]
fn every_itertools_adapter_over_send_parts_is_send() {
    use crate::iter::*;
    let words = || vec!["a".to_string(), "b".to_string()];
    is_send(&count(0, 1));
    is_send(&cycle(words()));
    is_send(&repeat(1));
    is_send(&repeat_n(1, 2));
    is_send(&accumulate(vec![1, 2]));
    is_send(&accumulate_with(vec![1, 2], |a: &i32, b| a * b));
    is_send(&accumulate_initial(vec![1, 2], 0, |a: &i32, b| a + b));
    is_send(&batched(words(), 2));
    is_send(&batched_strict(words(), 2));
    is_send(&chain([words(), words()]));
    is_send(&chain_from_iterable(vec![words()]));
    is_send(&compress(words(), [true, false]));
    is_send(&filterfalse(words(), |w: &String| w.is_empty()));
    is_send(&dropwhile(words(), |w: &String| w.is_empty()));
    is_send(&takewhile(words(), |w: &String| w.is_empty()));
    is_send(&groupby(words()));
    is_send(&groupby_key(words(), |w: &String| w.len()));
    is_send(&islice(words(), 1));
    is_send(&pairwise(words()));
    is_send(&starmap(vec![(1, 2)], |a: i32, b: i32| a + b));
    is_send(&tee(words(), 2));
    is_send(&tee_array::<2, _>(words()));
    is_send(&zip_longest([words(), words()], String::new()));
    is_send(&zip_longest_array([words(), words()], String::new()));
    is_send(&zip_longest_pair(words(), [1, 2]));
    is_send(&product([words(), words()]));
    is_send(&product_repeat(words(), 2));
    is_send(&product_array([words(), words()]));
    is_send(&product_repeat_array::<2, _>(words()));
    is_send(&permutations(words(), None));
    is_send(&permutations_array::<2, _>(words()));
    is_send(&combinations(words(), 2));
    is_send(&combinations_array::<2, _>(words()));
    is_send(&combinations_with_replacement(words(), 2));
    is_send(&combinations_with_replacement_array::<2, _>(words()));
}

/// "The futures it runs need not be `Send`" (rt): a task holding an `Rc` across an await.
#[test]
fn the_event_loop_runs_futures_that_are_not_send() {
    let shared = Rc::new(Cell::new(0));
    let seen = Rc::clone(&shared);
    let total = crate::rt::run(async move {
        let task = crate::rt::spawn(async move {
            crate::rt::sleep(std::time::Duration::ZERO).await;
            seen.set(seen.get() + 1);
            seen.get()
        });
        task.await.unwrap_or(0)
    });
    assert_eq!((total, shared.get()), (1, 1));
}
