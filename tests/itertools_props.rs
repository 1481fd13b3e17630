//! Property tests of cogen's itertools: counts against the closed forms, groupby and tee against
//! their source, accumulate against a fold, islice against std's adapters.
//!
//! 64 cases per property by default (the suite stays fast); `PROPTEST_CASES=10000` for more.

use cogen::IterExt;
use cogen::iter::{
    accumulate, accumulate_from, accumulate_initial, accumulate_with, combinations,
    combinations_with_replacement, groupby, groupby_key, islice, permutations, product,
    product_repeat, product_repeat_all, tee, zip_longest, zip_longest_none,
};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|cases| cases.parse().ok())
            .unwrap_or(64),
        ..ProptestConfig::default()
    }
}

/// n! / (n - r)!, or 0 when r > n.
fn falling_factorial(n: u64, r: u64) -> u64 {
    if r > n { 0 } else { (n - r + 1..=n).product() }
}

/// n choose r, or 0 when r > n.
fn binomial(n: u64, r: u64) -> u64 {
    if r > n {
        0
    } else {
        falling_factorial(n, r) / falling_factorial(r, r)
    }
}

/// The iterator yields exactly `total` items and its `size_hint` is exact before each of them.
fn exact_count<I: Iterator>(mut iterator: I, total: u64) -> Result<(), TestCaseError> {
    let total = usize::try_from(total).expect("small");
    for left in (0..=total).rev() {
        prop_assert_eq!(
            iterator.size_hint(),
            (left, Some(left)),
            "with {} left",
            left
        );
        prop_assert_eq!(iterator.next().is_some(), left > 0, "with {} left", left);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn product_yields_the_product_of_the_lengths(
        pools in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..4), 0..5),
    ) {
        let total: u64 = pools.iter().map(|pool| pool.len() as u64).product();
        exact_count(product(pools.clone()), total)?;
        // Each item takes one value from each pool, in order.
        for item in product(pools.clone()) {
            prop_assert_eq!(item.len(), pools.len());
            for (value, pool) in item.iter().zip(&pools) {
                prop_assert!(pool.contains(value));
            }
        }
    }

    #[test]
    fn product_repeat_yields_len_to_the_repeat(
        pool in prop::collection::vec(any::<u8>(), 0..5),
        repeat in 0usize..5,
    ) {
        let total = (pool.len() as u64).pow(repeat as u32);
        exact_count(product_repeat(pool.clone(), repeat), total)?;
        exact_count(pool.clone().into_iter().product_repeat(repeat), total)?;
        // The same as the product of the pool repeated.
        let repeated: Vec<Vec<u8>> = (0..repeat).map(|_| pool.clone()).collect();
        prop_assert_eq!(
            product_repeat(pool.clone(), repeat).collect::<Vec<_>>(),
            product(repeated).collect::<Vec<_>>()
        );
    }

    #[test]
    fn permutations_yield_n_factorial_over_n_minus_r_factorial(
        pool in prop::collection::vec(any::<u8>(), 0..7),
        r in 0usize..9,
    ) {
        let n = pool.len() as u64;
        exact_count(permutations(pool.clone(), r), falling_factorial(n, r as u64))?;
        exact_count(permutations(pool.clone(), None), falling_factorial(n, n))?;
        // Each permutation picks r distinct positions.
        let positions: Vec<usize> = (0..pool.len()).collect();
        for item in permutations(positions, r) {
            let mut sorted = item.clone();
            sorted.sort_unstable();
            sorted.dedup();
            prop_assert_eq!(sorted.len(), r);
        }
    }

    #[test]
    fn combinations_yield_n_choose_r(
        pool in prop::collection::vec(any::<u8>(), 0..9),
        r in 0usize..10,
    ) {
        let n = pool.len() as u64;
        exact_count(combinations(pool.clone(), r), binomial(n, r as u64))?;
        exact_count(pool.clone().into_iter().combinations(r), binomial(n, r as u64))?;
        // Each combination picks r positions in increasing order.
        let positions: Vec<usize> = (0..pool.len()).collect();
        for item in combinations(positions, r) {
            prop_assert!(item.windows(2).all(|pair| pair[0] < pair[1]));
        }
    }

    #[test]
    fn combinations_with_replacement_yield_n_plus_r_minus_1_choose_r(
        pool in prop::collection::vec(any::<u8>(), 0..7),
        r in 0usize..7,
    ) {
        let n = pool.len() as u64;
        let r64 = r as u64;
        // (n + r - 1 choose r); for n = 0 that is 1 when r = 0 and 0 otherwise.
        let total = if n == 0 { u64::from(r == 0) } else { binomial(n + r64 - 1, r64) };
        exact_count(combinations_with_replacement(pool.clone(), r), total)?;
        let positions: Vec<usize> = (0..pool.len()).collect();
        for item in combinations_with_replacement(positions, r) {
            prop_assert!(item.windows(2).all(|pair| pair[0] <= pair[1]));
        }
    }

    #[test]
    fn groupby_groups_concatenate_to_the_input(
        input in prop::collection::vec(0u8..3, 0..40),
    ) {
        let mut concatenated = Vec::new();
        let mut keys = Vec::new();
        for (key, group) in groupby(input.iter().copied()) {
            let group: Vec<u8> = group.collect();
            prop_assert!(!group.is_empty());
            prop_assert!(group.iter().all(|&item| item == key));
            keys.push(key);
            concatenated.extend(group);
        }
        prop_assert_eq!(&concatenated, &input);
        // Groups are maximal runs: neighbouring keys differ.
        prop_assert!(keys.windows(2).all(|pair| pair[0] != pair[1]));
    }

    #[test]
    fn groupby_key_groups_concatenate_to_the_input(
        input in prop::collection::vec(0u8..8, 0..40),
    ) {
        let mut concatenated = Vec::new();
        let mut keys = Vec::new();
        let mut groups = Vec::new();
        for (key, group) in input.iter().copied().groupby_key(|x: &u8| x / 3) {
            let group: Vec<u8> = group.collect();
            prop_assert!(!group.is_empty());
            prop_assert!(group.iter().all(|&item| item / 3 == key));
            keys.push(key);
            concatenated.extend(group.iter().copied());
            groups.push((key, group));
        }
        prop_assert_eq!(&concatenated, &input);
        prop_assert!(keys.windows(2).all(|pair| pair[0] != pair[1]));
        // The same groups through the free function.
        let free: Vec<(u8, Vec<u8>)> = groupby_key(input.clone(), |x: &u8| x / 3)
            .map(|(key, group)| (key, group.collect()))
            .collect();
        prop_assert_eq!(free, groups);
    }

    #[test]
    fn every_tee_branch_yields_the_source(
        input in prop::collection::vec(any::<i32>(), 0..30),
        n in 1usize..5,
        order in prop::collection::vec(0usize..4, 0..100),
    ) {
        let mut branches = tee(input.clone(), n);
        let mut seen: Vec<Vec<i32>> = vec![Vec::new(); n];
        // Read the branches in a random interleaving, then each to its end.
        for index in order.into_iter().map(|index| index % n) {
            if let Some(item) = branches[index].next() {
                seen[index].push(item);
            }
        }
        for (branch, seen) in branches.iter_mut().zip(&mut seen) {
            seen.extend(branch);
        }
        for seen in &seen {
            prop_assert_eq!(seen, &input);
        }
    }

    #[test]
    fn a_tee_clone_yields_the_rest_of_its_branch(
        input in prop::collection::vec(any::<i32>(), 0..30),
        before in 0usize..35,
    ) {
        let mut branches = input.clone().into_iter().tee(2);
        let read: Vec<i32> = branches[0].by_ref().take(before).collect();
        let copy = branches[0].clone();
        let rest: Vec<i32> = copy.collect();
        prop_assert_eq!(&rest[..], &input[read.len()..]);
        prop_assert_eq!(branches.remove(1).collect::<Vec<_>>(), input);
    }

    #[test]
    fn accumulate_ends_with_the_fold(input in prop::collection::vec(-1000i64..1000, 0..50)) {
        let sums: Vec<i64> = accumulate(input.clone()).collect();
        prop_assert_eq!(sums.len(), input.len());
        prop_assert_eq!(sums.last().copied(), input.iter().copied().reduce(|a, b| a + b));
        // Each running sum is the previous plus the item.
        for (index, window) in sums.windows(2).enumerate() {
            prop_assert_eq!(window[1], window[0] + input[index + 1]);
        }

        let maxima: Vec<i64> = accumulate_with(input.clone(), |a: &i64, b: i64| b.max(*a)).collect();
        prop_assert_eq!(maxima.last().copied(), input.iter().copied().max());

        // A function that is not `+`, and an initial value.
        let step = |a: &i64, b: i64| a.wrapping_mul(3).wrapping_add(b);
        let with_initial: Vec<i64> = accumulate_initial(input.clone(), 7, step).collect();
        prop_assert_eq!(with_initial.len(), input.len() + 1);
        prop_assert_eq!(with_initial[0], 7);
        let fold = input.iter().fold(7i64, |a, &b| step(&a, b));
        prop_assert_eq!(with_initial.last().copied(), Some(fold));
    }

    #[test]
    fn islice_is_skip_step_by_take(
        input in prop::collection::vec(any::<u16>(), 0..40),
        start in 0usize..45,
        stop in prop::option::of(0usize..45),
        step in 1usize..7,
    ) {
        let sliced: Vec<u16> = islice(input.clone(), (start, stop, step)).collect();
        // std: positions start, start + step, ... below stop.
        let end = stop.unwrap_or(usize::MAX);
        let by_std: Vec<u16> = input
            .iter()
            .copied()
            .take(end)
            .skip(start)
            .step_by(step)
            .collect();
        prop_assert_eq!(&sliced, &by_std);
        // Python: [input[i] for i in range(start, min(stop, len), step)]
        let by_index: Vec<u16> = (start..end.min(input.len()))
            .step_by(step)
            .map(|i| input[i])
            .collect();
        prop_assert_eq!(&sliced, &by_index);
        let by_method: Vec<u16> = input.clone().into_iter().islice((start, stop, step)).collect();
        prop_assert_eq!(&sliced, &by_method);
        // The range forms mean the same slice.
        let by_range: Vec<u16> = match stop {
            Some(stop) => islice(input.clone(), (start..stop, step)).collect(),
            None => islice(input.clone(), (start.., step)).collect(),
        };
        prop_assert_eq!(&sliced, &by_range);
        if step == 1 {
            let by_plain_range: Vec<u16> = match stop {
                Some(stop) => islice(input.clone(), start..stop).collect(),
                None => islice(input.clone(), start..).collect(),
            };
            prop_assert_eq!(&sliced, &by_plain_range);
        }
        if start == 0 && step == 1 {
            let by_stop: Vec<u16> = islice(input.clone(), stop).collect();
            prop_assert_eq!(&sliced, &by_stop);
        }
    }

    #[test]
    fn product_repeat_all_is_the_product_of_the_repeated_inputs(
        inputs in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..4), 0..4),
        repeat in 0usize..4,
    ) {
        let pools: Vec<Vec<u8>> = (0..repeat).flat_map(|_| inputs.clone()).collect();
        let expected: Vec<Vec<u8>> = product(pools).collect();
        let tuples = product_repeat_all(inputs.clone(), repeat);
        prop_assert_eq!(tuples.size_hint(), (expected.len(), Some(expected.len())));
        prop_assert_eq!(tuples.collect::<Vec<_>>(), expected);
    }

    #[test]
    fn accumulate_from_is_accumulate_initial_with_plus(
        input in prop::collection::vec(any::<i32>().prop_map(i64::from), 0..30),
        initial in any::<i32>().prop_map(i64::from),
    ) {
        let from: Vec<i64> = accumulate_from(input.clone(), initial).collect();
        let named: Vec<i64> = accumulate_initial(input.clone(), initial, |a: &i64, b| a + b).collect();
        prop_assert_eq!(&from, &named);
        let by_method: Vec<i64> = input.into_iter().accumulate_from(initial).collect();
        prop_assert_eq!(&from, &by_method);
    }

    #[test]
    fn zip_longest_rows_are_the_inputs_read_by_index(
        inputs in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..6), 0..5),
        fill in any::<u8>(),
    ) {
        // Python's definition: row i holds each input's item i, or the fill past its end, for
        // every i below the longest input's length.
        let longest = inputs.iter().map(Vec::len).max().unwrap_or(0);
        let by_index: Vec<Vec<Option<u8>>> = (0..longest)
            .map(|i| inputs.iter().map(|input| input.get(i).copied()).collect())
            .collect();
        let rows: Vec<Vec<Option<u8>>> = zip_longest_none(inputs.clone()).collect();
        prop_assert_eq!(&rows, &by_index);
        let filled: Vec<Vec<u8>> = zip_longest(inputs, fill).collect();
        let expected: Vec<Vec<u8>> = by_index
            .iter()
            .map(|row| row.iter().map(|item| item.unwrap_or(fill)).collect())
            .collect();
        prop_assert_eq!(filled, expected);
    }

    #[test]
    fn a_groupby_clone_gives_what_the_original_gives(
        input in prop::collection::vec(0u8..3, 0..30),
        skip in 0usize..8,
        read in 0usize..3,
    ) {
        let mut outer = groupby(input.clone());
        for (_, group) in outer.by_ref().take(skip) {
            group.for_each(drop);
        }
        let copy = outer.clone();
        let runs = |outer: cogen::iter::GroupBy<std::vec::IntoIter<u8>, cogen::iter::Identity>| {
            outer.map(|(k, g)| (k, g.collect::<Vec<u8>>())).collect::<Vec<_>>()
        };
        prop_assert_eq!(runs(copy), runs(outer));
        // A group's clone, partly read: the rest of the run, even after the outer moves on.
        let mut outer = groupby(input.clone());
        if let Some((key, mut group)) = outer.next() {
            let head: Vec<u8> = group.by_ref().take(read).collect();
            let copy = group.clone();
            let rest: Vec<u8> = copy.clone().collect();
            outer.next();
            prop_assert_eq!(group.count(), 0);
            let run = input.iter().take_while(|&&x| x == key).count();
            prop_assert_eq!(head.len() + rest.len(), run);
            prop_assert_eq!(copy.collect::<Vec<u8>>(), rest);
        }
    }
}
