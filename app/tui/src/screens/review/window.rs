//! The rows held around the cursor. A ledger may hold a million findings;
//! the review screen keeps a few pages of them, contiguous in sort order,
//! and asks for the page after or before when the cursor comes near an
//! edge, dropping rows far behind it.

use anfang_ledger::review_query::{Anchor, ReviewPage, ReviewRow};

/// At most this many rows are held.
pub const MAX_ROWS: usize = 400;

/// Rows read per page for a table `height` rows tall.
pub fn page_size(height: usize) -> usize {
    (height * 2).clamp(32, 160)
}

/// What to read next.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// The rows after the window.
    After(Anchor),
    /// The rows before the window.
    Before(Anchor),
}

/// The window of rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Window {
    /// The rows, in sort order.
    pub rows: Vec<ReviewRow>,
    /// Nothing comes before the first row.
    pub at_start: bool,
    /// Nothing comes after the last row.
    pub at_end: bool,
    /// The cursor, an index into `rows`.
    pub selected: usize,
    /// The first row drawn.
    pub offset: usize,
    /// Position of the first row in the whole result (0-based), when known.
    pub start_index: Option<u64>,
    /// A page after the window has been asked for and not yet arrived.
    pub pending_after: bool,
    /// A page before the window has been asked for and not yet arrived.
    pub pending_before: bool,
}

impl Window {
    /// The selected row.
    pub fn current(&self) -> Option<&ReviewRow> {
        self.rows.get(self.selected)
    }

    /// Position of the cursor in the whole result, when known (0-based).
    pub fn position(&self) -> Option<u64> {
        self.start_index.map(|s| s + self.selected as u64)
    }

    /// The first page (or a fresh start after a filter or sort change).
    pub fn first(&mut self, page: ReviewPage) {
        *self = Window {
            at_start: true,
            at_end: !page.more,
            start_index: Some(0),
            rows: page.rows,
            ..Window::default()
        };
    }

    /// The last page, cursor on the last row. `total` places it when known.
    pub fn last(&mut self, page: ReviewPage, total: Option<u64>) {
        let len = page.rows.len();
        *self = Window {
            at_start: !page.more,
            at_end: true,
            selected: len.saturating_sub(1),
            start_index: if page.more {
                total.map(|t| t.saturating_sub(len as u64))
            } else {
                Some(0)
            },
            rows: page.rows,
            ..Window::default()
        };
    }

    /// The window read again from its first row (after a decision): the
    /// cursor stays on the same index.
    pub fn reloaded(&mut self, page: ReviewPage) {
        self.at_end = !page.more;
        self.rows = page.rows;
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.offset = self.offset.min(self.selected);
        self.pending_after = false;
        self.pending_before = false;
    }

    /// Rows after the window arrived.
    pub fn append(&mut self, page: ReviewPage) {
        self.pending_after = false;
        self.at_end = !page.more;
        self.rows.extend(page.rows);
        if self.rows.len() > MAX_ROWS {
            let drop = (self.rows.len() - MAX_ROWS).min(self.selected.min(self.offset));
            self.rows.drain(..drop);
            self.selected -= drop;
            self.offset -= drop;
            self.start_index = self.start_index.map(|s| s + drop as u64);
            if drop > 0 {
                self.at_start = false;
            }
        }
    }

    /// Rows before the window arrived.
    pub fn prepend(&mut self, page: ReviewPage) {
        self.pending_before = false;
        self.at_start = !page.more;
        let added = page.rows.len();
        let mut rows = page.rows;
        rows.append(&mut self.rows);
        self.rows = rows;
        self.selected += added;
        self.offset += added;
        self.start_index = match (self.start_index, self.at_start) {
            (_, true) => Some(0),
            (Some(s), false) => Some(s.saturating_sub(added as u64)),
            (None, false) => None,
        };
        if self.rows.len() > MAX_ROWS {
            let keep = MAX_ROWS.max(self.selected + 1);
            if keep < self.rows.len() {
                self.rows.truncate(keep);
                self.at_end = false;
            }
        }
    }

    /// Moves the cursor by `delta` rows within what is held, keeping it
    /// visible in a table `height` rows tall.
    pub fn step(&mut self, delta: isize, height: usize) {
        if self.rows.is_empty() {
            return;
        }
        self.selected = self
            .selected
            .saturating_add_signed(delta)
            .min(self.rows.len() - 1);
        self.scroll_into_view(height);
    }

    /// Keeps the cursor inside the visible rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }

    /// The pages to read so that at least a screen of rows stays held on
    /// each side of the cursor: a page down never waits for the ledger.
    pub fn needs(&mut self, height: usize) -> Vec<Need> {
        let margin = height.max(1);
        let mut out = Vec::new();
        if !self.at_end
            && !self.pending_after
            && self.rows.len().saturating_sub(self.selected) <= margin
            && let Some(last) = self.rows.last()
        {
            self.pending_after = true;
            out.push(Need::After(Anchor::After(last.key.clone())));
        }
        if !self.at_start
            && !self.pending_before
            && self.selected < margin
            && let Some(first) = self.rows.first()
        {
            self.pending_before = true;
            out.push(Need::Before(Anchor::Before(first.key.clone())));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::screens::review::fixtures::row;

    fn page(from: usize, n: usize, more: bool) -> ReviewPage {
        ReviewPage {
            rows: (from..from + n).map(row).collect(),
            more,
        }
    }

    #[test]
    fn asks_for_the_next_page_near_the_end_and_only_once() {
        let mut w = Window::default();
        w.first(page(0, 40, true));
        assert!(w.needs(10).is_empty());
        w.step(30, 10);
        assert_eq!(w.needs(10).len(), 1);
        assert!(w.needs(10).is_empty(), "already asked");
        w.append(page(40, 40, false));
        assert!(w.at_end);
        assert_eq!(w.rows.len(), 80);
        w.step(1000, 10);
        assert_eq!(w.selected, 79);
        assert_eq!(w.offset, 70);
        assert_eq!(w.position(), Some(79));
    }

    #[test]
    fn drops_rows_far_behind_and_reads_them_again_when_going_back() {
        let mut w = Window::default();
        w.first(page(0, 160, true));
        let mut next = 160;
        for _ in 0..4 {
            w.step(1000, 20);
            w.append(page(next, 160, true));
            next += 160;
        }
        assert!(w.rows.len() <= MAX_ROWS + 160);
        assert!(!w.at_start);
        let first_held = w.start_index.unwrap() as usize;
        assert_eq!(w.rows[0].finding_id, row(first_held).finding_id);
        assert_eq!(
            w.current().unwrap().finding_id,
            row(w.position().unwrap() as usize).finding_id
        );
        // Back to the top of what is held: the page before is asked for.
        w.step(-(w.selected as isize), 20);
        let needs = w.needs(20);
        assert!(matches!(needs.as_slice(), [Need::Before(_)]));
        let before = first_held.saturating_sub(160);
        w.prepend(page(before, first_held - before, before > 0));
        assert_eq!(w.current().unwrap().finding_id, row(first_held).finding_id);
        assert_eq!(w.position(), Some(first_held as u64));
    }

    #[test]
    fn the_last_page_puts_the_cursor_on_the_last_row() {
        let mut w = Window::default();
        w.last(page(960, 40, true), Some(1000));
        assert_eq!(w.selected, 39);
        assert_eq!(w.position(), Some(999));
        assert!(w.at_end && !w.at_start);
    }
}
