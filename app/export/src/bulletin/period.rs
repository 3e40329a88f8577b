//! A bulletin's period and visit kinds as people write them in a title:
//! "2026年9月", "2026年第三季度", "2026年上半年", "2026年", and 明察暗访,
//! 暗访 or 明察 as the visits really were.

use super::date_words;
use anfang_core::Lang;
use anfang_core::visit::VisitKind;
use jiff::civil::Date;

const QUARTERS_ZH: [&str; 4] = ["一", "二", "三", "四"];
const QUARTERS_EN: [&str; 4] = ["first", "second", "third", "fourth"];

/// The period from `from` to `to` (both days included) in words: a whole
/// month, quarter, half or year by its name, otherwise the two days.
pub(crate) fn period_words(from: Date, to: Date, lang: Lang) -> String {
    let whole = |first_month: i8, last_month: i8| {
        from.year() == to.year()
            && from.month() == first_month
            && from.day() == 1
            && to.month() == last_month
            && to.day() == to.days_in_month()
    };
    let year = from.year();
    if whole(from.month(), from.month()) {
        return match lang {
            Lang::Zh => format!("{year}年{}月", from.month()),
            Lang::En => from.strftime("%B %Y").to_string(),
        };
    }
    if (from.month() - 1) % 3 == 0 && whole(from.month(), from.month() + 2) {
        let q = usize::try_from((from.month() - 1) / 3).unwrap_or(0);
        return match lang {
            Lang::Zh => format!("{year}年第{}季度", QUARTERS_ZH[q]),
            Lang::En => format!("the {} quarter of {year}", QUARTERS_EN[q]),
        };
    }
    if whole(1, 12) {
        return match lang {
            Lang::Zh => format!("{year}年"),
            Lang::En => year.to_string(),
        };
    }
    if whole(1, 6) || whole(7, 12) {
        let first = from.month() == 1;
        return match lang {
            Lang::Zh => format!("{year}年{}半年", if first { "上" } else { "下" }),
            Lang::En => format!(
                "the {} half of {year}",
                if first { "first" } else { "second" }
            ),
        };
    }
    match lang {
        // The second year is left out when it is the first's: 2026年3月2日至3月6日.
        Lang::Zh if from.year() == to.year() => {
            format!("{}至{}月{}日", date_words(from, lang), to.month(), to.day())
        }
        Lang::Zh => format!("{}至{}", date_words(from, lang), date_words(to, lang)),
        Lang::En => format!("{} to {}", date_words(from, lang), date_words(to, lang)),
    }
}

/// What the visits of a bulletin were: both kinds, or only one.
pub(crate) fn kinds_words(unannounced: bool, open: bool, lang: Lang) -> &'static str {
    match (lang, unannounced, open) {
        (Lang::Zh, true, true) => "明察暗访",
        (Lang::Zh, false, true) => "明察",
        (Lang::Zh, _, false) => "暗访",
        (Lang::En, true, true) => "open and unannounced inspections",
        (Lang::En, false, true) => "open inspections",
        (Lang::En, _, false) => "unannounced inspections",
    }
}

/// Whether `kind` is an open visit (明察).
pub(crate) fn is_open(kind: VisitKind) -> bool {
    kind == VisitKind::Open
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use jiff::civil::date;

    #[test]
    fn periods_are_named_as_people_write_them() {
        let zh = |a, b| period_words(a, b, Lang::Zh);
        assert_eq!(zh(date(2026, 9, 1), date(2026, 9, 30)), "2026年9月");
        assert_eq!(zh(date(2026, 2, 1), date(2026, 2, 28)), "2026年2月");
        assert_eq!(zh(date(2026, 7, 1), date(2026, 9, 30)), "2026年第三季度");
        assert_eq!(zh(date(2026, 1, 1), date(2026, 12, 31)), "2026年");
        assert_eq!(zh(date(2026, 1, 1), date(2026, 6, 30)), "2026年上半年");
        assert_eq!(
            zh(date(2026, 3, 2), date(2026, 3, 6)),
            "2026年3月2日至3月6日"
        );
        assert_eq!(
            zh(date(2026, 8, 1), date(2026, 9, 30)),
            "2026年8月1日至9月30日"
        );
        assert_eq!(
            zh(date(2025, 12, 1), date(2026, 1, 31)),
            "2025年12月1日至2026年1月31日"
        );
        let en = |a, b| period_words(a, b, Lang::En);
        assert_eq!(en(date(2026, 9, 1), date(2026, 9, 30)), "September 2026");
        assert_eq!(
            en(date(2026, 10, 1), date(2026, 12, 31)),
            "the fourth quarter of 2026"
        );
        assert_eq!(en(date(2026, 1, 1), date(2026, 12, 31)), "2026");
    }

    #[test]
    fn kinds_say_what_the_visits_were() {
        assert_eq!(kinds_words(true, true, Lang::Zh), "明察暗访");
        assert_eq!(kinds_words(true, false, Lang::Zh), "暗访");
        assert_eq!(kinds_words(false, true, Lang::Zh), "明察");
        assert_eq!(kinds_words(false, false, Lang::Zh), "暗访");
    }
}
