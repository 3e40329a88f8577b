//! Accountability (问责): what the office did about one person concerned
//! by a confirmed finding, as the yearly figures count it.

use crate::label::{Label, Lang};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The kinds of accountability the office reports each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutcomeKind {
    /// 批评教育.
    CriticismEducation,
    /// 诫勉谈话.
    AdmonishmentTalk,
    /// 通报批评.
    CirculatedCriticism,
    /// 党政纪处分.
    DisciplinarySanction,
    /// 组织处理.
    OrganizationalHandling,
}

impl OutcomeKind {
    /// Every kind, in the order the yearly figures list them.
    pub const ALL: [OutcomeKind; 5] = [
        OutcomeKind::CriticismEducation,
        OutcomeKind::AdmonishmentTalk,
        OutcomeKind::CirculatedCriticism,
        OutcomeKind::DisciplinarySanction,
        OutcomeKind::OrganizationalHandling,
    ];

    /// The stable id, as stored and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::CriticismEducation => "criticism-education",
            OutcomeKind::AdmonishmentTalk => "admonishment-talk",
            OutcomeKind::CirculatedCriticism => "circulated-criticism",
            OutcomeKind::DisciplinarySanction => "disciplinary-sanction",
            OutcomeKind::OrganizationalHandling => "organizational-handling",
        }
    }

    /// The kind's name in both languages.
    pub fn label(self) -> Label {
        match self {
            OutcomeKind::CriticismEducation => Label::new("批评教育", "criticism and education"),
            OutcomeKind::AdmonishmentTalk => Label::new("诫勉谈话", "admonishment talk"),
            OutcomeKind::CirculatedCriticism => Label::new("通报批评", "circulated criticism"),
            OutcomeKind::DisciplinarySanction => {
                Label::new("党政纪处分", "party or administrative sanction")
            }
            OutcomeKind::OrganizationalHandling => {
                Label::new("组织处理", "organizational handling")
            }
        }
    }

    /// The kind typed as its id or its Chinese name.
    pub fn parse(text: &str) -> Option<OutcomeKind> {
        let t = text.trim();
        OutcomeKind::ALL
            .into_iter()
            .find(|k| k.as_str() == t || k.label().get(Lang::Zh) == t)
    }
}

/// The body of an `outcome_recorded` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRecorded {
    /// The finding the person was concerned by.
    pub finding_id: Uuid,
    /// The person's name.
    pub person: String,
    /// What was done.
    pub kind: OutcomeKind,
    /// The day it was decided: the yearly figures count it in that year.
    pub date: jiff::civil::Date,
    /// The document number (文号), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_ids_and_chinese_names_and_nothing_else() {
        for k in OutcomeKind::ALL {
            assert_eq!(OutcomeKind::parse(k.as_str()), Some(k));
            assert_eq!(OutcomeKind::parse(k.label().get(Lang::Zh)), Some(k));
        }
        assert_eq!(OutcomeKind::parse("诫勉"), None);
        let json = serde_json::to_string(&OutcomeKind::AdmonishmentTalk).unwrap();
        assert_eq!(json, "\"admonishment-talk\"");
    }
}
