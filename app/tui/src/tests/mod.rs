//! Tests across modules: snapshots of every screen in both languages.
