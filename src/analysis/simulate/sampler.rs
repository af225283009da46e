//! The draws of the Monte Carlo: a figure from its triangular or PERT distribution over
//! (low, central, high), by the inverse distribution function of one uniform draw
//! (docs/model.md section 9.2). Everything here is f64: the one place the program samples.

use statrs::function::gamma::ln_gamma;

use super::*;

/// How a figure is drawn from a uniform `u` in [0, 1).
#[derive(Clone, Copy, Debug)]
pub(super) enum Draw {
    /// One figure: nothing to draw.
    Constant(f64),
    Triangular(TriangularDraw),
    /// `low + range x z`, `z` drawn from the standard PERT with its mode where
    /// `Plan::pert_shapes[shape]` puts it.
    Pert {
        low: f64,
        range: f64,
        shape: usize,
    },
}

impl Draw {
    /// The draw of (low, central, high) under `distribution`; PERT shapes are shared through
    /// `shapes` (one per mode position).
    pub(super) fn new(
        low: f64,
        central: f64,
        high: f64,
        distribution: Distribution,
        shapes: &mut PertShapes,
    ) -> Self {
        if high <= low {
            return Draw::Constant(central);
        }
        match distribution {
            Distribution::Triangular => Draw::Triangular(TriangularDraw::new(low, central, high)),
            Distribution::Pert => {
                let range = high - low;
                let mode = ((central - low) / range).clamp(0.0, 1.0);
                Draw::Pert {
                    low,
                    range,
                    shape: shapes.index_of(mode),
                }
            }
        }
    }

    /// Whether the figure is drawn at all (a uniform is used).
    pub(super) fn is_drawn(&self) -> bool {
        !matches!(self, Draw::Constant(_))
    }

    /// The figure at `u`: the inverse distribution function.
    #[inline]
    pub(super) fn at(&self, u: f64, shapes: &[PertInverse]) -> f64 {
        match self {
            Draw::Constant(v) => *v,
            Draw::Triangular(d) => d.at(u),
            Draw::Pert { low, range, shape } => low + range * pert_at(shapes, *shape, u),
        }
    }
}

/// A slip of 0 to `span` whole months (both included), drawn exactly as rand 0.10 draws
/// `rng.random_range(least..=least + span) - least`: one 32-bit draw times the count of
/// months, whose high word is the slip, and a second draw only where the low word falls in
/// the few values that would bias it (rand's `sample_single_inclusive` for u32, without its
/// `unbiased` feature). Written out so that it inlines into the trial loop, where rand's
/// call would not be; `slips_are_rands` checks the two agree.
#[inline(always)]
pub(super) fn slip_draw(rng: &mut Rng, span: u32) -> u32 {
    let count = span.wrapping_add(1);
    if count == 0 {
        return rng.random::<u32>();
    }
    let wide = |x: u32| u64::from(x) * u64::from(count);
    let first = wide(rng.random::<u32>());
    let (slip, low) = ((first >> 32) as u32, first as u32);
    if low > count.wrapping_neg() {
        let carry = (wide(rng.random::<u32>()) >> 32) as u32;
        return slip + u32::from(low.checked_add(carry).is_none());
    }
    slip
}

/// The standard PERT of `shapes[shape]` at `u`, out of line so that the triangular draw
/// beside it inlines where it is called.
#[inline(never)]
fn pert_at(shapes: &[PertInverse], shape: usize, u: f64) -> f64 {
    shapes.get(shape).map_or(0.5, |s| s.at(u))
}

/// The standard PERT distributions of a run, one per mode position, built once.
#[derive(Debug, Default)]
pub(super) struct PertShapes {
    index: std::collections::HashMap<u64, usize>,
    pub(super) shapes: Vec<PertInverse>,
}

impl PertShapes {
    fn index_of(&mut self, mode: f64) -> usize {
        let next = self.shapes.len();
        let index = *self.index.entry(mode.to_bits()).or_insert(next);
        if index == next {
            self.shapes.push(PertInverse::new(mode));
        }
        index
    }
}

/// The triangular distribution over (low, mode, high) by its inverse distribution function,
/// written without a branch on the uniform draw: which side of the mode a draw falls is a
/// coin toss, and a mispredicted branch per draw cost more than the rest of the trial.
/// The same one uniform draw a trial and the same inverse as rand_distr's `Triangular`.
#[derive(Clone, Copy, Debug)]
pub(super) struct TriangularDraw {
    pub(super) low: f64,
    pub(super) high: f64,
    pub(super) range: f64,
    /// `mode - low`.
    pub(super) left: f64,
    /// `high - mode`.
    pub(super) right: f64,
}

impl TriangularDraw {
    pub(super) fn new(low: f64, mode: f64, high: f64) -> Self {
        let range = high - low;
        Self {
            low,
            high,
            range,
            left: mode - low,
            right: high - mode,
        }
    }

    #[inline]
    pub(super) fn at(&self, u: f64) -> f64 {
        triangular_at(u, [self.low, self.high, self.range, self.left, self.right])
    }
}

/// The triangular inverse at `u` of `[low, high, range, left, right]` (see
/// [`TriangularDraw`]).
#[inline(always)]
fn triangular_at(u: f64, [low, high, range, mode_left, mode_right]: [f64; 5]) -> f64 {
    let scaled = u * range;
    // 1 on the left of the mode, 0 on the right: the arithmetic picks a side exactly
    // (x * 1 = x, x * 0 = 0) where an `if` would compile to a branch.
    let left = f64::from(u8::from(scaled < mode_left));
    let right = 1.0 - left;
    let area = left * (scaled * mode_left) + right * ((range - scaled) * mode_right);
    let root = area.sqrt();
    left * (low + root) + right * (high - root)
}

/// Several figures drawn from one uniform: a profile's distinct levels (docs/model.md
/// section 9.2). The triangular ones, and the single figures as triangulars with no range
/// (which give the figure exactly: `0 + 1 x (high - 0)`), are held side by side and computed
/// in one loop, two at a time; PERT ones one by one after.
#[derive(Clone, Debug, Default)]
pub(super) struct FigureDraws {
    /// Per figure, `[low, high, range, left, right]` as [`TriangularDraw`] holds them, each
    /// in its own column; an odd count ends with the figure 0, so that pairs come out even.
    columns: [Vec<f64>; 5],
    /// The PERT figures, by index.
    pert: Vec<(usize, Draw)>,
    /// Whether any figure has a range.
    drawn: bool,
}

impl FigureDraws {
    pub(super) fn new(draws: &[Draw]) -> Self {
        let mut figures = Self {
            drawn: draws.iter().any(Draw::is_drawn),
            ..Self::default()
        };
        let zero = Draw::Constant(0.0);
        let padding = (draws.len() % 2 == 1).then_some(&zero);
        for (j, draw) in draws.iter().chain(padding).enumerate() {
            let d = match draw {
                Draw::Constant(v) => TriangularDraw::new(*v, *v, *v),
                Draw::Triangular(d) => *d,
                Draw::Pert { .. } => {
                    figures.pert.push((j, *draw));
                    TriangularDraw::new(0.0, 0.0, 0.0)
                }
            };
            for (column, x) in figures
                .columns
                .iter_mut()
                .zip([d.low, d.high, d.range, d.left, d.right])
            {
                column.push(x);
            }
        }
        figures
    }

    /// How many places [`Self::at`] writes: the figures, to an even count.
    pub(super) fn places(&self) -> usize {
        self.columns[0].len()
    }

    /// Whether any figure is drawn at all (a uniform is used).
    pub(super) fn is_drawn(&self) -> bool {
        self.drawn
    }

    /// Every figure at `u`, into `out` (at least [`Self::places`] long).
    #[inline(always)]
    pub(super) fn at(&self, u: f64, shapes: &[PertInverse], out: &mut [f64]) {
        let n = self.places().min(out.len());
        let [low, high, range, left, right] = self.columns.each_ref().map(|c| &c[..n]);
        for (j, x) in out[..n].iter_mut().enumerate() {
            *x = triangular_at(u, [low[j], high[j], range[j], left[j], right[j]]);
        }
        for (j, draw) in &self.pert {
            if let Some(x) = out.get_mut(*j) {
                *x = draw.at(u, shapes);
            }
        }
    }
}

/// Cells of the table an inverse starts from.
const KNOTS: usize = 256;

/// The standard Beta-PERT on [0, 1] with its mode at `m`: Beta(a, b) with `a = 1 + 4m`,
/// `b = 1 + 4(1 - m)` (shape 4, as rand_distr's `Pert`), drawn by its inverse distribution
/// function. The inverse of the incomplete beta function has no closed form: statrs's
/// (`inv_beta_reg`) takes about 1.2 microseconds, too slow for millions of draws, so each
/// shape keeps a table of the inverse at `KNOTS + 1` points with its slope there, and a draw
/// takes the cubic through its cell and one Halley step on the distribution function, which
/// leaves it within a few units in the last place (checked against statrs in the tests).
#[derive(Clone, Debug)]
pub(super) struct PertInverse {
    a: f64,
    b: f64,
    /// `ln B(a, b)`.
    ln_beta: f64,
    /// The inverse at `u = i / KNOTS` and its slope `1 / density` there, side by side so
    /// that a draw reads its cell from one cache line.
    knots: Vec<[f64; 2]>,
}

impl PertInverse {
    pub(super) fn new(mode: f64) -> Self {
        let a = 1.0 + 4.0 * mode;
        let b = 1.0 + 4.0 * (1.0 - mode);
        let mut shape = Self {
            a,
            b,
            ln_beta: ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b),
            knots: Vec::with_capacity(KNOTS + 1),
        };
        let mut below = 0.0;
        for i in 0..=KNOTS {
            let u = i as f64 / KNOTS as f64;
            let x = match i {
                0 => 0.0,
                KNOTS => 1.0,
                _ => shape.solve(u, below, 1.0, below),
            };
            let density = shape.density(x);
            let slope = if density > 0.0 { 1.0 / density } else { 0.0 };
            shape.knots.push([x, slope]);
            below = x;
        }
        shape
    }

    /// The density at `x`.
    fn density(&self, x: f64) -> f64 {
        if x <= 0.0 || x >= 1.0 {
            // Both ends are 0 unless the mode is there (a or b is 1).
            let at_end = if x <= 0.0 { self.a } else { self.b };
            return if at_end == 1.0 {
                (-self.ln_beta).exp()
            } else {
                0.0
            };
        }
        ((self.a - 1.0) * x.ln() + (self.b - 1.0) * (-x).ln_1p() - self.ln_beta).exp()
    }

    /// The distribution function `I_x(a, b)` by its continued fraction (modified Lentz),
    /// on the side where it converges fast.
    fn cdf(&self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        if x >= 1.0 {
            return 1.0;
        }
        self.cdf_with_density(x, self.density(x))
    }

    /// [`Self::cdf`] at `x` in (0, 1) given the density there: the continued fraction's
    /// factor `x^a (1 - x)^b / B(a, b)` is the density times `x (1 - x)`.
    #[inline]
    fn cdf_with_density(&self, x: f64, density: f64) -> f64 {
        let front = density * x * (1.0 - x);
        if x < (self.a + 1.0) / (self.a + self.b + 2.0) {
            front * continued_fraction(self.a, self.b, x) / self.a
        } else {
            1.0 - front * continued_fraction(self.b, self.a, 1.0 - x) / self.b
        }
    }

    /// `x` with `cdf(x) = u`, between `low` and `high`, starting from `guess`: Newton steps,
    /// falling back to halving the bracket where a step would leave it.
    fn solve(&self, u: f64, mut low: f64, mut high: f64, guess: f64) -> f64 {
        let mut x = guess.clamp(low, high);
        for _ in 0..200 {
            let density = self.density(x);
            let cdf = if x > 0.0 && x < 1.0 {
                self.cdf_with_density(x, density)
            } else {
                self.cdf(x)
            };
            let f = cdf - u;
            if f == 0.0 {
                return x;
            }
            if f < 0.0 {
                low = x;
            } else {
                high = x;
            }
            let newton = x - f / density;
            let next = if density > 0.0 && newton > low && newton < high {
                newton
            } else {
                0.5 * (low + high)
            };
            if (next - x).abs() <= 2.0 * f64::EPSILON * x.abs().max(f64::MIN_POSITIVE)
                || high - low <= 2.0 * f64::EPSILON * high.abs()
            {
                return next;
            }
            x = next;
        }
        x
    }

    /// The inverse distribution function at `u` in [0, 1].
    #[inline]
    pub(super) fn at(&self, u: f64) -> f64 {
        let position = u * KNOTS as f64;
        let cell = (position as usize).min(KNOTS - 1);
        let ([x0, s0], [x1, s1]) = (self.knots[cell], self.knots[cell + 1]);
        if cell == 0 || cell == KNOTS - 1 {
            // The end cells, where the inverse's slope runs to infinity: solved in full.
            let t = position - cell as f64;
            return self.solve(u, x0, x1, x0 + t * (x1 - x0));
        }
        // The cubic through the cell's ends with the inverse's slopes there (Hermite), then
        // polished.
        let h = 1.0 / KNOTS as f64;
        let t = position - cell as f64;
        let (m0, m1) = (s0 * h, s1 * h);
        let t2 = t * t;
        let t3 = t2 * t;
        let guess = (2.0 * t3 - 3.0 * t2 + 1.0) * x0
            + (t3 - 2.0 * t2 + t) * m0
            + (-2.0 * t3 + 3.0 * t2) * x1
            + (t3 - t2) * m1;
        self.polish(u, guess.clamp(x0, x1), x0, x1)
    }

    /// Halley steps from `x` towards the root of `cdf(x) = u` in `[low, high]`: Newton's
    /// step corrected by the density's slope (its log-derivative is
    /// `(a - 1) / x - (b - 1) / (1 - x)`), which cubes the error. Where the cubic's guess is
    /// good (most of the range) one step leaves it below the last place; near the ends,
    /// where the inverse bends hardest, a second.
    #[inline]
    fn polish(&self, u: f64, mut x: f64, low: f64, high: f64) -> f64 {
        for _ in 0..8 {
            let density = self.density(x);
            if density <= 0.0 || x <= 0.0 || x >= 1.0 {
                return x;
            }
            let newton = (self.cdf_with_density(x, density) - u) / density;
            let bend = (self.a - 1.0) / x - (self.b - 1.0) / (1.0 - x);
            let step = newton / (1.0 - 0.5 * newton * bend);
            x = (x - step).clamp(low, high);
            // The error after a step is about (step x bend)^2 x step: stop once that is
            // below a tenth of the last place.
            let left = step * step * step * (1.0 + bend * bend);
            if left.abs() <= 0.1 * f64::EPSILON * x {
                return x;
            }
        }
        x
    }
}

/// The continued fraction of the incomplete beta function (Numerical Recipes' `betacf`):
/// `1 / (1 + d1 / (1 + d2 / (1 + ...)))` with `d(2m+1) = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1))`
/// and `d(2m) = m(b-m)x / ((a+2m-1)(a+2m))`, to full precision. Evaluated by the forward
/// recurrence of its convergents `A/B` rather than by Lentz's method: the recurrence is a
/// chain of multiply-adds where Lentz's is a chain of divisions, three times as slow here,
/// and with a, b <= 5 and x below the switch point the convergents neither overflow nor
/// cancel (checked against statrs in the tests).
fn continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    let sum = a + b;
    // Convergents of 1 + d1 / (1 + d2 / ...): A(-1) = 1, B(-1) = 0, A(0) = B(0) = 1; then
    // A(k) = A(k-1) + d(k) A(k-2), and B likewise. `[A(k-1), A(k), B(k-1), B(k)]`.
    let step = |[a1, a0, b1, b0]: [f64; 4], d: f64| [a0, a0 + d * a1, b0, b0 + d * b1];
    let mut convergents = step([1.0, 1.0, 0.0, 1.0], -sum * x / (a + 1.0));
    let mut value = convergents[3] / convergents[1];
    for m in 1..300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        convergents = step(convergents, m * (b - m) * x / ((a + m2 - 1.0) * (a + m2)));
        convergents = step(
            convergents,
            -(a + m) * (sum + m) * x / ((a + m2) * (a + m2 + 1.0)),
        );
        let next = convergents[3] / convergents[1];
        if (next - value).abs() <= f64::EPSILON * next.abs() {
            return next;
        }
        value = next;
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pert_inverse_is_the_incomplete_betas() {
        use statrs::function::beta::inv_beta_reg;
        for mode in [0.0, 0.05, 0.25, 1.0 / 3.0, 0.5, 0.7, 0.95, 1.0] {
            let shape = PertInverse::new(mode);
            let (a, b) = (1.0 + 4.0 * mode, 1.0 + 4.0 * (1.0 - mode));
            for i in 0..=20_000 {
                let u = f64::from(i) / 20_000.0;
                let ours = shape.at(u);
                let reference = inv_beta_reg(a, b, u);
                assert!(
                    (ours - reference).abs() <= 1e-13,
                    "mode {mode}, u {u}: {ours} against {reference}"
                );
            }
            // And the other way: the distribution function of the draw gives u back.
            for i in 1..1000 {
                let u = f64::from(i) / 1000.0 + 1e-4;
                assert!(
                    (shape.cdf(shape.at(u)) - u).abs() <= 1e-14,
                    "mode {mode}, u {u}"
                );
            }
        }
    }

    #[test]
    fn pert_draws_have_rand_distrs_moments() {
        use rand_distr::Distribution as _;
        use rand_distr::Pert;
        let (low, mode, high) = (2.0, 3.0, 9.0);
        let mut shapes = PertShapes::default();
        let draw = Draw::new(low, mode, high, Distribution::Pert, &mut shapes);
        let theirs = Pert::new(low, high)
            .with_mode(mode)
            .unwrap_or_else(|e| panic!("{e}"));
        let n = 400_000;
        let moments = |xs: &[f64]| {
            let mean = xs.iter().sum::<f64>() / xs.len() as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
            let skew = xs.iter().map(|x| (x - mean).powi(3)).sum::<f64>()
                / xs.len() as f64
                / var.powf(1.5);
            (mean, var, skew)
        };
        let mut rng = Rng::seed_from_u64(3);
        let ours: Vec<f64> = (0..n)
            .map(|_| draw.at(rng.random::<f64>(), &shapes.shapes))
            .collect();
        let mut rng = Rng::seed_from_u64(4);
        let reference: Vec<f64> = (0..n).map(|_| theirs.sample(&mut rng)).collect();
        let (m1, v1, s1) = moments(&ours);
        let (m2, v2, s2) = moments(&reference);
        // PERT's own moments: mean (low + 4 mode + high) / 6, variance (mean - low)(high -
        // mean) / 7.
        let mean = (low + 4.0 * mode + high) / 6.0;
        let variance = (mean - low) * (high - mean) / 7.0;
        let standard_error = (variance / f64::from(n)).sqrt();
        assert!((m1 - mean).abs() < 4.0 * standard_error, "{m1} {mean}");
        assert!((m2 - mean).abs() < 4.0 * standard_error, "{m2} {mean}");
        assert!((v1 - variance).abs() < 0.01 * variance, "{v1} {variance}");
        assert!((v1 - v2).abs() < 0.015 * variance, "{v1} {v2}");
        assert!((s1 - s2).abs() < 0.02, "{s1} {s2}");
    }

    #[test]
    fn slips_are_rands() {
        // Spans as scenarios write them, and wide ones, where rand's second draw is common.
        for span in [
            1,
            2,
            6,
            12,
            18,
            600,
            (1 << 31) + 12_345,
            u32::MAX - 1,
            u32::MAX,
        ] {
            let (mut ours, mut theirs) = (
                Rng::seed_from_u64(span.into()),
                Rng::seed_from_u64(span.into()),
            );
            for _ in 0..100_000 {
                let least = 7u32.min(u32::MAX - span);
                assert_eq!(
                    slip_draw(&mut ours, span),
                    theirs.random_range(least..=least + span) - least,
                    "span {span}"
                );
            }
            // And the streams stay in step.
            assert_eq!(ours.random::<u64>(), theirs.random::<u64>());
        }
    }

    #[test]
    fn a_draw_with_one_figure_is_that_figure() {
        let mut shapes = PertShapes::default();
        let draw = Draw::new(4.0, 4.0, 4.0, Distribution::Pert, &mut shapes);
        assert!(!draw.is_drawn());
        assert_eq!(draw.at(0.3, &shapes.shapes), 4.0);
        assert!(shapes.shapes.is_empty());
    }

    #[test]
    fn pert_shapes_are_shared_by_mode() {
        let mut shapes = PertShapes::default();
        let a = Draw::new(0.0, 1.0, 4.0, Distribution::Pert, &mut shapes);
        let b = Draw::new(10.0, 12.0, 18.0, Distribution::Pert, &mut shapes);
        assert_eq!(shapes.shapes.len(), 1);
        // Location and scale: the same u gives the same place in the range.
        let (x, y) = (a.at(0.8, &shapes.shapes), b.at(0.8, &shapes.shapes));
        assert!(((x - 0.0) / 4.0 - (y - 10.0) / 8.0).abs() < 1e-15);
    }
}
