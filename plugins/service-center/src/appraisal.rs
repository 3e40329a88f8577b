//! The public appraisal questionnaire (万人评议) entered on a visit, scored
//! by the one definition in `anfang_core::method` (the built-in method):
//! five aspects, each (satisfied × 22 + basically satisfied × 17 +
//! dissatisfied × 11) ÷ votes and capped at the aspect's 20 points; the
//! total is the satisfaction: 1 point per point below 90. A unit whose
//! appraisal for the period is also entered on the Scores screen counts it
//! once, there.

use anfang_core::Points;
use anfang_core::score::{Appraisal, AspectVotes};
use anfang_plugin_api::ScoreRequest;

/// The input id prefixes of the five aspects, in the questionnaire's order.
pub(crate) const ASPECTS: [&str; 5] = ["education", "law", "style", "efficiency", "oversight"];

fn votes(request: &ScoreRequest, aspect: &str) -> Result<AspectVotes, String> {
    let count = |kind: &str| {
        let id = format!("{aspect}_{kind}");
        let value = request.integer(&id)?;
        u32::try_from(value).map_err(|_| format!("input '{id}' is too large: {value}"))
    };
    let votes = AspectVotes {
        satisfied: count("satisfied")?,
        basically_satisfied: count("basic")?,
        dissatisfied: count("dissatisfied")?,
    };
    if votes.total() == 0 {
        return Err(format!("aspect '{aspect}' has no votes"));
    }
    Ok(votes)
}

fn appraisal(request: &ScoreRequest) -> Result<Appraisal, String> {
    let aspects = ASPECTS
        .iter()
        .map(|aspect| votes(request, aspect))
        .collect::<Result<_, _>>()?;
    Ok(Appraisal::Votes { aspects })
}

/// The five aspects' scores added up: 55 to 100.
#[cfg(test)]
pub(crate) fn total(request: &ScoreRequest) -> Result<Points, String> {
    Ok(appraisal(request)?.satisfaction().unwrap_or(Points::ZERO))
}

pub(crate) fn deduction(request: &ScoreRequest) -> Result<Points, String> {
    Ok(appraisal(request)?.deduction())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn request(per_aspect: [u32; 3]) -> ScoreRequest {
        let mut inputs = anfang_plugin_api::serde_json::Map::new();
        for aspect in ASPECTS {
            for (kind, n) in ["satisfied", "basic", "dissatisfied"]
                .iter()
                .zip(per_aspect)
            {
                inputs.insert(format!("{aspect}_{kind}"), n.into());
            }
        }
        ScoreRequest {
            item: "center-window-appraisal".into(),
            inputs,
        }
    }

    #[test]
    fn unanimous_satisfaction_is_capped_at_one_hundred() {
        assert_eq!(total(&request([40, 0, 0])), Ok(Points::whole(100)));
        assert_eq!(deduction(&request([40, 0, 0])), Ok(Points::ZERO));
    }

    #[test]
    fn all_dissatisfied_costs_the_most() {
        assert_eq!(total(&request([0, 0, 9])), Ok(Points::whole(55)));
        assert_eq!(deduction(&request([0, 0, 9])), Ok(Points::whole(35)));
    }

    #[test]
    fn mixed_votes_follow_the_formula() {
        // Per aspect (6×22 + 3×17 + 1×11) ÷ 10 = 19.4; five aspects 97.
        assert_eq!(
            total(&request([6, 3, 1])),
            Ok(Points::from_hundredths(97_00))
        );
        // (2×22 + 5×17 + 3×11) ÷ 10 = 16.2; five aspects 81: 9 below 90.
        assert_eq!(deduction(&request([2, 5, 3])), Ok(Points::whole(9)));
    }

    #[test]
    fn an_aspect_without_votes_is_an_error() {
        let mut r = request([1, 1, 1]);
        for kind in ["satisfied", "basic", "dissatisfied"] {
            r.inputs.insert(format!("law_{kind}"), 0.into());
        }
        assert_eq!(deduction(&r), Err("aspect 'law' has no votes".into()));
        r.inputs.remove("style_basic");
        assert!(deduction(&r).unwrap_err().contains("law"));
    }
}
