//! The stable machine names the derived tables store for enums.

use anfang_core::finding::FindingResult;
use anfang_core::review::Decision;
use anfang_core::score::Appraisal;
use anfang_core::visit::VisitKind;

pub(crate) fn result(result: FindingResult) -> &'static str {
    match result {
        FindingResult::Violation => "violation",
        FindingResult::Compliant => "compliant",
        FindingResult::NotApplicable => "not_applicable",
    }
}

pub(crate) fn visit_kind(kind: VisitKind) -> &'static str {
    match kind {
        VisitKind::Unannounced => "unannounced",
        VisitKind::Open => "open",
    }
}

pub(crate) fn parse_visit_kind(name: &str) -> Option<VisitKind> {
    match name {
        "unannounced" => Some(VisitKind::Unannounced),
        "open" => Some(VisitKind::Open),
        _ => None,
    }
}

pub(crate) fn decision(decision: &Decision) -> &'static str {
    match decision {
        Decision::Confirm { .. } => "confirm",
        Decision::Dismiss { .. } => "dismiss",
        Decision::RequireRectification { .. } => "require_rectification",
        Decision::MarkRectified { .. } => "mark_rectified",
        Decision::VerifyRectification { .. } => "verify_rectification",
        Decision::Appeal { .. } => "appeal",
        Decision::DecideAppeal { .. } => "decide_appeal",
    }
}

pub(crate) fn appraisal_form(appraisal: &Appraisal) -> &'static str {
    match appraisal {
        Appraisal::Votes { .. } => "votes",
        Appraisal::Rate { .. } => "rate",
    }
}
