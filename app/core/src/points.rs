//! Deduction points as exact hundredths, so that sums do not depend on order.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Mul, Sub};

/// A number of points held as hundredths of a point.
///
/// Floats would make a unit's total depend on the order findings were
/// summed in, and a ledger merged in any order must score the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(i64);

impl Points {
    /// Zero points.
    pub const ZERO: Points = Points(0);
    /// The score every unit starts a period with.
    pub const FULL_SCORE: Points = Points(10_000);

    /// Whole points.
    pub const fn whole(points: i64) -> Points {
        Points(points * 100)
    }

    /// Hundredths of a point.
    pub const fn from_hundredths(hundredths: i64) -> Points {
        Points(hundredths)
    }

    /// The value in hundredths of a point.
    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// Converts a decimal number, rounding half away from zero to hundredths.
    /// Returns `None` for NaN or infinities.
    pub fn from_f64(value: f64) -> Option<Points> {
        if !value.is_finite() || value.abs() > 1e12 {
            return None;
        }
        // The bound above keeps the cast in range.
        Some(Points((value * 100.0).round() as i64))
    }

    /// The value as a decimal number (for JSON and spreadsheets).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// The larger of `self` and zero.
    pub fn at_least_zero(self) -> Points {
        Points(self.0.max(0))
    }
}

impl fmt::Display for Points {
    /// Prints `3`, `2.5` or `0.25`: no trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, frac) = (abs / 100, abs % 100);
        match frac {
            0 => write!(f, "{sign}{whole}"),
            f2 if f2 % 10 == 0 => write!(f, "{sign}{whole}.{}", f2 / 10),
            f2 => write!(f, "{sign}{whole}.{f2:02}"),
        }
    }
}

impl Add for Points {
    type Output = Points;
    fn add(self, rhs: Points) -> Points {
        Points(self.0.saturating_add(rhs.0))
    }
}

impl Sub for Points {
    type Output = Points;
    fn sub(self, rhs: Points) -> Points {
        Points(self.0.saturating_sub(rhs.0))
    }
}

impl Mul<u32> for Points {
    type Output = Points;
    fn mul(self, rhs: u32) -> Points {
        Points(self.0.saturating_mul(i64::from(rhs)))
    }
}

impl Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, Add::add)
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Points, D::Error> {
        let value = f64::deserialize(d)?;
        Points::from_f64(value).ok_or_else(|| {
            serde::de::Error::custom(format!("not a finite number of points: {value}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_without_trailing_zeros() {
        assert_eq!(Points::whole(3).to_string(), "3");
        assert_eq!(Points::from_hundredths(250).to_string(), "2.5");
        assert_eq!(Points::from_hundredths(25).to_string(), "0.25");
        assert_eq!(Points::from_hundredths(-150).to_string(), "-1.5");
    }

    #[test]
    fn round_trips_json() {
        let json = serde_json::to_string(&Points::from_hundredths(1250)).unwrap_or_default();
        assert_eq!(json, "12.5");
        let back: Points = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, Points::from_hundredths(1250));
    }
}
