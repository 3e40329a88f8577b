//! The scores screen: keys, snapshots in both languages, and the runtime on
//! a real ledger down to the drill-down into the review screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::action::Action;
use crate::effect::Effect;
use crate::screens::review::fixtures::label;
use crate::screens::review::tests::{check, code, feed, key, state};
use anfang_core::Lang;
use anfang_core::Points;
use anfang_core::score::Appraisal;
use anfang_core::tally::{AppraisalLine, BreakdownLine, ItemKey, ItemLine};
use anfang_core::visit::Unit;
use crossterm::event::KeyCode;

fn day(text: &str) -> jiff::civil::Date {
    text.parse().unwrap()
}

fn line(
    checklist: (&str, &str, &str),
    item: (&str, &str, &str),
    count: u32,
    points: i64,
) -> ItemLine {
    ItemLine {
        key: ItemKey {
            plugin_id: "core".into(),
            checklist_id: checklist.0.into(),
            item_id: item.0.into(),
        },
        item: label(item.1, item.2),
        checklist: label(checklist.1, checklist.2),
        findings: count,
        count,
        points: Points::whole(points),
    }
}

const ATTENDANCE: (&str, &str, &str) = ("attendance", "考勤纪律", "Attendance");
const CONDUCT: (&str, &str, &str) = ("conduct", "工作纪律", "On-duty conduct");
const WINDOW: (&str, &str, &str) = ("window", "窗口服务", "Window service");

fn unit(name: &str, department: &str) -> Unit {
    Unit {
        name: name.into(),
        department: department.into(),
    }
}

fn ranking(period: Period, shift: i64) -> Ranking {
    let tax = UnitScore::new(
        unit("市税务局第一税务分局办税服务厅", "税务"),
        vec![
            line(
                WINDOW,
                (
                    "eat-take-obstruct",
                    "吃拿卡要",
                    "Eating, taking, obstructing",
                ),
                1,
                15,
            ),
            line(
                ATTENDANCE,
                ("late-arrival", "迟到", "Late arrival"),
                3 + shift as u32,
                3 + shift,
            ),
        ],
        vec![line(
            CONDUCT,
            (
                "online-leisure",
                "上网聊天、玩游戏、看影视、炒股",
                "Online leisure",
            ),
            2,
            4,
        )],
        vec![AppraisalLine {
            period,
            appraisal: Appraisal::Rate {
                percent: Points::whole(85),
            },
            satisfaction: Some(Points::whole(85)),
            points: Points::whole(5),
        }],
    );
    let finance = UnitScore::new(
        unit("市财政局", "财政"),
        vec![line(
            CONDUCT,
            ("no-badge", "未按规定佩戴工作牌", "No badge"),
            1,
            1,
        )],
        vec![],
        vec![],
    );
    let housing = UnitScore::new(
        unit("市住房和城乡建设局", "住建"),
        vec![line(
            CONDUCT,
            ("lunch-drinking", "工作日午餐饮酒", "Drinking at lunch"),
            9,
            45,
        )],
        vec![],
        vec![],
    );
    let center = UnitScore::new(unit("市政务服务中心", "政务服务"), vec![], vec![], vec![]);
    Ranking::new(period, vec![tax, finance, housing, center])
}

fn loaded(lang: Lang, size: (u16, u16)) -> crate::state::State {
    let mut state = state(lang, size);
    let effects = feed(&mut state, [key('s')]);
    let [
        Effect::Scores(ScoresEffect::Load {
            token,
            period: None,
            ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    let year = Period::year_of(day("2026-06-01"));
    let trend = year
        .steps(Step::Month)
        .into_iter()
        .enumerate()
        .map(|(i, p)| ranking(p, i as i64 % 4))
        .collect();
    crate::update::update(
        &mut state,
        Action::Scores(ScoresReply::Loaded {
            token: *token,
            period: year,
            ranking: ranking(year, 0),
            trend,
        }),
    );
    state
}

fn scores(state: &crate::state::State) -> &ScoresState {
    match state.screen() {
        Screen::Scores(s) => s,
        other => panic!("not on scores: {other:?}"),
    }
}

#[test]
fn periods_move_by_their_length_and_the_trend_spans_twelve_months() {
    let mut state = loaded(Lang::En, (80, 24));
    let effects = feed(&mut state, [code(KeyCode::Char(']'))]);
    let [
        Effect::Scores(ScoresEffect::Load {
            period: Some(p), ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(p.short_label(), "2027");
    let effects = feed(&mut state, [key('p')]);
    let [
        Effect::Scores(ScoresEffect::Load {
            period: Some(p), ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(p.short_label(), "2026-12");
    let span = trend_span(Period::month_of(day("2026-03-15")), Step::Month);
    assert_eq!((span.from, span.to), (day("2025-04-01"), day("2026-03-31")));
    let span = trend_span(Period::year_of(day("2026-03-15")), Step::Quarter);
    assert_eq!(span.from, day("2025-01-01"));
}

#[test]
fn drill_down_opens_the_review_of_the_unit_for_the_period() {
    let mut state = loaded(Lang::Zh, (80, 24));
    // Ranked: center 100, finance 99, tax 77, housing 55.
    feed(&mut state, [code(KeyCode::Down), code(KeyCode::Down)]);
    assert_eq!(scores(&state).current().unwrap().unit.department, "税务");
    let effects = feed(&mut state, [code(KeyCode::Enter)]);
    let Screen::Review(review) = state.screen() else {
        panic!("no drill-down")
    };
    assert_eq!(
        review.filters.unit.as_deref(),
        Some("市税务局第一税务分局办税服务厅")
    );
    assert_eq!(
        review.filters.period,
        Some(Period::year_of(day("2026-01-01")))
    );
    assert!(!effects.is_empty());
}

#[test]
fn snapshot_ranking() {
    check("scores", |lang, size| {
        let mut state = loaded(lang, size);
        feed(&mut state, [code(KeyCode::Down), code(KeyCode::Down)]);
        state
    });
}

#[test]
fn snapshot_only_unreviewed() {
    check("scores_unreviewed", |lang, size| {
        let mut state = state(lang, size);
        let effects = feed(&mut state, [key('s')]);
        let [Effect::Scores(ScoresEffect::Load { token, .. })] = effects.as_slice() else {
            panic!()
        };
        let month = Period::month_of(day("2026-11-01"));
        let pending = |name: &str, dept: &str, n: u32| {
            UnitScore::new(
                unit(name, dept),
                vec![],
                vec![line(
                    ATTENDANCE,
                    ("late-arrival", "迟到", "Late arrival"),
                    n,
                    i64::from(n),
                )],
                vec![],
            )
        };
        let ranking = Ranking::new(
            month,
            vec![
                pending("市财政局", "财政", 2),
                pending("市自然资源和规划局", "规划", 5),
            ],
        );
        crate::update::update(
            &mut state,
            Action::Scores(ScoresReply::Loaded {
                token: *token,
                period: month,
                ranking: ranking.clone(),
                trend: vec![ranking],
            }),
        );
        state
    });
}

#[test]
fn snapshot_extra_lines_of_bulletins_and_rules_across_units() {
    use anfang_core::cross_unit::{bulletin_line, parent_line};
    check("scores_extra", |lang, size| {
        let mut state = state(lang, size);
        let effects = feed(&mut state, [key('s')]);
        let [Effect::Scores(ScoresEffect::Load { token, .. })] = effects.as_slice() else {
            panic!()
        };
        let month = Period::month_of(day("2026-09-01"));
        let drinking = anfang_core::Label::new(
            "工作日午餐饮酒（公共接待除外）",
            "Drinking at a workday lunch",
        );
        let parent = UnitScore::new(unit("市财政局", "财政"), vec![], vec![], vec![]).with_extra(
            vec![parent_line("市财政局国库支付中心", &drinking, 2)],
            &anfang_core::method::builtin::method(),
        );
        let child = UnitScore::new(
            unit("市财政局国库支付中心", "财政"),
            vec![line(
                CONDUCT,
                ("lunch-drinking", "工作日午餐饮酒", "Drinking at lunch"),
                2,
                10,
            )],
            vec![],
            vec![],
        )
        .with_extra(
            vec![bulletin_line(
                "效能办〔2026〕3号",
                day("2026-09-28"),
                "ab12",
            )],
            &anfang_core::method::builtin::method(),
        );
        let ranking = Ranking::new(month, vec![parent, child]);
        crate::update::update(
            &mut state,
            Action::Scores(ScoresReply::Loaded {
                token: *token,
                period: month,
                ranking: ranking.clone(),
                trend: vec![ranking],
            }),
        );
        feed(&mut state, [code(KeyCode::Down)]);
        state
    });
}

mod runtime {
    use super::*;
    use crate::keymap::Keymap;
    use crate::runtime::App;
    use crate::screens::review::tests::{code, key, tz};
    use anfang_plugin_host::Registry;

    #[test]
    fn scores_open_on_the_latest_period_and_count_only_reviewed_findings() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::screens::review::tests::runtime::ledger_with_findings(dir.path(), 12);
        let mut app = App::with_clock(
            ledger,
            Registry::core_only(),
            Lang::En,
            "王主任",
            tz(),
            Keymap::default_keymap(),
            crate::runtime::clock::stepping(
                "2026-11-03T01:00:00Z".parse().unwrap(),
                jiff::SignedDuration::from_secs(1),
            ),
        );
        app.open_files = false;
        app.dispatch(Action::Resize(120, 40));
        // The unfinished visit is another laptop's: not offered for resuming.
        assert!(app.state.overlay.is_none());
        app.handle(key('s'));
        let s = scores(&app.state);
        assert_eq!(s.period.unwrap().short_label(), "2026");
        let r = s.ranking.as_ref().unwrap();
        assert!(r.unreviewed_only());
        assert_eq!(r.units[0].score, Points::whole(100));
        assert_eq!(r.units[0].provisional_points, Points::whole(12));
        // Drill down, confirm one finding, come back: it counts.
        app.handle(code(KeyCode::Enter));
        app.handle(key('c'));
        app.handle(code(KeyCode::Enter));
        app.handle(code(KeyCode::Esc));
        app.handle(key('t'));
        let s = scores(&app.state);
        let r = s.ranking.as_ref().unwrap();
        assert!(!r.unreviewed_only());
        assert_eq!(r.units[0].score, Points::whole(99));
        assert_eq!(s.step, Step::Quarter);
        assert_eq!(s.trend.len(), 8);
        // Public appraisal for the unit and year: 80 % satisfied costs 10 points.
        app.handle(key('a'));
        for c in "8O".chars() {
            app.handle(key(c));
        }
        app.handle(code(KeyCode::Enter));
        let s = scores(&app.state);
        let error = s.form.as_ref().and_then(|f| f.error.clone()).unwrap();
        assert!(error.contains("8O"), "{error}");
        app.handle(code(KeyCode::Backspace));
        app.handle(key('0'));
        app.handle(code(KeyCode::Enter));
        let s = scores(&app.state);
        assert!(s.form.is_none(), "{:?}", app.state.status);
        let unit = &s.ranking.as_ref().unwrap().units[0];
        assert_eq!(unit.score, Points::whole(89));
        assert_eq!(unit.appraisals[0].satisfaction, Some(Points::whole(80)));
    }
}

mod deduct_runtime {
    use super::*;
    use crate::keymap::Keymap;
    use crate::runtime::App;
    use crate::screens::review::tests::tz;
    use anfang_core::office_deduction::DeductionStatus;
    use anfang_plugin_host::Registry;

    #[test]
    fn an_office_deduction_entered_on_scores_is_pending_and_not_counted() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::screens::review::tests::runtime::ledger_with_findings(dir.path(), 3);
        let mut app = App::with_clock(
            ledger,
            Registry::core_only(),
            Lang::En,
            "王主任",
            tz(),
            Keymap::default_keymap(),
            crate::runtime::clock::stepping(
                "2026-11-03T01:00:00Z".parse().unwrap(),
                jiff::SignedDuration::from_secs(1),
            ),
        );
        app.open_files = false;
        app.dispatch(Action::Resize(120, 40));
        app.handle(key('s'));
        let before = scores(&app.state).current().unwrap().clone();
        app.handle(key('d'));
        let form = scores(&app.state).deduct.clone().unwrap();
        assert_eq!(form.unit, before.unit);
        assert_eq!(form.chosen().unwrap().id, "task-overdue");
        // The date starts at today from the injected clock.
        assert_eq!(crate::widgets::field::text(&form.fields[2]), "2026-11-03");
        // Count 2, then a bad date, named in the message.
        app.handle(code(KeyCode::Down));
        app.handle(code(KeyCode::Backspace));
        app.handle(key('2'));
        app.handle(code(KeyCode::Down));
        app.handle(code(KeyCode::Down));
        for _ in 0..2 {
            app.handle(code(KeyCode::Backspace));
        }
        for c in "32".chars() {
            app.handle(key(c));
        }
        app.handle(code(KeyCode::Down));
        for c in "late report".chars() {
            app.handle(key(c));
        }
        app.handle(code(KeyCode::Enter));
        let error = scores(&app.state)
            .deduct
            .as_ref()
            .and_then(|f| f.error.clone());
        assert!(
            error.as_deref().unwrap_or("").contains("2026-11-32"),
            "{error:?}"
        );
        app.handle(code(KeyCode::Up));
        for _ in 0..2 {
            app.handle(code(KeyCode::Backspace));
        }
        for c in "02".chars() {
            app.handle(key(c));
        }
        app.handle(code(KeyCode::Enter));
        let s = scores(&app.state);
        assert!(s.deduct.is_none(), "{:?}", app.state.status);
        let listed = app.ledger().deductions(Some(&before.unit.name)).unwrap();
        assert_eq!(listed.len(), 1);
        let d = &listed[0];
        assert_eq!(d.status, DeductionStatus::Pending);
        assert_eq!((d.item.as_str(), d.count), ("task-overdue", 2));
        assert_eq!(d.points, Points::whole(8));
        assert_eq!(d.date, "2026-11-02");
        assert_eq!(d.reason, "late report");
        // Pending: the unit's score is what it was.
        let after = s.current().unwrap();
        assert_eq!(after.unit, before.unit);
        assert_eq!(after.score, before.score);
    }

    #[test]
    fn a_pending_office_deduction_confirmed_on_scores_counts_and_a_dismissed_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::screens::review::tests::runtime::ledger_with_findings(dir.path(), 3);
        let mut app = App::with_clock(
            ledger,
            Registry::core_only(),
            Lang::En,
            "王主任",
            tz(),
            Keymap::default_keymap(),
            crate::runtime::clock::stepping(
                "2026-11-03T01:00:00Z".parse().unwrap(),
                jiff::SignedDuration::from_secs(1),
            ),
        );
        app.open_files = false;
        app.dispatch(Action::Resize(120, 40));
        app.handle(key('s'));
        let before = scores(&app.state).current().unwrap().clone();
        // This device enters one; another device entered one a day earlier.
        app.handle(key('d'));
        for _ in 0..4 {
            app.handle(code(KeyCode::Down));
        }
        for c in "own entry".chars() {
            app.handle(key(c));
        }
        app.handle(code(KeyCode::Enter));
        let method = anfang_core::method::builtin::method();
        let row = method.row("task-overdue").unwrap();
        let other = anfang_core::office_deduction::OfficeDeductionEntered {
            deduction_id: uuid::Uuid::now_v7(),
            unit: before.unit.clone(),
            item: row.id.clone(),
            section: row.section.clone(),
            method_version: method.version,
            count: None,
            points_each: None,
            points: Points::whole(4),
            date: day("2026-11-01"),
            reason: "task overdue".into(),
            evidence: None,
        };
        app.ledger()
            .append_as(
                &anfang_ledger::DeviceKey::from_seed([7; 32]),
                &anfang_core::event::EventBody::OfficeDeduction(other),
                "2026-11-03T00:30:00Z".parse().unwrap(),
            )
            .unwrap();
        app.handle(key('t'));
        let s = scores(&app.state);
        let unit = s.current().unwrap();
        assert_eq!(unit.pending_lines.len(), 2);
        assert_eq!(unit.pending_lines[0].reason, "task overdue");
        assert_eq!(s.pending, 0);
        // The other device's entry: confirmed, it counts.
        app.handle(key('c'));
        let s = scores(&app.state);
        let unit = s.current().unwrap();
        assert_eq!(unit.score, before.score - Points::whole(4));
        assert_eq!(unit.pending_lines.len(), 1);
        // A dismissal asks for a reason first; dismissed, it never counts.
        app.handle(key('x'));
        assert!(scores(&app.state).dismiss.is_some());
        app.handle(code(KeyCode::Enter));
        assert!(
            scores(&app.state).dismiss.is_some(),
            "an empty reason is not taken"
        );
        for c in "duplicate".chars() {
            app.handle(key(c));
        }
        app.handle(code(KeyCode::Enter));
        let s = scores(&app.state);
        assert!(s.dismiss.is_none(), "{:?}", app.state.status);
        let unit = s.current().unwrap();
        assert!(unit.pending_lines.is_empty());
        assert_eq!(unit.score, before.score - Points::whole(4));
        let mut statuses: Vec<_> = app
            .ledger()
            .deductions(None)
            .unwrap()
            .into_iter()
            .map(|d| (d.reason, d.status))
            .collect();
        statuses.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            statuses,
            vec![
                ("own entry".to_string(), DeductionStatus::Dismissed),
                ("task overdue".to_string(), DeductionStatus::Confirmed),
            ]
        );
    }
}

fn deduct_form(lang: Lang, size: (u16, u16)) -> crate::state::State {
    let mut state = loaded(lang, size);
    let effects = feed(&mut state, [key('d')]);
    let [Effect::Scores(ScoresEffect::OpenDeduction { unit })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    crate::update::update(
        &mut state,
        Action::Scores(ScoresReply::DeductionRows {
            unit: unit.clone(),
            method: Box::new(anfang_core::method::builtin::method()),
            today: day("2026-11-03"),
        }),
    );
    state
}

#[test]
fn snapshot_deduction_form() {
    check("scores_deduct", |lang, size| {
        let mut state = deduct_form(lang, size);
        feed(&mut state, [code(KeyCode::Right), code(KeyCode::Down)]);
        state
    });
}

#[test]
fn snapshot_deduction_form_names_a_bad_count() {
    check("scores_deduct_bad", |lang, size| {
        let mut state = deduct_form(lang, size);
        let mut events = vec![code(KeyCode::Down), code(KeyCode::Backspace)];
        events.extend("0x".chars().map(key));
        events.push(code(KeyCode::Enter));
        feed(&mut state, events);
        state
    });
}

#[test]
fn snapshot_appraisal_form() {
    check("scores_appraisal", |lang, size| {
        let mut state = loaded(lang, size);
        let mut events = vec![key('a')];
        events.extend("60/25/15 60/25/15".chars().map(key));
        events.push(code(KeyCode::Enter));
        feed(&mut state, events);
        state
    });
}

#[test]
fn snapshot_appraisal_form_states_the_formula() {
    check("scores_appraisal_formula", |lang, size| {
        let mut state = loaded(lang, size);
        feed(&mut state, vec![key('a')]);
        state
    });
}

#[test]
fn the_help_states_how_ties_are_ranked() {
    for (lang, words) in [
        (Lang::Zh, "并列单位按计入扣分的问题数少者在前"),
        (Lang::En, "fewer counted findings first"),
    ] {
        let state = state(lang, (120, 40));
        let lines =
            crate::screens::overlay::help_lines(&state, &[crate::keymap::Context::Scores], 118);
        let text: String = lines
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("");
        assert!(text.contains(words), "{text}");
    }
}

#[test]
fn snapshot_breakdown_with_a_pending_office_deduction() {
    check("scores_pending_deduction", |lang, size| {
        let mut state = state(lang, size);
        let effects = feed(&mut state, [key('s')]);
        let [Effect::Scores(ScoresEffect::Load { token, .. })] = effects.as_slice() else {
            panic!()
        };
        let month = Period::month_of(day("2026-09-01"));
        let meeting = BreakdownLine {
            section: "四(四)1".into(),
            item: "meeting-absent".into(),
            label: anfang_core::Label::new(
                "无故缺席全市性会议",
                "absent from a city-wide meeting without cause",
            ),
            reason: "9月全市作风会议缺席".into(),
            count: 1,
            points: Points::whole(2),
            source: "office".into(),
            date: Some(day("2026-09-10")),
            event_id: "ev-1".into(),
        };
        let unit = UnitScore::new(unit("市财政局", "财政"), vec![], vec![], vec![])
            .with_pending_lines(vec![meeting]);
        let ranking = Ranking::new(month, vec![unit]);
        crate::update::update(
            &mut state,
            Action::Scores(ScoresReply::Loaded {
                token: *token,
                period: month,
                ranking: ranking.clone(),
                trend: vec![ranking],
            }),
        );
        state
    });
}
