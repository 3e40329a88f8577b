//! Look-ups a merge repeats for every event of a visit, remembered for the
//! length of one merge transaction.
//!
//! A bundle brings a device's events in sequence order: a visit's opening
//! and checklists, then its twenty-odd findings. Each finding asks the same
//! three questions of the ledger — which unit the device's opening of the
//! visit names, which checklist snapshot its item is on, whether the device
//! has refused events waiting for it — and each answer is an indexed query
//! costing more than the rest of the finding's checks together. The answers
//! change only when a visit is opened, a checklist added or an event
//! refused, and each of those clears what it could change; so within one
//! transaction the remembered answer is always what the query would say.
//!
//! Only a merge turns the memo on ([`Scope`]), and it is forgotten when the
//! scope ends (commit or rollback alike) and whenever the derived tables
//! are rebuilt: outside a merge every look-up goes to the ledger.

use anfang_core::visit::Unit;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// (visit id, device, checklist id, plugin id).
pub(crate) type SnapshotQuery = (String, String, String, String);

#[derive(Default)]
struct Memo {
    on: bool,
    openings: HashMap<(String, String), Option<Unit>>,
    snapshots: HashMap<SnapshotQuery, Option<(String, i64)>>,
    /// Devices known to have no refused event a later one could revive.
    settled_devices: HashSet<String>,
    /// The items of each (plugin id, checklist id) whose titles are in
    /// `item_titles` (a set: its rows are only ever added).
    titled: HashMap<(String, String), HashSet<String>>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Turns the memo on for one merge transaction; dropping it forgets it all.
pub(crate) struct Scope(());

impl Scope {
    /// Starts remembering on this thread.
    pub(crate) fn begin() -> Scope {
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            *m = Memo::default();
            m.on = true;
        });
        Scope(())
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        MEMO.with(|m| *m.borrow_mut() = Memo::default());
    }
}

/// Forgets every answer (the derived tables are being rebuilt).
pub(crate) fn forget_all() {
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        m.openings.clear();
        m.snapshots.clear();
        m.settled_devices.clear();
        m.titled.clear();
    });
}

/// A visit was opened: which unit a device's opening names may change.
pub(crate) fn forget_openings() {
    MEMO.with(|m| m.borrow_mut().openings.clear());
}

/// A checklist was added to a visit: which snapshot an item is on may change.
pub(crate) fn forget_snapshots() {
    MEMO.with(|m| m.borrow_mut().snapshots.clear());
}

/// An event of `device` was refused: it may have events to retry now.
pub(crate) fn forget_device(device: &str) {
    MEMO.with(|m| {
        m.borrow_mut().settled_devices.remove(device);
    });
}

/// The remembered opening of `visit_id` by `device`, else `look_up`'s answer.
pub(crate) fn opening<E>(
    visit_id: &str,
    device: &str,
    look_up: impl FnOnce() -> Result<Option<Unit>, E>,
) -> Result<Option<Unit>, E> {
    let key = (visit_id.to_owned(), device.to_owned());
    if let Some(hit) = MEMO.with(|m| {
        let m = m.borrow();
        m.on.then(|| m.openings.get(&key).cloned()).flatten()
    }) {
        return Ok(hit);
    }
    let found = look_up()?;
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.on {
            m.openings.insert(key, found.clone());
        }
    });
    Ok(found)
}

/// The remembered place (event, position) of a snapshot, else `look_up`'s answer.
pub(crate) fn snapshot_place<E>(
    query: SnapshotQuery,
    look_up: impl FnOnce() -> Result<Option<(String, i64)>, E>,
) -> Result<Option<(String, i64)>, E> {
    if let Some(hit) = MEMO.with(|m| {
        let m = m.borrow();
        m.on.then(|| m.snapshots.get(&query).cloned()).flatten()
    }) {
        return Ok(hit);
    }
    let found = look_up()?;
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.on {
            m.snapshots.insert(query, found.clone());
        }
    });
    Ok(found)
}

/// Notes the titles of these items of a checklist as written. False when
/// every one of them was already: then there is nothing to write (nearly
/// every visit walks the checklists the visit before it did).
pub(crate) fn note_titled<'a>(
    plugin_id: &str,
    checklist_id: &str,
    items: impl Iterator<Item = &'a str> + Clone,
) -> bool {
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if !m.on {
            return true;
        }
        let known = m
            .titled
            .entry((plugin_id.to_owned(), checklist_id.to_owned()))
            .or_default();
        if items.clone().all(|item| known.contains(item)) {
            return false;
        }
        known.extend(items.map(str::to_owned));
        true
    })
}

/// Whether `device` is known to have no refused events to retry.
pub(crate) fn device_settled(device: &str) -> bool {
    MEMO.with(|m| {
        let m = m.borrow();
        m.on && m.settled_devices.contains(device)
    })
}

/// Notes that `device` has no refused events to retry.
pub(crate) fn note_device_settled(device: &str) {
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.on {
            m.settled_devices.insert(device.to_owned());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit() -> Option<Unit> {
        Some(Unit {
            name: "市财政局".into(),
            department: "财政".into(),
        })
    }

    #[test]
    fn outside_a_scope_every_look_up_asks_the_ledger() {
        let mut asked = 0;
        for _ in 0..2 {
            let _ = opening::<()>("v", "d", || {
                asked += 1;
                Ok(unit())
            });
        }
        assert_eq!(asked, 2);
        assert!(!device_settled("d"));
    }

    #[test]
    fn within_a_scope_an_answer_holds_until_what_could_change_it_happens() {
        let scope = Scope::begin();
        let mut asked = 0;
        let mut ask = || {
            opening::<()>("v", "d", || {
                asked += 1;
                Ok(unit())
            })
            .unwrap()
        };
        assert_eq!(ask(), unit());
        assert_eq!(ask(), unit());
        forget_openings();
        ask();
        assert_eq!(asked, 2);
        note_device_settled("d");
        assert!(device_settled("d"));
        forget_device("d");
        assert!(!device_settled("d"));
        note_device_settled("d");
        assert!(note_titled("core", "attendance", ["late"].into_iter()));
        assert!(!note_titled("core", "attendance", ["late"].into_iter()));
        assert!(note_titled(
            "core",
            "attendance",
            ["late", "absent"].into_iter()
        ));
        forget_all();
        assert!(note_titled("core", "attendance", ["late"].into_iter()));
        drop(scope);
        assert!(!device_settled("d"), "a scope's answers end with it");
        assert!(note_titled("core", "attendance", ["late"].into_iter()));
        assert!(note_titled("core", "attendance", ["late"].into_iter()));
    }
}
