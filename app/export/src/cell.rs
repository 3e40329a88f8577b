//! One value of a table cell, typed so that spreadsheets get real numbers
//! and dates while CSV gets their text.

use anfang_core::Points;
use jiff::civil::{Date, DateTime};
use std::borrow::Cow;
use std::fmt::Write as _;

/// A typed cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Nothing.
    Empty,
    /// Text.
    Text(Cow<'a, str>),
    /// A whole number.
    Int(i64),
    /// Points (shown without trailing zeros).
    Points(Points),
    /// A local date and time.
    Time(DateTime),
    /// A local date.
    Date(Date),
}

impl Cell<'_> {
    /// The cell's text, as CSV writes it and as column widths are measured.
    pub fn write_text(&self, out: &mut String) {
        out.clear();
        // Writing into a String cannot fail.
        let _ = match self {
            Cell::Empty => Ok(()),
            Cell::Text(text) => {
                out.push_str(text);
                Ok(())
            }
            Cell::Int(n) => write!(out, "{n}"),
            Cell::Points(p) => write!(out, "{p}"),
            Cell::Time(t) => write!(out, "{}", t.strftime("%Y-%m-%d %H:%M")),
            Cell::Date(d) => write!(out, "{d}"),
        };
    }

    /// The cell's text as a new string.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write_text(&mut out);
        out
    }
}

/// The width of a text in terminal columns: a Chinese character takes two.
/// Spreadsheet column widths are counted in the same narrow-character units.
pub fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double() {
        assert_eq!(display_width("迟到"), 4);
        assert_eq!(display_width("late"), 4);
        assert_eq!(display_width("A岗"), 3);
    }

    #[test]
    fn times_print_to_the_minute() {
        let t = jiff::civil::date(2026, 3, 5).at(9, 7, 30, 0);
        assert_eq!(Cell::Time(t).text(), "2026-03-05 09:07");
        assert_eq!(Cell::Points(Points::from_hundredths(250)).text(), "2.5");
    }
}
