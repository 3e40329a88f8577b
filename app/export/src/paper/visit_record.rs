//! The record of one visit (暗访记录 / 取证清单), for the file and as the
//! list of electronic evidence: the unit, the times, the team, every
//! finding with its note and subject, every evidence file with its SHA-256
//! and the device that recorded it, how to check the hashes, and lines for
//! the inspectors and a witness to sign.

use super::{Block, Paper};
use crate::error::ExportError;
use crate::options::ExportOptions;
use anfang_core::authority::Authority;
use anfang_core::finding::FindingResult;
use anfang_core::{Label, Lang};
use anfang_ledger::{Ledger, VisitDetail};
use jiff::Timestamp;
use uuid::Uuid;

/// The record of visit `visit_id`, in `options.lang`, times in `options.tz`.
pub fn visit_record(
    ledger: &Ledger,
    visit_id: Uuid,
    options: &ExportOptions,
) -> Result<Paper, ExportError> {
    let visit = ledger
        .visit(visit_id)?
        .ok_or_else(|| ExportError::BadOption(format!("no visit with id '{visit_id}'")))?;
    Ok(build(&visit, ledger.authority(), options))
}

fn build(visit: &VisitDetail, authority: &Authority, options: &ExportOptions) -> Paper {
    let lang = options.lang;
    // Devices by the roster's person, never by a name typed on a laptop.
    let named = |device: &str| authority.signer(device).describe(lang, device, "");
    let said = |zh: &str, en: &str| Label::new(zh, en).get(lang).to_owned();
    let time = |t: Timestamp| {
        options
            .tz
            .to_datetime(t)
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    };
    let summary = &visit.summary;
    let kind = summary.kind.label().get(lang).to_owned();
    let title = match lang {
        Lang::Zh => format!("{kind}记录及电子取证清单"),
        Lang::En => format!("Record of an {kind} visit and list of electronic evidence"),
    };
    let mut blocks = vec![Block::Title {
        text: title.clone(),
    }];

    blocks.push(Block::Heading {
        text: said("一、基本情况", "1. The visit"),
    });
    let closed = summary
        .closed_at
        .map_or_else(|| said("（未结束）", "(not closed)"), time);
    blocks.push(Block::Fields {
        rows: vec![
            (said("被检查单位", "Unit"), summary.unit.name.clone()),
            (
                said("所属部门", "Department"),
                summary.unit.department.clone(),
            ),
            (said("检查方式", "Kind"), kind),
            (said("开始时间", "Started"), time(summary.started_at)),
            (said("结束时间", "Closed"), closed),
            (
                said("检查组", "Team"),
                summary.team.join(said("、", ", ").as_str()),
            ),
            (said("记录人", "Recorded by"), named(&summary.device_id)),
            (said("记录编号", "Visit id"), summary.visit_id.to_string()),
        ],
    });

    blocks.push(Block::Heading {
        text: said("二、检查发现", "2. Findings"),
    });
    let item_label = |finding: &anfang_ledger::CurrentFinding| -> String {
        let item = &finding.record.item;
        visit
            .checklists
            .iter()
            .filter(|c| c.checklist.id == item.checklist_id)
            .find_map(|c| c.item(&item.item_id))
            .map_or_else(
                || format!("{}:{}", item.plugin_id, item.item_id),
                |i| i.label.get(lang).to_owned(),
            )
    };
    let findings = &visit.findings;
    if findings.is_empty() {
        blocks.push(Block::Para {
            text: said(
                "本次检查未记录问题。",
                "No finding was recorded on this visit.",
            ),
        });
    } else {
        let rows = findings
            .iter()
            .enumerate()
            .map(|(n, f)| {
                let result = match f.record.result {
                    FindingResult::Violation => format!(
                        "{}（{}）",
                        f.record.result.label().get(lang),
                        f.record.points
                    ),
                    other => other.label().get(lang).to_owned(),
                };
                vec![
                    vec![(n + 1).to_string()],
                    vec![time(f.record.observed_at)],
                    vec![item_label(f)],
                    vec![result],
                    vec![f.record.subject.clone().unwrap_or_default()],
                    f.record.note.lines().map(str::to_owned).collect(),
                    vec![f.evidence.len().to_string()],
                ]
            })
            .collect();
        blocks.push(Block::table(
            &[
                (said("序号", "No."), 6, false),
                (said("时间", "Time"), 14, false),
                (said("检查项", "Item"), 18, false),
                (said("结果（扣分）", "Result (points)"), 11, false),
                (said("对象", "Subject"), 13, false),
                (said("情况说明", "Note"), 30, false),
                (said("证据", "Files"), 8, false),
            ],
            rows,
        ));
    }

    blocks.push(Block::Heading {
        text: said("三、电子证据清单", "3. Electronic evidence"),
    });
    // The ledger refuses evidence from any device but the finding's own, so
    // the finding's device is the one that recorded its files.
    let evidence: Vec<Vec<Vec<String>>> = findings
        .iter()
        .enumerate()
        .flat_map(|(n, f)| {
            f.evidence.iter().map(move |e| {
                vec![
                    vec![(n + 1).to_string()],
                    vec![e.file_name.clone()],
                    vec![e.size.to_string()],
                    vec![e.sha256.clone()],
                    vec![named(&f.device_id), f.device_id.clone()],
                ]
            })
        })
        .collect();
    if evidence.is_empty() {
        blocks.push(Block::Para {
            text: said("本次检查未附证据文件。", "No evidence file was attached."),
        });
    } else {
        blocks.push(Block::table(
            &[
                (said("发现序号", "Finding"), 8, false),
                (said("文件名", "File"), 20, false),
                (said("字节数", "Bytes"), 10, false),
                (said("SHA-256 校验值", "SHA-256"), 32, true),
                (said("记录人及设备", "Recorded by, device"), 30, true),
            ],
            evidence,
        ));
    }
    let mut devices: Vec<&str> = findings.iter().map(|f| f.device_id.as_str()).collect();
    devices.push(&summary.device_id);
    devices.sort_unstable();
    devices.dedup();
    blocks.push(Block::Para {
        text: said(
            "上述记录和文件由以下设备在现场记录并签名（设备公钥指纹）。每个文件的校验值在记录时计算并写入签名事件，之后任何改动都会使校验值不符。",
            "These records and files were recorded and signed on site by these devices (public key fingerprints). Each file's hash was computed when it was recorded and written into a signed event; any later change makes the hash differ.",
        ),
    });
    blocks.push(Block::Code {
        lines: devices
            .iter()
            .map(|d| format!("{d}  {}", named(d)))
            .collect(),
    });

    blocks.push(Block::Heading {
        text: said("四、校验方法", "4. How to check the files"),
    });
    blocks.push(Block::Para {
        text: said(
            "取得证据文件副本后，在文件所在文件夹执行下列命令之一，输出的 64 位十六进制值应与上表所列逐位一致；不一致即说明文件已被改动，不能作为证据使用。",
            "With a copy of an evidence file, run one of these commands in its folder: the 64 hexadecimal digits printed must match the table above digit for digit; if they differ, the file has been changed and is not evidence.",
        ),
    });
    blocks.push(Block::Code {
        lines: vec![
            "sha256sum FILE                    # Linux".into(),
            "shasum -a 256 FILE                # macOS".into(),
            "certutil -hashfile FILE SHA256    # Windows".into(),
        ],
    });

    blocks.push(Block::Heading {
        text: said("五、签字", "5. Signatures"),
    });
    blocks.push(Block::Para {
        text: said(
            "以上记录和证据清单经核对无误。",
            "We have checked this record and list of evidence.",
        ),
    });
    let mut lines: Vec<String> = summary
        .team
        .iter()
        .map(|name| match lang {
            Lang::Zh => format!("检查人员：{name}　签字：＿＿＿＿＿　日期：＿＿＿＿"),
            Lang::En => format!("Inspector: {name}   Signature: __________   Date: ________"),
        })
        .collect();
    lines.push(said(
        "见证人签字：＿＿＿＿＿　日期：＿＿＿＿",
        "Witness: signature __________   Date: ________",
    ));
    lines.push(said(
        "见证人单位及职务：＿＿＿＿＿＿＿＿＿＿",
        "Witness's organisation and post: ________________",
    ));
    blocks.push(Block::Signatures { lines });

    Paper {
        lang: lang.tag(),
        title,
        issuer: options.issuer.clone().unwrap_or_default(),
        blocks,
        made: options.now,
    }
}
