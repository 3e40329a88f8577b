//! 四(二): approval items not moved into the center cost 30 points, "less
//! the corresponding share for each item moved" — read as 30 × not moved ÷
//! all the unit's items.

use anfang_core::Points;
use anfang_plugin_api::ScoreRequest;

const FULL_DEDUCTION: i64 = 30;

pub(crate) fn deduction(request: &ScoreRequest) -> Result<Points, String> {
    let total = request.integer("items_total")?;
    let not_moved = request.integer("items_not_moved")?;
    if total == 0 {
        return Err("items_total is 0: a unit with no approval items has nothing to move".into());
    }
    if not_moved > total {
        return Err(format!(
            "items_not_moved {not_moved} is more than items_total {total}"
        ));
    }
    let (total, not_moved) = (i128::from(total), i128::from(not_moved));
    // Hundredths of a point, rounded half up.
    let hundredths = (i128::from(FULL_DEDUCTION) * 100 * not_moved * 2 + total) / (total * 2);
    i64::try_from(hundredths)
        .map(Points::from_hundredths)
        .map_err(|_| "item counts too large".to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn request(total: u64, not_moved: u64) -> ScoreRequest {
        let mut inputs = anfang_plugin_api::serde_json::Map::new();
        inputs.insert("items_total".into(), total.into());
        inputs.insert("items_not_moved".into(), not_moved.into());
        ScoreRequest {
            item: "center-items-not-moved".into(),
            inputs,
        }
    }

    #[test]
    fn none_moved_costs_thirty_all_moved_nothing() {
        assert_eq!(deduction(&request(12, 12)), Ok(Points::whole(30)));
        assert_eq!(deduction(&request(12, 0)), Ok(Points::ZERO));
    }

    #[test]
    fn each_item_moved_takes_its_share_off() {
        assert_eq!(
            deduction(&request(12, 3)),
            Ok(Points::from_hundredths(7_50))
        );
        // 30 × 1 ÷ 7 = 4.2857… → 4.29
        assert_eq!(deduction(&request(7, 1)), Ok(Points::from_hundredths(4_29)));
    }

    #[test]
    fn impossible_counts_are_errors_naming_the_values() {
        assert!(
            deduction(&request(0, 0))
                .unwrap_err()
                .contains("items_total is 0")
        );
        assert!(
            deduction(&request(3, 5))
                .unwrap_err()
                .contains("5 is more than items_total 3")
        );
    }
}
