//! "Did you mean …": the known names closest to a name the file gives,
//! by edit distance counted in characters (a Chinese character is one),
//! because one name holds the other (`税务大厅` in
//! `市税务局第一税务分局办税服务厅`), or because one name's characters
//! appear in the other in order (`市税务局第一分局办税厅`, a shortened
//! `市税务局第一税务分局办税服务厅`).

/// Up to `max` of `candidates` close to `text`, closest first.
pub fn closest<'a>(
    text: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let text = text.trim();
    let len = text.chars().count();
    if len == 0 {
        return Vec::new();
    }
    let lower = text.to_lowercase();
    let mut scored: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .filter(|c| !c.trim().is_empty() && *c != text)
        .filter_map(|candidate| {
            let c_lower = candidate.to_lowercase();
            let c_len = candidate.chars().count();
            let distance = strsim::levenshtein(&lower, &c_lower);
            // A typo or two: about one character in three of the shorter.
            let allowed = (len.min(c_len) / 3).max(1);
            if distance <= allowed {
                return Some((distance, candidate));
            }
            // One holds the other: ranked after the near spellings.
            let holds =
                len >= 2 && (c_lower.contains(&lower) || (c_len >= 2 && lower.contains(&c_lower)));
            if holds {
                return Some((allowed + 1 + len.abs_diff(c_len), candidate));
            }
            // One is the other with characters left out: ranked last.
            let shortened = len >= 4
                && c_len >= 4
                && (in_order(&lower, &c_lower) || in_order(&c_lower, &lower));
            shortened.then_some((allowed + 2 + 2 * len.abs_diff(c_len), candidate))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// Whether every character of `short` appears in `long`, in order.
fn in_order(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|l| l == c))
}

/// The suggestion as said after an unknown name: `（是不是'A'、'B'？）`,
/// ` (did you mean 'A' or 'B'?)`; empty without suggestions.
pub fn did_you_mean(found: &[&str]) -> (String, String) {
    if found.is_empty() {
        return (String::new(), String::new());
    }
    let quoted: Vec<String> = found.iter().map(|f| format!("'{f}'")).collect();
    (
        format!("（是不是{}？）", quoted.join("、")),
        format!(" (did you mean {}?)", quoted.join(" or ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_short_forms_find_the_name() {
        let units = [
            "市税务局第一税务分局办税服务厅",
            "市规划局",
            "市行政服务中心",
        ];
        assert_eq!(closest("市规划司", units, 3), vec!["市规划局"]);
        assert_eq!(closest("市行政服务中", units, 3), vec!["市行政服务中心"]);
        assert_eq!(closest("规划局", units, 3), vec!["市规划局"]);
        assert!(closest("公安局", units, 3).is_empty());
        assert_eq!(
            closest("市税务局第一分局办税厅", units, 3),
            vec!["市税务局第一税务分局办税服务厅"]
        );
        let items = ["late-arrival", "early-leave", "迟到", "早退"];
        assert_eq!(closest("late-arival", items, 3), vec!["late-arrival"]);
        assert_eq!(closest("迟到了", items, 3), vec!["迟到"]);
        assert_eq!(
            did_you_mean(&["迟到"]),
            (
                "（是不是'迟到'？）".into(),
                " (did you mean '迟到'?)".into()
            )
        );
    }
}
