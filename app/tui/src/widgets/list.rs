//! Scrolling lists: which rows are visible, and which row a click hit.
//! Both the view and the mouse handling use these, so they always agree.

use ratatui::layout::Rect;

/// The first visible row when `selected` must be visible in `height` rows.
pub fn offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        return selected;
    }
    (selected + 1).saturating_sub(height)
}

/// The row index under a click at screen row `y` in a list drawn in `area`
/// (rows starting at `area.y + header`), if it hits a row.
pub fn hit(area: Rect, header: u16, x: u16, y: u16, selected: usize, len: usize) -> Option<usize> {
    let top = area.y + header;
    if x < area.x || x >= area.x + area.width || y < top || y >= area.y + area.height {
        return None;
    }
    let height = usize::from(area.height.saturating_sub(header));
    let index = offset(selected, height) + usize::from(y - top);
    (index < len).then_some(index)
}

/// Moves a selection by `delta` within `len` rows.
pub fn step(selected: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    selected.saturating_add_signed(delta).min(len - 1)
}
