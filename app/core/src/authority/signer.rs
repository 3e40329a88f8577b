//! How a device is named to people: by the person the roster gives it, as
//! an unenrolled device, or (with no office) by the name it claimed.
//!
//! Names typed on a laptop are free text anyone can set; in an office
//! ledger only the roster's names are shown, always beside the device's
//! short fingerprint so two people of the same name stay apart.

use super::Authority;
use crate::Lang;

/// Who signed with a device, as the office's roster says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signer {
    /// The roster names the device's person.
    Enrolled(String),
    /// An office is pinned and its roster does not name the device.
    Unenrolled,
    /// No office is pinned: only the name the device claimed is known.
    OpenMode,
}

impl Authority {
    /// Who signed with `device`, by the roster in force.
    pub fn signer(&self, device: &str) -> Signer {
        match self.person(device) {
            Some(person) => Signer::Enrolled(person.to_owned()),
            None if self.is_office() => Signer::Unenrolled,
            None => Signer::OpenMode,
        }
    }
}

impl Signer {
    /// The name to show: the roster's person, or "unenrolled device", or the
    /// `claimed` name (empty when none is known), each with the short
    /// fingerprint.
    pub fn describe(&self, lang: Lang, device: &str, claimed: &str) -> String {
        let fp = short_fingerprint(device);
        match (self, lang) {
            (Signer::Enrolled(person), _) => format!("{person} {fp}"),
            (Signer::Unenrolled, Lang::Zh) => format!("未登记设备 {fp}"),
            (Signer::Unenrolled, Lang::En) => format!("unenrolled device {fp}"),
            (Signer::OpenMode, Lang::Zh) if claimed.is_empty() => format!("设备 {fp}"),
            (Signer::OpenMode, Lang::En) if claimed.is_empty() => format!("device {fp}"),
            (Signer::OpenMode, Lang::Zh) => format!("设备 {fp}（{claimed}）"),
            (Signer::OpenMode, Lang::En) => format!("device {fp} ({claimed})"),
        }
    }
}

/// The first 12 hex digits of a device id, as every screen shows them.
pub fn short_fingerprint(device: &str) -> &str {
    device.get(..12).unwrap_or(device)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_signer_is_named_with_the_fingerprint() {
        let device = "3f2a9c0d41b7".to_string() + &"0".repeat(52);
        let zh = |s: Signer, claimed| s.describe(Lang::Zh, &device, claimed);
        assert_eq!(
            zh(Signer::Enrolled("张伟".into()), "李四"),
            "张伟 3f2a9c0d41b7"
        );
        assert_eq!(zh(Signer::Unenrolled, "李四"), "未登记设备 3f2a9c0d41b7");
        assert_eq!(zh(Signer::OpenMode, "李四"), "设备 3f2a9c0d41b7（李四）");
        assert_eq!(
            Signer::OpenMode.describe(Lang::En, &device, ""),
            "device 3f2a9c0d41b7"
        );
    }

    #[test]
    fn an_open_ledger_knows_only_claimed_names() {
        assert_eq!(Authority::Open.signer("ab"), Signer::OpenMode);
    }
}
