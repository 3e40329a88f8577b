//! Why a bundle is refused, sorted into kinds a person can act on, each with
//! a name in both languages; the sentence with ids and values stays English.

use anfang_core::Lang;

/// The kind of a bundle refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalKind {
    /// The file is missing, not SQLite, truncated or damaged.
    Unreadable,
    /// It is a ledger file, not a bundle.
    LedgerNotBundle,
    /// Another application's SQLite file.
    NotABundle,
    /// Written by a newer anfang (bundle format or event body schema).
    TooNew,
    /// It carries triggers, views or tables that bundles never contain.
    ForeignObjects,
    /// An event's fields are malformed or its body does not parse.
    MalformedEvent,
    /// An event's bytes do not match its id: it was altered after it was made.
    IdMismatch,
    /// A signature does not hold: forged or damaged.
    BadSignature,
    /// A device's chain links events inconsistently.
    BrokenChain,
    /// An evidence file is missing or does not match its hash.
    BadEvidence,
    /// The rows differ from the manifest the bundle's maker signed: rows were
    /// lost or added on the way, or the manifest is missing or forged.
    ManifestMismatch,
}

impl RefusalKind {
    /// Every kind.
    pub const ALL: [RefusalKind; 11] = [
        RefusalKind::Unreadable,
        RefusalKind::LedgerNotBundle,
        RefusalKind::NotABundle,
        RefusalKind::TooNew,
        RefusalKind::ForeignObjects,
        RefusalKind::MalformedEvent,
        RefusalKind::IdMismatch,
        RefusalKind::BadSignature,
        RefusalKind::BrokenChain,
        RefusalKind::BadEvidence,
        RefusalKind::ManifestMismatch,
    ];

    /// The kind in words, for the head of a refusal message.
    pub fn label(self, lang: Lang) -> &'static str {
        use RefusalKind::*;
        match (self, lang) {
            (Unreadable, Lang::Zh) => "文件无法读取、被截断或已损坏",
            (LedgerNotBundle, Lang::Zh) => {
                "这是台账文件，不是导出包（请用 anfang bundle --out 导出）"
            }
            (NotABundle, Lang::Zh) => "不是 anfang 导出包",
            (TooNew, Lang::Zh) => "由更新版本的 anfang 写成，请先升级本程序",
            (ForeignObjects, Lang::Zh) => "含有导出包从不包含的触发器、视图或表",
            (MalformedEvent, Lang::Zh) => "事件字段格式错误",
            (IdMismatch, Lang::Zh) => "事件内容与其编号不符（生成后被改动过）",
            (BadSignature, Lang::Zh) => "签名不成立（伪造或损坏）",
            (BrokenChain, Lang::Zh) => "设备事件链前后不一致",
            (BadEvidence, Lang::Zh) => "证据文件缺失或与其哈希不符",
            (ManifestMismatch, Lang::Zh) => "内容与制作设备签名的清单不符（传递中有行丢失或增加）",
            (Unreadable, Lang::En) => "unreadable, truncated or damaged file",
            (LedgerNotBundle, Lang::En) => {
                "a ledger file, not a bundle (make one with anfang bundle --out)"
            }
            (NotABundle, Lang::En) => "not an anfang bundle",
            (TooNew, Lang::En) => "written by a newer anfang; update this one first",
            (ForeignObjects, Lang::En) => "carries triggers, views or tables bundles never contain",
            (MalformedEvent, Lang::En) => "malformed event",
            (IdMismatch, Lang::En) => "an event was altered after it was made",
            (BadSignature, Lang::En) => "a signature does not hold (forged or damaged)",
            (BrokenChain, Lang::En) => "a device's chain is inconsistent",
            (BadEvidence, Lang::En) => "evidence file missing or not matching its hash",
            (ManifestMismatch, Lang::En) => {
                "rows differ from the maker's signed manifest (lost or added on the way)"
            }
        }
    }
}

/// One reason to refuse: its kind and the sentence naming the bad value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub kind: RefusalKind,
    pub text: String,
}

impl Problem {
    pub fn new(kind: RefusalKind, text: impl Into<String>) -> Problem {
        Problem {
            kind,
            text: text.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_name_in_both_languages() {
        for kind in RefusalKind::ALL {
            let (zh, en) = (kind.label(Lang::Zh), kind.label(Lang::En));
            assert!(zh.chars().any(|c| c > '\u{2e80}'), "{kind:?}: {zh}");
            assert!(en.is_ascii(), "{kind:?}: {en}");
        }
    }
}
