//! A progress gauge: ratatui's `Gauge`, with its filled cells repainted as
//! coloured spaces. The gauge fills with `█`, whose East Asian width is
//! "ambiguous": some Chinese terminals draw it two cells wide and shift the
//! whole row.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Gauge;

/// Draws a one-line gauge filled to `ratio` (0 to 1) with `label` centred.
pub fn draw(frame: &mut Frame<'_>, area: Rect, ratio: f64, label: &str, color: Color) {
    let ratio = if ratio.is_finite() {
        ratio.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let label = crate::text::truncate(label, usize::from(area.width));
    let gauge = Gauge::default()
        .gauge_style(Style::default().fg(color).bg(Color::DarkGray))
        .ratio(ratio)
        .label(Span::styled(
            label,
            Style::default()
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
        ));
    frame.render_widget(gauge, area);
    let buffer = frame.buffer_mut();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buffer[(x, y)];
            if cell.symbol() == ratatui::symbols::block::FULL {
                let fill = cell.fg;
                cell.set_symbol(" ").set_bg(fill);
            }
        }
    }
}

/// How far `done` of `total` is, as a ratio; nothing to do counts as done.
pub fn ratio(done: u64, total: u64) -> f64 {
    if total == 0 {
        return 1.0;
    }
    (done.min(total) as f64) / (total as f64)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn the_gauge_draws_no_ambiguous_block_glyphs() {
        let mut terminal = Terminal::new(TestBackend::new(30, 1)).unwrap();
        terminal
            .draw(|frame| draw(frame, frame.area(), 0.5, "导出 50%", Color::Green))
            .unwrap();
        let buffer = terminal.backend().buffer();
        let symbols: String = (0..30).map(|x| buffer[(x, 0)].symbol()).collect();
        assert!(!symbols.contains('█'), "{symbols}");
        // A wide glyph's second cell holds a blank.
        assert!(symbols.contains("导 出  50%"), "{symbols}");
        // The left half is filled: its background is the gauge colour.
        assert_eq!(buffer[(1, 0)].bg, Color::Green);
        assert_eq!(buffer[(28, 0)].bg, Color::DarkGray);
    }

    #[test]
    fn ratios_stay_between_zero_and_one() {
        assert_eq!(ratio(5, 10), 0.5);
        assert_eq!(ratio(20, 10), 1.0);
        assert_eq!(ratio(0, 0), 1.0);
    }
}
