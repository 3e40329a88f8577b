//! Bilingual labels: every user-visible domain string comes in Chinese and English.

use serde::{Deserialize, Serialize};

/// The two languages the whole product speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    /// Simplified Chinese (zh-CN), the default for the offices that use anfang.
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Parses a language tag such as `zh-CN`, `zh_CN.UTF-8`, `en` or `en-US`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let lower = tag.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(Lang::Zh)
        } else if lower.starts_with("en") || lower == "c" || lower == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The canonical tag, as accepted by `--lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Simplified Chinese text.
    pub zh: String,
    /// English text.
    pub en: String,
}

impl Label {
    /// Builds a label from its two texts.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Label {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in the given language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_locale_tags() {
        assert_eq!(Lang::from_tag("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("en-US"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
