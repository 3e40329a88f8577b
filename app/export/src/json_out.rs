//! JSON: one document described by `schemas/export.schema.json`, streamed
//! (findings are written one per line as they come, never collected).

use crate::error::ExportError;
use crate::export::Job;
use crate::row::{ExportRow, RectificationRow, UnitScore};
use anfang_core::Points;
use anfang_core::authority::{Signer, short_fingerprint};
use anfang_core::finding::ImportSource;
use anfang_core::tally::ItemLine;
use serde::Serialize;
use std::io::Write;

/// The `format` member of every export document.
pub const FORMAT_NAME: &str = "anfang-export";
/// The version of the document's shape.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Header<'a> {
    format: &'static str,
    version: u32,
    generated_at: String,
    device_id: String,
    method_version: u32,
    method: String,
    lang: &'static str,
    time_zone: String,
    anonymized: bool,
    filter: FilterJson<'a>,
}

#[derive(Serialize)]
struct FilterJson<'a> {
    from: Option<String>,
    to: Option<String>,
    unit: Option<&'a str>,
    department: Option<&'a str>,
    status: Option<&'static str>,
}

/// A label in both languages.
#[derive(Serialize)]
struct LabelJson<'a> {
    zh: &'a str,
    en: &'a str,
}

impl<'a> From<&'a anfang_core::Label> for LabelJson<'a> {
    fn from(label: &'a anfang_core::Label) -> Self {
        LabelJson {
            zh: &label.zh,
            en: &label.en,
        }
    }
}

/// Who recorded a finding, by the office's roster.
#[derive(Serialize)]
struct RecorderJson<'a> {
    /// The roster's name for the device's person; null when unenrolled or
    /// with no office.
    person: Option<&'a str>,
    /// Whether the roster names the device; null with no office pinned.
    enrolled: Option<bool>,
    /// The device's short fingerprint, as every screen shows it.
    fingerprint: &'a str,
}

impl<'a> RecorderJson<'a> {
    fn new(signer: &'a Signer, device: &'a str) -> RecorderJson<'a> {
        let (person, enrolled) = match signer {
            Signer::Enrolled(name) => (Some(name.as_str()), Some(true)),
            Signer::Unenrolled => (None, Some(false)),
            Signer::OpenMode => (None, None),
        };
        RecorderJson {
            person,
            enrolled,
            fingerprint: short_fingerprint(device),
        }
    }
}

#[derive(Serialize)]
struct FindingJson<'a> {
    finding_id: String,
    visit_id: String,
    event_id: &'a str,
    device_id: &'a str,
    recorded_by: RecorderJson<'a>,
    observed_at: String,
    unit: &'a str,
    department: &'a str,
    visit_kind: anfang_core::visit::VisitKind,
    inspectors: &'a [String],
    plugin_id: &'a str,
    plugin_version: &'a str,
    checklist_id: &'a str,
    item_id: &'a str,
    checklist: LabelJson<'a>,
    item: LabelJson<'a>,
    result: anfang_core::finding::FindingResult,
    count: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    count_unit: Option<anfang_core::rule::CountUnit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    points_per_count: Option<Points>,
    #[serde(skip_serializing_if = "Option::is_none")]
    percent: Option<Points>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    values: &'a serde_json::Map<String, serde_json::Value>,
    points: Points,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    note: &'a str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a ImportSource>,
    versions: u32,
    conflict: bool,
    evidence_files: u32,
}

impl<'a> From<&'a ExportRow> for FindingJson<'a> {
    fn from(row: &'a ExportRow) -> Self {
        FindingJson {
            finding_id: row.finding_id.to_string(),
            visit_id: row.visit_id.to_string(),
            event_id: &row.event_id,
            device_id: &row.device_id,
            recorded_by: RecorderJson::new(&row.recorded_by, &row.device_id),
            observed_at: row.observed_at.to_string(),
            unit: &row.unit,
            department: &row.department,
            visit_kind: row.visit_kind,
            inspectors: &row.inspectors,
            plugin_id: &row.item.plugin_id,
            plugin_version: &row.item.plugin_version,
            checklist_id: &row.item.checklist_id,
            item_id: &row.item.item_id,
            checklist: (&row.checklist_label).into(),
            item: (&row.item_label).into(),
            result: row.result,
            count: row.input.count,
            count_unit: row.count_unit,
            points_per_count: row.input.chosen,
            percent: row.input.percent,
            values: &row.input.values,
            points: row.points,
            subject: row.subject.as_deref(),
            note: &row.note,
            status: row.status.as_str(),
            deadline: row.deadline.map(|d| d.to_string()),
            source: row.source.as_ref(),
            versions: row.versions,
            conflict: row.conflict,
            evidence_files: row.evidence_files,
        }
    }
}

#[derive(Serialize)]
struct DeductionJson<'a> {
    item: &'a str,
    plugin_id: &'a str,
    checklist_id: &'a str,
    label: LabelJson<'a>,
    checklist: LabelJson<'a>,
    findings: u32,
    count: u32,
    points: Points,
}

#[derive(Serialize)]
struct UnitJson<'a> {
    rank: u32,
    unit: &'a str,
    department: &'a str,
    score: Points,
    grade: &'static str,
    deducted: Points,
    appraisal: Points,
    counted: u64,
    pending: u64,
    pending_points: Points,
    deductions: Vec<DeductionJson<'a>>,
}

impl<'a> From<&'a UnitScore> for UnitJson<'a> {
    fn from(unit: &'a UnitScore) -> Self {
        UnitJson {
            rank: unit.rank,
            unit: &unit.unit,
            department: &unit.department,
            score: unit.score,
            grade: unit.grade.as_str(),
            deducted: unit.deducted,
            appraisal: unit.appraisal,
            counted: unit.counted,
            pending: unit.pending,
            pending_points: unit.pending_points,
            deductions: unit.deductions.iter().map(deduction).collect(),
        }
    }
}

fn deduction(d: &ItemLine) -> DeductionJson<'_> {
    DeductionJson {
        item: &d.key.item_id,
        plugin_id: &d.key.plugin_id,
        checklist_id: &d.key.checklist_id,
        label: (&d.item).into(),
        checklist: (&d.checklist).into(),
        findings: d.findings,
        count: d.count,
        points: d.points,
    }
}

#[derive(Serialize)]
struct RectificationJson<'a> {
    finding_id: String,
    unit: &'a str,
    department: &'a str,
    item: LabelJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<&'a str>,
    note: &'a str,
    observed_at: String,
    ordered_at: String,
    ordered_by: &'a str,
    deadline: String,
    status: &'static str,
    overdue: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    rectified_note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rectified_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    verified_at: Option<String>,
}

fn rectification(row: &RectificationRow, today: jiff::civil::Date) -> RectificationJson<'_> {
    RectificationJson {
        finding_id: row.finding_id.to_string(),
        unit: &row.unit,
        department: &row.department,
        item: (&row.item_label).into(),
        subject: row.subject.as_deref(),
        note: &row.note,
        observed_at: row.observed_at.to_string(),
        ordered_at: row.ordered_at.to_string(),
        ordered_by: &row.ordered_by,
        deadline: row.deadline.to_string(),
        status: row.status.as_str(),
        overdue: row.overdue(today),
        rectified_note: row.rectified_note.as_deref(),
        rectified_at: row.rectified_at.map(|t| t.to_string()),
        verified_at: row.verified_at.map(|t| t.to_string()),
    }
}

/// Writes the export document of `job`.
pub(crate) fn write(job: &mut Job<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    let options = job.options;
    let method = job.source.method()?;
    let header = Header {
        format: FORMAT_NAME,
        version: FORMAT_VERSION,
        generated_at: jiff::Timestamp::now().to_string(),
        device_id: job.source.device_id(),
        method_version: method.version,
        method: method.citation.get(options.lang).to_owned(),
        lang: options.lang.tag(),
        time_zone: match options.tz.iana_name() {
            Some(name) => name.to_owned(),
            // A zone without a name (a bare /etc/localtime) is told by its offset now.
            None => options.tz.to_offset(jiff::Timestamp::now()).to_string(),
        },
        anonymized: options.anonymize,
        filter: FilterJson {
            from: options.from.map(|d| d.to_string()),
            to: options.to.map(|d| d.to_string()),
            unit: options.unit.as_deref(),
            department: options.department.as_deref(),
            status: options.status.map(|s| s.as_str()),
        },
    };
    // The header's members open the document; the lists follow one by one.
    let head = serde_json::to_string(&header)?;
    out.write_all(head.strip_suffix('}').unwrap_or(&head).as_bytes())?;

    out.write_all(b",\n\"findings\": [")?;
    let mut first = true;
    job.each_finding(&mut |row| {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        serde_json::to_writer(&mut *out, &FindingJson::from(row))?;
        Ok(())
    })?;
    out.write_all(b"\n],\n\"units\": [")?;
    let scores = job.unit_scores()?;
    for (i, unit) in scores.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &UnitJson::from(unit))?;
    }
    out.write_all(b"\n],\n\"rectifications\": [")?;
    let today = options.today;
    let mut first = true;
    job.each_rectification(&mut |row| {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        serde_json::to_writer(&mut *out, &rectification(row, today))?;
        Ok(())
    })?;
    out.write_all(b"\n]\n}\n")?;
    Ok(())
}
