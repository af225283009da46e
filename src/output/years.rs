//! The year-by-year table of a projection: one row a projected year, the figures in the columns
//! the caller names (in-year saving, planned savings to date, contribution, gap to date,
//! remaining gap, closed, in whichever cases). `savings run` and `savings report` both lay
//! their year-by-year tables out here, each naming its own columns.

use crate::model::{Case, grouped};
use crate::projection::Projection;

use super::TextTable;

/// A figure shown a year, of the projection's totals over every service.
#[derive(Clone, Copy, Debug)]
pub enum YearFigure {
    /// The in-year saving D.
    InYear(Case),
    /// Planned savings to date LP.
    PlannedToDate,
    /// The contribution to the gap N.
    Contribution(Case),
    /// The unidentified gap to date LG.
    GapToDate,
    /// The remaining gap R.
    RemainingGap(Case),
    /// Whether the year is closed (R at or below zero): `yes` or `no`.
    Closed(Case),
}

/// One column of the table: its figure and its heading, with a shorter heading (line breaks
/// allowed) for the terminal where the full one is too wide.
#[derive(Clone, Copy, Debug)]
pub struct YearColumn {
    pub figure: YearFigure,
    pub heading: &'static str,
    pub terminal: Option<&'static str>,
}

impl YearColumn {
    /// A column headed `heading` everywhere.
    pub const fn new(figure: YearFigure, heading: &'static str) -> Self {
        Self {
            figure,
            heading,
            terminal: None,
        }
    }

    /// A column headed `heading`, and `terminal` on the terminal.
    pub const fn with_terminal(
        figure: YearFigure,
        heading: &'static str,
        terminal: &'static str,
    ) -> Self {
        Self {
            figure,
            heading,
            terminal: Some(terminal),
        }
    }
}

/// The table: a `Year` column, then `columns`, money rounded to `dp` places. Every column but
/// `Closed` is right-aligned; the table has terminal headings if any column has one.
pub fn year_table(projection: &Projection, dp: u32, columns: &[YearColumn]) -> TextTable {
    let t = &projection.total;
    let rows = projection
        .years
        .iter()
        .enumerate()
        .map(|(i, year)| {
            let mut row = vec![year.to_string()];
            row.extend(columns.iter().map(|column| {
                let money = match column.figure {
                    YearFigure::InYear(case) => t.in_year.get(case)[i],
                    YearFigure::PlannedToDate => t.planned_to_date[i],
                    YearFigure::Contribution(case) => t.contribution.get(case)[i],
                    YearFigure::GapToDate => t.gap_to_date[i],
                    YearFigure::RemainingGap(case) => t.remaining_gap.get(case)[i],
                    YearFigure::Closed(case) => {
                        let closed = !t.remaining_gap.get(case)[i].is_positive();
                        return if closed { "yes" } else { "no" }.to_string();
                    }
                };
                grouped(money.amount(), dp)
            }));
            row
        })
        .collect();
    let numeric = (1..)
        .zip(columns)
        .filter(|(_, c)| !matches!(c.figure, YearFigure::Closed(_)))
        .map(|(i, _)| i)
        .collect();
    let heading = |pick: fn(&YearColumn) -> &'static str| {
        std::iter::once("Year")
            .chain(columns.iter().map(pick))
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let terminal_header = columns
        .iter()
        .any(|c| c.terminal.is_some())
        .then(|| heading(|c| c.terminal.unwrap_or(c.heading)));
    TextTable {
        header: heading(|c| c.heading),
        rows,
        numeric,
        terminal_header,
        min_widths: Vec::new(),
        keys: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Input, load};

    #[test]
    fn a_row_a_year_with_the_columns_asked_for() -> anyhow::Result<()> {
        let loaded = load(&Input::Builtin).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let projection = crate::projection::project(&loaded.scenario)?;
        let plain = [
            YearColumn::new(YearFigure::GapToDate, "Gap to date"),
            YearColumn::new(YearFigure::Closed(Case::Central), "Closed"),
            YearColumn::new(YearFigure::InYear(Case::High), "High"),
        ];
        let table = year_table(&projection, 1, &plain);
        assert_eq!(table.header, ["Year", "Gap to date", "Closed", "High"]);
        assert_eq!(table.rows.len(), projection.years.len());
        assert_eq!(table.rows[0][0], projection.years[0].to_string());
        assert_eq!(table.rows[0][1], "43.0", "the Kent gap of 2015/16");
        assert!(["yes", "no"].contains(&table.rows[0][2].as_str()));
        assert_eq!(table.numeric, [1, 3], "every column but Closed is a figure");
        assert!(table.terminal_header.is_none());
        let short = [YearColumn::with_terminal(
            YearFigure::PlannedToDate,
            "Planned to date",
            "Planned\nto date",
        )];
        let table = year_table(&projection, 1, &short);
        assert_eq!(
            table.terminal_header,
            Some(vec!["Year".to_string(), "Planned\nto date".to_string()])
        );
        Ok(())
    }
}
