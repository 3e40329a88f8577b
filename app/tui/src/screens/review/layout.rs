//! Where the parts of the review screen go. The view draws into these
//! areas and `update` pages by the table's height, so both always agree.

use super::{Mode, ReviewState};
use crate::widgets::chrome;
use ratatui::layout::Rect;

/// Terminals at least this wide show the detail pane beside the table.
pub const SIDE_BY_SIDE: u16 = 120;

/// The parts of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// The filter summary or search field.
    pub summary: Rect,
    /// The table, header row included.
    pub table: Rect,
    /// The detail pane, when open.
    pub detail: Option<Rect>,
    /// The filter or decision form, when open.
    pub form: Option<Rect>,
}

impl Areas {
    /// Rows of findings the table shows.
    pub fn table_rows(&self) -> usize {
        usize::from(self.table.height.saturating_sub(1)).max(1)
    }
}

/// Lines the filter form takes.
const FILTER_FORM: u16 = 12;
/// Lines a decision form takes.
const DECISION_FORM: u16 = 6;

/// The areas for a terminal of `size`.
pub fn areas(size: (u16, u16), review: &ReviewState) -> Areas {
    let (_, body, _) = chrome::split(Rect::new(0, 0, size.0, size.1));
    let summary = Rect {
        height: 1.min(body.height),
        ..body
    };
    let mut rest = Rect {
        y: body.y + summary.height,
        height: body.height.saturating_sub(summary.height),
        ..body
    };
    let form_height = match review.mode {
        Mode::Filter(_) => FILTER_FORM,
        Mode::Decide(_) => DECISION_FORM,
        // The question before going back is a pop-up over the table.
        Mode::Table | Mode::Search(_) | Mode::GoBack(_) | Mode::Batch(_) => 0,
    }
    .min(rest.height.saturating_sub(4));
    let form = (form_height > 0).then(|| {
        let form = Rect {
            y: rest.y + rest.height - form_height,
            height: form_height,
            ..rest
        };
        rest.height -= form_height;
        form
    });
    let (table, detail) = if !review.show_detail {
        (rest, None)
    } else if rest.width >= SIDE_BY_SIDE {
        let table_w = rest.width * 3 / 5;
        (
            Rect {
                width: table_w,
                ..rest
            },
            Some(Rect {
                x: rest.x + table_w,
                width: rest.width - table_w,
                ..rest
            }),
        )
    } else {
        let table_h = (rest.height / 2).max(4).min(rest.height);
        (
            Rect {
                height: table_h,
                ..rest
            },
            Some(Rect {
                y: rest.y + table_h,
                height: rest.height - table_h,
                ..rest
            }),
        )
    };
    Areas {
        summary,
        table,
        detail,
        form,
    }
}
