//! A plugin's failure to compute points, as the status line tells it.

use crate::i18n::tf;
use anfang_core::Lang;
use anfang_plugin_host::PluginError;

/// The failure in the user's language, keeping the plugin's own detail
/// (its message, how its process ended); a problem with the inputs keeps
/// the host's sentence, which names the bad value.
pub fn explain(lang: Lang, error: &PluginError) -> String {
    match error {
        PluginError::Crashed { detail, .. } => tf(lang, "plugin.crashed", &[("detail", detail)]),
        PluginError::TimedOut { seconds, .. } => {
            tf(lang, "plugin.timed_out", &[("seconds", seconds)])
        }
        PluginError::Unavailable { detail, .. } => {
            tf(lang, "plugin.unavailable", &[("detail", detail)])
        }
        PluginError::Garbage { detail, .. } => tf(lang, "plugin.garbage", &[("detail", detail)]),
        PluginError::Panicked { message, .. } => {
            tf(lang, "plugin.panicked", &[("detail", message)])
        }
        PluginError::Declined { message, .. } => {
            tf(lang, "plugin.declined", &[("message", message)])
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_and_a_hang_are_told_in_both_languages_with_the_detail() {
        let crash = PluginError::Crashed {
            plugin: "p".into(),
            item: "i".into(),
            detail: "killed by signal 11 (SIGSEGV)".into(),
        };
        assert_eq!(
            explain(Lang::Zh, &crash),
            "插件崩溃（killed by signal 11 (SIGSEGV)）"
        );
        assert_eq!(
            explain(Lang::En, &crash),
            "the plugin crashed (killed by signal 11 (SIGSEGV))"
        );
        let hang = PluginError::TimedOut {
            plugin: "p".into(),
            item: "i".into(),
            seconds: "5".into(),
        };
        assert!(explain(Lang::Zh, &hang).contains("5 秒内没有答复"));
    }
}
