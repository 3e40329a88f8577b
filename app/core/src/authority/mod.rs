//! The office's authority: who may record, decide and change.
//!
//! Signatures say which key wrote an event; the roster says what that key
//! may do. The office's root keys (a threshold of them) sign each roster
//! version, and each version must be signed by enough roots of the version
//! before it (TUF's root rotation); a ledger pins its office by the first
//! version's roots. Every rule here is a pure function of the events a
//! ledger holds — never of the order they arrived in, nor of any clock —
//! so two ledgers holding the same events reach the same verdicts.

mod chain;
mod decisions;
mod edit;
mod grants;
mod office;
mod refusal;
mod roster;
mod signer;

pub use chain::{Authority, RosterCandidate, RosterChain, RosterProblem, validate_chain};
pub use decisions::{DecisionNode, Settled, settle};
pub use grants::Granted;
pub use office::{Roots, office_fingerprint, roster_digest, roster_signing_bytes};
pub use refusal::Refusal;
pub use roster::{Delegation, DeviceGrant, Person, Recusal, Role, RosterDocument, RosterSettings};
pub use signer::{Signer, short_fingerprint};
