//! Reading the time of a finding as people write it in China.
//!
//! Accepted: `2026-11-09 09:10`, `2026/11/9 9:10`, `2026.11.9 9:10`,
//! `2026年11月9日 9:10` or `9时10分` / `9点10分`, seconds optional; an
//! RFC 3339 instant with its offset; an Excel date serial (`46335.38`, what
//! a date cell holds). A date without a time takes [`DEFAULT_TIME`]. A date
//! without a year (`11月9日 9:10`, `11-09 9:10`) takes the latest year in
//! which it is not after the import's "now", so a sheet of last December
//! imported in January lands in last year.

use super::error::said;
use anfang_core::label::Label;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

/// The time a date-only row takes: 09:00 local, the start of office hours.
pub const DEFAULT_TIME: Time = Time::constant(9, 0, 0, 0);

/// How a time was read, beside the instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadTime {
    /// The instant.
    pub at: Timestamp,
    /// The row gave a date only: [`DEFAULT_TIME`] was taken.
    pub default_time: bool,
    /// The row gave no year: it was taken from the import's now.
    pub year_taken: bool,
}

/// Parses `text` in `tz`; `now` gives the year of a date written without one.
pub fn parse_time(text: &str, tz: &TimeZone, now: Timestamp) -> Result<ReadTime, Label> {
    let text = text.trim();
    let bad = || {
        said(
            format!(
                "日期'{text}'无效（应为如 2026-03-05 09:12、2026/3/5、2026年3月5日 9:12 或 3月5日 9:12 的日期和时间）"
            ),
            format!(
                "bad date '{text}' (expected a date and time such as 2026-03-05 09:12, 2026/3/5, 2026年3月5日 9:12 or 3月5日 9:12)"
            ),
        )
    };
    let plain = |at| ReadTime {
        at,
        default_time: false,
        year_taken: false,
    };
    if let Ok(instant) = text.parse::<Timestamp>() {
        return Ok(plain(instant));
    }
    if let Some(serial) = excel_serial(text) {
        let local = from_excel_serial(serial).ok_or_else(bad)?;
        return tz.to_timestamp(local).map(plain).map_err(|_| bad());
    }
    let normal: String = text
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' | '月' => '-',
            '日' | '号' | 'T' | '\u{3000}' => ' ',
            '：' | '时' | '点' => ':',
            '分' | '秒' => ' ',
            c => c,
        })
        .collect();
    let mut parts = normal.split_whitespace();
    let day = parts.next().ok_or_else(bad)?;
    // `9:10 30` after 分/秒 became spaces: put the pieces of the clock together.
    let clock: Vec<&str> = parts.collect();
    let clock = clock.join(":");
    let numbers = |s: &str, sep: char| -> Option<Vec<i16>> {
        s.trim_matches(sep)
            .split(sep)
            .map(|n| n.parse::<i16>().ok())
            .collect()
    };
    let small = |n: i16| i8::try_from(n).map_err(|_| bad());
    let (date, year_taken) = match numbers(day, '-').as_deref() {
        Some(&[y, m, d]) if y >= 1000 => (
            Date::new(y, small(m)?, small(d)?).map_err(|_| bad())?,
            false,
        ),
        Some(&[m, d]) => {
            let this_year = tz.to_datetime(now).year();
            let date = [this_year, this_year - 1]
                .into_iter()
                .filter_map(|y| Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok())
                .find(|d| d.to_datetime(Time::midnight()) <= tz.to_datetime(now))
                .ok_or_else(bad)?;
            (date, true)
        }
        _ => return Err(bad()),
    };
    let (time, default_time) = if clock.is_empty() {
        (DEFAULT_TIME, true)
    } else {
        let time = match numbers(&clock, ':').as_deref() {
            Some(&[h]) => Time::new(small(h)?, 0, 0, 0),
            Some(&[h, m]) => Time::new(small(h)?, small(m)?, 0, 0),
            Some(&[h, m, s]) => Time::new(small(h)?, small(m)?, small(s)?, 0),
            _ => return Err(bad()),
        }
        .map_err(|_| bad())?;
        (time, false)
    };
    let at = tz
        .to_timestamp(DateTime::from_parts(date, time))
        .map_err(|_| bad())?;
    Ok(ReadTime {
        at,
        default_time,
        year_taken,
    })
}

/// A number that can be an Excel date serial (days since 1899-12-30, from
/// 1 March 1900 on, so Excel's phantom 29 February 1900 plays no part).
fn excel_serial(text: &str) -> Option<f64> {
    if !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    (61.0..2_958_466.0).contains(&value).then_some(value)
}

/// The local date and time of an Excel date serial, to the second.
pub fn from_excel_serial(serial: f64) -> Option<DateTime> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let seconds = (serial * 86_400.0).round() as i64;
    let epoch = jiff::civil::date(1899, 12, 30).to_datetime(Time::midnight());
    epoch
        .checked_add(jiff::SignedDuration::from_secs(seconds))
        .ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    fn local(text: &str) -> Timestamp {
        shanghai()
            .to_timestamp(text.parse::<DateTime>().unwrap())
            .unwrap()
    }

    #[test]
    fn dates_and_times_as_people_write_them() {
        let tz = shanghai();
        let now = local("2026-12-01T00:00");
        for (text, want) in [
            ("2026-11-09 09:10", "2026-11-09T09:10"),
            ("2026/11/9 9:10", "2026-11-09T09:10"),
            ("2026年11月9日 9:10", "2026-11-09T09:10"),
            ("2026年11月9日9时10分", "2026-11-09T09:10"),
            ("2026年11月9日 9点10分30秒", "2026-11-09T09:10:30"),
            ("2026-11-09T09:10:00", "2026-11-09T09:10"),
            ("2026.11.09 09:10", "2026-11-09T09:10"),
            ("2026-11-09 9：10", "2026-11-09T09:10"),
            ("11月9日 9:10", "2026-11-09T09:10"),
            ("46335.38194444", "2026-11-09T09:10"),
        ] {
            assert_eq!(
                parse_time(text, &tz, now).unwrap().at,
                local(want),
                "{text}"
            );
        }
        let utc: Timestamp = "2026-11-09T01:10:00Z".parse().unwrap();
        assert_eq!(
            parse_time("2026-11-09T01:10:00Z", &tz, now).unwrap().at,
            utc
        );
    }

    #[test]
    fn a_date_alone_takes_nine_o_clock_and_says_so() {
        let tz = shanghai();
        let now = local("2026-12-01T00:00");
        for text in ["2026/11/9", "2026-11-09", "2026年11月9日"] {
            let read = parse_time(text, &tz, now).unwrap();
            assert_eq!(read.at, local("2026-11-09T09:00"), "{text}");
            assert!(read.default_time && !read.year_taken);
        }
    }

    #[test]
    fn a_date_without_a_year_is_never_in_the_future() {
        let tz = shanghai();
        // In January, a December date belongs to last year.
        let january = local("2027-01-05T10:00");
        let read = parse_time("12月28日 9:10", &tz, january).unwrap();
        assert_eq!(read.at, local("2026-12-28T09:10"));
        assert!(read.year_taken);
        assert_eq!(
            parse_time("1月5日 8:00", &tz, january).unwrap().at,
            local("2027-01-05T08:00")
        );
    }

    #[test]
    fn bad_dates_are_named() {
        let tz = shanghai();
        let now = local("2026-12-01T00:00");
        for text in [
            "2026-13-05 09:12",
            "yesterday",
            "2026-02-30 08:00",
            "2026-03-05 25:00",
            "3",
        ] {
            let err = parse_time(text, &tz, now).unwrap_err();
            assert!(err.en.contains(text) && err.zh.contains(text), "{err:?}");
        }
    }
}
