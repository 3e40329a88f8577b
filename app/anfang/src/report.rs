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

/// A command-line usage error on one line: clap's message with its tip and
/// the usage joined in, without the "error:" label and the pointer to
/// `--help`.
pub fn usage_line(err: &clap::Error) -> String {
    let text = err.to_string();
    let parts: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("For more information"))
        .map(|line| {
            let line = line.strip_prefix("error: ").unwrap_or(line);
            match line.strip_prefix("Usage: ") {
                Some(usage) => format!("(usage: {usage})"),
                None => line.to_string(),
            }
        })
        .collect();
    let mut line = String::new();
    for part in parts {
        if !line.is_empty() {
            // Usage and possible values read as asides; a tip as a clause.
            line.push_str(if part.starts_with(['(', '[']) {
                " "
            } else {
                "; "
            });
        }
        line.push_str(&part);
    }
    line
}

/// A ledger error on one line: in Chinese where the user can act on it,
/// otherwise in the ledger's own words, which name the bad value.
pub fn ledger_error(err: &LedgerError, lang: Lang) -> String {
    let zh = match err {
        LedgerError::DiskFull => {
            "磁盘已满：本次更改未保存（此前已保存的内容不受影响），请腾出空间后重试".to_string()
        }
        LedgerError::Busy => format!(
            "另一个 anfang 占用此台账超过 {} 秒，本次更改未保存：请待其完成后重试",
            anfang_ledger::BUSY_WAIT.as_secs()
        ),
        _ => return one_line(&err.to_string()),
    };
    match lang {
        Lang::Zh => zh,
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
    fn a_usage_error_is_one_line_naming_the_bad_value() {
        use clap::Parser;
        #[derive(Parser, Debug)]
        struct Args {
            #[arg(long)]
            format: String,
        }
        let err = Args::try_parse_from(["anfang", "--formt", "csv"]).unwrap_err();
        let line = usage_line(&err);
        assert!(!line.contains('\n'), "{line}");
        assert!(
            line.starts_with("unexpected argument '--formt' found"),
            "{line}"
        );
        assert!(
            line.contains("'--format'") && line.contains("(usage: "),
            "{line}"
        );
        assert!(!line.contains("--help"), "{line}");
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
