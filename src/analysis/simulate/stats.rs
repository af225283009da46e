//! From per-trial values to the reported spread: mean, percentiles (as numpy's linear
//! interpolation), by counting the values into buckets and selecting among the few in the
//! buckets that matter, rather than a full sort.

use super::*;

/// The spread of each column, in order, computed on up to `threads` threads.
pub(super) fn spreads_of(
    columns: Vec<&mut Vec<f64>>,
    means: &[f64],
    threads: usize,
) -> Vec<Sampled> {
    let count = columns.len();
    let threads = threads.clamp(1, count.max(1));
    let mut shares: Vec<Vec<(usize, &mut Vec<f64>)>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, column) in columns.into_iter().enumerate() {
        shares[i % threads].push((i, column));
    }
    let mut results: Vec<(usize, Sampled)> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| {
                scope.spawn(move || {
                    share
                        .into_iter()
                        .map(|(i, column)| {
                            (i, spread(column, means.get(i).copied().unwrap_or(f64::NAN)))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, s)| s).collect()
}

/// The percentiles of `values` (reordered in place), with their `mean` (summed as the
/// trials ran): each from the order statistics either side of its position, found together
/// by [`order_statistics`].
pub(super) fn spread(values: &mut [f64], mean: f64) -> Sampled {
    let n = values.len();
    if n == 0 {
        return Sampled {
            mean,
            p10: f64::NAN,
            p50: f64::NAN,
            p90: f64::NAN,
        };
    }
    let quantiles = [0.1, 0.5, 0.9];
    let mut ranks: Vec<usize> = quantiles
        .iter()
        .flat_map(|q| {
            let (lower, t) = rank(n, *q);
            [
                Some(lower),
                (t != 0.0 && lower + 1 < n).then_some(lower + 1),
            ]
        })
        .flatten()
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let statistics = order_statistics(values, &ranks);
    let at = |r: usize| {
        ranks
            .binary_search(&r)
            .ok()
            .and_then(|i| statistics.get(i).copied())
            .unwrap_or(f64::NAN)
    };
    let percentile = |q: f64| {
        let (lower, t) = rank(n, q);
        if t == 0.0 || lower + 1 >= n {
            at(lower)
        } else {
            lerp(at(lower), at(lower + 1), t)
        }
    };
    Sampled {
        mean,
        p10: percentile(0.1),
        p50: percentile(0.5),
        p90: percentile(0.9),
    }
}

/// Values whose buckets are worked out together in [`order_statistics`].
const BLOCK: usize = 64;

/// The least and the greatest of `values` (infinities where there are none), four lanes at
/// a time so that they run two values an instruction.
fn extremes(values: &[f64]) -> (f64, f64) {
    let mut low = [f64::INFINITY; 4];
    let mut high = [f64::NEG_INFINITY; 4];
    let lanes = values.chunks_exact(4);
    let rest = lanes.remainder();
    for four in lanes {
        for k in 0..4 {
            low[k] = if four[k] < low[k] { four[k] } else { low[k] };
            high[k] = if four[k] > high[k] { four[k] } else { high[k] };
        }
    }
    for (k, x) in rest.iter().enumerate() {
        low[k] = if *x < low[k] { *x } else { low[k] };
        high[k] = if *x > high[k] { *x } else { high[k] };
    }
    let least = low
        .into_iter()
        .fold(f64::INFINITY, |a, b| if b < a { b } else { a });
    let greatest = high
        .into_iter()
        .fold(f64::NEG_INFINITY, |a, b| if b > a { b } else { a });
    (least, greatest)
}

/// About this many values a bucket in [`order_statistics`]' count, and at most this many
/// buckets (their counts stay in the processor's cache).
const PER_BUCKET: usize = 64;
const MAX_BUCKETS: usize = 1 << 16;

/// The values at `ranks` (ascending, each below `values.len()`) of `values` in order
/// (`f64::total_cmp`), exactly the values a full sort would put there, reordering `values`.
/// Rather than select among all the values for each rank, one pass counts them into buckets
/// by where they lie between the least and the greatest (a bucket's values all lie below the
/// next bucket's, so a count says which bucket holds each rank), a second takes out only the
/// values in the buckets that hold a rank, and the ranks are selected among those: three
/// cheap passes over a column instead of a selection's many.
pub(super) fn order_statistics(values: &mut [f64], ranks: &[usize]) -> Vec<f64> {
    let n = values.len();
    let buckets = (n / PER_BUCKET).clamp(1, MAX_BUCKETS);
    let (low, high) = extremes(values);
    // Every value at or above `low`, so each step of this never falls as the value rises,
    // and buckets keep the values' order. Where all values are equal, or their span
    // overflows, every value falls in bucket 0.
    let scale = match buckets as f64 / (high - low) {
        scale if scale.is_finite() => scale,
        _ => 0.0,
    };
    let last = buckets - 1;
    // A bucket is the nearest whole number to `(x - low) x scale`, at most `last`, read from
    // the low bits of that plus 2^52 (where the f64 spacing is 1): cheaper than a cast, and
    // written so that a block of values is done two at a time.
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    let top = last as f64;
    let buckets_of = |block: &[f64], ids: &mut [u32; BLOCK]| {
        for (id, x) in ids.iter_mut().zip(block) {
            let y = (x - low) * scale;
            let y = if y < top { y } else { top };
            *id = (y + TWO_52).to_bits() as u32;
        }
    };
    let mut ids = [0u32; BLOCK];
    let mut counts = vec![0u32; buckets];
    for block in values.chunks(BLOCK) {
        buckets_of(block, &mut ids);
        for id in &ids[..block.len()] {
            counts[*id as usize] += 1;
        }
    }
    // Each rank's bucket and the count of values in the buckets below it.
    let mut wanted = vec![false; buckets];
    let mut places = Vec::with_capacity(ranks.len());
    let (mut b, mut below) = (0, 0usize);
    for &r in ranks {
        while b < last && below + counts[b] as usize <= r {
            below += counts[b] as usize;
            b += 1;
        }
        wanted[b] = true;
        places.push((b, below));
    }
    // The values of the wanted buckets, moved to the front.
    let mut taken = 0;
    for first in (0..n).step_by(BLOCK) {
        let block = first..n.min(first + BLOCK);
        buckets_of(&values[block.clone()], &mut ids);
        for (i, id) in block.zip(&ids) {
            if wanted[*id as usize] {
                values.swap(taken, i);
                taken += 1;
            }
        }
    }
    let taken = &mut values[..taken];
    // Among them, a rank's position counts only the wanted buckets below its own.
    let mut statistics = Vec::with_capacity(ranks.len());
    let mut start = 0;
    for (&r, &(b, below)) in ranks.iter().zip(&places) {
        let wanted_below: usize = (0..b)
            .filter(|w| wanted[*w])
            .map(|w| counts[w] as usize)
            .sum();
        let index = r - below + wanted_below;
        match taken
            .get_mut(start..)
            .filter(|rest| index - start < rest.len())
        {
            Some(rest) => {
                let (_, x, _) = rest.select_nth_unstable_by(index - start, f64::total_cmp);
                statistics.push(*x);
                start = index + 1;
            }
            None => statistics.push(f64::NAN),
        }
    }
    statistics
}

/// The order statistic below `(n - 1) q` and the fraction of the way to the next.
pub(super) fn rank(n: usize, q: f64) -> (usize, f64) {
    let h = (n - 1) as f64 * q;
    let lower = (h.floor() as usize).min(n - 1);
    (lower, h - lower as f64)
}

/// numpy's _lerp: interpolate from the nearer end, for symmetry.
pub(super) fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

/// The `q` quantile as numpy.percentile computes it by default: linear interpolation
/// between the order statistics around `(n - 1) q`. Found by selection, not a full sort.
pub fn percentile(values: &mut [f64], q: f64) -> f64 {
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q;
    let lower = (h.floor() as usize).min(n - 1);
    let t = h - lower as f64;
    let (_, a, right) = values.select_nth_unstable_by(lower, f64::total_cmp);
    let a = *a;
    if t == 0.0 || right.is_empty() {
        return a;
    }
    let b = right.iter().copied().fold(f64::INFINITY, f64::min);
    lerp(a, b, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The order statistics by a full sort.
    fn sorted_at(values: &[f64], ranks: &[usize]) -> Vec<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        ranks.iter().map(|r| sorted[*r]).collect()
    }

    #[test]
    fn order_statistics_are_a_sorts() {
        // A generator of awkward columns: spread out, clustered with masses at a few
        // values, zeros, all equal, and spanning the whole range of f64.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let shapes: [&dyn Fn(f64, f64) -> f64; 6] = [
            &|u, _| 2.0 + 28.0 * u,
            &|u, v| {
                if v < 0.3 {
                    0.0
                } else if v < 0.5 {
                    9.25
                } else {
                    9.0 + u
                }
            },
            &|_, _| 4.5,
            &|u, v| if v < 0.5 { 0.0 } else { u * 1e-300 },
            &|u, v| (u - 0.5) * 10f64.powi((v * 600.0) as i32 - 300),
            &|u, v| if v < 0.999 { 1.0 } else { f64::MAX * u },
        ];
        for n in [1, 2, 3, 63, 64, 65, 1000, 4097, 100_000] {
            for shape in shapes {
                let values: Vec<f64> = (0..n).map(|_| shape(next(), next())).collect();
                let ranks: Vec<usize> = {
                    let mut r: Vec<usize> = [0.1, 0.5, 0.9]
                        .iter()
                        .flat_map(|q| {
                            let (lower, _) = rank(n, *q);
                            [lower, (lower + 1).min(n - 1)]
                        })
                        .chain([0, n - 1])
                        .collect();
                    r.sort_unstable();
                    r.dedup();
                    r
                };
                let expected = sorted_at(&values, &ranks);
                let mut work = values.clone();
                let found = order_statistics(&mut work, &ranks);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&found), bits(&expected), "n {n}");
                // And the spread agrees with numpy's percentiles by the sort.
                let mut work = values.clone();
                let s = spread(&mut work, 0.0);
                let mut sorted = values.clone();
                sorted.sort_by(f64::total_cmp);
                for (q, p) in [(0.1, s.p10), (0.5, s.p50), (0.9, s.p90)] {
                    let (lower, t) = rank(n, q);
                    let reference = if t == 0.0 || lower + 1 >= n {
                        sorted[lower]
                    } else {
                        lerp(sorted[lower], sorted[lower + 1], t)
                    };
                    assert_eq!(p.to_bits(), reference.to_bits(), "n {n}, q {q}");
                }
            }
        }
    }
}
