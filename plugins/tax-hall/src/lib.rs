//! Department checklist plugin: tax-hall.
