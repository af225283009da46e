//! The draws of the Monte Carlo: a saving from its triangular or PERT distribution over
//! (low, central, high), by the inverse distribution function of one uniform draw.

use super::*;

/// How an option's saving is drawn.
#[derive(Clone, Debug)]
pub(super) enum Sampler {
    Constant(f64),
    Triangular(TriangularDraw),
    Pert(Pert<f64>),
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
        let scaled = u * self.range;
        // 1 on the left of the mode, 0 on the right: the arithmetic picks a side exactly
        // (x * 1 = x, x * 0 = 0) where an `if` would compile to a branch.
        let left = f64::from(u8::from(scaled < self.left));
        let right = 1.0 - left;
        let area = left * (scaled * self.left) + right * ((self.range - scaled) * self.right);
        let root = area.sqrt();
        left * (self.low + root) + right * (self.high - root)
    }
}

impl Sampler {
    pub(super) fn new(low: f64, central: f64, high: f64, distribution: Distribution) -> Self {
        if high <= low {
            return Sampler::Constant(central);
        }
        match distribution {
            Distribution::Triangular => {
                Sampler::Triangular(TriangularDraw::new(low, central, high))
            }
            Distribution::Pert => Pert::new(low, high)
                .with_mode(central)
                .map(Sampler::Pert)
                .unwrap_or(Sampler::Constant(central)),
        }
    }

    pub(super) fn draw(&self, rng: &mut Rng) -> f64 {
        match self {
            Sampler::Constant(v) => *v,
            Sampler::Triangular(d) => d.at(rng.random::<f64>()),
            Sampler::Pert(d) => d.sample(rng),
        }
    }
}
