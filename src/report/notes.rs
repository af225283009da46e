//! Where each figure came from: the comment on its line, or a `source` field of its table.

/// One figure's source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceNote {
    /// The field, as messages print it (`service[legal].option[abs-partner].saving`).
    pub field: String,
    /// The value as written.
    pub value: String,
    /// The note: the comment on the value's line, or the nearest `source` field.
    pub note: String,
    /// Where it is written: `file:line`.
    pub at: String,
}

/// The source notes of a loaded scenario, in file order.
pub fn collect(_loaded: &crate::scenario::Loaded) -> Vec<SourceNote> {
    Vec::new()
}
