//! Building blocks the screens share.

pub mod chrome;
pub mod field;
pub mod gauge;
pub mod list;
pub mod time;
