//! Department checklist plugin: service-center.
