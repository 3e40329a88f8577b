//! Spreadsheet formula injection (OWASP "CSV injection"): a text cell that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run
//! as a formula by Excel, WPS or LibreOffice. Exports neutralise it as OWASP
//! describes, with a leading single quote; imports take the quote off again,
//! so an export imports back word for word.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet would read `text` as a formula.
pub fn is_formula_like(text: &str) -> bool {
    text.starts_with(TRIGGERS)
}

/// Whether [`guard`] adds a quote: formula-like text, and text that already
/// starts with a quote (so that [`unguard`] can tell the two apart).
fn needs_quote(text: &str) -> bool {
    is_formula_like(text) || text.starts_with('\'')
}

/// The text as an export writes it: formula-like text behind a single quote.
pub fn guard(text: &str) -> Cow<'_, str> {
    if needs_quote(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text as it was before [`guard`]: one leading quote taken off when
/// what follows it is formula-like or another quote.
pub fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_quoted_and_come_back() {
        for text in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "=cmd|' /C calc'!A0",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=already",
            "'",
            "''",
            "'plain",
            "plain",
            "",
            "王五8:45到岗",
        ] {
            let out = guard(text);
            assert!(!is_formula_like(&out), "{out:?}");
            assert_eq!(unguard(&out), text, "{text:?}");
        }
        assert_eq!(guard("=1+1"), "'=1+1");
        assert_eq!(guard("ok"), "ok");
        // A hand-made sheet's quote before ordinary text stays.
        assert_eq!(unguard("'plain"), "'plain");
    }
}
