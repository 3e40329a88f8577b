//! Department checklist plugin: planning-bureau.
