//! Checking one raw row against the known units and checklists: every
//! problem of the row is named, not just the first.

use super::catalog::{Catalog, CatalogItem};
use super::dates::parse_time;
use super::error::said;
use super::raw::RawRow;
use super::suggest::{closest, did_you_mean};
use anfang_core::Points;
use anfang_core::finding::FindingResult;
use anfang_core::label::Label;
use anfang_core::register::{Register, UnitRegistered};
use anfang_core::rule::{Rule, RuleInput};
use anfang_core::visit::{Unit, VisitKind};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// What a row is checked against.
#[derive(Debug)]
pub struct Checks<'a> {
    /// Items that may be named.
    pub catalog: &'a Catalog,
    /// Units that may be named (those the ledger knows).
    pub units: &'a [Unit],
    /// The office's register: a unit named by an alias or former name is
    /// recorded under its registered name (empty: names as written).
    pub register: &'a Register,
    /// Names typed on visits that the office mapped to registered units
    /// (typed name, unit id): a row naming one is recorded under the unit.
    pub mappings: &'a [(String, Uuid)],
    /// Time zone of times written without an offset.
    pub tz: &'a TimeZone,
    /// Now: findings cannot be observed later than this.
    pub now: Timestamp,
}

/// A row that passed every check, ready to become events.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRow {
    /// Row number in the file.
    pub row: u64,
    /// The unit, as the ledger knows it.
    pub unit: Unit,
    /// Unannounced (default) or open.
    pub kind: VisitKind,
    /// The reporter, or the team, lead first.
    pub team: Vec<String>,
    /// The item and its checklist.
    pub item: CatalogItem,
    /// Violation (default), compliant, not applicable.
    pub result: FindingResult,
    /// Count, chosen value, percentage.
    pub input: RuleInput,
    /// The deduction by the item's rule.
    pub points: Points,
    /// Who or where.
    pub subject: Option<String>,
    /// What was seen.
    pub note: String,
    /// When.
    pub observed_at: Timestamp,
    /// The finding's id when the file came from an export.
    pub finding_id: Option<Uuid>,
    /// The row gave a date without a time: the default time was taken.
    pub default_time: bool,
    /// The row gave a date without a year: the year was taken from now.
    pub year_taken: bool,
}

/// Characters that separate the names of a team.
const NAME_SEPARATORS: &[char] = &['、', ',', '，', ';', '；'];

impl ValidRow {
    /// The reporter as stored in the import source: the team joined by 、.
    pub fn reporter(&self) -> String {
        self.team.join("、")
    }

    /// The id the finding gets: the one the file gives (an export of some
    /// ledger), else one derived from what the row says and who reported it.
    pub fn id(&self) -> Uuid {
        self.finding_id
            .unwrap_or_else(|| super::ids::finding_id(&self.fingerprint(), self.observed_at))
    }

    /// A digest of what the row says, to recognise the same finding
    /// imported again from another file.
    pub fn fingerprint(&self) -> String {
        fingerprint(
            &self.unit,
            &self.item.checklist.plugin_id,
            &self.item.item.id,
            self.observed_at,
            &self.input,
            self.subject.as_deref(),
            &self.note,
            &self.reporter(),
        )
    }
}

/// The digest behind [`ValidRow::fingerprint`], for findings already in a ledger.
#[allow(clippy::too_many_arguments)]
pub fn fingerprint(
    unit: &Unit,
    plugin_id: &str,
    item_id: &str,
    observed_at: Timestamp,
    input: &RuleInput,
    subject: Option<&str>,
    note: &str,
    reporter: &str,
) -> String {
    let parts = serde_json::json!([
        unit.name,
        unit.department,
        plugin_id,
        item_id,
        observed_at.as_second(),
        input.count,
        input.chosen.map(|p| p.hundredths()),
        input.percent.map(|p| p.hundredths()),
        subject.unwrap_or(""),
        note,
        reporter,
    ]);
    hex::encode(Sha256::digest(parts.to_string().as_bytes()))
}

/// A number of points or a percentage; `what` names the field (zh, en).
fn parse_points(what: (&str, &str), text: &str) -> Result<Points, Label> {
    let bad = || {
        said(
            format!("{}'{text}'不是数字", what.0),
            format!("{} '{text}' is not a number", what.1),
        )
    };
    let value: f64 = text
        .trim()
        .trim_end_matches(['%', '％'])
        .parse()
        .map_err(|_| bad())?;
    Points::from_f64(value).ok_or_else(bad)
}

fn parse_count(text: &str, result: FindingResult) -> Result<u32, Label> {
    let text = text.trim();
    match text.parse::<i64>() {
        // A compliant or not-applicable finding counts nothing (exports write 0).
        Ok(0) if result != FindingResult::Violation => Ok(0),
        Ok(n) if n < 0 => Err(said(
            format!("数量为负数 {n}"),
            format!("negative count {n}"),
        )),
        Ok(0) => Err(said(
            "数量为 0：每条问题至少计 1",
            "count 0: a finding counts at least 1",
        )),
        Ok(n) => u32::try_from(n)
            .map_err(|_| said(format!("数量 {n} 过大"), format!("count {n} is too large"))),
        Err(_) => Err(said(
            format!("数量'{text}'不是整数"),
            format!("count '{text}' is not a whole number"),
        )),
    }
}

fn parse_kind(text: &str) -> Result<VisitKind, Label> {
    match text.trim().to_ascii_lowercase().as_str() {
        "暗访" | "unannounced" => Ok(VisitKind::Unannounced),
        "明察" | "open" => Ok(VisitKind::Open),
        _ => Err(said(
            format!("检查方式'{text}'既不是暗访也不是明察"),
            format!("visit kind '{text}' is neither 暗访/unannounced nor 明察/open"),
        )),
    }
}

fn parse_result(text: &str) -> Result<FindingResult, Label> {
    match text.trim().to_ascii_lowercase().as_str() {
        "违规" | "violation" => Ok(FindingResult::Violation),
        "合规" | "compliant" => Ok(FindingResult::Compliant),
        "不适用" | "n/a" | "not_applicable" | "not applicable" => {
            Ok(FindingResult::NotApplicable)
        }
        _ => Err(said(
            format!("结果'{text}'不是违规、合规或不适用"),
            format!(
                "result '{text}' is not 违规/violation, 合规/compliant or 不适用/not applicable"
            ),
        )),
    }
}

/// The registered unit a name means: by its name, an alias or a former
/// name, then by the office's mapping of a name typed on a visit.
fn registered<'r>(
    register: &'r Register,
    mappings: &[(String, Uuid)],
    name: &str,
) -> Option<&'r UnitRegistered> {
    register.resolve(name).or_else(|| {
        let name = name.trim();
        mappings
            .iter()
            .find(|(typed, _)| typed == name)
            .and_then(|(_, id)| register.get(*id))
    })
}

fn resolve_unit(
    units: &[Unit],
    (register, mappings): (&Register, &[(String, Uuid)]),
    name: &str,
    department: Option<&str>,
) -> Result<Unit, Label> {
    let same_name: Vec<&Unit> = units.iter().filter(|u| u.name == name).collect();
    if same_name.is_empty() {
        // Near an alias, a former name or a mapped name too; suggested by
        // the registered name.
        let candidates = units
            .iter()
            .map(|u| u.name.as_str())
            .chain(register.all_names())
            .chain(mappings.iter().map(|(typed, _)| typed.as_str()));
        let mut found: Vec<&str> = Vec::new();
        for near in closest(name, candidates, 6) {
            let near = registered(register, mappings, near).map_or(near, |u| u.name.as_str());
            if !found.contains(&near) {
                found.push(near);
            }
        }
        found.truncate(3);
        let (zh, en) = did_you_mean(&found);
        return Err(said(
            format!("未知单位'{name}'{zh}"),
            format!("unknown unit '{name}'{en}"),
        ));
    }
    match department {
        Some(department) => same_name
            .iter()
            .find(|u| u.department == department)
            .map(|u| (*u).clone())
            .ok_or_else(|| {
                let known: Vec<&str> = same_name.iter().map(|u| u.department.as_str()).collect();
                said(
                    format!(
                        "单位'{name}'不属于部门'{department}'（它属于{}）",
                        known.join("、")
                    ),
                    format!(
                        "unit '{name}' is not in department '{department}' (it is in {})",
                        known.join(", ")
                    ),
                )
            }),
        None => match same_name.as_slice() {
            [one] => Ok((*one).clone()),
            many => {
                let known: Vec<&str> = many.iter().map(|u| u.department.as_str()).collect();
                Err(said(
                    format!(
                        "多个部门都有单位'{name}'（{}）：请注明部门",
                        known.join("、")
                    ),
                    format!(
                        "unit '{name}' exists in several departments ({}): give the department",
                        known.join(", ")
                    ),
                ))
            }
        },
    }
}

/// Checks one row; the error names every problem found, separated by "; ".
pub fn validate(raw: &RawRow, checks: &Checks<'_>) -> Result<ValidRow, Label> {
    let mut problems: Vec<Label> = Vec::new();
    let mut missing = |zh: &str, en: &str| {
        problems.push(said(
            format!("缺少字段：{zh}"),
            format!("missing field {en} ({zh})"),
        ));
    };
    let unit_name = raw.unit.as_deref();
    let item_text = raw.item.as_deref();
    let time_text = raw.observed_at.as_deref();
    let note = raw.note.clone();
    let reporter = raw.reporter.as_deref();
    if unit_name.is_none() {
        missing("单位", "unit");
    }
    if item_text.is_none() {
        missing("检查项", "item");
    }
    if time_text.is_none() {
        missing("发现时间", "observed_at");
    }
    if note.is_none() {
        missing("情况说明", "note");
    }
    if reporter.is_none() {
        missing("监督员", "reporter");
    }

    let unit = unit_name.and_then(|name| {
        let name =
            registered(checks.register, checks.mappings, name).map_or(name, |u| u.name.as_str());
        resolve_unit(
            checks.units,
            (checks.register, checks.mappings),
            name,
            raw.department.as_deref(),
        )
        .map_err(|e| problems.push(e))
        .ok()
    });
    let item = item_text.and_then(|text| {
        checks
            .catalog
            .resolve(text, raw.plugin_id.as_deref())
            .map_err(|e| problems.push(e))
            .ok()
    });
    let read_time = time_text.and_then(|text| match parse_time(text, checks.tz, checks.now) {
        Ok(t) if t.at > checks.now => {
            problems.push(said(
                format!("日期'{text}'在未来"),
                format!("date '{text}' is in the future"),
            ));
            None
        }
        Ok(t) => Some(t),
        Err(e) => {
            problems.push(e);
            None
        }
    });
    let observed_at = read_time.map(|t| t.at);
    let kind = raw
        .kind
        .as_deref()
        .map_or(Ok(VisitKind::Unannounced), parse_kind)
        .map_err(|e| problems.push(e))
        .ok();
    let result = raw
        .result
        .as_deref()
        .map_or(Ok(FindingResult::Violation), parse_result)
        .map_err(|e| problems.push(e))
        .ok();
    let finding_id = raw.finding_id.as_deref().and_then(|id| {
        Uuid::parse_str(id)
            .map_err(|_| {
                problems.push(said(
                    format!("问题编号'{id}'不是 UUID"),
                    format!("finding id '{id}' is not a UUID"),
                ));
            })
            .ok()
    });

    // What the item's rule needs.
    let mut input = RuleInput::default();
    let mut points = None;
    if let (Some(item), Some(result)) = (item, result) {
        let rule = &item.item.rule;
        let needs_count = matches!(rule, Rule::PerCount { .. } | Rule::Range { .. });
        let violation = result == FindingResult::Violation;
        match (&raw.count, needs_count) {
            (Some(text), _) => match parse_count(text, result) {
                Ok(n) => input.count = n,
                Err(e) => problems.push(e),
            },
            // A compliant row needs no count: an export leaves it empty.
            (None, _) if !violation => input.count = 0,
            (None, true) => problems.push(said("缺少字段：数量", "missing field count (数量)")),
            (None, false) => input.count = 1,
        }
        if let Some(text) = &raw.points_per_count {
            match (rule, parse_points(("每次扣分", "points per count"), text)) {
                (Rule::Range { .. }, Ok(p)) => input.chosen = Some(p),
                (_, Ok(_)) => problems.push(said(
                    format!(
                        "给出了每次扣分'{text}'，但检查项'{}'的分值固定",
                        item.item.id
                    ),
                    format!(
                        "points per count '{text}' given, but item '{}' has fixed points",
                        item.item.id
                    ),
                )),
                (_, Err(e)) => problems.push(e),
            }
        }
        if let Some(text) = &raw.percent {
            match parse_points(("百分比", "percent"), text) {
                Ok(p) if matches!(rule, Rule::BelowThreshold { .. }) => input.percent = Some(p),
                Ok(_) => problems.push(said(
                    format!(
                        "给出了百分比'{text}'，但检查项'{}'不按百分比扣分",
                        item.item.id
                    ),
                    format!(
                        "percent '{text}' given, but item '{}' is not a percentage",
                        item.item.id
                    ),
                )),
                Err(e) => problems.push(e),
            }
        } else if matches!(rule, Rule::BelowThreshold { .. }) && result == FindingResult::Violation
        {
            problems.push(said("缺少字段：百分比", "missing field percent (百分比)"));
        }
        if result == FindingResult::Violation {
            match rule {
                Rule::Computed { .. } => problems.push(said(
                    format!(
                        "检查项'{}'由插件根据多项输入计算：请在应用中记录",
                        item.item.id
                    ),
                    format!(
                        "item '{}' is computed by its plugin from several inputs: record it in the app",
                        item.item.id
                    ),
                )),
                _ if problems.is_empty() => match rule.deduction(&input) {
                    Ok(p) => points = Some(p),
                    Err(e) => problems.push(said(
                        format!("检查项'{}'：{e}", item.item.id),
                        format!("item '{}': {e}", item.item.id),
                    )),
                },
                _ => {}
            }
        } else {
            points = Some(Points::ZERO);
        }
    }

    let team: Vec<String> = reporter
        .map(|r| {
            r.split(NAME_SEPARATORS)
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    match (unit, item, observed_at, kind, result, note, points) {
        (
            Some(unit),
            Some(item),
            Some(observed_at),
            Some(kind),
            Some(result),
            Some(note),
            Some(points),
        ) if problems.is_empty() && !team.is_empty() => Ok(ValidRow {
            row: raw.row,
            unit,
            kind,
            team,
            item: item.clone(),
            result,
            input,
            points,
            subject: raw.subject.clone(),
            note,
            observed_at,
            finding_id,
            default_time: read_time.is_some_and(|t| t.default_time),
            year_taken: read_time.is_some_and(|t| t.year_taken),
        }),
        _ => {
            if problems.is_empty() {
                problems.push(said("缺少字段：监督员", "missing field reporter (监督员)"));
            }
            let zh: Vec<&str> = problems.iter().map(|p| p.zh.as_str()).collect();
            let en: Vec<&str> = problems.iter().map(|p| p.en.as_str()).collect();
            Err(said(zh.join("；"), en.join("; ")))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    #[test]
    fn counts_must_be_whole_and_positive() {
        let v = FindingResult::Violation;
        assert_eq!(parse_count("3", v), Ok(3));
        assert_eq!(
            parse_count("-2", v),
            Err(Label::new("数量为负数 -2", "negative count -2"))
        );
        assert!(parse_count("0", v).is_err());
        assert_eq!(parse_count("0", FindingResult::Compliant), Ok(0));
        assert!(parse_count("1.5", v).unwrap_err().en.contains("'1.5'"));
    }

    #[test]
    fn a_name_near_an_alias_suggests_the_registered_name() {
        let unit = anfang_core::register::UnitRegistered {
            unit_id: uuid::Uuid::from_u64_pair(1, 1),
            version: 1,
            name: "市财政局国库支付中心".into(),
            department: "财政".into(),
            kind: "下属单位".into(),
            parent: None,
            aliases: vec!["国库集中支付中心".into()],
            active_from: None,
            active_to: None,
        };
        let register = Register {
            units: vec![unit.clone()],
            former_names: vec![],
        };
        let units = [unit.unit()];
        let err = resolve_unit(&units, (&register, &[]), "国库集中支付中新", None).unwrap_err();
        assert!(
            err.en.contains("did you mean '市财政局国库支付中心'"),
            "{err:?}"
        );
    }

    #[test]
    fn a_mapped_name_is_the_registered_unit_and_near_ones_suggest_it() {
        let unit = anfang_core::register::UnitRegistered {
            unit_id: uuid::Uuid::from_u64_pair(1, 1),
            version: 1,
            name: "市税务局第一税务分局办税服务厅".into(),
            department: "税务".into(),
            kind: "窗口".into(),
            parent: None,
            aliases: vec![],
            active_from: None,
            active_to: None,
        };
        let register = Register {
            units: vec![unit.clone()],
            former_names: vec![],
        };
        let mappings = [("市税务局第一分局办税厅".to_string(), unit.unit_id)];
        let typed = Unit {
            name: "市税务局第一分局办税厅".into(),
            department: "税务".into(),
        };
        let units = [unit.unit(), typed];
        let catalog = Catalog::core();
        let tz = shanghai();
        let checks = Checks {
            catalog: &catalog,
            units: &units,
            register: &register,
            mappings: &mappings,
            tz: &tz,
            now: "2026-04-01T00:00:00Z".parse().unwrap(),
        };
        let raw = RawRow {
            row: 2,
            unit: Some("市税务局第一分局办税厅".into()),
            item: Some("迟到".into()),
            observed_at: Some("2026-03-05 08:45".into()),
            count: Some("1".into()),
            note: Some("一人迟到".into()),
            reporter: Some("刘监督".into()),
            ..RawRow::default()
        };
        assert_eq!(validate(&raw, &checks).unwrap().unit, unit.unit());
        let near = RawRow {
            unit: Some("市税务局第一分局办税听".into()),
            ..raw
        };
        let err = validate(&near, &checks).unwrap_err();
        assert!(
            err.en
                .contains("unknown unit '市税务局第一分局办税听' (did you mean '市税务局第一税务分局办税服务厅'?)"),
            "{err:?}"
        );
        let unmapped =
            resolve_unit(&units, (&register, &[]), "市税务局第一分局办税厅", None).unwrap();
        assert_eq!(unmapped.name, "市税务局第一分局办税厅");
    }

    #[test]
    fn every_problem_of_a_row_is_named() {
        let catalog = Catalog::core();
        let units = [Unit {
            name: "税务大厅".into(),
            department: "税务".into(),
        }];
        let tz = shanghai();
        let checks = Checks {
            catalog: &catalog,
            units: &units,
            register: &Register::default(),
            mappings: &[],
            tz: &tz,
            now: "2026-04-01T00:00:00Z".parse().unwrap(),
        };
        let raw = RawRow {
            row: 7,
            unit: Some("规划局".into()),
            item: Some("睡觉".into()),
            observed_at: Some("2026-03-05 8点半".into()),
            count: Some("-1".into()),
            note: None,
            reporter: Some("刘".into()),
            ..RawRow::default()
        };
        let err = validate(&raw, &checks).unwrap_err();
        for part in [
            "unknown unit '规划局'",
            "unknown item '睡觉'",
            "bad date '2026-03-05 8点半'",
            "missing field note",
        ] {
            assert!(err.en.contains(part), "{part} not in {err:?}");
        }
        let good = RawRow {
            row: 2,
            unit: Some("税务大厅".into()),
            item: Some("迟到".into()),
            observed_at: Some("2026-03-05 08:45".into()),
            count: Some("2".into()),
            note: Some("两人迟到".into()),
            reporter: Some("刘监督、王监督".into()),
            ..RawRow::default()
        };
        let row = validate(&good, &checks).unwrap();
        assert_eq!(row.points, Points::whole(2));
        assert_eq!(row.team, vec!["刘监督", "王监督"]);
        let future = RawRow {
            observed_at: Some("2026-05-01 08:00".into()),
            ..good
        };
        assert!(
            validate(&future, &checks)
                .unwrap_err()
                .en
                .contains("in the future")
        );
    }
}
