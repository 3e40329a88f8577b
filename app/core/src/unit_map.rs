//! Names typed on visits for units the register did not hold, mapped by the
//! office to a registered unit afterwards: the findings follow the mapping.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The body of a `unit_mapped` event: "the unit typed as `typed` is
/// registered unit `unit_id`".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitMapped {
    /// The name exactly as typed on the visit (trimmed).
    pub typed: String,
    /// The registered unit it means.
    pub unit_id: Uuid,
    /// 1 for the first mapping of this name; a remapping the next number.
    /// The highest number holds, then the larger event id: never a clock.
    pub version: u32,
}
