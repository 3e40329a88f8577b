//! The rectification notice (整改通知书) to one unit: the findings the
//! office ordered rectified and not yet reported done, each with its
//! deadline, and how and by when to report back. Dismissed and pending
//! findings never appear: only what review confirmed and ordered.

use super::{Block, Paper};
use crate::bulletin::date_words;
use crate::error::ExportError;
use crate::options::ExportOptions;
use crate::row::RectificationRow;
use crate::source::ExportSource;
use anfang_core::review::ReviewStatus;
use anfang_core::{Label, Lang};

/// The notice to `unit`, dated `options.today`, in `options.lang`.
pub fn notice(
    source: &dyn ExportSource,
    unit: &str,
    options: &ExportOptions,
) -> Result<Paper, ExportError> {
    let mut filter = options.filter()?;
    filter.unit = Some(unit.to_owned());
    let mut open: Vec<RectificationRow> = Vec::new();
    source.for_each_rectification(&filter, &mut |row| {
        if row.status == ReviewStatus::RectificationRequired {
            open.push(row);
        }
        Ok(())
    })?;
    if open.is_empty() {
        return Err(ExportError::BadOption(format!(
            "no finding of unit '{unit}' is waiting for rectification: there is nothing to notify"
        )));
    }
    open.sort_by_key(|r| (r.deadline, r.observed_at));
    Ok(build(unit, &open, options))
}

/// Days a unit has to report back when every deadline has already passed.
const REPORT_WEEK: i64 = 7;

fn build(unit: &str, open: &[RectificationRow], options: &ExportOptions) -> Paper {
    let lang = options.lang;
    let said = |zh: &str, en: &str| Label::new(zh, en).get(lang).to_owned();
    let issuer = options.issuer_name();
    let today = options.today;
    let day = |t: jiff::Timestamp| date_words(options.tz.to_datetime(t).date(), lang);
    let title = said("整改通知书", "Rectification notice");
    let first = open.iter().map(|r| r.observed_at).min();
    let last = open.iter().map(|r| r.observed_at).max();
    // Every row has a deadline; the report is due with the last of them,
    // unless that has passed by the notice's date: then a week after it,
    // never a day the unit could no longer meet.
    let last_deadline = open.iter().map(|r| r.deadline).max();
    let report_by = match last_deadline {
        Some(deadline) if deadline > today => deadline,
        _ => today.saturating_add(jiff::Span::new().days(REPORT_WEEK)),
    };
    let when = match (first, last) {
        (Some(a), Some(b)) if day(a) != day(b) => match lang {
            Lang::Zh => format!("{}至{}", day(a), day(b)),
            Lang::En => format!("from {} to {}", day(a), day(b)),
        },
        (Some(a), _) => match lang {
            Lang::Zh => day(a),
            Lang::En => format!("on {}", day(a)),
        },
        _ => String::new(),
    };
    let count = open.len();
    let mut blocks = vec![
        Block::Title {
            text: title.clone(),
        },
        Block::Flush {
            text: format!("{unit}{}", said("：", ":")),
        },
        Block::Para {
            text: match lang {
                Lang::Zh => format!(
                    "{when}，{issuer}对你单位开展作风效能检查，发现以下{count}个问题，经审核确认，责令整改。现将有关事项通知如下。"
                ),
                Lang::En => format!(
                    "In the work-style inspection of your unit {when}, {issuer} found the {count} problems below. Review confirmed them and rectification is ordered, as follows."
                ),
            },
        },
        Block::Heading {
            text: said("一、需要整改的问题", "1. Problems to rectify"),
        },
    ];
    let rows = open
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let mut deadline = vec![date_words(r.deadline, lang)];
            if r.overdue(today) {
                deadline.push(said("（已逾期）", "(overdue)"));
            }
            vec![
                vec![(n + 1).to_string()],
                vec![day(r.observed_at)],
                vec![r.item_label.get(lang).to_owned()],
                vec![r.subject.clone().unwrap_or_default()],
                r.note.lines().map(str::to_owned).collect(),
                deadline,
            ]
        })
        .collect();
    blocks.push(Block::table(
        &[
            (said("序号", "No."), 6, false),
            (said("发现日期", "Found on"), 15, false),
            (said("问题", "Problem"), 18, false),
            (said("对象", "Subject"), 13, false),
            (said("情况说明", "Note"), 30, false),
            (said("整改期限", "Deadline"), 16, false),
        ],
        rows,
    ));
    let report_day = date_words(report_by, lang);
    blocks.push(Block::Heading {
        text: said("二、整改要求", "2. What to do"),
    });
    let requirements = match lang {
        Lang::Zh => [
            "（一）请对照上述问题逐项整改，每项在所列整改期限前完成；涉及个人的，按有关规定严肃处理。".to_owned(),
            format!(
                "（二）请于{report_day}前将整改报告书面报送{issuer}：逐项写明整改措施、完成时间和责任人，并附照片、制度文件等佐证材料，由单位主要负责人签字并加盖公章。"
            ),
            "（三）逾期未报送整改报告或整改不到位的，将予以通报并按规定扣分；同类问题再次发现的，从严处理。".to_owned(),
        ],
        Lang::En => [
            "(1) Rectify each problem above by the deadline it is listed with; where a person is concerned, deal with it under the rules.".to_owned(),
            format!(
                "(2) By {report_day}, send {issuer} a written rectification report: for each problem, what was done, when, and who is responsible, with supporting material (photos, rules adopted), signed by the head of the unit and sealed."
            ),
            "(3) A report not sent in time, or a rectification not done, will be named in a bulletin and deducted as the rules provide; the same problem found again will be dealt with strictly.".to_owned(),
        ],
    };
    blocks.extend(requirements.into_iter().map(|text| Block::Para { text }));
    blocks.push(Block::Right {
        text: issuer.clone(),
    });
    blocks.push(Block::Right {
        text: date_words(today, lang),
    });
    blocks.push(Block::Signatures {
        lines: vec![said(
            "签收人：＿＿＿＿＿　签收日期：＿＿＿＿",
            "Received by: __________   Date: ________",
        )],
    });
    Paper {
        lang: lang.tag(),
        title,
        issuer,
        blocks,
        made: options.now,
    }
}
