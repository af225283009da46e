//! What-if analyses built on the projection: appraising every option, comparing scenarios,
//! sweeping inputs over a range, and goal seeking; `vary` says what a varied path names in a
//! plan.

pub mod appraisal;
pub mod compare;
pub mod sensitivity;
pub mod simulate;
pub mod solve;
pub mod sweep;
pub mod vary;
