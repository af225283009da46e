//! `--format table`: a report laid out for the terminal (comfy-table), within its width
//! (`COLUMNS`, else the terminal's, else 100 columns).
//!
//! No figure ever wraps: a reader who sees `12500000` above `00.0` reads a figure 100 times
//! too small. Every word with a digit in it (a figure, a year, a range `(250.0–380.0)`), in a
//! cell or a heading, is kept whole: each column is at least as wide as the widest. So is
//! every other word (`Remaining gap`, never `Remainin` over `g gap`): text wraps at spaces.
//! A table whose columns cannot all be that wide is split into several, each repeating the
//! label columns (the year, the service); where even one column beside the labels is too
//! wide, each row is stacked as a table of heading and value (the heading above its value
//! where the two do not fit side by side). The least widths asked for name columns give way
//! (a third, then down to a readable width) before a table is split or stacked. Only a word
//! wider than the value column of a stacked table (a long name on a very narrow terminal)
//! breaks.

use std::io::Write;

use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets};
use unicode_width::UnicodeWidthStr;

use super::words::wrap;
use super::{TextReport, TextTable};
use crate::scenario::displayed_lines;

/// The width when neither `COLUMNS` nor a terminal gives one: a 100-column terminal.
pub const DEFAULT_WIDTH: usize = 100;

/// The narrowest layout: a smaller `COLUMNS` is taken as this.
pub const NARROWEST: usize = 40;

/// Space either side of a cell's text.
const PADDING: usize = 2;

/// The least width a column of names or a heading word keeps (padding included) before a
/// table is stacked.
const READABLE: usize = 12;

/// The width to lay tables out to: `COLUMNS` where set to a number (as shells export it),
/// else the width of the terminal standard output is, else [`DEFAULT_WIDTH`]; at least
/// [`NARROWEST`].
pub fn width() -> usize {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|text| text.trim().parse::<usize>().ok())
        .filter(|&w| w > 0);
    // comfy-table asks the terminal only when standard output is one.
    let terminal = || Table::new().width().map(usize::from);
    columns
        .or_else(terminal)
        .unwrap_or(DEFAULT_WIDTH)
        .clamp(NARROWEST, usize::from(u16::MAX))
}

pub fn write(report: &TextReport, width: usize, sink: &mut dyn Write) -> anyhow::Result<()> {
    // User text shows invisible characters as their codes (`\u{202e}`), so that none can
    // reorder or hide what the terminal prints.
    let wrap = |text: &str, width: usize, indent: &str| wrap(&displayed_lines(text), width, indent);
    let mut out = String::new();
    out.push_str(&wrap(&report.title, width, ""));
    out.push('\n');
    if !report.settings.is_empty() {
        out.push_str(&wrap(&report.settings, width, ""));
        out.push('\n');
    }
    for section in &report.sections {
        out.push_str(&layout(&section.heading, &section.table, width));
    }
    for (heading, chart) in &report.charts {
        out.push('\n');
        out.push_str(&wrap(heading, width, ""));
        out.push('\n');
        out.push_str(&displayed_lines(chart));
    }
    out.push('\n');
    for note in &report.notes {
        out.push_str(&wrap(&format!("Note: {note}"), width, "      "));
        out.push('\n');
    }
    for line in &report.footer {
        out.push_str(&wrap(line, width, ""));
        out.push('\n');
    }
    sink.write_all(out.as_bytes())?;
    Ok(())
}

/// A section: its heading and its table, split or stacked where it must be to fit `width`;
/// each table is preceded by a blank line and its heading.
fn layout(heading: &str, text: &TextTable, width: usize) -> String {
    let heading = &displayed_lines(heading);
    let text = &escaped(text);
    let header = text.terminal_header.as_ref().unwrap_or(&text.header);
    let columns = header.len();
    let keys = text.keys.min(columns);
    // Whole heading words and the least widths asked for names give way, a third before a
    // table is split, all but a readable width before it is stacked.
    let all: Vec<usize> = (0..columns).collect();
    for give in [Give::Nothing, Give::Third] {
        let least = least_widths(text, header, give);
        if fits(&least, &all, width) {
            return titled(heading, &build(text, header, &all, &least, width), width);
        }
    }
    let parts = [Give::Nothing, Give::Third, Give::AllButReadable]
        .into_iter()
        .find_map(|give| {
            let least = least_widths(text, header, give);
            split(&least, keys, width).map(|parts| (least, parts))
        });
    let mut out = String::new();
    match parts {
        Some((least, parts)) => {
            let count = parts.len();
            for (i, data) in parts.into_iter().enumerate() {
                let chosen: Vec<usize> = (0..keys).chain(data).collect();
                out.push_str(&titled(
                    &format!("{heading}, part {} of {count}", i + 1),
                    &build(text, header, &chosen, &least, width),
                    width,
                ));
            }
        }
        None => {
            // A table of heading and value per row, one after another under the heading.
            out.push_str(&format!("\n{}\n", wrap(heading, width, "")));
            for row in &text.rows {
                out.push_str(&stacked(header, row, text, width).to_string());
                out.push('\n');
            }
        }
    }
    out
}

/// The table with invisible characters in its cells shown as their codes.
fn escaped(text: &TextTable) -> TextTable {
    let shown = |cells: &[String]| -> Vec<String> {
        cells
            .iter()
            .map(|c| displayed_lines(c).into_owned())
            .collect()
    };
    TextTable {
        header: shown(&text.header),
        rows: text.rows.iter().map(|r| shown(r)).collect(),
        numeric: text.numeric.clone(),
        terminal_header: text.terminal_header.as_deref().map(shown),
        min_widths: text.min_widths.clone(),
        keys: text.keys,
    }
}

/// A blank line, `title` and `table`.
fn titled(title: &str, table: &str, width: usize) -> String {
    format!("\n{}\n{table}\n", wrap(title, width, ""))
}

/// Whether `chosen` columns, each at its least width, fit `width` with their borders (one
/// between each two columns and one at either end).
fn fits(least: &[usize], chosen: &[usize], width: usize) -> bool {
    let borders = chosen.len() + 1;
    chosen.iter().map(|&c| least[c]).sum::<usize>() + borders <= width
}

/// The columns after the first `keys`, in as few consecutive groups as fit `width` beside the
/// key columns, as even in size as fit; `None` where one column beside the keys is too wide.
fn split(least: &[usize], keys: usize, width: usize) -> Option<Vec<Vec<usize>>> {
    let data: Vec<usize> = (keys..least.len()).collect();
    let with_keys =
        |group: &[usize]| -> Vec<usize> { (0..keys).chain(group.iter().copied()).collect() };
    if data.is_empty() || data.iter().any(|&c| !fits(least, &with_keys(&[c]), width)) {
        return None;
    }
    // Greedy, for the fewest groups; then the same number of groups, evened out, if they fit.
    let mut greedy: Vec<Vec<usize>> = vec![Vec::new()];
    for &c in &data {
        let last = greedy.last_mut()?;
        last.push(c);
        if !fits(least, &with_keys(last), width) {
            last.pop();
            greedy.push(vec![c]);
        }
    }
    let count = greedy.len();
    let size = data.len().div_ceil(count);
    let even: Vec<Vec<usize>> = data.chunks(size).map(<[usize]>::to_vec).collect();
    if even.len() == count && even.iter().all(|g| fits(least, &with_keys(g), width)) {
        Some(even)
    } else {
        Some(greedy)
    }
}

/// How much of the least widths asked for name columns gives way. Figures and words (of a
/// heading, a name, any text) never do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Give {
    Nothing,
    /// A third, down to [`READABLE`].
    Third,
    /// All but [`READABLE`].
    AllButReadable,
}

/// The least width of each column, padding included: its widest word (of a figure, a
/// heading, any cell; see the module's documentation), and the column's least width asked
/// for readability less what `give`s.
fn least_widths(text: &TextTable, header: &[String], give: Give) -> Vec<usize> {
    (0..header.len())
        .map(|c| {
            let cells = || text.rows.iter().filter_map(|row| row.get(c));
            let figures = cells()
                .chain(header.get(c))
                .flat_map(|cell| cell.lines())
                .map(unbroken_width)
                .max()
                .unwrap_or(0);
            let heading = widest_word(&header[c]);
            let words = cells().map(|cell| widest_word(cell)).max().unwrap_or(0) + PADDING;
            let least = text.min_widths.get(c).map_or(0, |&w| usize::from(w));
            let (words, least) = match give {
                Give::Nothing => (words, least),
                Give::Third => (words, least.min(READABLE.max(least * 2 / 3))),
                Give::AllButReadable => (words, least.min(READABLE)),
            };
            (figures.max(heading) + PADDING).max(words).max(least)
        })
        .collect()
}

fn widest_word(text: &str) -> usize {
    text.split_whitespace()
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// The width of the widest part of `line` that must not be broken: its widest word with a
/// digit in it (a figure, a year, a range `(250.0–380.0)`).
fn unbroken_width(line: &str) -> usize {
    line.split_whitespace()
        .filter(|word| word.chars().any(|c| c.is_ascii_digit()))
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

fn styled(width: usize) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(u16::MAX));
    table
}

fn fixed(width: usize) -> ColumnConstraint {
    ColumnConstraint::LowerBoundary(Width::Fixed(u16::try_from(width).unwrap_or(u16::MAX)))
}

/// The `chosen` columns of `text` as one table, laid out by comfy-table with the name
/// columns held to their least widths. Where that leaves another column narrower than its
/// least width, so that it would wrap a figure, every column is held to at least its least
/// width and the table laid out again.
fn build(
    text: &TextTable,
    header: &[String],
    chosen: &[usize],
    least: &[usize],
    width: usize,
) -> String {
    let pick = |cells: &[String]| -> Vec<String> {
        chosen
            .iter()
            .map(|&c| cells.get(c).cloned().unwrap_or_default())
            .collect()
    };
    let mut table = styled(width);
    table.set_header(pick(header));
    for row in &text.rows {
        table.add_row(pick(row));
    }
    for (index, c) in chosen.iter().enumerate() {
        if let Some(column) = table.column_mut(index) {
            if text.numeric.contains(c) {
                column.set_cell_alignment(CellAlignment::Right);
            }
            if *c < text.min_widths.len() {
                column.set_constraint(fixed(least[*c]));
            }
        }
    }
    let laid_out = table.to_string();
    let widths = column_widths(&laid_out);
    if widths.len() == chosen.len() && widths.iter().zip(chosen).all(|(w, &c)| *w >= least[c]) {
        return laid_out;
    }
    for (index, &c) in chosen.iter().enumerate() {
        if let Some(column) = table.column_mut(index) {
            column.set_constraint(fixed(least[c]));
        }
    }
    table.to_string()
}

/// The width of each column of a laid-out table, padding included, from its top border.
fn column_widths(table: &str) -> Vec<usize> {
    let top = table.lines().next().unwrap_or_default();
    top.trim_start_matches('┌')
        .trim_end_matches('┐')
        .split('┬')
        .map(|segment| segment.chars().count())
        .collect()
}

/// One row as a two-column table: each column's heading (on one line) beside its value; or,
/// where the widest heading word and the widest word of a value do not fit side by side, a
/// one-column table of each heading above its value, so that neither is broken.
fn stacked(header: &[String], row: &[String], text: &TextTable, width: usize) -> Table {
    let headings: Vec<String> = header
        .iter()
        .map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let unbroken = |cells: &mut dyn Iterator<Item = &String>| {
        cells
            .flat_map(|cell| cell.lines())
            .map(unbroken_width)
            .max()
            .unwrap_or(0)
            + PADDING
    };
    // Every word of a value whole, a figure's above all.
    let values = unbroken(&mut text.rows.iter().flatten()).max(
        text.rows
            .iter()
            .flatten()
            .map(|cell| widest_word(cell) + PADDING)
            .max()
            .unwrap_or(0),
    );
    let whole_words = headings.iter().map(|h| widest_word(h)).max().unwrap_or(0) + PADDING;
    let headings_least = unbroken(&mut headings.iter()).max(whole_words);
    let mut table = styled(width);
    if headings_least + values + 3 > width {
        for (heading, cell) in headings.iter().zip(row) {
            let shown = if cell.is_empty() {
                heading.clone()
            } else {
                format!("{heading}\n{cell}")
            };
            table.add_row(vec![shown]);
        }
        return table;
    }
    for (heading, cell) in headings.iter().zip(row) {
        table.add_row(vec![heading.clone(), cell.clone()]);
    }
    table.set_constraints([fixed(headings_least), fixed(values)]);
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(header: &[&str], rows: &[&[&str]], numeric: &[usize]) -> TextTable {
        TextTable::new(
            header.iter().map(|h| h.to_string()).collect(),
            rows.iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
            numeric.to_vec(),
        )
    }

    fn lines_within(text: &str, width: usize) -> bool {
        text.lines().all(|l| l.width() <= width)
    }

    #[test]
    fn what_must_stay_whole_is_measured() {
        assert_eq!(unbroken_width("1,250,000,000.0"), 15);
        assert_eq!(unbroken_width("2016/17: -1,250.5"), 8);
        assert_eq!(unbroken_width("5.0 (250.0–380.0)"), 13);
        assert_eq!(unbroken_width("Total saving over 10 years"), 2);
        assert_eq!(unbroken_width("is 1000000.123 here"), 11);
        assert_eq!(unbroken_width("Legal Services"), 0);
    }

    #[test]
    fn a_table_that_fits_is_one_table() {
        let text = table(&["Year", "Saving"], &[&["2015/16", "1,250.0"]], &[1]);
        let out = layout("Heading", &text, 100);
        assert_eq!(out.matches("Heading").count(), 1);
        assert!(out.contains("│ 2015/16 ┆ 1,250.0 │"), "{out}");
    }

    #[test]
    fn a_wide_table_splits_repeating_its_labels_and_never_wraps_a_figure() {
        let figure = "1,000,000,000,000.0000000000";
        let header: Vec<String> = std::iter::once("Year".to_string())
            .chain((1..=6).map(|i| format!("Figure {i}")))
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let row: Vec<&str> = std::iter::once("2015/16")
            .chain(std::iter::repeat_n(figure, 6))
            .collect();
        let text = table(&header, &[&row, &row], &[1, 2, 3, 4, 5, 6]);
        for width in [80, 100] {
            let out = layout("Years", &text, width);
            assert!(lines_within(&out, width), "{out}");
            let parts = out.matches("Years, part ").count();
            assert!(parts >= 2, "{out}");
            // Every part repeats the year; every figure is whole on its line.
            assert_eq!(out.matches("│ 2015/16 ┆").count(), 2 * parts, "{out}");
            assert_eq!(out.matches(figure).count(), 12, "{out}");
        }
    }

    #[test]
    fn parts_are_evened_out() {
        // Four of these fit 80 columns beside the year: two parts of three, not four and two.
        let row: Vec<&str> = std::iter::once("2015/16")
            .chain(std::iter::repeat_n("1,000,000.0000", 6))
            .collect();
        let text = table(
            &["Year", "A", "B", "C", "D", "E", "F"],
            &[&row],
            &[1, 2, 3, 4, 5, 6],
        );
        let out = layout("Years", &text, 80);
        assert!(lines_within(&out, 80), "{out}");
        let (first, second) = out.split_once("Years, part 2 of 2").unwrap_or_default();
        assert!(first.contains("part 1 of 2"), "{out}");
        assert_eq!(first.matches("1,000,000.0000").count(), 3, "{out}");
        assert_eq!(second.matches("1,000,000.0000").count(), 3, "{out}");
    }

    #[test]
    fn where_one_figure_beside_the_labels_is_too_wide_rows_are_stacked() {
        let figure = "1,000,000,000,000.0000000000";
        let name = "A service with a long name";
        let mut text = table(
            &["Service", "Total", "NPV"],
            &[&[name, figure, figure]],
            &[1, 2],
        );
        text.min_widths = vec![30];
        let out = layout("Services", &text, 44);
        assert!(lines_within(&out, 44), "{out}");
        assert!(!out.contains("part"), "{out}");
        assert_eq!(out.matches(figure).count(), 2, "{out}");
        assert!(out.contains("│ NPV "), "{out}");
    }

    /// The words of every line of `out` inside a table, cell by cell.
    fn words(out: &str) -> Vec<String> {
        out.lines()
            .filter(|l| l.starts_with('│'))
            .flat_map(|l| l.trim_matches('│').split('┆'))
            .flat_map(str::split_whitespace)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn heading_words_are_never_broken_a_table_is_split_instead() {
        // Issue 12: at 60 columns the headings once broke as `Remainin` over `g gap`.
        let header = [
            "Input",
            "At",
            "Remaining gap 2015/16",
            "Remaining gap 2016/17",
            "Swing in total",
        ];
        let row: [&str; 5] = [
            "Waste collection: Route optimisation, saving",
            "800",
            "474.4",
            "541.1",
            "3,833.3",
        ];
        let text = table(&header, &[&row], &[2, 3, 4]);
        for width in [40, 50, 60, 80] {
            let out = layout("Tornado", &text, width);
            assert!(lines_within(&out, width), "{out}");
            for word in words(&out) {
                assert!(
                    header
                        .iter()
                        .chain(&row)
                        .any(|cell| cell.split(' ').any(|w| w == word)),
                    "{width}: {word:?} is broken:\n{out}"
                );
            }
            assert!(out.contains("Remaining"), "{out}");
        }
    }

    #[test]
    fn a_stacked_row_puts_each_heading_above_its_value_where_they_cannot_sit_side_by_side() {
        let figure = "1,000,000,000,000.0000000000";
        let text = table(
            &["Service", "Remaining gap 2015/16", "Remaining gap 2016/17"],
            &[&["Legal Services", figure, figure]],
            &[1, 2],
        );
        let out = layout("Services", &text, 40);
        assert!(lines_within(&out, 40), "{out}");
        assert_eq!(out.matches(figure).count(), 2, "{out}");
        assert!(out.contains("│ Remaining gap 2015/16"), "{out}");
        assert!(!out.contains("Remaini "), "{out}");
    }

    #[test]
    fn names_wrap_but_their_figures_do_not() {
        let text = table(
            &["Option", "Steady state"],
            &[&[
                "An option with a very long name that has to wrap (option-2)",
                "5.0\n(250.0–380.0)",
            ]],
            &[],
        );
        let out = layout("Options", &text, 40);
        assert!(lines_within(&out, 40), "{out}");
        assert!(out.contains("(250.0–380.0)"), "{out}");
        assert!(out.contains("(option-2)"), "{out}");
    }
}
