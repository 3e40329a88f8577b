//! Picking a unit by what was typed: characters of its name or an alias
//! (in order, not necessarily together), or the pinyin initials of a name
//! (`swj` → 税务局), so a short form typed in the field finds the unit.

use pinyin::ToPinyin;

/// The lowercase pinyin initials of `text`: one letter per Chinese
/// character, other letters and digits kept as they are (lowercased).
pub fn initials(text: &str) -> String {
    text.chars()
        .zip(text.to_pinyin())
        .filter_map(|(c, py)| match py {
            Some(py) => py.first_letter().chars().next(),
            None if c.is_alphanumeric() => c.to_lowercase().next(),
            None => None,
        })
        .collect()
}

/// Whether every character of `short` appears in `long`, in order.
fn in_order(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|l| l == c))
}

/// Whether `typed` picks `name`: empty picks all; otherwise the name holds
/// it, holds its characters in order (two or more), or, when it is letters,
/// the name's pinyin initials hold it.
pub fn matches(typed: &str, name: &str) -> bool {
    let typed = typed.trim();
    if typed.is_empty() || name.contains(typed) {
        return true;
    }
    if typed.is_ascii() && typed.chars().all(|c| c.is_ascii_alphanumeric()) {
        let lower = typed.to_ascii_lowercase();
        return initials(name).contains(&lower) || name.to_lowercase().contains(&lower);
    }
    typed.chars().count() >= 2 && in_order(typed, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_are_one_letter_a_character() {
        assert_eq!(initials("税务局"), "swj");
        assert_eq!(initials("市12345热线"), "s12345rx");
    }

    #[test]
    fn pinyin_initials_characters_and_order_pick_a_unit() {
        let hall = "市税务局第一税务分局办税服务厅";
        assert!(matches("swj", hall));
        assert!(matches("SWJ", hall));
        assert!(matches("税务", hall));
        assert!(matches("税务厅", hall));
        assert!(matches("", hall));
        assert!(!matches("ghj", hall));
        assert!(!matches("规划", hall));
        assert!(matches("ghj", "市规划局"));
    }
}
