//! User-interface text in Chinese and English.
//!
//! The language is passed with every call rather than set globally, so two
//! screens (or two snapshot tests) can speak different languages at once.
//! Both tables are embedded; a test checks they have the same keys.

use anfang_core::Lang;
use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

const ZH: &str = include_str!("../locales/zh-CN.toml");
const EN: &str = include_str!("../locales/en.toml");

type Table = HashMap<String, String>;

fn tables() -> &'static (Table, Table) {
    static TABLES: OnceLock<(Table, Table)> = OnceLock::new();
    // The files are compile-time constants checked by the tests below; a
    // broken table shows keys instead of text rather than stopping the app.
    TABLES.get_or_init(|| {
        (
            toml::from_str(ZH).unwrap_or_default(),
            toml::from_str(EN).unwrap_or_default(),
        )
    })
}

/// The text for `key` in `lang`; the key itself when it is missing.
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    let (zh, en) = tables();
    let table = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    table.get(key).map(String::as_str).unwrap_or(key)
}

/// The short footer label of the command named `name` bound in the keymap
/// context `context` (`hint.<context>.<name>`, then `hint.<name>`), when
/// the locale gives one; the keymap's description is used otherwise.
pub fn hint(lang: Lang, context: &str, name: &str) -> Option<&'static str> {
    let (zh, en) = tables();
    let table = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    table
        .get(&format!("hint.{context}.{name}"))
        .or_else(|| table.get(&format!("hint.{name}")))
        .map(String::as_str)
}

/// The text for `key` with each `{name}` replaced by its value.
pub fn tf(lang: Lang, key: &'static str, args: &[(&str, &dyn Display)]) -> String {
    let mut text = t(lang, key).to_string();
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), &value.to_string());
    }
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::collections::BTreeSet;

    fn keys(source: &str) -> BTreeSet<String> {
        let table: Table = toml::from_str(source).expect("locale parses as flat key = text");
        table.into_keys().collect()
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let zh = keys(ZH);
        let en = keys(EN);
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(
            only_zh.is_empty() && only_en.is_empty(),
            "zh only: {only_zh:?}, en only: {only_en:?}"
        );
    }

    #[test]
    fn every_key_used_in_the_source_exists() {
        let en = keys(EN);
        let mut missing = BTreeSet::new();
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        for path in walk(std::path::Path::new(src)) {
            let code = std::fs::read_to_string(&path).unwrap();
            for call in [
                "t(lang, \"",
                "tf(lang, \"",
                "t(self.lang, \"",
                "tf(self.lang, \"",
                "t(state.lang, \"",
                "tf(state.lang, \"",
            ] {
                for (i, _) in code.match_indices(call) {
                    let rest = &code[i + call.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if !en.contains(key) {
                        missing.insert(format!("{key} ({})", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing keys: {missing:?}");
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        out
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            tf(Lang::En, "missing.key.{n}", &[("n", &3)]),
            "missing.key.3"
        );
    }
}
