//! How the spreadsheet report looks: the cell formats (money to `--dp` places, shares,
//! percentages, shaded inputs, headers) and the page setup of every sheet (A4 landscape, one
//! page wide, the report's title at the top of each page, header rows and label columns frozen
//! and printed again on every page).

use anyhow::Result;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet};

use crate::scenario::displayed;

/// The cell formats every sheet uses, money shown to `--dp` places.
pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) heading: Format,
    pub(super) header: Format,
    pub(super) note: Format,
    pub(super) money: Format,
    pub(super) money_total: Format,
    pub(super) money_input: Format,
    /// A cell where no figure may be typed (a Tracker's delivered or forecast cell that the
    /// rules do not allow), greyed.
    pub(super) blocked: Format,
    pub(super) share: Format,
    pub(super) share_input: Format,
    pub(super) percent_input: Format,
    pub(super) whole: Format,
    pub(super) whole_input: Format,
    pub(super) text_input: Format,
    pub(super) probability: Format,
    pub(super) right: Format,
    pub(super) percent: Format,
}

impl Formats {
    pub(super) fn new(dp: u32) -> Self {
        let money = if dp == 0 {
            "#,##0".to_string()
        } else {
            format!("#,##0.{}", "0".repeat(dp.min(10) as usize))
        };
        let input = Color::RGB(0xFFF2CC);
        Self {
            title: Format::new().set_bold().set_font_size(14),
            heading: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xE7ECF2))
                .set_border_bottom(FormatBorder::Thin),
            note: Format::new().set_italic(),
            money: Format::new().set_num_format(&money),
            money_total: Format::new()
                .set_bold()
                .set_num_format(&money)
                .set_border_top(FormatBorder::Thin),
            money_input: Format::new()
                .set_num_format(&money)
                .set_background_color(input),
            blocked: Format::new()
                .set_num_format(&money)
                .set_background_color(Color::RGB(0xE0E0E0)),
            share: Format::new().set_num_format("0.0###"),
            share_input: Format::new()
                .set_num_format("0.0###")
                .set_background_color(input),
            percent_input: Format::new()
                .set_num_format("0.0##%")
                .set_background_color(input),
            whole: Format::new().set_num_format("0"),
            whole_input: Format::new()
                .set_num_format("0")
                .set_background_color(input),
            text_input: Format::new().set_background_color(input),
            probability: Format::new().set_num_format("0.0%"),
            right: Format::new().set_align(FormatAlign::Right),
            percent: Format::new().set_num_format("0.0##%"),
        }
    }
}

/// A4, Excel's paper size 9.
pub(super) const A4: u8 = 9;

/// The most characters of the report's title in a page header (Excel holds 255 in all).
pub(super) const HEADER_TITLE: usize = 100;

/// The first `rows` rows (the title and column headers) and `cols` columns (the labels) stay
/// on screen as the sheet scrolls, and the rows are printed again at the top of every page.
pub(super) fn header_rows(sheet: &mut Worksheet, rows: u32, cols: u16) -> Result<()> {
    sheet.set_freeze_panes(rows, cols)?;
    if let Some(last) = rows.checked_sub(1) {
        sheet.set_repeat_rows(0, last)?;
    }
    Ok(())
}

/// Every sheet prints landscape on A4, one page wide however many pages long, with the
/// report's title and the sheet's name at the top of each page and its number at the foot.
pub(super) fn print_setup(sheet: &mut Worksheet, title: &str) {
    let name = page_text(&sheet.name(), HEADER_TITLE);
    sheet
        .set_landscape()
        .set_paper_size(A4)
        .set_print_fit_to_pages(1, 0)
        .set_header(format!("&L{}&R{name}", page_text(title, HEADER_TITLE)))
        .set_footer("&CPage &P of &N");
}

/// User text for a page header: invisible characters as their codes, at most `limit`
/// characters (cut with `…`), and `&` doubled so that Excel prints it rather than reading a
/// code.
pub(super) fn page_text(text: &str, limit: usize) -> String {
    let shown = displayed(text);
    let cut: String = if shown.chars().count() > limit {
        shown.chars().take(limit - 1).chain(['…']).collect()
    } else {
        shown.into_owned()
    };
    cut.replace('&', "&&")
}
