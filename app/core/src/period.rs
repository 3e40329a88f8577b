//! Scoring periods: whole days, both ends included, and their split into
//! months or quarters for a trend.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// A span of whole days, `from` and `to` both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Period {
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

/// Why a period could not be formed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeriodError {
    /// Not a `YYYY-MM-DD` date.
    #[error("'{0}' is not a date (expected YYYY-MM-DD)")]
    BadDate(String),
    /// The first day comes after the last.
    #[error("period starts {from} after it ends {to}")]
    Reversed {
        /// First day given.
        from: Date,
        /// Last day given.
        to: Date,
    },
}

/// How a period is cut into steps for a trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Calendar months.
    #[default]
    Month,
    /// Calendar quarters.
    Quarter,
}

/// Parses a `YYYY-MM-DD` date, naming the value when it is not one.
pub fn parse_date(text: &str) -> Result<Date, PeriodError> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| PeriodError::BadDate(text.to_string()))
}

impl Period {
    /// A period from `from` to `to`, both included.
    pub fn new(from: Date, to: Date) -> Result<Period, PeriodError> {
        if from > to {
            return Err(PeriodError::Reversed { from, to });
        }
        Ok(Period { from, to })
    }

    /// The calendar month holding `day`.
    pub fn month_of(day: Date) -> Period {
        Period {
            from: day.first_of_month(),
            to: day.last_of_month(),
        }
    }

    /// The calendar quarter holding `day`.
    pub fn quarter_of(day: Date) -> Period {
        let first_month = (day.month() - 1) / 3 * 3 + 1;
        let from = Date::new(day.year(), first_month, 1).unwrap_or(day.first_of_month());
        let to = from
            .checked_add(2.months())
            .map(|d| d.last_of_month())
            .unwrap_or(day.last_of_month());
        Period { from, to }
    }

    /// The calendar year holding `day`.
    pub fn year_of(day: Date) -> Period {
        Period {
            from: day.first_of_year(),
            to: day.last_of_year(),
        }
    }

    /// Whether `day` lies in the period.
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.to
    }

    /// The instants the period covers in `tz`: from the start of its first
    /// day up to (not including) the start of the day after its last.
    pub fn instants(&self, tz: &TimeZone) -> (Timestamp, Timestamp) {
        let start = tz
            .to_timestamp(DateTime::from(self.from))
            .unwrap_or(Timestamp::MIN);
        let end = self
            .to
            .tomorrow()
            .ok()
            .and_then(|d| tz.to_timestamp(DateTime::from(d)).ok())
            .unwrap_or(Timestamp::MAX);
        (start, end)
    }

    /// The period cut at calendar months or quarters; the first and last
    /// steps are clipped to the period.
    pub fn steps(&self, step: Step) -> Vec<Period> {
        let mut out = Vec::new();
        let mut day = self.from;
        while day <= self.to {
            let whole = match step {
                Step::Month => Period::month_of(day),
                Step::Quarter => Period::quarter_of(day),
            };
            let piece = Period {
                from: day,
                to: whole.to.min(self.to),
            };
            out.push(piece);
            match piece.to.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        out
    }

    /// A short name: `2026-03` for a whole month, `2026Q1` for a whole
    /// quarter, `2026` for a whole year, else `from..to`.
    pub fn short_label(&self) -> String {
        if *self == Period::month_of(self.from) {
            format!("{:04}-{:02}", self.from.year(), self.from.month())
        } else if *self == Period::quarter_of(self.from) {
            format!(
                "{:04}Q{}",
                self.from.year(),
                (self.from.month() - 1) / 3 + 1
            )
        } else if *self == Period::year_of(self.from) {
            format!("{:04}", self.from.year())
        } else {
            self.to_string()
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn bad_dates_are_named() {
        let err = parse_date("2026-13-01").unwrap_err();
        assert_eq!(
            err.to_string(),
            "'2026-13-01' is not a date (expected YYYY-MM-DD)"
        );
        assert!(Period::new(day("2026-02-01"), day("2026-01-01")).is_err());
    }

    #[test]
    fn months_are_clipped_to_the_period() {
        let p = Period::new(day("2026-01-15"), day("2026-03-10")).unwrap();
        let steps = p.steps(Step::Month);
        assert_eq!(steps.len(), 3);
        assert_eq!(
            steps[0],
            Period::new(day("2026-01-15"), day("2026-01-31")).unwrap()
        );
        assert_eq!(steps[1].short_label(), "2026-02");
        assert_eq!(steps[2].to, day("2026-03-10"));
    }

    #[test]
    fn quarters_of_a_year() {
        let p = Period::year_of(day("2026-05-05"));
        let steps = p.steps(Step::Quarter);
        let labels: Vec<_> = steps.iter().map(Period::short_label).collect();
        assert_eq!(labels, ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]);
        assert_eq!(p.short_label(), "2026");
    }

    #[test]
    fn instants_cover_whole_days_in_the_zone() {
        let tz = TimeZone::fixed(jiff::tz::offset(8));
        let p = Period::new(day("2026-03-01"), day("2026-03-01")).unwrap();
        let (start, end) = p.instants(&tz);
        assert_eq!(start.to_string(), "2026-02-28T16:00:00Z");
        assert_eq!(end.to_string(), "2026-03-01T16:00:00Z");
    }
}
