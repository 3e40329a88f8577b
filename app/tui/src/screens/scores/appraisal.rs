//! Entering public appraisal results for a unit and period: a satisfaction
//! rate (`87.5`) or the votes on the five aspects (`60/25/15` five times:
//! satisfied / basically satisfied / dissatisfied).

use crate::i18n::tf;
use crate::widgets::field;
use anfang_core::period::Period;
use anfang_core::score::{Appraisal, AspectVotes};
use anfang_core::visit::Unit;
use anfang_core::{Lang, Points};
use ratatui_textarea::TextArea;

/// Aspects of the questionnaire.
pub const ASPECTS: usize = 5;

/// The open form.
#[derive(Debug, Clone)]
pub struct AppraisalForm {
    /// The unit appraised.
    pub unit: Unit,
    /// The period appraised.
    pub period: Period,
    /// What is typed.
    pub entry: TextArea<'static>,
    /// What is wrong with it, after a refused attempt.
    pub error: Option<String>,
}

impl PartialEq for AppraisalForm {
    fn eq(&self, other: &Self) -> bool {
        self.unit == other.unit
            && self.period == other.period
            && field::text(&self.entry) == field::text(&other.entry)
            && self.error == other.error
    }
}

impl AppraisalForm {
    /// An empty form for `unit` and `period`.
    pub fn new(unit: Unit, period: Period) -> AppraisalForm {
        AppraisalForm {
            unit,
            period,
            entry: field::line(""),
            error: None,
        }
    }
}

/// Reads a rate or five aspects' votes; a message naming the bad value otherwise.
pub fn parse(text: &str, lang: Lang) -> Result<Appraisal, String> {
    let text = text.trim();
    let bad = || tf(lang, "scores.appraisal_bad", &[("value", &text)]);
    if !text.contains('/') {
        let number = text.trim_end_matches('%').trim();
        let percent = number
            .parse::<f64>()
            .ok()
            .and_then(Points::from_f64)
            .filter(|p| *p >= Points::ZERO && *p <= Points::whole(100))
            .ok_or_else(bad)?;
        return Ok(Appraisal::Rate { percent });
    }
    let aspects: Vec<AspectVotes> = text
        .split_whitespace()
        .map(|triple| {
            let n: Vec<u32> = triple
                .split('/')
                .map(|v| v.parse::<u32>())
                .collect::<Result<_, _>>()
                .map_err(|_| bad())?;
            match n.as_slice() {
                [s, b, d] => Ok(AspectVotes {
                    satisfied: *s,
                    basically_satisfied: *b,
                    dissatisfied: *d,
                }),
                _ => Err(bad()),
            }
        })
        .collect::<Result<_, _>>()?;
    if aspects.len() != ASPECTS || aspects.iter().all(|a| a.total() == 0) {
        return Err(bad());
    }
    Ok(Appraisal::Votes { aspects })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_rate_or_five_aspects_of_votes() {
        assert_eq!(
            parse("87.5%", Lang::En),
            Ok(Appraisal::Rate {
                percent: Points::from_hundredths(8750)
            })
        );
        let votes = parse("60/25/15 60/25/15 60/25/15 60/25/15 60/25/15", Lang::En).unwrap();
        // The one formula, not the share of 满意 and 基本满意 votes (85 %):
        // (60×22 + 25×17 + 15×11) ÷ 100 = 19.1 per aspect, 95.5 in all.
        assert_eq!(votes.satisfaction(), Some(Points::from_hundredths(95_50)));
        assert_eq!(votes.deduction(), Points::ZERO);
        let low = parse("10/60/30 10/60/30 10/60/30 10/60/30 10/60/30", Lang::En).unwrap();
        // (10×22 + 60×17 + 30×11) ÷ 100 = 15.7 per aspect, 78.5 in all: 11.5 below 90.
        assert_eq!(low.deduction(), Points::from_hundredths(11_50));
        for bad in ["120", "abc", "60/25 1/1/1", "1/1/1 1/1/1", ""] {
            let err = parse(bad, Lang::En).unwrap_err();
            assert!(err.contains(bad.trim()), "{bad}: {err}");
        }
    }
}
