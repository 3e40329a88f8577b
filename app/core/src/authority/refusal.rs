//! Why an event does not count.

use super::roster::Role;
use crate::label::{Label, Lang};

/// The reason an event is kept but counts for nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The device is on no roster of this office.
    NotEnrolled,
    /// The device is enrolled, but this event lies outside its windows
    /// (before it was enrolled, or after it was revoked).
    OutsideWindow {
        /// The person it belongs to.
        person: String,
    },
    /// The person lacks the role.
    LacksRole {
        /// Who.
        person: String,
        /// The role needed.
        role: Role,
        /// The unit concerned.
        unit: String,
    },
    /// The person must not act on this unit (回避).
    Recused {
        /// Who.
        person: String,
        /// The unit.
        unit: String,
    },
    /// A lower office's device acted beyond the units delegated to it.
    BeyondDelegation {
        /// The lower office.
        office: String,
        /// The unit.
        unit: String,
    },
    /// Someone decided on a finding their own device recorded or a visit
    /// they were on.
    OwnFinding {
        /// Who.
        person: String,
    },
    /// Someone decided on an office deduction they (or their device) entered.
    OwnDeduction {
        /// Who.
        person: String,
    },
    /// A finding, evidence or closing from a device other than the one that
    /// opened the visit.
    NotVisitOwner,
    /// A correction from a device other than the one that recorded the
    /// version it corrects.
    NotRecorder,
    /// The visit or finding it belongs to is not in the ledger.
    Orphan,
    /// The points do not follow the item's rule.
    PointsOffRule {
        /// What the rule allows, in words.
        detail: String,
    },
    /// A decision made after the office was adopted that does not name the
    /// decision it follows.
    Unchained,
    /// An appeal decided by the reviewer who confirmed the finding (in
    /// open mode: from a device that confirmed it): 申诉复核 needs someone else.
    OwnConfirmation {
        /// Who (the roster's person, or the device in open mode).
        person: String,
    },
    /// An accountability outcome on a finding not (or no longer) confirmed:
    /// pending or dismissed findings hold no one to account.
    NotConfirmed {
        /// The finding's status id when the outcome was judged.
        status: String,
    },
    /// A roster version not signed by the pinned office's roots.
    RosterUnsigned {
        /// What is wrong with it.
        detail: String,
    },
}

impl Refusal {
    /// `unauthorized` (who may) or `invalid` (what is).
    pub fn class(&self) -> &'static str {
        match self {
            Refusal::PointsOffRule { .. }
            | Refusal::Orphan
            | Refusal::Unchained
            | Refusal::NotConfirmed { .. } => "invalid",
            _ => "unauthorized",
        }
    }

    /// The reason in the user's language, one line.
    pub fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Refusal::NotEnrolled => {
                Label::new("设备不在本办名册中", "device is not on the office's roster")
                    .get(lang)
                    .to_string()
            }
            Refusal::OutsideWindow { person } => {
                if zh {
                    format!("{person} 的设备在此序号时未获授权（未启用或已吊销）")
                } else {
                    format!(
                        "{person}'s device was not authorized at this sequence number (not yet enrolled, or revoked)"
                    )
                }
            }
            Refusal::LacksRole { person, role, unit } => {
                if zh {
                    format!("{person} 无{}权限（{unit}）", role.label().get(lang))
                } else {
                    format!("{person} is not a {} for {unit}", role.as_str())
                }
            }
            Refusal::Recused { person, unit } => {
                if zh {
                    format!("{person} 须回避 {unit}")
                } else {
                    format!("{person} must recuse from {unit}")
                }
            }
            Refusal::BeyondDelegation { office, unit } => {
                if zh {
                    format!("{office} 的授权不含 {unit}")
                } else {
                    format!("{office} is not delegated {unit}")
                }
            }
            Refusal::OwnDeduction { person } => {
                if zh {
                    format!("{person} 不得审核本人录入的效能办扣分")
                } else {
                    format!("{person} may not review an office deduction they entered")
                }
            }
            Refusal::OwnFinding { person } => {
                if zh {
                    format!("{person} 不得审核本人记录或参与的检查")
                } else {
                    format!(
                        "{person} may not review a finding of their own device or a visit they were on"
                    )
                }
            }
            Refusal::NotVisitOwner => Label::new(
                "非开启该次检查的设备所记",
                "not from the device that opened the visit",
            )
            .get(lang)
            .to_string(),
            Refusal::NotRecorder => Label::new(
                "更正和证据须由原记录设备作出",
                "corrections and evidence must come from the device that recorded the finding",
            )
            .get(lang)
            .to_string(),
            Refusal::Orphan => Label::new(
                "所属检查或记录不在台账中",
                "the visit or finding it belongs to is not in the ledger",
            )
            .get(lang)
            .to_string(),
            Refusal::PointsOffRule { detail } => {
                if zh {
                    format!("扣分不符合该项规则（{detail}）")
                } else {
                    format!("points do not follow the item's rule ({detail})")
                }
            }
            Refusal::Unchained => Label::new(
                "决定未注明其所接续的决定",
                "the decision does not name the decision it follows",
            )
            .get(lang)
            .to_string(),
            Refusal::OwnConfirmation { person } => {
                if zh {
                    format!("{person} 确认了该问题，申诉须由其他审核人复核")
                } else {
                    format!(
                        "{person} confirmed this finding; an appeal must be decided by another reviewer"
                    )
                }
            }
            Refusal::NotConfirmed { status } => {
                let status = crate::review::ReviewStatus::parse(status)
                    .map_or_else(|| status.clone(), |s| s.label().get(lang).to_string());
                if zh {
                    format!("问题未经确认（{status}），不能记录问责")
                } else {
                    format!(
                        "the finding is not confirmed ({status}); no accountability can be recorded"
                    )
                }
            }
            Refusal::RosterUnsigned { detail } => {
                if zh {
                    format!("名册未经本办根密钥签署：{detail}")
                } else {
                    format!("roster not signed by the office's root keys: {detail}")
                }
            }
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}
