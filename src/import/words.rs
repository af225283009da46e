//! The words councils write in their spreadsheets, and what each means to the importer:
//! units (`£000`, `£m`), block titles (`Forecast`, `Delivered`), whether figures are levels
//! or increments (`cumulative`, `in-year`), statuses, RAG ratings, total rows and column
//! headings. Every mapping is listed in README.md ("Importing a spreadsheet") and
//! docs/model.md section 11; `--status` and `--rag` add to or override the word lists.

use crate::model::{Basis, Rag, Status};

/// The unit the scenario writes for thousands of pounds.
pub const THOUSANDS: &str = "£000";
/// The unit the scenario writes for millions of pounds.
pub const MILLIONS: &str = "£m";

/// Lowercase words of `text`: letters and digits, everything else a separator.
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Lowercase, trimmed, inner spaces collapsed: how status and RAG words are compared.
pub fn normalised(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The unit a cell names (`£000`, `£'000`, `£k`, `£ 000s`, `£thousands`, `£m`, `£ million`,
/// `£mn`), as the scenario writes it: [`THOUSANDS`] or [`MILLIONS`].
pub fn unit_in(text: &str) -> Option<&'static str> {
    let squeezed: String = text
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\'' | '’' | '‘' | '`'))
        .collect();
    let mut found = None;
    for (i, _) in squeezed.match_indices('£') {
        let after = &squeezed[i + '£'.len_utf8()..];
        let word: String = after.chars().take_while(|c| c.is_alphanumeric()).collect();
        let unit = match word.as_str() {
            "000" | "000s" | "k" | "thousand" | "thousands" => Some(THOUSANDS),
            "m" | "mn" | "million" | "millions" | "ms" => Some(MILLIONS),
            _ => None,
        };
        if unit.is_some() {
            found = unit;
        }
    }
    found
}

/// Whether `text` says nothing but a unit (a unit row's cell: `£000`, `(£m)`).
pub fn is_only_unit(text: &str) -> bool {
    unit_in(text).is_some()
        && words(text).iter().all(|w| {
            matches!(
                w.as_str(),
                "000"
                    | "000s"
                    | "k"
                    | "thousand"
                    | "thousands"
                    | "m"
                    | "mn"
                    | "million"
                    | "millions"
                    | "ms"
            )
        })
}

/// Which figures a block of year columns holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Block {
    /// The plan: the saving's levels or increments.
    Plan,
    /// Delivered (achieved, actual) in-year savings.
    Delivered,
    /// Forecast in-year savings.
    Forecast,
}

impl Block {
    pub fn name(self) -> &'static str {
        match self {
            Block::Plan => "plan",
            Block::Delivered => "delivered",
            Block::Forecast => "forecast",
        }
    }
}

/// The block a title names: "forecast" a forecast; "delivered", "achieved", "actual" what
/// was delivered; `None` for any other text (the plan).
pub fn block_in(text: &str) -> Option<Block> {
    let words = words(text);
    if words.iter().any(|w| w == "forecast" || w == "forecasts") {
        return Some(Block::Forecast);
    }
    if words.iter().any(|w| {
        matches!(
            w.as_str(),
            "delivered" | "achieved" | "actual" | "actuals" | "delivery"
        )
    }) {
        return Some(Block::Delivered);
    }
    None
}

/// Whether a heading or title says how its figures are written: "cumulative" (levels),
/// "in-year", "new" or "incremental" (increments).
pub fn basis_in(text: &str) -> Option<Basis> {
    let words = words(text);
    let has = |w: &str| words.iter().any(|x| x == w);
    let in_year = words.windows(2).any(|p| p[0] == "in" && p[1] == "year") || has("inyear");
    let increments =
        in_year || has("new") || has("incremental") || has("increment") || has("increments");
    let levels = has("cumulative") || has("levels");
    match (levels, increments) {
        (true, false) => Some(Basis::Levels),
        (false, true) => Some(Basis::Increments),
        _ => None,
    }
}

/// Words that may sit beside a year in a heading without making it something else: "FY",
/// units, block titles, basis words.
pub fn is_heading_filler(word: &str) -> bool {
    matches!(
        word,
        "fy" | "f"
            | "y"
            | "year"
            | "financial"
            | "saving"
            | "savings"
            | "plan"
            | "planned"
            | "target"
            | "proposed"
            | "forecast"
            | "forecasts"
            | "delivered"
            | "achieved"
            | "actual"
            | "actuals"
            | "delivery"
            | "cumulative"
            | "levels"
            | "in"
            | "inyear"
            | "new"
            | "incremental"
            | "increment"
            | "increments"
            | "000"
            | "000s"
            | "k"
            | "thousand"
            | "thousands"
            | "m"
            | "mn"
            | "million"
            | "millions"
            | "ms"
    )
}

/// The status words every import knows, with the status each means.
pub const STATUS_WORDS: &[(&str, Status)] = &[
    ("approved", Status::Approved),
    ("agreed", Status::Approved),
    ("in base", Status::InBase),
    ("in-base", Status::InBase),
    ("delivered", Status::InBase),
    ("achieved", Status::InBase),
    ("proposed", Status::Proposed),
    ("new", Status::Proposed),
    ("withdrawn", Status::Withdrawn),
    ("undeliverable", Status::Withdrawn),
    ("removed", Status::Withdrawn),
];

/// The RAG words every import knows.
pub const RAG_WORDS: &[(&str, Rag)] = &[
    ("r", Rag::Red),
    ("red", Rag::Red),
    ("a", Rag::Amber),
    ("amber", Rag::Amber),
    ("g", Rag::Green),
    ("green", Rag::Green),
    ("b", Rag::Blue),
    ("blue", Rag::Blue),
    ("complete", Rag::Blue),
    ("completed", Rag::Blue),
    ("delivered", Rag::Blue),
];

/// Word lists: the built-in words with the user's `--status` or `--rag` additions, which
/// come first and so override.
#[derive(Clone, Debug)]
pub struct WordMap<T: Copy> {
    entries: Vec<(String, T)>,
}

impl<T: Copy> WordMap<T> {
    pub fn new(builtin: &[(&str, T)], added: &[(String, T)]) -> Self {
        let mut entries: Vec<(String, T)> =
            added.iter().map(|(w, t)| (normalised(w), *t)).collect();
        entries.extend(builtin.iter().map(|(w, t)| (normalised(w), *t)));
        Self { entries }
    }

    /// What `text` means (compared lowercase, trimmed, inner spaces collapsed).
    pub fn get(&self, text: &str) -> Option<T> {
        let key = normalised(text);
        self.entries
            .iter()
            .find(|(w, _)| *w == key)
            .map(|(_, t)| *t)
    }

    /// The words known, each once, for a message.
    pub fn known(&self) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for (w, _) in &self.entries {
            if !w.is_empty() && !seen.contains(&w.as_str()) {
                seen.push(w);
            }
        }
        seen.iter()
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Which total a label opens with: a sub-total covers the lines above it up to the last
/// total or section heading; a total the lines since the last total.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TotalKind {
    /// `Sub-total`, `Subtotal`, `Sub total`.
    Subtotal,
    /// `Total`, `Net`.
    Total,
    /// `Grand total`: every line above.
    Grand,
}

/// Whether a row's label makes it a total: it starts with `Total`, `Sub-total`,
/// `Subtotal`, `Sub total`, `Net` or `Grand total` (as whole words, any case).
pub fn total_label(text: &str) -> Option<TotalKind> {
    let words = words(text);
    let first = words.first()?.as_str();
    let second = words.get(1).map(String::as_str);
    match (first, second) {
        ("total" | "totals" | "net", _) => Some(TotalKind::Total),
        ("subtotal" | "subtotals", _) => Some(TotalKind::Subtotal),
        ("sub", Some("total" | "totals")) => Some(TotalKind::Subtotal),
        ("grand", Some("total" | "totals")) => Some(TotalKind::Grand),
        _ => None,
    }
}

/// What a column holds, besides figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// The saving's reference (`ASC-01`): its id.
    Ref,
    /// The saving's name or description.
    Line,
    /// The directorate or service area.
    Area,
    Status,
    Rag,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Ref, Role::Line, Role::Area, Role::Status, Role::Rag];

    pub fn name(self) -> &'static str {
        match self {
            Role::Ref => "ref",
            Role::Line => "line",
            Role::Area => "area",
            Role::Status => "status",
            Role::Rag => "rag",
        }
    }

    /// Reads a role as `--columns` names it.
    pub fn parse(text: &str) -> Option<Role> {
        match text.trim().to_lowercase().as_str() {
            "ref" | "reference" | "id" => Some(Role::Ref),
            "line" | "name" | "description" => Some(Role::Line),
            "area" | "directorate" => Some(Role::Area),
            "status" => Some(Role::Status),
            "rag" => Some(Role::Rag),
            _ => None,
        }
    }
}

/// The role a column's heading names, if any: "RAG" a rating; "Status" a status; "Ref",
/// "Reference", "ID", "No." a reference; "Description", "Proposal", "Title", "Name" the line;
/// "Directorate", "Service area", "Department", "Portfolio", "Service" the area; "Saving",
/// "Line", "Item" the line.
pub fn role_of_heading(text: &str) -> Option<Role> {
    let words = words(text);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let only = |list: &[&str]| words.len() == 1 && list.contains(&words[0].as_str());
    if has(&["rag"]) {
        return Some(Role::Rag);
    }
    if has(&["status", "stage"]) {
        return Some(Role::Status);
    }
    if has(&["ref", "reference", "id", "code"]) || only(&["no", "number"]) || text.trim() == "#" {
        return Some(Role::Ref);
    }
    if has(&[
        "description",
        "proposal",
        "proposals",
        "title",
        "name",
        "detail",
        "details",
    ]) {
        return Some(Role::Line);
    }
    if has(&[
        "directorate",
        "area",
        "department",
        "dept",
        "portfolio",
        "division",
        "service",
        "services",
        "block",
    ]) {
        return Some(Role::Area);
    }
    if has(&["saving", "savings", "line", "item", "scheme"]) {
        return Some(Role::Line);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_read_as_councils_write_them() {
        for text in [
            "£000",
            "£'000",
            "£’000",
            "£k",
            "£ 000s",
            "(£000)",
            "£000s",
            "2025/26 £000",
        ] {
            assert_eq!(unit_in(text), Some(THOUSANDS), "{text}");
        }
        for text in [
            "£m",
            "£ million",
            "£M",
            "£mn",
            "Delivered (£m)",
            "£ Millions",
        ] {
            assert_eq!(unit_in(text), Some(MILLIONS), "{text}");
        }
        for text in ["£", "Savings", "£5", "m"] {
            assert_eq!(unit_in(text), None, "{text}");
        }
        assert!(is_only_unit("£000"));
        assert!(is_only_unit("(£'000)"));
        assert!(!is_only_unit("Savings £000"));
    }

    #[test]
    fn block_titles_say_which_figures_follow() {
        assert_eq!(block_in("Forecast (£m)"), Some(Block::Forecast));
        assert_eq!(block_in("Delivered (£m)"), Some(Block::Delivered));
        assert_eq!(block_in("Achieved to date"), Some(Block::Delivered));
        assert_eq!(block_in("Actuals"), Some(Block::Delivered));
        assert_eq!(block_in("Savings plan"), None);
    }

    #[test]
    fn basis_words_say_levels_or_increments() {
        assert_eq!(basis_in("Cumulative savings"), Some(Basis::Levels));
        assert_eq!(basis_in("In-year savings £000"), Some(Basis::Increments));
        assert_eq!(basis_in("in year"), Some(Basis::Increments));
        assert_eq!(basis_in("New savings"), Some(Basis::Increments));
        assert_eq!(basis_in("Incremental"), Some(Basis::Increments));
        assert_eq!(basis_in("Savings"), None);
        assert_eq!(basis_in("Cumulative and new"), None);
        assert_eq!(basis_in("Newport"), None);
    }

    #[test]
    fn status_and_rag_words_map_and_can_be_overridden() {
        let statuses = WordMap::new(STATUS_WORDS, &[]);
        assert_eq!(statuses.get("Approved"), Some(Status::Approved));
        assert_eq!(statuses.get(" AGREED "), Some(Status::Approved));
        assert_eq!(statuses.get("In  Base"), Some(Status::InBase));
        assert_eq!(statuses.get("in-base"), Some(Status::InBase));
        assert_eq!(statuses.get("Delivered"), Some(Status::InBase));
        assert_eq!(statuses.get("achieved"), Some(Status::InBase));
        assert_eq!(statuses.get("New"), Some(Status::Proposed));
        assert_eq!(statuses.get("undeliverable"), Some(Status::Withdrawn));
        assert_eq!(statuses.get("Removed"), Some(Status::Withdrawn));
        assert_eq!(statuses.get("Still to be confirmed"), None);
        let statuses = WordMap::new(
            STATUS_WORDS,
            &[
                ("Still to be confirmed".to_string(), Status::Approved),
                ("delivered".to_string(), Status::Approved),
            ],
        );
        assert_eq!(
            statuses.get("still to be confirmed"),
            Some(Status::Approved)
        );
        assert_eq!(statuses.get("Delivered"), Some(Status::Approved));
        let rags = WordMap::new(RAG_WORDS, &[]);
        for (word, rag) in [
            ("R", Rag::Red),
            ("Amber", Rag::Amber),
            ("g", Rag::Green),
            ("B", Rag::Blue),
            ("Complete", Rag::Blue),
            ("completed", Rag::Blue),
        ] {
            assert_eq!(rags.get(word), Some(rag), "{word}");
        }
        assert_eq!(rags.get("purple"), None);
        assert!(rags.known().starts_with("\"r\", \"red\""));
    }

    #[test]
    fn total_rows_are_known_by_their_first_words() {
        assert_eq!(total_label("Total"), Some(TotalKind::Total));
        assert_eq!(total_label("TOTAL SAVINGS"), Some(TotalKind::Total));
        assert_eq!(total_label("Net savings"), Some(TotalKind::Total));
        assert_eq!(total_label("Sub-total"), Some(TotalKind::Subtotal));
        assert_eq!(total_label("Subtotal Adults"), Some(TotalKind::Subtotal));
        assert_eq!(total_label("Sub total"), Some(TotalKind::Subtotal));
        assert_eq!(total_label("Grand total"), Some(TotalKind::Grand));
        assert_eq!(total_label("Network review"), None);
        assert_eq!(total_label("Totally new service"), None);
        assert_eq!(total_label("Review of totals"), None);
    }

    #[test]
    fn headings_name_their_columns() {
        assert_eq!(role_of_heading("Ref"), Some(Role::Ref));
        assert_eq!(role_of_heading("Saving ref."), Some(Role::Ref));
        assert_eq!(role_of_heading("No."), Some(Role::Ref));
        assert_eq!(role_of_heading("Description"), Some(Role::Line));
        assert_eq!(role_of_heading("Savings proposal"), Some(Role::Line));
        assert_eq!(role_of_heading("Service description"), Some(Role::Line));
        assert_eq!(role_of_heading("Directorate"), Some(Role::Area));
        assert_eq!(role_of_heading("Service area"), Some(Role::Area));
        assert_eq!(role_of_heading("Status"), Some(Role::Status));
        assert_eq!(role_of_heading("RAG status"), Some(Role::Rag));
        assert_eq!(role_of_heading("Saving"), Some(Role::Line));
        assert_eq!(role_of_heading("Lead officer"), None);
        assert_eq!(Role::parse("REF"), Some(Role::Ref));
        assert_eq!(Role::parse("colour"), None);
    }
}
