//! Printing what the command line reports.
//!
//! Two rules: text that came from a bundle or a file never reaches the
//! terminal raw (an escape sequence in a unit's name could retitle the
//! window or write the clipboard), and a closed pipe (`anfang merge … |
//! head -1`) never cuts a command short: a merge goes on to the end and
//! flushes what it merged, whoever stopped reading.

use std::borrow::Cow;
use std::io::Write;

/// `text` with every control character (C0, DEL, C1) and every bidirectional
/// override shown as `\u{…}` instead of acting on the terminal.
pub fn clean(text: &str) -> Cow<'_, str> {
    let acts = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if acts(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// [`clean`] for several lines: the line breaks stay.
pub fn clean_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|l| match l.strip_suffix('\n') {
            Some(body) => format!("{}\n", clean(body)),
            None => clean(l).into_owned(),
        })
        .collect()
}

/// Prints one line on standard output; a closed pipe is not an error.
pub fn line(text: impl std::fmt::Display) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(clean("市财政局"), "市财政局");
        assert_eq!(
            clean("市\u{1b}]0;pwned\u{7}局"),
            "市\\u{1b}]0;pwned\\u{7}局"
        );
        assert_eq!(clean("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(clean("x\u{202e}y"), "x\\u{202e}y");
    }
}
