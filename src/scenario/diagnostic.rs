//! One clear message per bad input: file, line and column, the field path with service and
//! option ids, what was found and what would be valid, and the source line with a caret.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// An error in a scenario, ready to print. `Display` gives the whole message:
///
/// ```text
/// kcc.toml:25:33: service[legal].option[abs].saving.central: must be at least 0, found -0.5
///    |
/// 25 |   saving = { low = 0.5, central = -0.5, high = 1.2 }
///    |                                   ^^^^
///    = help: ...
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic(Box<Details>);

/// The parts of a [`Diagnostic`] (boxed so that `Result<_, Diagnostic>` stays small).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Details {
    /// The file as the user named it, shown as [`shown_path`] shows paths.
    pub file: String,
    /// 1-based line and column (in characters), where known.
    pub position: Option<(usize, usize)>,
    /// The field path, such as `service[legal].option[abs].saving.central`.
    pub field: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// The source line with a caret under the offending text.
    snippet: Option<String>,
    /// Further problems found in the same pass, each independent of this one, in the order
    /// found (see [`Diagnostic::all`]).
    also: Vec<Diagnostic>,
    /// Whether checking stopped at the limit with more problems possibly left unreported.
    stopped: bool,
    /// The scenario checked, for the line that counts several problems (they may be in the
    /// files it extends or in overrides).
    checked: String,
}

impl Diagnostic {
    /// A problem with the file as a whole (missing, too large, unreadable).
    pub fn file(file: &str, message: String) -> Self {
        Self(Box::new(Details {
            file: shown_name(file),
            position: None,
            field: None,
            message,
            help: None,
            snippet: None,
            also: Vec::new(),
            stopped: false,
            checked: String::new(),
        }))
    }

    /// A problem at a known line and column, without a snippet.
    pub fn at_position(file: &str, line: usize, column: usize, message: String) -> Self {
        let mut d = Self::file(file, message);
        d.0.position = Some((line, column));
        d
    }

    /// A problem at `span` (byte offsets) in `text`.
    pub fn at_span(
        file: &str,
        text: &str,
        span: Range<usize>,
        field: Option<String>,
        message: String,
    ) -> Self {
        let lines = LineIndex::of_one(text, clamp_span(text, span.clone()).start);
        Self::at_span_indexed(file, text, &lines, span, field, message)
    }

    /// [`Self::at_span`] with the text's line index built once for all its messages (a
    /// scenario with a warning on every service would otherwise count its lines again for
    /// each: quadratic in its size).
    pub fn at_span_indexed(
        file: &str,
        text: &str,
        lines: &LineIndex,
        span: Range<usize>,
        field: Option<String>,
        message: String,
    ) -> Self {
        let span = clamp_span(text, span);
        let (line, column) = lines.line_column(text, span.start);
        Self(Box::new(Details {
            file: shown_name(file),
            position: Some((line, column)),
            field,
            message,
            help: None,
            snippet: Some(render_snippet(text, span, line, Window::Line)),
            also: Vec::new(),
            stopped: false,
            checked: String::new(),
        }))
    }

    /// A problem at `span` in `text`, quoting only the text at `span` (cut as a snippet
    /// cuts it), not the rest of its line: for files that may hold what should not be
    /// printed.
    pub fn at_token(file: &str, text: &str, span: Range<usize>, message: String) -> Self {
        let span = clamp_span(text, span);
        let (line, column) = line_column(text, span.start);
        Self(Box::new(Details {
            file: shown_name(file),
            position: Some((line, column)),
            field: None,
            message,
            help: None,
            snippet: Some(render_snippet(text, span, line, Window::Token)),
            also: Vec::new(),
            stopped: false,
            checked: String::new(),
        }))
    }

    /// Without the line and column: for a value typed on the command line, whose name is
    /// the flag and value as typed (`--set x=1.5:1:1` would read like a range).
    pub fn without_position(mut self) -> Self {
        self.0.position = None;
        self
    }

    pub fn with_field(mut self, field: Option<String>) -> Self {
        self.0.field = field;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    /// The file, position, field, message and help.
    pub fn details(&self) -> &Details {
        &self.0
    }

    /// Several independent problems reported together, as one error: the first leads and
    /// the rest follow it, each printed as its own message. `stopped` says that checking
    /// stopped at a limit, so more may follow once these are fixed. `None` when there are
    /// none.
    pub fn all(problems: Vec<Diagnostic>, stopped: bool, checked: &str) -> Option<Self> {
        let mut problems = problems
            .into_iter()
            .flat_map(|d| d.into_problems().0)
            .collect::<Vec<_>>()
            .into_iter();
        let mut first = problems.next()?;
        first.0.also = problems.collect();
        first.0.stopped = stopped;
        first.0.checked = shown_name(checked);
        Some(first)
    }

    /// The problems this error reports, the first one first, each on its own; and whether
    /// checking stopped at a limit.
    pub fn into_problems(mut self) -> (Vec<Diagnostic>, bool) {
        let also = std::mem::take(&mut self.0.also);
        let stopped = std::mem::replace(&mut self.0.stopped, false);
        let mut problems = Vec::with_capacity(1 + also.len());
        problems.push(self);
        problems.extend(also);
        (problems, stopped)
    }

    /// How many problems this error reports.
    pub fn count(&self) -> usize {
        1 + self.0.also.len()
    }

    /// The message, the source line and the help, without the `error:` a caller prints
    /// before it (each further problem is printed with its own).
    fn write_one(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "{}", d.file)?;
        if let Some((line, column)) = d.position {
            write!(f, ":{line}:{column}")?;
        }
        if let Some(field) = &d.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", d.message)?;
        if let Some(snippet) = &d.snippet {
            write!(f, "\n{snippet}")?;
        }
        if let Some(help) = &d.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

/// One problem prints as `file:line:column: field: message`, its source line and help; the
/// caller prints `error: ` before it. Several print one after another, each after a blank
/// line and its own `error: `, then a line that counts them, as a compiler does.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_one(f)?;
        let d = &self.0;
        for other in &d.also {
            write!(f, "\n\nerror: ")?;
            other.write_one(f)?;
        }
        if !d.also.is_empty() || d.stopped {
            let n = self.count();
            let checked = if d.checked.is_empty() {
                &d.file
            } else {
                &d.checked
            };
            write!(f, "\n\nerror: {n} problems in {checked}")?;
            if d.stopped {
                write!(f, "; checking stopped there, so fix these and check again")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// 1-based line and character column of byte offset `at`.
pub fn line_column(text: &str, at: usize) -> (usize, usize) {
    LineIndex::of_one(text, at).line_column(text, at)
}

/// Where each line of a text starts, so that the line of any offset is a binary search
/// rather than a count of the line breaks before it. Lines end at `\n` (a `\r` before it
/// is part of the line, as editors count).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// The byte offset each line starts at, the first 0 (unless built by [`Self::of_one`]).
    starts: Vec<usize>,
    /// The line number of `starts[0]`, less 1.
    lines_before: usize,
}

impl LineIndex {
    /// The index of every line of `text`.
    pub fn new(text: &str) -> Self {
        let breaks = text.bytes().enumerate().filter(|(_, b)| *b == b'\n');
        Self {
            starts: std::iter::once(0)
                .chain(breaks.map(|(i, _)| i + 1))
                .collect(),
            lines_before: 0,
        }
    }

    /// Just enough to place offset `at` (and nothing after its line): the line breaks
    /// before it counted, and where its line starts. For one message; a text with many
    /// builds [`Self::new`] once.
    fn of_one(text: &str, at: usize) -> Self {
        let before = text.as_bytes().get(..at).unwrap_or(text.as_bytes());
        let breaks = before.iter().filter(|b| **b == b'\n').count();
        let start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        Self {
            starts: vec![start],
            lines_before: breaks,
        }
    }

    /// The 1-based line of byte `offset`: the number of lines starting at or before it.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines_before + self.starts.partition_point(|start| *start <= offset).max(1)
    }

    /// The 1-based line and column (in characters) of byte `at` of `text` (the text the
    /// index was built from), an offset past the end or inside a character counting as the
    /// character boundary before it.
    pub fn line_column(&self, text: &str, at: usize) -> (usize, usize) {
        let at = floor_char_boundary(text, at.min(text.len()));
        let line = self.line_of(at);
        let start = self
            .starts
            .get(line - 1 - self.lines_before)
            .copied()
            .unwrap_or(0)
            .min(at);
        let column = text.get(start..at).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Keeps a span inside the text, on character boundaries, and on one line (a caret under a
/// whole multi-line table says less than one under its first line).
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let mut end = floor_char_boundary(text, span.end.clamp(start, text.len()));
    if let Some(newline) = text[start..end].find(['\n', '\r']) {
        end = start + newline;
    }
    start..end
}

/// Lines up to this long are shown whole.
const MAX_LINE_CHARS: usize = 100;
/// Characters shown either side of the offending text when its line is longer.
const CONTEXT_CHARS: usize = 40;
/// The most characters a caret line marks.
const MAX_MARKED_CHARS: usize = 60;

/// How much of a line a snippet shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Window {
    /// The line (cut around the span when it is long).
    Line,
    /// Only the text at the span, with `...` for the rest of the line.
    Token,
}

/// The source line with a caret under `span`. Long lines are cut to a window around the
/// span, and characters that would misplace the caret (tabs, other control and invisible
/// characters) are shown as spaces; the caret is placed on the line as shown.
fn render_snippet(text: &str, span: Range<usize>, line: usize, window: Window) -> String {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.start..]
        .find('\n')
        .map_or(text.len(), |i| span.start + i);
    let source_line = text[line_start..line_end].trim_end_matches('\r');
    let chars: Vec<(usize, char)> = source_line.char_indices().collect();
    let char_at = |byte: usize| {
        chars
            .iter()
            .position(|(at, _)| *at >= byte)
            .unwrap_or(chars.len())
    };
    let first = char_at(span.start - line_start);
    let mut last = char_at(span.end - line_start)
        .max(first + 1)
        .min(chars.len());
    last = last.min(first + MAX_MARKED_CHARS);
    let (from, to) = if window == Window::Token {
        (first.min(chars.len()), last)
    } else if chars.len() <= MAX_LINE_CHARS {
        (0, chars.len())
    } else {
        (
            first.saturating_sub(CONTEXT_CHARS),
            (last + CONTEXT_CHARS).min(chars.len()),
        )
    };

    let mut shown = String::new();
    if from > 0 {
        shown.push_str("...");
    }
    let mut marked = shown.len()..shown.len();
    for (i, (_, c)) in chars.iter().enumerate().take(to).skip(from) {
        if i == first {
            marked.start = shown.len();
        }
        shown.push(if is_invisible(*c) { ' ' } else { *c });
        if i + 1 == last {
            marked.end = shown.len();
        }
    }
    if first >= to {
        // The span starts at the end of the line: point just past it.
        marked = shown.len()..shown.len();
    } else if marked.end < marked.start {
        marked.end = shown.len();
    }
    if to < chars.len() {
        shown.push_str("...");
    }
    let report = [Group::with_level(Level::ERROR).element(
        Snippet::source(shown.as_str())
            .line_start(line)
            .annotation(AnnotationKind::Primary.span(marked)),
    )];
    let rendered = Renderer::plain().render(&report);
    rendered.trim_end().to_string()
}

/// Characters that do not show as themselves: control characters, line and paragraph
/// separators, bidirectional formatting, the characters Unicode marks as ignorable
/// (`Default_Ignorable_Code_Point`: zero-width spaces and joiners, the soft hyphen, the
/// combining grapheme joiner, the Arabic letter mark, Hangul and Khmer fillers, the Mongolian
/// vowel separator, variation selectors, tag characters), interlinear annotation marks, and
/// the blank Braille pattern, which draws nothing.
pub fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'                      // soft hyphen
            | '\u{034F}'                    // combining grapheme joiner
            | '\u{061C}'                    // Arabic letter mark
            | '\u{115F}' | '\u{1160}'       // Hangul choseong and jungseong fillers
            | '\u{17B4}' | '\u{17B5}'       // Khmer inherent vowels
            | '\u{180B}'..='\u{180F}'       // Mongolian variation selectors, vowel separator
            | '\u{200B}'..='\u{200F}'       // zero-width space, non-joiner, joiner; LRM, RLM
            | '\u{2028}'..='\u{202E}'       // line and paragraph separators; bidi embeddings
            | '\u{2060}'..='\u{206F}'       // word joiner, invisible operators, bidi isolates
            | '\u{2800}'                    // Braille pattern blank
            | '\u{3164}'                    // Hangul filler
            | '\u{FE00}'..='\u{FE0F}'       // variation selectors
            | '\u{FEFF}'                    // zero-width no-break space (byte-order mark)
            | '\u{FFA0}'                    // halfwidth Hangul filler
            | '\u{FFF0}'..='\u{FFFB}'       // unassigned specials, interlinear annotation
            | '\u{1BCA0}'..='\u{1BCA3}'     // shorthand format controls
            | '\u{1D173}'..='\u{1D17A}'     // musical symbol format controls
            | '\u{E0000}'..='\u{E0FFF}'     // tags, variation selectors supplement
        )
}

/// Zero-width non-joiner and joiner (U+200C, U+200D): invisible, but Persian, the Indic
/// scripts and others need them inside words (Persian `کتاب\u{200c}خانه`, Devanagari `क्\u{200d}ष`).
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// A character that shows: neither invisible nor white space.
fn shows(c: char) -> bool {
    !is_invisible(c) && !c.is_whitespace()
}

/// Each character of `text` with whether it is hidden: invisible, and not a joiner between
/// two characters that show (where a script needs it). The one rule for which characters
/// names refuse and which every report escapes.
fn with_hidden(text: &str) -> impl Iterator<Item = (char, bool)> + '_ {
    let mut before: Option<char> = None;
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || {
        let c = chars.next()?;
        let hidden = is_invisible(c)
            && !(is_joiner(c)
                && before.is_some_and(shows)
                && chars.peek().copied().is_some_and(shows));
        before = Some(c);
        Some((c, hidden))
    })
}

/// The first hidden character of `text` (see [`displayed`]), if any.
pub fn first_hidden(text: &str) -> Option<char> {
    with_hidden(text)
        .find(|(_, hidden)| *hidden)
        .map(|(c, _)| c)
}

/// User text as every report prints it: each hidden character (invisible, and not a joiner
/// inside a word) written as its code, `\u{202e}`, so that a bidirectional override or a
/// zero-width space in a comment shows as what it is instead of reordering or hiding text.
pub fn displayed(text: &str) -> Cow<'_, str> {
    if first_hidden(text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (c, hidden) in with_hidden(text) {
        if hidden {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// As [`displayed`], line by line: the line breaks a report puts in a table cell (a margin
/// for each year) stay line breaks, for the layouts that show them so (terminal, Markdown,
/// HTML). User text never holds one (names refuse it; a comment ends at its line's end).
pub fn displayed_lines(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return displayed(text);
    }
    Cow::Owned(
        text.split('\n')
            .map(displayed)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// A character as a message names it: "a line break", "a tab", or its code (`\u{1b}`).
pub fn name_char(c: char) -> String {
    match c {
        '\n' => "a line break".to_string(),
        '\r' => "a carriage return".to_string(),
        '\t' => "a tab".to_string(),
        c if is_invisible(c) => format!("the invisible character {}", c.escape_unicode()),
        c => format!("{c:?}"),
    }
}

/// User text as a message quotes it: hidden characters escaped as in [`displayed`]
/// (`\u{1b}`), and cut to `max_chars` so that a 5 MB value does not make a 5 MB message.
pub fn shown(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (i, (c, hidden)) in with_hidden(text).enumerate() {
        if i == max_chars {
            out.push_str("...");
            break;
        }
        if hidden {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// A path as the program prints it, everywhere (messages, footers, reports, JSON): control
/// and other invisible characters escaped (`\u{1b}`), so that a file named with an escape
/// sequence cannot drive the terminal or forge a line, and bytes that are not UTF-8 shown as
/// U+FFFD. Escaping twice changes nothing, so a name already shown can pass through again.
pub fn shown_path(path: &Path) -> String {
    shown_name(&path.to_string_lossy())
}

/// A file name held as text (`<stdin>`, a path already shown), escaped as [`shown_path`] does.
pub fn shown_name(name: &str) -> String {
    displayed(name).into_owned()
}

#[cfg(test)]
mod tests {
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    use super::*;

    #[test]
    fn snippets_survive_wide_and_invisible_characters() {
        for text in [
            "name = \"\u{85}\u{85}\"\n",
            "\"\u{85}\" = \u{e9}\n",
            "\"\u{85}\" \u{e9}\n",
            "x = \"\u{1b}[2J\u{2028}\"\n",
        ] {
            for start in 0..text.len() {
                for end in start..=text.len() {
                    let d = Diagnostic::at_span("t.toml", text, start..end, None, "m".into());
                    assert!(d.to_string().starts_with("t.toml:"));
                }
            }
        }
    }

    #[test]
    fn long_lines_are_cut_around_the_problem() {
        let text = format!("x = \"{}\" y\n", "a".repeat(100_000));
        let at = text.find(" y").unwrap_or_default() + 1;
        let shown = Diagnostic::at_span("t.toml", &text, at..at + 1, None, "m".into()).to_string();
        assert!(shown.len() < 400, "{}", shown.len());
        assert!(shown.contains("...aaaa"), "{shown}");
    }

    #[test]
    fn a_token_snippet_quotes_nothing_else_on_its_line() {
        let text = "[default]\nkey = SECRET-TOKEN # and more secret\n";
        let at = text.find("SECRET").unwrap_or_default();
        let shown = Diagnostic::at_token("c.toml", text, at..at + 12, "m".into()).to_string();
        assert!(shown.starts_with("c.toml:2:7: m\n"), "{shown}");
        assert!(shown.contains("SECRET-TOKEN"), "{shown}");
        assert!(!shown.contains("key") && !shown.contains("more"), "{shown}");
        for text in ["x = \"\u{85}\"\n", "\"\u{85}\" \u{e9}\n", "a"] {
            for start in 0..=text.len() {
                for end in start..=text.len() {
                    let d = Diagnostic::at_token("t.toml", text, start..end, "m".into());
                    assert!(d.to_string().starts_with("t.toml:"));
                }
            }
        }
    }

    #[test]
    fn hidden_characters_are_escaped_and_joiners_kept_inside_words() {
        for c in [
            '\u{202E}',
            '\u{200B}',
            '\u{061C}',
            '\u{3164}',
            '\u{00AD}',
            '\u{034F}',
            '\u{180E}',
            '\u{FE0F}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{2800}',
            '\u{2066}',
            '\u{FEFF}',
            '\u{85}',
        ] {
            let text = format!("a{c}b");
            assert_eq!(first_hidden(&text), Some(c), "{}", c.escape_unicode());
            assert_eq!(displayed(&text), format!("a{}b", c.escape_unicode()));
        }
        // Persian with ZWNJ, Devanagari with ZWJ: kept as written.
        for word in ["کتاب\u{200c}خانه", "क्\u{200d}ष"] {
            assert_eq!(first_hidden(word), None, "{word}");
            assert!(matches!(displayed(word), Cow::Borrowed(_)));
        }
        // A joiner at either end, beside a space, or beside another invisible character.
        for text in [
            "\u{200d}a",
            "a\u{200c}",
            "a \u{200d}b",
            "a\u{200d}\u{200d}b",
            "\u{200c}",
        ] {
            assert!(first_hidden(text).is_some(), "{}", text.escape_unicode());
        }
        assert_eq!(displayed("x\u{200d}"), "x\\u{200d}");
        assert_eq!(displayed("plain £m, ü, 中文"), "plain £m, ü, 中文");
        assert_eq!(displayed("a\nb"), "a\\u{a}b");
        assert_eq!(
            displayed_lines("a\u{202E}\nb\u{200d}\nc"),
            "a\\u{202e}\nb\\u{200d}\nc"
        );
    }

    #[test]
    fn quoted_text_is_escaped_and_cut() {
        assert_eq!(shown("a\u{1b}[2J", 10), "a\\u{1b}[2J");
        assert_eq!(shown(&"x".repeat(100), 5), "xxxxx...");
    }

    #[test]
    fn paths_are_shown_with_control_characters_escaped() {
        let path = Path::new("a\u{1b}]0;x\u{7}\nb.toml");
        assert_eq!(shown_path(path), "a\\u{1b}]0;x\\u{7}\\u{a}b.toml");
        assert_eq!(shown_name(&shown_path(path)), shown_path(path));
        let d = Diagnostic::file("c\u{1b}[2J.toml", "m".into());
        assert_eq!(d.to_string(), "c\\u{1b}[2J.toml: m");
    }

    #[test]
    fn the_line_index_agrees_with_counting_line_breaks() {
        let text = "a = 1\n\n# c\r\nb = \"£m\"\nlast";
        let lines = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            let before = text.as_bytes().get(..offset).unwrap_or(text.as_bytes());
            let counted = before.iter().filter(|b| **b == b'\n').count() + 1;
            assert_eq!(lines.line_of(offset), counted, "offset {offset}");
            // The index of the whole text and the count for one offset place it alike, in
            // the middle of `£` too.
            let one = LineIndex::of_one(text, offset);
            assert_eq!(
                lines.line_column(text, offset),
                one.line_column(text, offset),
                "offset {offset}"
            );
        }
        assert_eq!(lines.line_column(text, text.len()), (5, 5));
        assert_eq!(lines.line_column(text, text.find('m').unwrap_or(0)), (4, 7));
        assert_eq!(LineIndex::new("").line_of(0), 1);
        assert_eq!(LineIndex::new("").line_column("", 3), (1, 1));
    }

    #[test]
    fn positions_count_characters_not_bytes() -> TestResult {
        let text = "a = 1\nname = \"£m\" x\n";
        assert_eq!(line_column(text, 0), (1, 1));
        let x = text.find(" x").ok_or("no x")? + 1;
        assert_eq!(line_column(text, x), (2, 13));
        Ok(())
    }

    #[test]
    fn the_message_leads_with_file_line_column_and_field() -> TestResult {
        let text = "[scenario]\nhorizon = 0\n";
        let at = text.find('0').ok_or("no 0")?;
        let d = Diagnostic::at_span(
            "s.toml",
            text,
            at..at + 1,
            Some("scenario.horizon".into()),
            "must be 1 to 100, found 0".into(),
        );
        let shown = d.to_string();
        assert!(
            shown.starts_with("s.toml:2:11: scenario.horizon: must be 1 to 100, found 0\n"),
            "{shown}"
        );
        assert!(shown.contains("2 | horizon = 0"), "{shown}");
        assert!(shown.contains('^'), "{shown}");
        Ok(())
    }
}
