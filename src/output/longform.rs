//! What the long-form writers (the CSV of docs/model.md section 8 and the JSON `rows`)
//! share. Rows are many (a thousand services are 137,761) and repeat their text: a
//! scenario's name on every row, a service's id on a hundred, ten years over and over. So
//! each text is encoded once while it repeats, and each year's text is made once; a row is
//! then mostly copied bytes.

use crate::model::FinancialYear;

/// A text column's last text and its encoding (quoted for CSV, escaped for JSON).
#[derive(Clone, Default)]
pub struct Repeated {
    /// The text encoded last; none before the first.
    text: Option<String>,
    encoded: Vec<u8>,
}

impl Repeated {
    /// The encoding of `text`, made by `encode` only where `text` is not the last one.
    pub fn encode(&mut self, text: &str, encode: impl FnOnce(&mut Vec<u8>, &str)) -> &[u8] {
        if self.text.as_deref() != Some(text) {
            self.encoded.clear();
            encode(&mut self.encoded, text);
            let last = self.text.get_or_insert_default();
            last.clear();
            last.push_str(text);
        }
        &self.encoded
    }
}

/// Each year's text (`2015/16`), made once.
#[derive(Default)]
pub struct YearTexts {
    texts: Vec<(FinancialYear, String)>,
    /// Where the last year asked for is: rows give each year once per case, in a row.
    last: usize,
}

impl YearTexts {
    /// The text of `year`, or empty for none (a summary measure).
    pub fn get(&mut self, year: Option<FinancialYear>) -> &str {
        let Some(year) = year else {
            return "";
        };
        if self.texts.get(self.last).is_none_or(|(y, _)| *y != year) {
            // A horizon has at most 100 years.
            self.last = match self.texts.iter().position(|(y, _)| *y == year) {
                Some(i) => i,
                None => {
                    self.texts.push((year, year.to_string()));
                    self.texts.len() - 1
                }
            };
        }
        &self.texts[self.last].1
    }
}
