//! The review table's columns: every sortable column in the full list; in
//! the overdue view the deadline and the days overdue lead, in place of the
//! time and the count.

use anfang_ledger::review_query::SortKey;

/// One column of the review table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A column the table can be sorted by.
    Sorted(SortKey),
    /// Days since the deadline passed.
    DaysOverdue,
}

/// The overdue view's columns.
const OVERDUE: [Column; 8] = [
    Column::Sorted(SortKey::Deadline),
    Column::DaysOverdue,
    Column::Sorted(SortKey::Unit),
    Column::Sorted(SortKey::Department),
    Column::Sorted(SortKey::Item),
    Column::Sorted(SortKey::Points),
    Column::Sorted(SortKey::Inspector),
    Column::Sorted(SortKey::Status),
];

/// The columns shown, in order.
pub fn columns(overdue_view: bool) -> Vec<Column> {
    if overdue_view {
        OVERDUE.to_vec()
    } else {
        SortKey::ALL.into_iter().map(Column::Sorted).collect()
    }
}

/// Each column's width for a table `width` cells wide; the unit and the
/// item share what the others leave.
pub fn widths(columns: &[Column], width: usize, wide: bool) -> Vec<usize> {
    let fixed = |c: &Column| match c {
        Column::Sorted(SortKey::Time) => Some(if wide { 16 } else { 11 }),
        Column::Sorted(SortKey::Department | SortKey::Inspector) => Some(if wide { 8 } else { 6 }),
        Column::Sorted(SortKey::Count) => Some(3),
        Column::Sorted(SortKey::Points) | Column::DaysOverdue => Some(5),
        Column::Sorted(SortKey::Status | SortKey::Deadline) => Some(10),
        Column::Sorted(SortKey::Unit | SortKey::Item) => None,
    };
    let taken: usize = columns.iter().filter_map(fixed).sum::<usize>() + columns.len() - 1;
    let flexible = width.saturating_sub(taken).max(8);
    let unit = flexible / 2;
    columns
        .iter()
        .map(|c| match (fixed(c), c) {
            (Some(w), _) => w,
            (None, Column::Sorted(SortKey::Unit)) => unit,
            (None, _) => flexible - unit,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_fill_the_width() {
        for overdue in [false, true] {
            let cols = columns(overdue);
            for (width, wide) in [(80, false), (120, true), (72, false)] {
                let w = widths(&cols, width, wide);
                assert_eq!(w.iter().sum::<usize>() + cols.len() - 1, width);
            }
        }
    }
}
