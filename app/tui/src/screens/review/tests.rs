//! The review screen driven through the keymap with hand-built pages, its
//! snapshots in both languages at 80×24 and 120×40, and the runtime against
//! a real ledger: decisions recorded with keys, signed by this laptop.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::fixtures::{detail, page, range_row};
use super::*;
use crate::action::Action;
use crate::catalog::Catalog;
use crate::keymap::Keymap;
use crate::state::State;
use anfang_core::Lang;
use anfang_core::review::ReviewStatus;
use anfang_core::visit::Unit;
use anfang_ledger::review_query::ChoiceItem;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

pub(crate) fn tz() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::fixed(jiff::tz::offset(8))
}

pub(crate) fn state(lang: Lang, size: (u16, u16)) -> State {
    let mut state = State::new(
        lang,
        "王主任",
        tz(),
        "2026-11-24T01:30:00Z".parse().unwrap(),
        Keymap::default_keymap(),
        Catalog::new(Vec::new(), Vec::new()),
    );
    state.size = size;
    state
}

pub(crate) fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub(crate) fn code(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub(crate) fn typed(text: &str) -> Vec<Event> {
    text.chars().map(key).collect()
}

/// Terminal events through the keymap into `update`; the effects asked for.
pub(crate) fn feed(state: &mut State, events: impl IntoIterator<Item = Event>) -> Vec<Effect> {
    let mut effects = Vec::new();
    for event in events {
        if let Some(action) = crate::input::translate(state, event) {
            effects.extend(crate::update::update(state, action));
        }
    }
    effects
}

pub(crate) fn answer(state: &mut State, reply: ReviewReply) -> Vec<Effect> {
    crate::update::update(state, Action::Review(reply))
}

pub(crate) fn review(state: &State) -> &ReviewState {
    match state.screen() {
        Screen::Review(r) => r,
        other => panic!("not on the review screen: {other:?}"),
    }
}

fn pages(effects: &[Effect]) -> Vec<(u64, Place, Anchor, ReviewFilter)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Review(ReviewEffect::Page {
                token,
                place,
                anchor,
                filter,
                ..
            }) => Some((*token, *place, anchor.clone(), filter.clone())),
            _ => None,
        })
        .collect()
}

/// Home, then `r`: the review screen with its first 40 of 1,000 rows.
pub(crate) fn opened(lang: Lang, size: (u16, u16)) -> State {
    let mut state = state(lang, size);
    let effects = feed(&mut state, [key('r')]);
    let asked = pages(&effects);
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].1, Place::First);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Review(ReviewEffect::Count { .. })))
    );
    let token = asked[0].0;
    answer(
        &mut state,
        ReviewReply::Page {
            token,
            place: Place::First,
            page: page(0, 40, true),
        },
    );
    answer(
        &mut state,
        ReviewReply::Counted {
            token: 1,
            count: (1000, false),
        },
    );
    state
}

#[test]
fn scrolling_asks_for_the_next_page_before_the_cursor_gets_there() {
    let mut state = opened(Lang::Zh, (80, 24));
    assert_eq!(review(&state).window.rows.len(), 40);
    // 80×24 shows 20 rows; one page down brings the cursor within a screen of the end.
    let effects = feed(&mut state, [code(KeyCode::PageDown)]);
    let asked = pages(&effects);
    assert_eq!(asked.len(), 1, "{effects:?}");
    assert_eq!(asked[0].1, Place::After);
    answer(
        &mut state,
        ReviewReply::Page {
            token: asked[0].0,
            place: Place::After,
            page: page(40, 40, true),
        },
    );
    let r = review(&state);
    assert_eq!(r.window.rows.len(), 80);
    assert_eq!(r.window.position(), Some(20));
    // Down within what is held asks for nothing.
    assert!(pages(&feed(&mut state, [code(KeyCode::Down)])).is_empty());
    // End: the last page, cursor on the last row.
    let asked = pages(&feed(&mut state, [code(KeyCode::End)]));
    assert_eq!(asked[0].2, Anchor::Last);
    answer(
        &mut state,
        ReviewReply::Page {
            token: asked[0].0,
            place: Place::Last,
            page: page(960, 40, true),
        },
    );
    assert_eq!(review(&state).window.position(), Some(999));
}

#[test]
fn an_answer_to_an_older_request_is_dropped() {
    let mut state = opened(Lang::En, (80, 24));
    let old = pages(&feed(&mut state, [code(KeyCode::PageDown)]))[0].0;
    // The sort changes before the page arrives.
    let fresh = pages(&feed(&mut state, [key('s')]));
    assert_eq!(fresh[0].1, Place::First);
    answer(
        &mut state,
        ReviewReply::Page {
            token: old,
            place: Place::After,
            page: page(40, 40, true),
        },
    );
    assert_eq!(review(&state).window.rows.len(), 40);
    assert_eq!(review(&state).sort.key, SortKey::Unit);
}

#[test]
fn search_and_filters_restart_the_window_with_the_new_query() {
    let mut state = opened(Lang::Zh, (80, 24));
    let mut events = vec![key('/')];
    events.extend(typed("短视频 工号"));
    events.push(code(KeyCode::Enter));
    let asked = pages(&feed(&mut state, events));
    assert_eq!(asked[0].3.search.as_deref(), Some("短视频 工号"));
    // The filter form needs the choices first.
    let effects = feed(&mut state, [key('f')]);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Review(ReviewEffect::Choices)]
    ));
    answer(
        &mut state,
        ReviewReply::Choices(ReviewChoices {
            units: vec![Unit {
                name: "市财政局".into(),
                department: "财政".into(),
            }],
            departments: vec!["财政".into()],
            inspectors: vec!["张伟".into()],
            items: vec![ChoiceItem {
                plugin_id: "core".into(),
                checklist_id: "attendance".into(),
                item_id: "late-arrival".into(),
                item: anfang_core::Label::new("迟到", "Late arrival"),
                checklist: anfang_core::Label::new("考勤", "Attendance"),
            }],
        }),
    );
    assert!(matches!(review(&state).mode, Mode::Filter(_)));
    // From, To, Unit (typed in part), then Status: pending.
    let mut events = typed("2026-11-01");
    events.push(code(KeyCode::Tab));
    events.push(code(KeyCode::Tab));
    events.extend(typed("财政"));
    for _ in 0..4 {
        events.push(code(KeyCode::Tab));
    }
    events.push(code(KeyCode::Right));
    events.push(code(KeyCode::Enter));
    let asked = pages(&feed(&mut state, events));
    let filter = &asked[0].3;
    assert_eq!(filter.unit.as_deref(), Some("市财政局"));
    assert_eq!(filter.status, Some(ReviewStatus::Pending));
    assert_eq!(
        filter.search.as_deref(),
        Some("短视频 工号"),
        "the search stays"
    );
    let (start, end) = filter.observed.unwrap();
    assert_eq!(start.to_string(), "2026-10-31T16:00:00Z");
    assert_eq!(end.to_string(), "2026-12-31T16:00:00Z");
    // `!` adds overdue-only, measured against today; F clears everything.
    let asked = pages(&feed(&mut state, [key('!')]));
    assert_eq!(asked[0].3.overdue_on, Some("2026-11-24".parse().unwrap()));
    let asked = pages(&feed(&mut state, [key('F')]));
    assert_eq!(asked[0].3, ReviewFilter::default());
}

#[test]
fn a_bad_date_in_the_filter_form_is_named_and_nothing_is_read() {
    let mut state = opened(Lang::En, (80, 24));
    feed(&mut state, [key('f')]);
    answer(&mut state, ReviewReply::Choices(ReviewChoices::default()));
    let mut events = typed("2026-13-01");
    events.push(code(KeyCode::Enter));
    assert!(pages(&feed(&mut state, events)).is_empty());
    let Mode::Filter(form) = &review(&state).mode else {
        panic!("form closed")
    };
    assert!(form.error.as_deref().unwrap().contains("2026-13-01"));
}

#[test]
fn the_detail_follows_the_cursor() {
    let mut state = opened(Lang::Zh, (120, 40));
    let effects = feed(&mut state, [code(KeyCode::Enter)]);
    assert!(effects.contains(&Effect::Review(ReviewEffect::Detail(
        page(0, 1, false).rows[0].finding_id
    ))));
    answer(&mut state, ReviewReply::Detail(Box::new(detail(0))));
    assert!(review(&state).detail.is_some());
    let effects = feed(&mut state, [code(KeyCode::Down)]);
    assert!(effects.contains(&Effect::Review(ReviewEffect::Detail(
        page(1, 1, false).rows[0].finding_id
    ))));
    assert!(
        review(&state).detail.is_none(),
        "the old row's detail is not shown for the new row"
    );
    // An answer about another row than the selected one is not shown.
    answer(&mut state, ReviewReply::Detail(Box::new(detail(0))));
    assert!(review(&state).detail.is_none());
}

fn with_range_row_selected(state: &mut State) {
    if let Some(Screen::Review(r)) = state.stack.last_mut() {
        r.window.rows[0] = range_row();
    }
}

#[test]
fn confirming_a_range_item_asks_for_points_within_bounds() {
    let mut state = opened(Lang::En, (80, 24));
    with_range_row_selected(&mut state);
    feed(&mut state, [key('c')]);
    let Mode::Decide(form) = &review(&state).mode else {
        panic!("no form")
    };
    assert_eq!(form.kind, Kind::Confirm);
    // Replace the suggested 10 with 25: refused, naming the bounds.
    let mut events = vec![code(KeyCode::Backspace), code(KeyCode::Backspace)];
    events.extend(typed("25"));
    events.push(code(KeyCode::Enter));
    assert!(feed(&mut state, events).is_empty());
    let Mode::Decide(form) = &review(&state).mode else {
        panic!("form closed")
    };
    assert!(
        form.error.as_deref().unwrap().contains("10-20"),
        "{:?}",
        form.error
    );
    let mut events = vec![code(KeyCode::Backspace), code(KeyCode::Backspace)];
    events.extend(typed("15"));
    events.push(code(KeyCode::Enter));
    let effects = feed(&mut state, events);
    assert_eq!(
        effects,
        [Effect::Review(ReviewEffect::Decide {
            finding_id: range_row().finding_id,
            reviewer: "王主任".into(),
            decision: Decision::Confirm {
                points: Some(anfang_core::Points::whole(15))
            },
            reason: None,
        })]
    );
}

#[test]
fn a_recorded_decision_reloads_the_window_in_place() {
    let mut state = opened(Lang::Zh, (80, 24));
    feed(&mut state, [code(KeyCode::Down), code(KeyCode::Down)]);
    let mut events = vec![key('x')];
    events.extend(typed("当日请假，有假条"));
    events.push(code(KeyCode::Enter));
    let effects = feed(&mut state, events);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Review(ReviewEffect::Decide {
            decision: Decision::Dismiss { .. },
            ..
        })]
    ));
    let effects = answer(
        &mut state,
        ReviewReply::Decided {
            finding_id: page(2, 1, false).rows[0].finding_id,
        },
    );
    let asked = pages(&effects);
    assert_eq!(asked[0].1, Place::Reload);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Review(ReviewEffect::Count { .. })))
    );
    assert!(matches!(state.status, Some(Status::Info(_))));
    answer(
        &mut state,
        ReviewReply::Page {
            token: asked[0].0,
            place: Place::Reload,
            page: page(0, 40, true),
        },
    );
    assert_eq!(review(&state).window.selected, 2);
}

#[test]
fn esc_closes_a_form_then_the_screen() {
    let mut state = opened(Lang::En, (80, 24));
    feed(&mut state, [key('r')]);
    assert!(matches!(review(&state).mode, Mode::Decide(_)));
    feed(&mut state, [code(KeyCode::Esc)]);
    assert!(matches!(review(&state).mode, Mode::Table));
    feed(&mut state, [code(KeyCode::Esc)]);
    assert!(matches!(state.screen(), Screen::Home(_)));
}

// ---- snapshots

pub(crate) fn row_text(buffer: &ratatui::buffer::Buffer, y: u16) -> String {
    let mut out = String::new();
    let mut x = 0;
    while x < buffer.area.width {
        let symbol = buffer[(x, y)].symbol();
        out.push_str(symbol);
        x += u16::try_from(symbol.width().max(1)).unwrap();
    }
    out
}

/// Snapshots `build` in both languages at 80×24 and 120×40, checking that
/// no row is wider than the terminal.
pub(crate) fn check(name: &str, build: impl Fn(Lang, (u16, u16)) -> State) {
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in [(80, 24), (120, 40)] {
            let state = build(lang, (w, h));
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal
                .draw(|frame| crate::view::view(&state, frame))
                .unwrap();
            let buffer = terminal.backend().buffer();
            for y in 0..h {
                let row = row_text(buffer, y);
                assert!(
                    row.width() <= usize::from(w),
                    "{name} {lang:?} {w}x{h} row {y}: {row}"
                );
            }
            insta::assert_snapshot!(format!("{name}_{}_{w}x{h}", lang.tag()), terminal.backend());
        }
    }
}

#[test]
fn snapshot_table() {
    check("review_table", |lang, size| {
        let mut state = opened(lang, size);
        feed(
            &mut state,
            [
                code(KeyCode::Down),
                code(KeyCode::Down),
                code(KeyCode::Down),
            ],
        );
        state
    });
}

#[test]
fn snapshot_detail() {
    check("review_detail", |lang, size| {
        let mut state = opened(lang, size);
        feed(&mut state, [code(KeyCode::Enter)]);
        answer(&mut state, ReviewReply::Detail(Box::new(detail(0))));
        state
    });
}

#[test]
fn snapshot_detail_of_a_mapped_unit_shows_the_name_as_typed() {
    check("review_detail_mapped", |lang, size| {
        let mut state = opened(lang, size);
        feed(&mut state, [code(KeyCode::Enter)]);
        let mut mapped = detail(0);
        mapped.row.unit_typed = Some("市税务局第一分局办税厅".into());
        answer(&mut state, ReviewReply::Detail(Box::new(mapped)));
        state
    });
}

#[test]
fn snapshot_search_field() {
    check("review_search", |lang, size| {
        let mut state = opened(lang, size);
        let mut events = vec![key('/')];
        events.extend(typed("短视频"));
        feed(&mut state, events);
        state
    });
}

#[test]
fn snapshot_filter_form() {
    check("review_filter", |lang, size| {
        let mut state = opened(lang, size);
        feed(&mut state, [key('f')]);
        answer(
            &mut state,
            ReviewReply::Choices(ReviewChoices {
                departments: vec!["税务".into(), "规划".into()],
                inspectors: vec!["张伟".into()],
                ..ReviewChoices::default()
            }),
        );
        feed(
            &mut state,
            [
                code(KeyCode::Tab),
                code(KeyCode::Tab),
                code(KeyCode::Tab),
                code(KeyCode::Right),
            ],
        );
        state
    });
}

#[test]
fn snapshot_decision_forms() {
    check("review_confirm_range", |lang, size| {
        let mut state = opened(lang, size);
        with_range_row_selected(&mut state);
        let mut events = vec![key('c'), code(KeyCode::Backspace), code(KeyCode::Backspace)];
        events.extend(typed("25"));
        events.push(code(KeyCode::Enter));
        feed(&mut state, events);
        state
    });
    check("review_rectify", |lang, size| {
        let mut state = opened(lang, size);
        feed(&mut state, [key('r')]);
        state
    });
}

#[test]
fn snapshot_empty() {
    check("review_empty", |lang, size| {
        let mut state = state(lang, size);
        let effects = feed(&mut state, [key('r')]);
        let token = pages(&effects)[0].0;
        answer(
            &mut state,
            ReviewReply::Page {
                token,
                place: Place::First,
                page: ReviewPage::default(),
            },
        );
        answer(
            &mut state,
            ReviewReply::Counted {
                token: 1,
                count: (0, false),
            },
        );
        state
    });
}

// ---- the runtime against a real ledger

pub(crate) mod runtime {
    use super::*;
    use crate::runtime::App;
    use crate::screens::overlay::Overlay;
    use anfang_core::event::{EventBody, VisitOpened};
    use anfang_core::finding::{FindingRecord, FindingResult};
    use anfang_core::rule::RuleInput;
    use anfang_ledger::Ledger;
    use anfang_plugin_host::Registry;

    /// A ledger with one visit of `n` late arrivals, recorded by an inspector's laptop.
    pub(crate) fn ledger_with_findings(dir: &std::path::Path, n: u64) -> Ledger {
        let mut ledger = Ledger::open(dir).unwrap();
        let inspector = anfang_ledger::DeviceKey::from_seed([7; 32]);
        let manifest = anfang_core::core_checklists::core_manifest();
        let visit_id = uuid::Uuid::from_u64_pair(1, 1);
        let start: jiff::Timestamp = "2026-11-02T01:00:00Z".parse().unwrap();
        let mut batch = vec![(
            Some(&inspector),
            EventBody::VisitOpened(VisitOpened {
                rechecks: None,
                unit_id: None,
                visit_id,
                unit: Unit {
                    name: "市税务局第一税务分局办税服务厅".into(),
                    department: "税务".into(),
                },
                kind: anfang_core::visit::VisitKind::Unannounced,
                team: vec!["张伟".into(), "李娜".into()],
                started_at: start,
                checklists: manifest.snapshots(),
            }),
            start,
        )];
        let snapshot = &manifest.snapshots()[0];
        let item = snapshot.item("late-arrival").unwrap();
        for i in 0..n {
            let at = start + jiff::SignedDuration::from_mins(i as i64);
            batch.push((
                Some(&inspector),
                EventBody::FindingRecorded(FindingRecord {
                    finding_id: uuid::Uuid::from_u64_pair(2, i),
                    visit_id,
                    item: snapshot.item_ref(item),
                    result: FindingResult::Violation,
                    input: RuleInput {
                        count: 1,
                        ..RuleInput::default()
                    },
                    subject: Some(format!("工号{:04}", i)),
                    note: format!("上午9:{:02}，窗口工作人员未到岗。", i % 60),
                    observed_at: at,
                    points: anfang_core::Points::whole(1),
                    points_by_hand: false,
                    supersedes: None,
                    source: None,
                }),
                at,
            ));
        }
        ledger.append_batch(&batch).unwrap();
        ledger
    }

    /// The review's clock: the morning after the findings were recorded.
    fn review_time() -> jiff::Timestamp {
        "2026-11-03T01:00:00Z".parse().unwrap()
    }

    pub(crate) fn app(ledger: Ledger) -> App {
        let mut app = App::with_clock(
            ledger,
            Registry::core_only(),
            Lang::Zh,
            "王主任",
            tz(),
            Keymap::default_keymap(),
            crate::runtime::clock::stepping(review_time(), jiff::SignedDuration::from_secs(1)),
        );
        app.open_files = false;
        app
    }

    /// The decisions the ledger holds on a finding, in order.
    pub(crate) fn decisions_of(
        app: &App,
        finding_id: uuid::Uuid,
    ) -> Vec<(
        anfang_core::review::ReviewRecord,
        anfang_core::review::DatedDecision,
        String,
    )> {
        app.ledger()
            .review_detail(finding_id)
            .unwrap()
            .unwrap()
            .history
            .decisions
    }

    pub(crate) fn run(app: &mut App, events: Vec<Event>) {
        for e in events {
            app.handle(e);
        }
    }

    #[test]
    fn a_guessed_name_is_asked_for_before_it_signs_a_decision_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = ledger_with_findings(dir.path(), 3);
        let mut app = app(ledger);
        app.state.ask_name = true;
        let settings = dir.path().join("config").join("settings.toml");
        app.settings_path = Some(settings.clone());
        app.dispatch(Action::Resize(80, 24));
        // The unfinished visit is another laptop's: not offered for resuming.
        assert!(app.state.overlay.is_none());
        run(&mut app, vec![key('r')]);
        let finding_id = review(&app.state).window.current().unwrap().finding_id;
        let decisions = |app: &App| decisions_of(app, finding_id);
        let asking = |app: &App| matches!(app.state.overlay, Some(Overlay::AskName { .. }));

        // Confirming asks for the name first; Esc records nothing.
        run(&mut app, vec![key('c'), code(KeyCode::Enter)]);
        assert!(asking(&app), "{:?}", app.state.status);
        run(&mut app, vec![code(KeyCode::Esc)]);
        assert!(!asking(&app));
        assert!(decisions(&app).is_empty());

        // An empty name is not a name; a typed one signs the decision.
        run(
            &mut app,
            vec![key('c'), code(KeyCode::Enter), code(KeyCode::Enter)],
        );
        assert!(asking(&app));
        let mut events = typed("李审核");
        events.push(code(KeyCode::Enter));
        run(&mut app, events);
        assert!(!asking(&app));
        let signed = decisions(&app);
        assert_eq!(signed.len(), 1);
        assert_eq!(signed[0].0.reviewer, "李审核");

        // Kept for the next start, and not asked again.
        let kept: toml::Table =
            toml::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
        assert_eq!(kept["name"].as_str(), Some("李审核"));
        assert_eq!(app.state.user_name, "李审核");
        assert!(!app.state.ask_name);
    }

    #[test]
    fn order_a_rectification_and_see_it_go_overdue() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = ledger_with_findings(dir.path(), 150);
        let device = ledger.device_id().to_string();
        let mut app = app(ledger);
        app.dispatch(Action::Resize(80, 24));
        // The unfinished visit is another laptop's: not offered for resuming.
        assert!(app.state.overlay.is_none());
        run(&mut app, vec![key('r')]);
        let r = review(&app.state);
        assert_eq!(r.window.rows.len(), 40, "a window, not every row");
        assert_eq!(r.count, Some((150, false)));
        // Newest first: the last finding recorded is on top. Page through to the end.
        assert_eq!(
            r.window.rows[0].finding_id,
            uuid::Uuid::from_u64_pair(2, 149)
        );
        run(&mut app, vec![code(KeyCode::PageDown); 8]);
        let r = review(&app.state);
        assert_eq!(r.window.position(), Some(149));
        assert_eq!(
            r.window.current().unwrap().finding_id,
            uuid::Uuid::from_u64_pair(2, 0)
        );
        // Order a rectification by a deadline four weeks after the review's
        // clock, which the clock then passes.
        let deadline = today_of(&app.state) + jiff::Span::new().days(27);
        let mut events = vec![key('r')];
        events.extend(vec![code(KeyCode::Backspace); 10]);
        events.extend(typed(&deadline.to_string()));
        events.push(code(KeyCode::Enter));
        run(&mut app, events);
        let r = review(&app.state);
        assert!(matches!(r.mode, Mode::Table), "{:?}", app.state.status);
        let row = r.window.current().unwrap();
        assert_eq!(row.status(), ReviewStatus::RectificationRequired);
        assert_eq!(row.state.deadline, Some(deadline));
        assert!(!row.overdue(deadline));
        // The decision is an event signed by this laptop's key.
        let detail = app.ledger().review_detail(row.finding_id).unwrap().unwrap();
        assert_eq!(detail.history.decisions.len(), 1);
        assert_eq!(detail.history.decisions[0].0.reviewer, "王主任");
        assert_eq!(detail.history.decisions[0].2, device);
        // Two days after the deadline, `!` shows exactly that finding as overdue.
        let two_days_late = deadline + jiff::Span::new().days(2);
        let later = two_days_late
            .to_datetime(jiff::civil::time(9, 0, 0, 0))
            .to_zoned_datetime(tz())
            .unwrap()
            .timestamp();
        app.dispatch(Action::Tick(later));
        run(&mut app, vec![key('!')]);
        let r = review(&app.state);
        assert_eq!(r.window.rows.len(), 1);
        assert!(r.window.rows[0].overdue(today_of(&app.state)));
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        app.draw(&mut terminal).unwrap();
        let screen = format!("{}", terminal.backend());
        assert!(screen.contains("待整改!"), "{screen}");
    }

    #[test]
    fn search_finds_late_arrivals_by_their_item_title_in_either_language() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = ledger_with_findings(dir.path(), 5);
        // Two findings of another item in the same visit, by the same laptop.
        let inspector = anfang_ledger::DeviceKey::from_seed([7; 32]);
        let snapshot = &anfang_core::core_checklists::core_manifest().snapshots()[0];
        let other = snapshot.item("not-on-post").unwrap();
        let at: jiff::Timestamp = "2026-11-02T02:00:00Z".parse().unwrap();
        let batch: Vec<_> = (0..2u64)
            .map(|i| {
                let body = EventBody::FindingRecorded(FindingRecord {
                    finding_id: uuid::Uuid::from_u64_pair(3, i),
                    visit_id: uuid::Uuid::from_u64_pair(1, 1),
                    item: snapshot.item_ref(other),
                    result: FindingResult::Violation,
                    input: RuleInput {
                        count: 1,
                        ..RuleInput::default()
                    },
                    subject: None,
                    note: "上班时间不在岗。".into(),
                    observed_at: at,
                    points: anfang_core::Points::whole(1),
                    points_by_hand: false,
                    supersedes: None,
                    source: None,
                });
                (Some(&inspector), body, at)
            })
            .collect();
        ledger.append_batch(&batch).unwrap();
        let mut app = app(ledger);
        app.dispatch(Action::Resize(120, 40));
        run(&mut app, vec![key('r')]);
        assert_eq!(review(&app.state).count, Some((7, false)));
        // No note says 迟到 or "late": the item's title does, in each language.
        for word in ["迟到", "late", "LATE ARRIVAL"] {
            let mut events = vec![key('/')];
            events.extend(vec![code(KeyCode::Backspace); 20]);
            events.extend(typed(word));
            events.push(code(KeyCode::Enter));
            run(&mut app, events);
            let r = review(&app.state);
            assert_eq!(r.count, Some((5, false)), "{word}");
            assert!(
                r.window
                    .rows
                    .iter()
                    .all(|row| row.item_id == "late-arrival"),
                "{word}"
            );
        }
        // A two-character word of a note still works as before.
        let mut events = vec![key('/')];
        events.extend(vec![code(KeyCode::Backspace); 20]);
        events.extend(typed("在岗"));
        events.push(code(KeyCode::Enter));
        run(&mut app, events);
        assert_eq!(review(&app.state).count, Some((2, false)));
    }

    pub(crate) fn today_of(state: &State) -> jiff::civil::Date {
        state.tz.to_datetime(state.now).date()
    }
}

#[test]
fn tab_moves_the_keys_to_the_detail_pane_and_back() {
    let mut state = opened(Lang::En, (80, 24));
    feed(&mut state, [code(KeyCode::Enter)]);
    answer(&mut state, ReviewReply::Detail(Box::new(detail(0))));
    feed(
        &mut state,
        [code(KeyCode::Tab), code(KeyCode::Down), code(KeyCode::Down)],
    );
    let r = review(&state);
    assert!(r.detail_focus);
    assert_eq!(r.detail_scroll, 2);
    assert_eq!(r.window.selected, 0, "the cursor stays");
    feed(&mut state, [code(KeyCode::Tab), code(KeyCode::Down)]);
    assert_eq!(review(&state).window.selected, 1);
}

#[test]
fn snapshot_detail_scrolled_to_the_history() {
    check("review_detail_history", |lang, size| {
        let mut state = opened(lang, size);
        feed(&mut state, [code(KeyCode::Enter)]);
        answer(&mut state, ReviewReply::Detail(Box::new(detail(0))));
        feed(&mut state, [code(KeyCode::Tab), code(KeyCode::PageDown)]);
        state
    });
}
