//! Deadlines that warn: the overdue view (`!`) with its deadline and
//! days-overdue columns sorted most overdue first, the yellow and red rows,
//! and Home's banner opening that view. Today is the test state's clock,
//! 2026-11-24 in UTC+8.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::fixtures::row;
use super::tests::{answer, check, feed, key, opened, review, row_text, state};
use super::*;
use crate::state::State;
use anfang_core::Lang;
use anfang_core::review::ReviewStatus;
use anfang_core::review_state::ReviewState as Decided;
use anfang_ledger::review_query::ReviewRow;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

/// The sort and filter of every page asked for.
fn asked(effects: &[Effect]) -> Vec<(Sort, ReviewFilter)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Review(ReviewEffect::Page { sort, filter, .. }) => {
                Some((*sort, filter.clone()))
            }
            _ => None,
        })
        .collect()
}

/// A rectification ordered by `deadline`.
fn ordered(n: usize, deadline: &str) -> ReviewRow {
    let mut r = row(n);
    r.state = Decided {
        status: ReviewStatus::RectificationRequired,
        points_per_count: None,
        deadline: Some(deadline.parse().unwrap()),
    };
    r
}

/// The overdue view with three rectifications 14, 3 and 1 days overdue.
fn overdue_view(lang: Lang, size: (u16, u16)) -> State {
    let mut state = opened(lang, size);
    feed(&mut state, [key('!')]);
    let token = review(&state).page_token;
    answer(
        &mut state,
        ReviewReply::Page {
            token,
            place: Place::First,
            page: anfang_ledger::review_query::ReviewPage {
                rows: vec![
                    ordered(0, "2026-11-10"),
                    ordered(1, "2026-11-21"),
                    ordered(2, "2026-11-23"),
                ],
                more: false,
            },
        },
    );
    let token = review(&state).count_token;
    answer(
        &mut state,
        ReviewReply::Counted {
            token,
            count: (3, false),
        },
    );
    state
}

#[test]
fn bang_shows_the_overdue_sorted_by_deadline_and_again_shows_everything() {
    let mut state = opened(Lang::Zh, (80, 24));
    let pages = asked(&feed(&mut state, [key('!')]));
    assert_eq!(pages.len(), 1);
    let (sort, filter) = &pages[0];
    assert_eq!(
        *sort,
        Sort {
            key: SortKey::Deadline,
            descending: false
        },
        "the oldest deadline, the most overdue, first"
    );
    assert_eq!(filter.overdue_on, Some("2026-11-24".parse().unwrap()));
    // `S` still reverses it; `!` again goes back to everything, newest first.
    let pages = asked(&feed(&mut state, [key('S')]));
    assert!(pages[0].0.descending);
    let pages = asked(&feed(&mut state, [key('!')]));
    assert_eq!(pages[0].0, Sort::default());
    assert_eq!(pages[0].1.overdue_on, None);
}

#[test]
fn the_overdue_view_shows_deadline_and_days_overdue() {
    let state = overdue_view(Lang::Zh, (80, 24));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| crate::view::view(&state, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let header = row_text(buffer, 2);
    assert!(header.starts_with("整改期限 ^ 逾期"), "{header}");
    assert!(row_text(buffer, 3).starts_with("2026-11-10  14天"));
    assert!(row_text(buffer, 4).starts_with("2026-11-21   3天"));
    let footer = row_text(buffer, 23);
    assert!(footer.contains("! 逾期"), "{footer}");
}

#[test]
fn a_near_deadline_is_yellow_and_a_passed_one_red() {
    let mut state = opened(Lang::En, (80, 24));
    let token = review(&state).page_token;
    // Today is 2026-11-24; three days' warning by default.
    let rows = vec![
        ordered(0, "2026-12-10"),
        ordered(1, "2026-11-27"),
        ordered(2, "2026-11-24"),
        ordered(3, "2026-11-23"),
    ];
    answer(
        &mut state,
        ReviewReply::Page {
            token,
            place: Place::Reload,
            page: anfang_ledger::review_query::ReviewPage { rows, more: false },
        },
    );
    // The cursor row is drawn reversed: move it off the rows checked.
    review_mut(&mut state).window.selected = 3;
    let colour = |state: &State, y: u16| {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|frame| crate::view::view(state, frame))
            .unwrap();
        terminal.backend().buffer()[(1, y)].fg
    };
    assert_eq!(colour(&state, 3), Color::Reset, "16 days away");
    assert_eq!(colour(&state, 4), Color::Yellow, "3 days away");
    assert_eq!(colour(&state, 5), Color::Yellow, "due today");
    review_mut(&mut state).window.selected = 0;
    assert_eq!(colour(&state, 6), Color::Red, "a day overdue");
    // An office that warns a day ahead: three days away is not yet yellow.
    state.deadline_warning_days = 1;
    assert_eq!(colour(&state, 4), Color::Reset);
    assert_eq!(colour(&state, 5), Color::Yellow);
}

fn review_mut(state: &mut State) -> &mut ReviewState {
    match state.stack.last_mut() {
        Some(Screen::Review(r)) => r,
        _ => panic!("not on the review screen"),
    }
}

#[test]
fn the_home_banner_key_opens_the_overdue_view() {
    let mut state = state(Lang::Zh, (80, 24));
    let pages = asked(&feed(&mut state, [key('!')]));
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].0.key, SortKey::Deadline);
    assert_eq!(pages[0].1.overdue_on, Some("2026-11-24".parse().unwrap()));
    assert!(review(&state).filters.overdue);
}

#[test]
fn snapshot_overdue_view() {
    check("review_overdue", overdue_view);
}

// ---- the runtime against a real ledger, on the injected clock

mod runtime {
    use super::super::tests::runtime::{app, ledger_with_findings, run, today_of};
    use super::super::tests::{code, key, review, row_text, typed};
    use crate::action::Action;
    use crate::state::Screen;
    use crossterm::event::KeyCode;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;

    fn screen(app: &mut crate::runtime::App) -> ratatui::buffer::Buffer {
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        app.draw(&mut terminal).unwrap();
        terminal.backend().buffer().clone()
    }

    #[test]
    fn a_deadline_turns_yellow_then_red_and_the_home_banner_opens_the_overdue_view() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(ledger_with_findings(dir.path(), 3));
        app.dispatch(Action::Resize(120, 40));
        run(&mut app, vec![key('r')]);
        // A rectification due in two days: within the three days' warning.
        let deadline = today_of(&app.state) + jiff::Span::new().days(2);
        let mut events = vec![key('r')];
        events.extend(vec![code(KeyCode::Backspace); 10]);
        events.extend(typed(&deadline.to_string()));
        events.extend([code(KeyCode::Enter), code(KeyCode::Down)]);
        run(&mut app, events);
        let ordered = review(&app.state).window.rows[0].finding_id;
        assert_eq!(
            review(&app.state).window.rows[0].state.deadline,
            Some(deadline)
        );
        let buffer = screen(&mut app);
        assert_eq!(buffer[(1, 3)].fg, Color::Yellow, "{}", row_text(&buffer, 3));
        // Home counts it as due soon, not overdue.
        run(&mut app, vec![key('q')]);
        assert!(matches!(app.state.screen(), Screen::Home(_)));
        assert_eq!(app.state.home().due_soon, (1, false));
        assert_eq!(app.state.home().overdue, (0, false));
        let buffer = screen(&mut app);
        assert!(row_text(&buffer, 1).contains("1 项整改 3 天内到期"));

        // Three days after the deadline: red on Home, and `!` opens the
        // overdue view with the deadline and the days overdue.
        let later = (deadline + jiff::Span::new().days(3))
            .to_datetime(jiff::civil::time(9, 0, 0, 0))
            .to_zoned_datetime(app.state.tz.clone())
            .unwrap()
            .timestamp();
        app.dispatch(Action::Tick(later));
        run(&mut app, vec![key('r'), key('q')]);
        assert_eq!(app.state.home().overdue, (1, false));
        assert_eq!(app.state.home().due_soon, (0, false));
        let buffer = screen(&mut app);
        assert!(row_text(&buffer, 1).contains("！1 项整改逾期（!）"));
        run(&mut app, vec![key('!')]);
        let r = review(&app.state);
        assert!(r.filters.overdue);
        assert_eq!(r.count, Some((1, false)));
        assert_eq!(r.window.rows[0].finding_id, ordered);
        let buffer = screen(&mut app);
        let first = row_text(&buffer, 3);
        assert!(first.starts_with(&format!("{deadline}   3天")), "{first}");
        assert!(first.contains("待整改!"), "{first}");
        let style = super::super::view::deadline_style(
            &review(&app.state).window.rows[0],
            today_of(&app.state),
            app.state.deadline_warning_days,
        );
        assert_eq!(style.fg, Some(Color::Red));
    }
}
