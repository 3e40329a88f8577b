//! anfang-export.
