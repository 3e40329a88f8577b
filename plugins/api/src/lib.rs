//! The anfang plugin C ABI.
