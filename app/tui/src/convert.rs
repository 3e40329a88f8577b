//! From the ledger's and plugin host's types to the screens' plain data.

use crate::catalog::Catalog;
use crate::model::{FindingView, HistoryView, PluginRow, VisitRow, VisitView};
use anfang_ledger::{CurrentFinding, FindingHistory, VisitDetail, VisitSummary};
use anfang_plugin_host::Registry;
use uuid::Uuid;

/// A home row.
pub fn visit_row(s: VisitSummary) -> VisitRow {
    VisitRow {
        visit_id: s.visit_id,
        unit: s.unit,
        kind: s.kind,
        team: s.team,
        started_at: s.started_at,
        closed_at: s.closed_at,
        findings: s.findings,
        points: s.points,
    }
}

/// A finding's current version.
pub fn finding(f: CurrentFinding) -> FindingView {
    FindingView {
        event_id: f.event_id,
        device_id: f.device_id,
        claimed_time: f.claimed_time,
        record: f.record,
        evidence: f.evidence,
        status: f.status,
        versions: f.versions,
        conflict: f.conflict,
    }
}

/// A whole visit.
pub fn visit(d: VisitDetail) -> VisitView {
    VisitView {
        summary: visit_row(d.summary),
        checklists: d.checklists,
        findings: d.findings.into_iter().map(finding).collect(),
    }
}

/// A finding's history.
pub fn history(finding_id: Uuid, h: FindingHistory) -> HistoryView {
    HistoryView {
        finding_id,
        versions: h.versions.into_iter().map(finding).collect(),
        decisions: h.decisions,
        outcomes: h.outcomes,
        signers: h.signers,
    }
}

/// The checklists and plugin list the registry loaded.
pub fn catalog(registry: &Registry, lang: anfang_core::Lang) -> Catalog {
    let manifests = registry.manifests().into_iter().skip(1).cloned().collect();
    let mut plugins: Vec<PluginRow> = registry
        .list()
        .into_iter()
        .map(|p| PluginRow {
            id: p.id.clone().unwrap_or_default(),
            version: p.version.clone().unwrap_or_default(),
            departments: departments(&p.departments, lang),
            file: p.file.display().to_string(),
            sha256: p.sha256.clone(),
            loaded: p.is_loaded(),
            reason: p.reason().or(p.fault.clone()),
        })
        .collect();
    // Data checklists are listed with the plugins, so a refused file is
    // seen where a refused plugin is.
    plugins.extend(registry.data_checklists().iter().map(|d| {
        let manifest = d.manifest.as_ref();
        PluginRow {
            id: manifest.map(|m| m.id.clone()).unwrap_or_default(),
            version: manifest.map(|m| m.version.clone()).unwrap_or_default(),
            departments: manifest
                .map(|m| departments(&m.departments, lang))
                .unwrap_or_default(),
            file: d.file.display().to_string(),
            sha256: String::new(),
            loaded: d.refusal.is_none(),
            reason: d.refusal.as_ref().map(|r| r.text(lang)),
        }
    }));
    Catalog::new(manifests, plugins)
}

fn departments(labels: &[anfang_core::Label], lang: anfang_core::Lang) -> String {
    labels
        .iter()
        .map(|d| d.get(lang).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
