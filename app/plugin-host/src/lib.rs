//! anfang-plugin-host.
