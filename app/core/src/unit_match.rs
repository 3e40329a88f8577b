//! Picking a unit by what was typed: characters of its name or an alias,
//! or the pinyin initials of a name (`swj` → 税务局), so a short form typed
//! in the field finds the unit.

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

/// Whether `typed` picks `name`: empty picks all; otherwise the name holds
/// it or, when it is letters, the name's pinyin initials hold it. A typo
/// picks nothing here: New Visit says it is outside the register instead.
pub fn matches(typed: &str, name: &str) -> bool {
    let typed = typed.trim();
    if typed.is_empty() || name.contains(typed) {
        return true;
    }
    if typed.is_ascii() && typed.chars().all(|c| c.is_ascii_alphanumeric()) {
        let lower = typed.to_ascii_lowercase();
        return initials(name).contains(&lower) || name.to_lowercase().contains(&lower);
    }
    false
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
        assert!(!matches("市税务局第一分局办税厅", hall));
        assert!(matches("", hall));
        assert!(!matches("ghj", hall));
        assert!(!matches("规划", hall));
        assert!(matches("ghj", "市规划局"));
    }
}
