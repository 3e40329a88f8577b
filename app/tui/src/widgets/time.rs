//! Showing and entering times in the laptop's time zone.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// The format times are shown and typed in.
pub const FORMAT: &str = "%Y-%m-%d %H:%M";

/// `2026-11-24 09:30` in `tz`.
pub fn show(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned_datetime(tz.clone())
        .strftime(FORMAT)
        .to_string()
}

/// `11-24 09:30` in `tz`, for narrow columns.
pub fn short(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned_datetime(tz.clone())
        .strftime("%m-%d %H:%M")
        .to_string()
}

/// Parses `2026-11-24 09:30` (seconds optional) as a time in `tz`.
pub fn parse(text: &str, tz: &TimeZone) -> Option<Timestamp> {
    let text = text.trim();
    let civil = DateTime::strptime(FORMAT, text)
        .or_else(|_| DateTime::strptime("%Y-%m-%d %H:%M:%S", text))
        .ok()?;
    civil
        .to_zoned_datetime(tz.clone())
        .ok()
        .map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn round_trips_minutes_in_a_zone() {
        let tz = TimeZone::fixed(jiff::tz::offset(8));
        let ts: Timestamp = "2026-11-24T01:30:00Z".parse().unwrap();
        assert_eq!(show(ts, &tz), "2026-11-24 09:30");
        assert_eq!(parse("2026-11-24 09:30", &tz), Some(ts));
        assert_eq!(parse("2026-11-24 9h30", &tz), None);
    }
}
