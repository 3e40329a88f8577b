//! Display-width text helpers: every column, cut and wrap in the TUI is
//! measured in terminal cells, never in bytes or chars, so Chinese lines up.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Marks a cut. ASCII on purpose: `…` has East Asian width "ambiguous" and
/// takes two cells in some Chinese terminals, which would shift the row.
pub const ELLIPSIS: &str = "..";

/// The text with East-Asian-ambiguous punctuation (dashes, curly quotes,
/// `≤`, `…`, `·`) replaced by ASCII: terminals disagree on their width (one
/// cell or two), and a row whose width the terminal and ratatui disagree on
/// is drawn shifted. Display only; what is stored is never changed.
pub fn plain(text: &str) -> std::borrow::Cow<'_, str> {
    const AMBIGUOUS: [(char, &str); 10] = [
        ('–', "-"),
        ('—', "-"),
        ('‘', "'"),
        ('’', "'"),
        ('“', "\""),
        ('”', "\""),
        ('≤', "<="),
        ('≥', ">="),
        ('…', "..."),
        ('·', "."),
    ];
    if !text.chars().any(|c| AMBIGUOUS.iter().any(|(a, _)| *a == c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match AMBIGUOUS.iter().find(|(a, _)| *a == c) {
            Some((_, ascii)) => out.push_str(ascii),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Cells the text takes on screen.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// The longest start of `text` that fits in `max` cells, cut at a glyph boundary.
pub fn cut(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

/// The text cut to at most `max` cells at a glyph boundary, with an
/// ellipsis when something was cut.
pub fn truncate(text: &str, max: usize) -> String {
    let text = plain(text);
    let text = text.as_ref();
    if width(text) <= max {
        return text.to_string();
    }
    if max < width(ELLIPSIS) {
        return cut(text, max);
    }
    format!("{}{ELLIPSIS}", cut(text, max - width(ELLIPSIS)))
}

/// The text cut to `cells` and padded with spaces to exactly that width.
pub fn fit(text: &str, cells: usize) -> String {
    let mut out = truncate(text, cells);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(w)));
    out
}

/// Wraps text to `cells` per line. Chinese has no spaces between words, so
/// this breaks between CJK characters (Unicode line-breaking rules) and, as
/// a last resort, inside over-long words. Newlines in the text are kept.
pub fn wrap(text: &str, cells: usize) -> Vec<String> {
    let cells = cells.max(2);
    let text = plain(text);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        if paragraph.is_empty() {
            lines.push(String::new());
            continue;
        }
        lines.extend(
            textwrap::wrap(paragraph, cells)
                .into_iter()
                .map(|line| line.into_owned()),
        );
    }
    lines
}

/// The first line of a note, flattened for one-line display.
pub fn first_line(text: &str) -> &str {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn truncates_at_glyph_boundary_in_cells() {
        // 迟到早退 is 8 cells; 5 cells leave room for one glyph and the mark.
        assert_eq!(truncate("迟到早退", 5), "迟..");
        assert_eq!(width(&truncate("迟到早退", 6)), 6);
        assert_eq!(truncate("迟到", 4), "迟到");
        assert_eq!(fit("迟到", 6), "迟到  ");
        assert_eq!(width(&fit("a迟到早退", 6)), 6);
    }

    #[test]
    fn wraps_chinese_without_spaces() {
        let lines = wrap("窗口工作人员上班时间玩手机游戏，群众等候十分钟。", 10);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(width(line) <= 10, "{line}");
        }
        assert_eq!(
            lines.concat(),
            "窗口工作人员上班时间玩手机游戏，群众等候十分钟。"
        );
    }

    #[test]
    fn ambiguous_punctuation_is_shown_as_ascii() {
        assert_eq!(truncate("“四个一”未做到", 40), "\"四个一\"未做到");
        assert_eq!(wrap("10–20分", 40), vec!["10-20分".to_string()]);
        for line in wrap("“门难进”……", 40) {
            for c in line.chars() {
                assert_eq!(
                    UnicodeWidthChar::width(c),
                    UnicodeWidthChar::width_cjk(c),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn ellipsis_is_not_ambiguous_width() {
        for c in ELLIPSIS.chars() {
            assert_eq!(
                UnicodeWidthChar::width(c),
                UnicodeWidthChar::width_cjk(c),
                "{c:?}"
            );
        }
    }
}
