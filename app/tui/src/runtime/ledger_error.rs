//! Ledger errors as the status line tells them.

use crate::i18n::t;
use anfang_core::Lang;
use anfang_ledger::LedgerError;

/// The error in the user's language where the user can act on it (a full
/// disk, a ledger another anfang holds); any other keeps the ledger's own
/// sentence, which names the bad value.
pub fn explain(lang: Lang, error: &LedgerError) -> String {
    match error {
        LedgerError::DiskFull => t(lang, "error.disk_full").to_string(),
        LedgerError::Busy => t(lang, "error.busy").to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_and_a_busy_ledger_are_told_in_the_users_language() {
        assert!(explain(Lang::Zh, &LedgerError::DiskFull).starts_with("磁盘已满"));
        assert!(explain(Lang::En, &LedgerError::DiskFull).starts_with("the disk is full"));
        assert!(explain(Lang::Zh, &LedgerError::Busy).contains("另一个 anfang"));
        let other = LedgerError::NoSuchBlob("ab12".into());
        assert_eq!(explain(Lang::Zh, &other), other.to_string());
    }
}
