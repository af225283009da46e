//! From per-trial values to the reported spread: mean, percentiles (as numpy's linear
//! interpolation), by selection rather than a full sort.

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
/// trials ran). The median is selected first; the 10th and 90th percentiles are then
/// selected within the halves either side of it.
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
    let middle = rank(n, 0.5).0;
    values.select_nth_unstable_by(middle, f64::total_cmp);
    let (left, rest) = values.split_at_mut(middle);
    let (pivot, right) = rest.split_at_mut(1);
    let pivot = pivot[0];
    let p50 = percentile_around(left, pivot, right, n, 0.5);
    let p10 = percentile_around(left, pivot, right, n, 0.1);
    let p90 = percentile_around(left, pivot, right, n, 0.9);
    Sampled {
        mean,
        p10,
        p50,
        p90,
    }
}

/// The order statistic below `(n - 1) q` and the fraction of the way to the next.
pub(super) fn rank(n: usize, q: f64) -> (usize, f64) {
    let h = (n - 1) as f64 * q;
    let lower = (h.floor() as usize).min(n - 1);
    (lower, h - lower as f64)
}

/// The `q` quantile of a column already split around its median: `left` holds the values
/// below position `left.len()`, `pivot` the value there, `right` those above.
pub(super) fn percentile_around(
    left: &mut [f64],
    pivot: f64,
    right: &mut [f64],
    n: usize,
    q: f64,
) -> f64 {
    let (lower, t) = rank(n, q);
    let middle = left.len();
    // The order statistic at `index`, and the smallest value after it.
    let mut at = |index: usize| -> (f64, f64) {
        if index < middle {
            let (_, a, after) = left.select_nth_unstable_by(index, f64::total_cmp);
            let a = *a;
            let next = after.iter().copied().fold(pivot, f64::min);
            (a, next)
        } else if index == middle {
            (pivot, right.iter().copied().fold(f64::INFINITY, f64::min))
        } else {
            let (_, a, after) = right.select_nth_unstable_by(index - middle - 1, f64::total_cmp);
            let a = *a;
            (a, after.iter().copied().fold(f64::INFINITY, f64::min))
        }
    };
    let (a, b) = at(lower);
    if t == 0.0 || lower + 1 >= n {
        return a;
    }
    lerp(a, b, t)
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
