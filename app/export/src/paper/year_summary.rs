//! The year's summary (年度作风效能建设工作情况), as offices report it
//! every year: visits by kind (明察, 暗访) — every visit made, whether it
//! found anything or not — units visited, problems found and confirmed,
//! rectification notices and bulletins issued, rectifications done and
//! overdue, units by grade, and what was done about the people concerned
//! (问责), by kind. Counts that are zero are left out of the sentences.

use super::{Block, Paper};
use crate::bulletin::date_words;
use crate::error::ExportError;
use crate::options::ExportOptions;
use crate::source::ExportSource;
use anfang_core::finding::FindingResult;
use anfang_core::review::ReviewStatus;
use anfang_core::score::Grade;
use anfang_core::visit::VisitKind;
use anfang_core::{Lang, Points};
use std::collections::HashSet;

/// Accountability outcomes of the year: (kind in words, people).
pub type OutcomeCounts = Vec<(String, u64)>;

/// What the office recorded in the year besides visits and findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearRecords {
    /// Accountability outcomes decided for the year's findings.
    pub outcomes: OutcomeCounts,
    /// Bulletins (通报) issued in the year.
    pub bulletins: u64,
}

/// The summary of `year`, dated `options.today`, with what the office
/// `records` besides the ledger's visits and findings.
pub fn year_summary(
    source: &dyn ExportSource,
    year: i16,
    records: &YearRecords,
    options: &ExportOptions,
) -> Result<Paper, ExportError> {
    let outcomes = &records.outcomes;
    let mut options = options.clone();
    options.from = Some(jiff::civil::date(year, 1, 1));
    options.to = Some(jiff::civil::date(year, 12, 31));
    let filter = options.filter()?;
    // Every visit made counts, also those that found nothing.
    let visits = source.visits(&filter)?;
    let open = visits.iter().filter(|v| v.kind == VisitKind::Open).count() as u64;
    let unannounced = visits.len() as u64 - open;
    let units: HashSet<&str> = visits.iter().map(|v| v.unit.as_str()).collect();
    let (mut found, mut counted, mut points) = (0u64, 0u64, Points::ZERO);
    source.for_each_finding(&filter, &mut |row| {
        if row.result == FindingResult::Violation {
            found += 1;
            if row.status.counts() {
                counted += 1;
                points = points + row.points;
            }
        }
        Ok(())
    })?;
    let (mut ordered, mut done, mut overdue) = (0u64, 0u64, 0u64);
    let mut notified = HashSet::new();
    source.for_each_rectification(&filter, &mut |row| {
        ordered += 1;
        // One notice per unit and day it was ordered: how offices count them.
        notified.insert((
            row.unit.clone(),
            options.tz.to_datetime(row.ordered_at).date(),
        ));
        match row.status {
            ReviewStatus::Rectified | ReviewStatus::Verified => done += 1,
            _ => {}
        }
        overdue += u64::from(row.overdue(options.today));
        Ok(())
    })?;
    let scores = source.unit_scores(&filter)?;
    let lang = options.lang;
    let zh = lang == Lang::Zh;
    let issuer = options.issuer_name();
    let some = |n: u64, zh_text: String, en_text: String| {
        (n > 0).then_some(if zh { zh_text } else { en_text })
    };
    let join = |parts: Vec<Option<String>>, sep: &str| {
        parts.into_iter().flatten().collect::<Vec<_>>().join(sep)
    };
    let title = if zh {
        format!("{year}年作风效能建设工作情况")
    } else {
        format!("Work style and efficiency in {year}")
    };
    let mut blocks = vec![Block::Title {
        text: title.clone(),
    }];
    let (v, u) = (visits.len() as u64, units.len() as u64);
    let kinds = join(
        vec![
            some(open, format!("明察{open}次"), format!("{open} open")),
            some(
                unannounced,
                format!("暗访{unannounced}次"),
                format!("{unannounced} unannounced"),
            ),
        ],
        if zh { "、" } else { ", " },
    );
    let visits_text = if v == 0 {
        if zh {
            format!("{year}年，{issuer}未开展作风效能检查")
        } else {
            format!("In {year}, {issuer} made no inspection visits")
        }
    } else if zh {
        format!("{year}年，{issuer}共开展作风效能检查{v}次（{kinds}），涉及单位{u}个")
    } else {
        format!("In {year}, {issuer} made {v} inspection visits ({kinds}) to {u} units")
    };
    let found_text = join(
        vec![
            some(
                found,
                format!("发现问题{found}个"),
                format!("found {found} problems"),
            ),
            some(
                counted,
                format!("经审核确认{counted}个，扣分合计{points}分"),
                format!("{counted} confirmed, {points} points deducted in all"),
            ),
        ],
        if zh { "，" } else { ", " },
    );
    let notices = notified.len() as u64;
    let orders_text = join(
        vec![
            some(
                records.bulletins,
                format!("印发通报{}期", records.bulletins),
                format!("{} bulletins issued", records.bulletins),
            ),
            some(
                notices,
                format!("下达整改通知书{notices}份，责令整改问题{ordered}个"),
                format!("{notices} rectification notices ordered {ordered} problems rectified"),
            ),
            some(done, format!("已整改{done}个"), format!("{done} rectified")),
            some(
                overdue,
                format!("逾期未整改{overdue}个"),
                format!("{overdue} overdue"),
            ),
        ],
        if zh { "，" } else { "; " },
    );
    let sentences: Vec<String> = [Some(visits_text), Some(found_text), Some(orders_text)]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    blocks.push(Block::Heading {
        text: (if zh {
            "一、检查和整改"
        } else {
            "1. Visits and rectification"
        })
        .to_owned(),
    });
    blocks.push(Block::Para {
        text: if zh {
            format!("{}。", sentences.join("；"))
        } else {
            format!("{}.", sentences.join("; "))
        },
    });
    blocks.push(Block::Heading {
        text: (if zh {
            "二、考评结果"
        } else {
            "2. Assessment"
        })
        .to_owned(),
    });
    let grades = join(
        [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail]
            .into_iter()
            .map(|g| {
                let k = scores.iter().filter(|s| s.grade == g).count() as u64;
                let label = g.label().get(lang).to_owned();
                some(k, format!("{label}{k}个"), format!("{k} {label}"))
            })
            .collect(),
        if zh { "、" } else { ", " },
    );
    blocks.push(Block::Para {
        text: if grades.is_empty() {
            (if zh {
                "本年度无考评单位。"
            } else {
                "No unit was assessed this year."
            })
            .to_owned()
        } else if zh {
            format!("参加年度考评的单位{}个，其中{grades}。", scores.len())
        } else {
            format!("{} units were assessed: {grades}.", scores.len())
        },
    });
    if !scores.is_empty() {
        let said = |zh_text: &str, en_text: &str| if zh { zh_text } else { en_text }.to_owned();
        let rows = scores
            .iter()
            .map(|s| {
                vec![
                    vec![s.rank.to_string()],
                    vec![s.unit.clone()],
                    vec![s.score.to_string()],
                    vec![s.grade.label().get(lang).to_owned()],
                ]
            })
            .collect();
        blocks.push(Block::table(
            &[
                (said("名次", "Rank"), 10, false),
                (said("单位", "Unit"), 54, false),
                (said("得分", "Score"), 18, false),
                (said("等级", "Grade"), 18, false),
            ],
            rows,
        ));
    }
    let held: Vec<_> = outcomes.iter().filter(|(_, n)| *n > 0).collect();
    if !held.is_empty() {
        blocks.push(Block::Heading {
            text: (if zh {
                "三、问责情况"
            } else {
                "3. Accountability"
            })
            .to_owned(),
        });
        let list = held
            .iter()
            .map(|(kind, n)| {
                if zh {
                    format!("{kind}{n}人")
                } else {
                    format!("{kind}: {n}")
                }
            })
            .collect::<Vec<_>>()
            .join(if zh { "，" } else { "; " });
        blocks.push(Block::Para {
            text: if zh {
                format!("对检查发现问题的有关责任人严格问责，其中{list}。")
            } else {
                format!("The people concerned were held to account: {list}.")
            },
        });
    }
    blocks.push(Block::Right {
        text: issuer.clone(),
    });
    blocks.push(Block::Right {
        text: date_words(options.today, lang),
    });
    Ok(Paper {
        lang: lang.tag(),
        title,
        issuer,
        blocks,
        made: options.now,
    })
}
