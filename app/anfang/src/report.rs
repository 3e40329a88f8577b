//! How an error reaches the user: one line, each cause said once, and the
//! errors a user can act on (a full disk, a ledger another anfang holds) in
//! the user's language.

use crate::context::one_line;
use anfang_core::Lang;
use anfang_ledger::LedgerError;

/// The whole error on one line, its causes joined with ": ". A cause the
/// line already says is left out: many errors repeat their source in their
/// own message, and a report that says "No such file" twice reads as two
/// problems.
pub fn error_line(err: &anyhow::Error, lang: Lang) -> String {
    if let Some(ledger) = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<LedgerError>())
        && matches!(ledger, LedgerError::DiskFull | LedgerError::Busy)
    {
        return ledger_error(ledger, lang);
    }
    let mut line = String::new();
    for cause in err.chain() {
        let text = one_line(&cause.to_string());
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// A ledger error on one line: in Chinese where the user can act on it,
/// otherwise in the ledger's own words, which name the bad value.
pub fn ledger_error(err: &LedgerError, lang: Lang) -> String {
    let zh = match err {
        LedgerError::DiskFull => {
            "磁盘已满：本次更改未保存（此前已保存的内容不受影响），请腾出空间后重试"
        }
        LedgerError::Busy => "另一个 anfang 占用此台账超过 10 秒，本次更改未保存：请待其完成后重试",
        _ => return one_line(&err.to_string()),
    };
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_the_message_already_says_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        let err = anyhow::Error::new(io).context("cannot read /x.csv: No such file");
        assert_eq!(
            error_line(&err, Lang::En),
            "cannot read /x.csv: No such file"
        );
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        let err = anyhow::Error::new(io).context("cannot read /x.csv");
        assert_eq!(
            error_line(&err, Lang::En),
            "cannot read /x.csv: No such file"
        );
    }

    #[test]
    fn a_full_disk_is_told_in_the_users_language() {
        let err = anyhow::Error::new(LedgerError::DiskFull).context("cannot record");
        assert!(error_line(&err, Lang::Zh).starts_with("磁盘已满"));
        assert!(error_line(&err, Lang::En).starts_with("the disk is full"));
        let busy = anyhow::Error::new(LedgerError::Busy);
        assert!(error_line(&busy, Lang::Zh).contains("另一个 anfang"));
    }
}
