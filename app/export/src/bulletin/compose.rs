//! The bulletin's words, laid out as GB/T 9704 sets a 公文: 版头 (the
//! issuer's mark, the 文号, the red line), 主体 (title, 主送, body, 落款
//! and date) and 版记 (抄送, 印发机关 and 印发日期). The body tells the
//! problems unit by unit in prose, with the handling (处理意见) of each,
//! and leaves out every clause whose count is zero.

use super::date_words;
use super::period::{kinds_words, period_words};
use super::tally::{Tally, UnitOrders};
use crate::options::ExportOptions;
use crate::paper::{Block, Paper};
use crate::row::UnitScore;
use anfang_core::Lang;
use anfang_core::score::Grade;

/// Days the units have to report their rectification, from the bulletin's date.
pub(crate) const REPORT_DAYS: i64 = 15;

/// The default 文号 pattern when the office has set none.
const NUMBER_PATTERN: &str = "效能办〔{year}〕{n}号";

/// Numbers of second-level headings: （一）, （二）…
const ORDINALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn ordinal(n: usize) -> String {
    match ORDINALS.get(n) {
        Some(word) => (*word).to_owned(),
        None => (n + 1).to_string(),
    }
}

/// Joins the clauses that are not empty: zero counts are never written.
fn clauses(parts: &[Option<String>], sep: &str) -> String {
    parts
        .iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(sep)
}

fn nonzero(n: u64, text: impl FnOnce(u64) -> String) -> Option<String> {
    (n > 0).then(|| text(n))
}

/// The 文号 from the office's pattern: `{year}` and `{n}` filled in, the
/// serial left blank for a hand to fill when none was given.
pub(crate) fn number(options: &ExportOptions) -> String {
    let pattern = options
        .office_docs
        .number_pattern
        .as_deref()
        .unwrap_or(NUMBER_PATTERN);
    let serial = options.office_docs.serial.as_deref().unwrap_or("　　");
    pattern
        .replace("{year}", &options.today.year().to_string())
        .replace("{n}", serial)
}

/// Builds the bulletin.
pub(crate) fn compose(tally: &Tally, scores: &[UnitScore], options: &ExportOptions) -> Paper {
    let lang = options.lang;
    let zh = lang == Lang::Zh;
    let issuer = options.issuer_name();
    let today = options.today;
    let period = match (options.from.or(tally.first), options.to.or(tally.last)) {
        (Some(from), Some(to)) => period_words(from, to, lang),
        _ => (if zh { "本期" } else { "this period" }).to_owned(),
    };
    let kinds = kinds_words(
        tally.visits > tally.open_visits,
        tally.open_visits > 0,
        lang,
    );
    let title = if zh {
        format!("关于{period}作风效能{kinds}情况的通报")
    } else {
        format!("Bulletin on the {kinds} of work style and efficiency, {period}")
    };
    let addressees = options.office_docs.addressees.clone().unwrap_or_else(|| {
        (if zh {
            "各有关单位"
        } else {
            "All units concerned"
        })
        .to_owned()
    });
    let mut blocks = vec![
        Block::Masthead {
            issuer: issuer.clone(),
            number: number(options),
        },
        Block::Title {
            text: title.clone(),
        },
        Block::Flush {
            text: format!("{addressees}{}", if zh { "：" } else { ":" }),
        },
    ];
    blocks.push(Block::Para {
        text: intro(tally, &issuer, &period, kinds, lang),
    });
    let mut n = 0;
    overview(&mut blocks, &mut n, tally, scores, options);
    problems(&mut blocks, &mut n, tally, options);
    rectification(&mut blocks, &mut n, tally, options);
    requirements(&mut blocks, &mut n, &issuer, options);
    blocks.push(Block::Right {
        text: issuer.clone(),
    });
    blocks.push(Block::Right {
        text: date_words(today, lang),
    });
    blocks.push(Block::Colophon {
        copies: options
            .office_docs
            .copies
            .clone()
            .filter(|c| !c.trim().is_empty())
            .map(|c| {
                format!(
                    "{}{c}{}",
                    if zh { "抄送：" } else { "Copies: " },
                    if zh { "。" } else { "." }
                )
            }),
        printer: options
            .office_docs
            .printer
            .clone()
            .unwrap_or(issuer.clone()),
        printed: format!(
            "{}{}",
            date_words(today, lang),
            if zh { "印发" } else { " (issued)" }
        ),
    });
    Paper {
        lang: lang.tag(),
        title,
        issuer,
        blocks,
        made: options.now,
    }
}

fn intro(tally: &Tally, issuer: &str, period: &str, kinds: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "为持续深化作风效能建设，{period}，{issuer}组织开展作风效能{kinds}。现将有关情况通报如下。"
        ),
        Lang::En => format!(
            "In {period}, {issuer} carried out {kinds} of work style and efficiency{}. The findings are set out below.",
            if tally.visits > 0 {
                String::new()
            } else {
                " (no visit was recorded)".to_owned()
            }
        ),
    }
}

fn heading(blocks: &mut Vec<Block>, n: &mut usize, zh: &str, en: &str, lang: Lang) {
    let text = match lang {
        Lang::Zh => format!("{}、{zh}", ordinal(*n)),
        Lang::En => format!("{}. {en}", *n + 1),
    };
    *n += 1;
    blocks.push(Block::Heading { text });
}

fn overview(
    blocks: &mut Vec<Block>,
    n: &mut usize,
    tally: &Tally,
    scores: &[UnitScore],
    options: &ExportOptions,
) {
    let lang = options.lang;
    heading(blocks, n, "基本情况", "Overview", lang);
    let (v, u, found) = (tally.visits, tally.units, tally.violations);
    let (counted, pending, dismissed, points) =
        (tally.counted, tally.pending, tally.dismissed, tally.points);
    let grades = [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail].map(|g| {
        let k = scores.iter().filter(|s| s.grade == g).count() as u64;
        nonzero(k, |k| match lang {
            Lang::Zh => format!("{}{k}个", g.label().get(lang)),
            Lang::En => format!("{k} {}", g.label().get(lang)),
        })
    });
    let text = match lang {
        Lang::Zh => {
            let found_text = if found == 0 {
                "未发现问题".to_owned()
            } else {
                let parts = clauses(
                    &[
                        nonzero(counted, |k| format!("经审核确认{k}个，扣分合计{points}分")),
                        nonzero(pending, |k| format!("待审核{k}个")),
                        nonzero(dismissed, |k| format!("不予认定{k}个")),
                    ],
                    "；",
                );
                format!("发现问题{found}个，其中{parts}")
            };
            let grade_text = clauses(&grades, "、");
            let grade_text = if grade_text.is_empty() {
                String::new()
            } else {
                format!("考评结果：{grade_text}。")
            };
            format!("本期共开展检查{v}次，涉及单位{u}个，{found_text}。{grade_text}")
        }
        Lang::En => {
            let found_text = if found == 0 {
                "found no problem".to_owned()
            } else {
                let parts = clauses(
                    &[
                        nonzero(counted, |k| {
                            format!("{k} confirmed, {points} points deducted in all")
                        }),
                        nonzero(pending, |k| format!("{k} pending review")),
                        nonzero(dismissed, |k| format!("{k} dismissed")),
                    ],
                    "; ",
                );
                format!("found {found} problems: {parts}")
            };
            let grade_text = clauses(&grades, ", ");
            let grade_text = if grade_text.is_empty() {
                String::new()
            } else {
                format!(" Grades: {grade_text}.")
            };
            format!("{v} visits covered {u} units and {found_text}.{grade_text}")
        }
    };
    blocks.push(Block::Para { text });
    if options.anonymize {
        blocks.push(Block::Remark {
            text: match lang {
                Lang::Zh => "本通报中的人员姓名、工号已作化名处理。",
                Lang::En => "Names and badge numbers of staff in this bulletin are pseudonyms.",
            }
            .to_owned(),
        });
    }
    if !scores.is_empty() {
        let pending = scores.iter().any(|s| s.pending > 0);
        let said = |zh: &str, en: &str| if lang == Lang::Zh { zh } else { en }.to_owned();
        let mut columns = vec![
            (said("名次", "Rank"), 9, false),
            (said("单位", "Unit"), 37, false),
            (said("得分", "Score"), 12, false),
            (said("等级", "Grade"), 12, false),
            (said("扣分", "Deducted"), 15, false),
        ];
        if pending {
            columns.push((said("待审核", "Pending"), 15, false));
        }
        let rows = scores
            .iter()
            .map(|s| {
                let mut row = vec![
                    vec![s.rank.to_string()],
                    vec![super::tally::clean(&s.unit)],
                    vec![s.score.to_string()],
                    vec![s.grade.label().get(lang).to_owned()],
                    vec![s.deducted.to_string()],
                ];
                if pending {
                    row.push(vec![s.pending.to_string()]);
                }
                row
            })
            .collect();
        blocks.push(Block::table(&columns, rows));
        if pending {
            blocks.push(Block::Remark {
                text: said(
                    "注：待审核问题不计入得分。",
                    "Findings pending review do not count in the score.",
                ),
            });
        }
    }
}

fn problems(blocks: &mut Vec<Block>, n: &mut usize, tally: &Tally, options: &ExportOptions) {
    let lang = options.lang;
    if tally.problems.is_empty() {
        return;
    }
    heading(
        blocks,
        n,
        "发现的主要问题及处理意见",
        "Problems found and how they are dealt with",
        lang,
    );
    let tz = &options.tz;
    for (i, (unit, p)) in tally.units_by_points().into_iter().enumerate() {
        let facts: Vec<String> = p
            .facts
            .iter()
            .map(|f| {
                let local = tz.to_datetime(f.observed);
                let when = match lang {
                    Lang::Zh => format!(
                        "{}月{}日{}",
                        local.month(),
                        local.day(),
                        local.strftime("%H:%M")
                    ),
                    Lang::En => local.strftime("on %-d %B at %H:%M").to_string(),
                };
                let note = f
                    .note
                    .lines()
                    .collect::<Vec<_>>()
                    .join(if lang == Lang::Zh { "，" } else { "; " });
                let note = note.trim_end_matches(['。', '.', '；', ';']).to_owned();
                match lang {
                    Lang::Zh => {
                        let who = if f.subject.is_empty() {
                            String::new()
                        } else {
                            format!("{}存在", f.subject)
                        };
                        let note = if note.is_empty() {
                            String::new()
                        } else {
                            format!("（{note}）")
                        };
                        format!("{when}，{who}“{}”问题{note}，扣{}分", f.problem, f.points)
                    }
                    Lang::En => {
                        let who = if f.subject.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", f.subject)
                        };
                        let note = if note.is_empty() {
                            String::new()
                        } else {
                            format!(": {note}")
                        };
                        format!(
                            "{when}, \u{201c}{}\u{201d}{who}{note}, {} points",
                            f.problem, f.points
                        )
                    }
                }
            })
            .collect();
        let more = p.count.saturating_sub(p.facts.len() as u64);
        let orders = tally.orders.get(unit);
        let text = match lang {
            Lang::Zh => {
                let rest = nonzero(more, |k| format!("另有其他问题{k}个"));
                let head = format!(
                    "（{}）{unit}。检查发现问题{}个，扣{}分：{}",
                    ordinal(i),
                    p.count,
                    p.points,
                    facts.join("；")
                );
                let mut text = match rest {
                    Some(rest) => format!("{head}；{rest}。"),
                    None => format!("{head}。"),
                };
                text.push_str(&handling_zh(unit, p.points, orders));
                text
            }
            Lang::En => {
                let rest = nonzero(more, |k| format!("; and {k} more"));
                format!(
                    "({}) {unit}: {} problems, {} points deducted. {}{}. {}",
                    i + 1,
                    p.count,
                    p.points,
                    facts.join("; "),
                    rest.unwrap_or_default(),
                    handling_en(unit, p.points, orders)
                )
            }
        };
        blocks.push(Block::Para { text });
    }
}

fn handling_zh(unit: &str, points: anfang_core::Points, orders: Option<&UnitOrders>) -> String {
    let mut parts = vec![format!(
        "对{unit}予以通报批评，扣减作风效能考评分{points}分"
    )];
    if let Some(o) = orders {
        if let Some(deadline) = o.last_open_deadline.filter(|_| o.open > o.overdue) {
            parts.push(format!(
                "责令对{}个问题限期整改，于{}前整改到位",
                o.open - o.overdue,
                date_words(deadline, Lang::Zh)
            ));
        }
        if let Some(k) = nonzero(o.overdue, |k| k.to_string()) {
            parts.push(format!("{k}个问题逾期未整改，由单位主要负责人作出书面说明"));
        }
    }
    format!("处理意见：{}。", parts.join("；"))
}

fn handling_en(unit: &str, points: anfang_core::Points, orders: Option<&UnitOrders>) -> String {
    let mut parts = vec![format!(
        "{unit} is criticised in this bulletin and loses {points} points of its assessment score"
    )];
    if let Some(o) = orders {
        if let Some(deadline) = o.last_open_deadline.filter(|_| o.open > o.overdue) {
            parts.push(format!(
                "{} problems must be rectified by {}",
                o.open - o.overdue,
                date_words(deadline, Lang::En)
            ));
        }
        if o.overdue > 0 {
            parts.push(format!(
                "{} overdue problems are to be explained in writing by the head of the unit",
                o.overdue
            ));
        }
    }
    format!("Handling: {}.", parts.join("; "))
}

fn rectification(blocks: &mut Vec<Block>, n: &mut usize, tally: &Tally, options: &ExportOptions) {
    let lang = options.lang;
    let (ordered, done, open, overdue) = tally.orders_total();
    if ordered == 0 {
        return;
    }
    heading(blocks, n, "整改情况", "Rectification", lang);
    let text = match lang {
        Lang::Zh => {
            let parts = clauses(
                &[
                    nonzero(done, |k| format!("已整改{k}件")),
                    nonzero(open, |k| format!("正在整改{k}件")),
                    nonzero(overdue, |k| format!("其中逾期未整改{k}件")),
                ],
                "，",
            );
            format!("本期共下达整改通知{ordered}件，{parts}。各单位情况如下。")
        }
        Lang::En => {
            let parts = clauses(
                &[
                    nonzero(done, |k| format!("{k} rectified")),
                    nonzero(open, |k| format!("{k} still open")),
                    nonzero(overdue, |k| format!("{k} of them overdue")),
                ],
                ", ",
            );
            format!("Rectification was ordered in {ordered} cases: {parts}. By unit:")
        }
    };
    blocks.push(Block::Para { text });
    let said = |zh: &str, en: &str| if lang == Lang::Zh { zh } else { en }.to_owned();
    let rows = tally
        .orders
        .iter()
        .map(|(unit, o)| {
            vec![
                vec![unit.clone()],
                vec![o.ordered.to_string()],
                vec![o.done.to_string()],
                vec![o.overdue.to_string()],
            ]
        })
        .collect();
    blocks.push(Block::table(
        &[
            (said("单位", "Unit"), 52, false),
            (said("下达整改", "Ordered"), 16, false),
            (said("已整改", "Done"), 16, false),
            (said("逾期未整改", "Overdue"), 16, false),
        ],
        rows,
    ));
    if tally.overdue.is_empty() {
        return;
    }
    blocks.push(Block::Para {
        text: said("逾期未整改的问题如下：", "The overdue items:"),
    });
    let rows = tally
        .overdue
        .iter()
        .enumerate()
        .map(|(i, o)| {
            vec![
                vec![(i + 1).to_string()],
                vec![o.unit.clone()],
                vec![o.problem.clone()],
                vec![o.subject.clone()],
                vec![date_words(o.deadline, lang)],
                vec![o.days.to_string()],
            ]
        })
        .collect();
    blocks.push(Block::table(
        &[
            (said("序号", "No."), 7, false),
            (said("单位", "Unit"), 25, false),
            (said("问题", "Problem"), 19, false),
            (said("对象", "Subject"), 20, false),
            (said("整改期限", "Deadline"), 17, false),
            (said("逾期天数", "Days over"), 12, false),
        ],
        rows,
    ));
    let more = tally
        .overdue_total
        .saturating_sub(tally.overdue.len() as u64);
    if more > 0 {
        blocks.push(Block::Remark {
            text: match lang {
                Lang::Zh => format!("另有{more}件逾期未整改问题，详见导出的表格。"),
                Lang::En => format!("{more} more overdue items are in the exported spreadsheet."),
            },
        });
    }
}

fn requirements(blocks: &mut Vec<Block>, n: &mut usize, issuer: &str, options: &ExportOptions) {
    let lang = options.lang;
    heading(blocks, n, "有关要求", "Requirements", lang);
    let report_by = options
        .today
        .saturating_add(jiff::Span::new().days(REPORT_DAYS));
    let day = date_words(report_by, lang);
    let texts = match lang {
        Lang::Zh => [
            "（一）各被通报单位要认真对照通报问题，举一反三，逐项制定整改措施，明确责任人和完成时限；涉及个人的，按照有关规定严肃处理。".to_owned(),
            format!(
                "（二）请各被通报单位于{day}前将整改情况书面报送{issuer}，写明整改措施、完成时间和责任人，并附佐证材料，由单位主要负责人签字并加盖公章。"
            ),
            "（三）逾期未报送整改情况或整改不到位的，将再次予以通报并按规定扣分；同类问题再次发现的，从严处理。".to_owned(),
        ],
        Lang::En => [
            "(1) Each unit named here shall go through the problems, set measures for each with the person responsible and the date, and deal with the persons concerned under the rules.".to_owned(),
            format!(
                "(2) By {day}, each unit named here shall report its rectification in writing to {issuer}: the measures, when they were done and who is responsible, with supporting material, signed by the head of the unit and sealed."
            ),
            "(3) A unit that does not report in time or does not rectify will be named again and lose points as the rules provide; the same problem found again will be dealt with strictly.".to_owned(),
        ],
    };
    blocks.extend(texts.into_iter().map(|text| Block::Para { text }));
}
