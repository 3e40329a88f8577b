//! anfang-ledger.
