//! The self-contained HTML report: one file with inline CSS and the charts as inline SVG,
//! no script and nothing loaded from elsewhere, printable to A4. Every piece of user text
//! (scenario, service and option names, notes, values as written) is escaped, invisible
//! characters included.

use std::io::Write;

use super::{ReportInput, chart, document};
use crate::output::{TextReport, TextTable};
use crate::scenario::displayed_lines;

/// Escapes text for HTML element content and attribute values, with invisible characters
/// written as their codes (`\u{202e}`; [`displayed_lines`]), so that a bidirectional override in a
/// note cannot reorder the page.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in displayed_lines(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
@page { size: A4; margin: 14mm 12mm; }
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt;
       line-height: 1.35; color: #111; background: #fff; max-width: 186mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1px solid #888; page-break-after: avoid; }
p.settings { margin: 0 0 4mm; color: #333; }
table { border-collapse: collapse; width: 100%; margin: 0 0 3mm; font-size: 8.5pt; }
thead { display: table-header-group; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eef1f5; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n, td.lines, td:first-child { white-space: nowrap; }
.nowrap { white-space: nowrap; }
td { overflow-wrap: break-word; }
table.sources td:first-child { white-space: normal; }
table.sources td:nth-child(3), table.sources th:nth-child(3) { min-width: 32mm; }
table.sources td:nth-child(4), table.sources th:nth-child(4) { min-width: 40mm; }
table.sources td:nth-child(5), table.sources th:nth-child(5) { min-width: 30mm; }
tr { page-break-inside: avoid; }
figure { margin: 3mm 0 5mm; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 9pt; color: #333; margin-top: 1mm; }
ol.notes { font-size: 9pt; padding-left: 6mm; }
footer { margin-top: 6mm; font-size: 8.5pt; color: #444; border-top: 1px solid #bbb; padding-top: 2mm; }
@media print { body { padding: 0; } a { color: inherit; } }
"#;

/// A cell's text, escaped, its lines joined by `<br>`. Outside a column of figures (which
/// never breaks), every word with a digit in it (a figure, a year, a range `(2.0–9.0)`) is
/// held in a span that does not break, so no figure wraps however narrow the page.
fn cell(text: &str, figures_column: bool) -> String {
    if figures_column {
        return escape(text).replace('\n', "<br>");
    }
    let word = |word: &str| {
        if word.chars().any(|c| c.is_ascii_digit()) {
            format!("<span class=\"nowrap\">{}</span>", escape(word))
        } else {
            escape(word)
        }
    };
    text.split('\n')
        .map(|line| line.split(' ').map(word).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// A field path or a place (`service[legal].option[abs].saving`, `scenarios/kent.toml:42`)
/// escaped, with a break allowed after each `.` and `/` and before each `[` and `:`, so that it
/// wraps within its column rather than widening it.
fn breakable(text: &str) -> String {
    let mut out = String::new();
    for c in escape(text).chars() {
        if matches!(c, '[' | ':') {
            out.push_str("<wbr>");
        }
        out.push(c);
        if matches!(c, '.' | '/') {
            out.push_str("<wbr>");
        }
    }
    out.replace('\n', "<br>")
}

/// A table; `sources` for the table of assumptions and sources, whose Note and Source columns
/// keep room to read (CSS `table.sources`) while its paths and places wrap.
fn table(text: &TextTable, sources: bool) -> String {
    let cell = |i: usize, s: &str| {
        if sources && (i == 0 || i + 1 == text.header.len()) {
            breakable(s)
        } else {
            cell(s, text.numeric.contains(&i))
        }
    };
    let class = |i: usize| {
        if text.numeric.contains(&i) {
            " class=\"n\""
        } else {
            ""
        }
    };
    let mut out = String::from(if sources {
        "<table class=\"sources\">\n<thead><tr>"
    } else {
        "<table>\n<thead><tr>"
    });
    for (i, h) in text.header.iter().enumerate() {
        out.push_str(&format!(
            "<th{} scope=\"col\">{}</th>",
            class(i),
            cell(i, h)
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &text.rows {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            // A cell of several lines (margins per year) keeps each line whole.
            let class = match class(i) {
                "" if c.contains('\n') => " class=\"lines\"",
                other => other,
            };
            out.push_str(&format!("<td{class}>{}</td>", cell(i, c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// The SVG document as an element to place inline: without an XML declaration or doctype.
fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |start| &svg[start..])
}

/// The page, from the report's text and the chart panels (label, SVG; the label is each
/// figure's text alternative).
fn page(report: &TextReport, panels: &[(String, String)]) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&report.title)));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&report.title)));
    out.push_str(&format!(
        "<p class=\"settings\">{}.</p>\n",
        escape(&report.settings)
    ));
    for (label, svg) in panels {
        out.push_str(&format!(
            "<figure role=\"img\" aria-label=\"{}\">\n{}\n</figure>\n",
            escape(label),
            inline_svg(svg)
        ));
    }
    for section in &report.sections {
        out.push_str(&format!("<h2>{}</h2>\n", escape(&section.heading)));
        out.push_str(&table(
            &section.table,
            section.heading == super::ASSUMPTIONS,
        ));
    }
    if !report.notes.is_empty() {
        out.push_str("<h2>Notes</h2>\n<ol class=\"notes\">\n");
        for note in &report.notes {
            out.push_str(&format!("<li>{}</li>\n", escape(note)));
        }
        out.push_str("</ol>\n");
    }
    out.push_str("<footer>\n");
    for line in &report.footer {
        out.push_str(&format!("<div>{}</div>\n", escape(line)));
    }
    out.push_str("</footer>\n</body>\n</html>\n");
    out
}

pub fn write(input: &ReportInput, out: &mut dyn Write) -> anyhow::Result<()> {
    let panels = chart::svg_panels(input)?;
    out.write_all(page(&document(input, false), &panels).as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn figures_outside_a_column_of_figures_do_not_break() {
        assert_eq!(
            cell("5.0 (2.0–9.0) <b>\n2016/17: -1,250.5", false),
            "<span class=\"nowrap\">5.0</span> <span class=\"nowrap\">(2.0–9.0)</span> &lt;b&gt;<br>\
             <span class=\"nowrap\">2016/17:</span> <span class=\"nowrap\">-1,250.5</span>"
        );
        assert_eq!(cell("1,250.0", true), "1,250.0");
    }

    #[test]
    fn paths_and_places_may_break_at_their_separators() {
        assert_eq!(
            breakable("service[legal].option[abs].saving"),
            "service<wbr>[legal].<wbr>option<wbr>[abs].<wbr>saving"
        );
        assert_eq!(
            breakable("scenarios/kent.toml:42 <b>"),
            "scenarios/<wbr>kent.<wbr>toml<wbr>:42 &lt;b&gt;"
        );
    }

    #[test]
    fn an_inline_svg_loses_its_xml_declaration() {
        assert_eq!(
            inline_svg("<?xml version=\"1.0\"?>\n<svg width=\"1\"></svg>"),
            "<svg width=\"1\"></svg>"
        );
    }
}
