//! anfang-tui.
