//! Errors of a score call: the caller falls back to points entered by hand.

use thiserror::Error;

/// Why a computed rule could not be priced by its plugin.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PluginError {
    /// No loaded plugin has this id.
    #[error("no loaded plugin '{0}'")]
    UnknownPlugin(String),
    /// The plugin has no item with this id.
    #[error("plugin '{plugin}' has no item '{item}'")]
    UnknownItem {
        /// Plugin id.
        plugin: String,
        /// Item id.
        item: String,
    },
    /// The item's rule is not computed: price it with `Rule::deduction`.
    #[error("item '{0}' is not computed by its plugin")]
    NotComputed(String),
    /// An input is missing, unexpected or of the wrong kind.
    #[error("item '{item}': {problem}")]
    BadInput {
        /// Item id.
        item: String,
        /// What is wrong, naming the input and value.
        problem: String,
    },
    /// The plugin declined to compute, with its reason (e.g. no votes).
    #[error("plugin '{plugin}' could not score item '{item}': {message}")]
    Declined {
        /// Plugin id.
        plugin: String,
        /// Item id.
        item: String,
        /// The plugin's message.
        message: String,
    },
    /// The score function panicked (and caught it).
    #[error("plugin '{plugin}' panicked scoring item '{item}': {message}")]
    Panicked {
        /// Plugin id.
        plugin: String,
        /// Item id.
        item: String,
        /// The panic message, if the plugin gave one.
        message: String,
    },
    /// The score function answered something that is not valid points.
    #[error("plugin '{plugin}' returned garbage for item '{item}': {detail}")]
    Garbage {
        /// Plugin id.
        plugin: String,
        /// Item id.
        item: String,
        /// What was wrong with the answer.
        detail: String,
    },
    /// The plugin's process died while scoring (e.g. a segmentation fault).
    #[error("plugin '{plugin}' crashed scoring item '{item}': {detail}")]
    Crashed {
        /// Plugin id.
        plugin: String,
        /// Item id.
        item: String,
        /// How the process ended.
        detail: String,
    },
    /// The score function did not answer within its time limit.
    #[error("plugin '{plugin}' did not answer for item '{item}' within {seconds} s (stopped)")]
    TimedOut {
        /// Plugin id.
        plugin: String,
        /// Item id.
        item: String,
        /// The limit, in seconds.
        seconds: String,
    },
    /// The plugin's process could not be started again after it died.
    #[error("plugin '{plugin}' could not be started to score item '{item}': {detail}")]
    Unavailable {
        /// Plugin id.
        plugin: String,
        /// Item id.
        item: String,
        /// Why.
        detail: String,
    },
}

impl PluginError {
    /// True when the plugin itself misbehaved (rather than the inputs).
    pub fn is_plugin_fault(&self) -> bool {
        matches!(
            self,
            PluginError::Panicked { .. }
                | PluginError::Garbage { .. }
                | PluginError::Crashed { .. }
                | PluginError::TimedOut { .. }
                | PluginError::Unavailable { .. }
        )
    }
}
