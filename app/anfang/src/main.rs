//! The anfang binary.
fn main() {}
