//! Forks, gaps and odd claimed times: found from the events, stored in
//! `flags`, shown and never resolved silently.

use crate::canonical::parse_time;
use crate::error::LedgerError;
use crate::event::StoredEvent;
use crate::types::{Flag, FlagKind, FlagTimes, short};
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How far a claimed time may fall behind the previous event's before it is flagged
/// (clocks get corrected by a few minutes now and then).
pub const CLOCK_TOLERANCE: SignedDuration = SignedDuration::from_mins(10);
/// How long before a device's first event a claimed time may be before it is flagged.
pub const BEFORE_FIRST_TOLERANCE: SignedDuration = SignedDuration::from_hours(24);

/// One event as the flag rules see it.
struct Link {
    seq: i64,
    id: String,
    prev: Option<String>,
    time: Option<Timestamp>,
}

/// The time flags of one event, given its predecessor's time and the device's first time.
fn time_flags(
    device: &str,
    link: &Link,
    prev_time: Option<Timestamp>,
    first_time: Option<Timestamp>,
) -> Vec<Flag> {
    let mut flags = Vec::new();
    let Some(time) = link.time else {
        return flags;
    };
    let flag = |kind, detail: String, reference| Flag {
        kind,
        device_id: device.to_string(),
        seq: link.seq,
        event_id: link.id.clone(),
        other: None,
        detail,
        times: Some(FlagTimes {
            claimed: time,
            reference,
        }),
    };
    if let Some(prev_time) = prev_time
        && time < prev_time - CLOCK_TOLERANCE
    {
        flags.push(flag(
            FlagKind::ClockBackwards,
            format!("claims {time}, before the previous event's {prev_time}"),
            prev_time,
        ));
    }
    if let Some(first) = first_time
        && link.seq > 1
        && time < first - BEFORE_FIRST_TOLERANCE
    {
        flags.push(flag(
            FlagKind::BeforeFirst,
            format!("claims {time}, long before the device's first event ({first})"),
            first,
        ));
    }
    flags
}

/// Every flag of one device, from the full list of its events.
fn device_flags(device: &str, links: &[Link]) -> Vec<Flag> {
    let by_id: HashMap<&str, &Link> = links.iter().map(|l| (l.id.as_str(), l)).collect();
    let mut by_seq: BTreeMap<i64, Vec<&Link>> = BTreeMap::new();
    for link in links {
        by_seq.entry(link.seq).or_default().push(link);
    }
    let first_time = by_seq
        .get(&1)
        .and_then(|firsts| firsts.iter().filter_map(|l| l.time).min());
    let mut flags = Vec::new();
    for (seq, same) in &by_seq {
        let mut ids: Vec<&str> = same.iter().map(|l| l.id.as_str()).collect();
        ids.sort_unstable();
        if let Some((first, others)) = ids.split_first() {
            for other in others {
                flags.push(Flag {
                    kind: FlagKind::Fork,
                    device_id: device.to_string(),
                    seq: *seq,
                    event_id: (*first).to_string(),
                    other: Some((*other).to_string()),
                    detail: format!(
                        "two different events with sequence number {seq}: {} and {}",
                        short(first),
                        short(other)
                    ),
                    times: None,
                });
            }
        }
    }
    for link in links {
        let prev = link.prev.as_deref().and_then(|p| by_id.get(p));
        if link.seq > 1 && prev.is_none() {
            let missing = link.prev.clone().unwrap_or_default();
            flags.push(Flag {
                kind: FlagKind::Gap,
                device_id: device.to_string(),
                seq: link.seq,
                event_id: link.id.clone(),
                detail: format!(
                    "the previous event {} (sequence number {}) is not in this ledger",
                    short(&missing),
                    link.seq - 1
                ),
                other: Some(missing),
                times: None,
            });
        }
        flags.extend(time_flags(
            device,
            link,
            prev.and_then(|p| p.time),
            first_time,
        ));
    }
    flags.sort();
    flags
}

/// A row of `SELECT seq, id, prev, claimed_time FROM events` as a link.
fn link_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Link> {
    let time: String = r.get(3)?;
    Ok(Link {
        seq: r.get(0)?,
        id: r.get(1)?,
        prev: r.get(2)?,
        time: parse_time(&time),
    })
}

/// Recomputes the `flags` and `devices` rows of one device from its events.
pub(crate) fn refresh_device(conn: &Connection, device: &str) -> Result<(), LedgerError> {
    let links: Vec<Link> = conn
        .prepare_cached(
            "SELECT seq, id, prev, claimed_time FROM events WHERE device = ?1 ORDER BY seq, id",
        )?
        .query_map([device], link_row)?
        .collect::<Result<_, _>>()?;
    conn.prepare_cached("DELETE FROM flags WHERE device = ?1")?
        .execute([device])?;
    for flag in device_flags(device, &links) {
        store(conn, &flag)?;
    }
    conn.prepare_cached("DELETE FROM devices WHERE device = ?1")?
        .execute([device])?;
    conn.prepare_cached(
        "INSERT INTO devices (device, events, first_seq, last_seq, first_claimed_time, last_claimed_time)
         SELECT device, count(*), min(seq), max(seq), min(claimed_time), max(claimed_time)
         FROM events WHERE device = ?1 GROUP BY device",
    )?
    .execute([device])?;
    Ok(())
}

/// The events a merge added for one device, noted in sequence order as they
/// went in, so that their flags and `devices` row need not read them back.
/// It stops keeping the events themselves (and the flags read them again)
/// past [`AddedChain::MOST`], which keeps a merge's memory bounded whatever
/// the bundle holds; their number, sequence numbers and times it keeps.
pub(crate) struct AddedChain {
    links: Vec<Link>,
    /// How many events it keeps at most ([`AddedChain::MOST`]).
    room: usize,
    overflowed: bool,
    count: i64,
    /// First and last sequence number, lowest and highest claimed time (as stored).
    span: Option<(i64, i64, String, String)>,
}

impl Default for AddedChain {
    fn default() -> Self {
        AddedChain {
            links: Vec::new(),
            room: AddedChain::MOST,
            overflowed: false,
            count: 0,
            span: None,
        }
    }
}

impl AddedChain {
    /// Events kept at most, per device and bundle (some 25 MB).
    const MOST: usize = 100_000;

    /// Notes one added event (`claimed`: its claimed time, parsed); events
    /// come in order of `(seq, id)`.
    pub fn note(&mut self, ev: &StoredEvent, claimed: Option<Timestamp>) {
        self.count += 1;
        let time = ev.claimed_time.as_str();
        let span = self
            .span
            .get_or_insert_with(|| (ev.seq, ev.seq, time.to_owned(), time.to_owned()));
        span.1 = ev.seq;
        if time < span.2.as_str() {
            span.2 = time.to_owned();
        }
        if time > span.3.as_str() {
            span.3 = time.to_owned();
        }
        if self.links.len() == self.room {
            self.overflowed = true;
            self.links = Vec::new();
        }
        if !self.overflowed {
            self.links.push(Link {
                seq: ev.seq,
                id: ev.id.clone(),
                prev: ev.prev.clone(),
                time: claimed,
            });
        }
    }
}

/// Brings one device's flags and `devices` row up to date after a merge
/// added its events from sequence number `first_added` on (`added` notes
/// them). When they all come after the events already here — a laptop's new
/// work, or a device new to this ledger — only the events their flags compare
/// with are read; otherwise the whole chain is looked at again
/// ([`refresh_device`]).
pub(crate) fn refresh_device_after(
    conn: &Connection,
    device: &str,
    first_added: i64,
    added: AddedChain,
) -> Result<(), LedgerError> {
    let last: Option<i64> = conn
        .prepare_cached("SELECT last_seq FROM devices WHERE device = ?1")?
        .query_row([device], |r| r.get(0))
        .optional()?;
    // No row: the device has no events here but those just added.
    let Some(last) = Some(last.unwrap_or(0)).filter(|last| first_added > *last) else {
        return refresh_device(conn, device);
    };
    let AddedChain {
        links,
        overflowed,
        count,
        span,
        ..
    } = added;
    let mut links = if overflowed {
        conn.prepare_cached(
            "SELECT seq, id, prev, claimed_time FROM events WHERE device = ?1 AND seq > ?2 ORDER BY seq, id",
        )?
        .query_map(params![device, last], link_row)?
        .collect::<Result<_, _>>()?
    } else {
        links
    };
    // What the new events' flags compare with: the events they follow that
    // were here before, and the device's first event (forks of it too).
    let mut known: HashSet<String> = links.iter().map(|l| l.id.clone()).collect();
    let wanted: Vec<String> = links
        .iter()
        .filter_map(|l| l.prev.clone())
        .filter(|p| !known.contains(p))
        .collect();
    let mut earlier: Vec<Link> = Vec::new();
    for prev in wanted {
        earlier.extend(
            conn.prepare_cached("SELECT seq, id, prev, claimed_time FROM events WHERE id = ?1")?
                .query_row([&prev], link_row)
                .optional()?,
        );
    }
    earlier.extend(
        conn.prepare_cached(
            "SELECT seq, id, prev, claimed_time FROM events WHERE device = ?1 AND seq = 1",
        )?
        .query_map([device], link_row)?
        .collect::<Result<Vec<_>, _>>()?,
    );
    for l in earlier {
        if known.insert(l.id.clone()) {
            links.push(l);
        }
    }
    for flag in device_flags(device, &links)
        .into_iter()
        .filter(|f| f.seq > last)
    {
        store(conn, &flag)?;
    }
    let Some((first_seq, last_seq, first_time, last_time)) = span else {
        return Ok(());
    };
    conn.prepare_cached(
        "INSERT INTO devices (device, events, first_seq, last_seq, first_claimed_time, last_claimed_time)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (device) DO UPDATE SET
           events = events + excluded.events,
           first_seq = min(first_seq, excluded.first_seq),
           last_seq = max(last_seq, excluded.last_seq),
           first_claimed_time = min(first_claimed_time, excluded.first_claimed_time),
           last_claimed_time = max(last_claimed_time, excluded.last_claimed_time)",
    )?
    .execute(params![device, count, first_seq, last_seq, first_time, last_time])?;
    Ok(())
}

/// Flags and device row for an event just appended at the head of its device's chain.
pub(crate) fn note_appended(
    conn: &Connection,
    device: &str,
    seq: i64,
    id: &str,
    prev: Option<&str>,
    claimed_time: &str,
) -> Result<(), LedgerError> {
    let time_of = |sql: &str, key: &str| -> Result<Option<Timestamp>, LedgerError> {
        let text: Option<String> = conn
            .prepare_cached(sql)?
            .query_row([key], |r| r.get(0))
            .optional()?
            .flatten();
        Ok(text.as_deref().and_then(parse_time))
    };
    let prev_time = match prev {
        Some(p) => time_of("SELECT claimed_time FROM events WHERE id = ?1", p)?,
        None => None,
    };
    let first_time = time_of(
        "SELECT min(claimed_time) FROM events WHERE device = ?1 AND seq = 1",
        device,
    )?;
    let link = Link {
        seq,
        id: id.to_string(),
        prev: prev.map(str::to_string),
        time: parse_time(claimed_time),
    };
    for flag in time_flags(device, &link, prev_time, first_time) {
        store(conn, &flag)?;
    }
    conn.prepare_cached(
        "INSERT INTO devices (device, events, first_seq, last_seq, first_claimed_time, last_claimed_time)
         VALUES (?1, 1, ?2, ?2, ?3, ?3)
         ON CONFLICT (device) DO UPDATE SET
           events = events + 1,
           first_seq = min(first_seq, excluded.first_seq),
           last_seq = max(last_seq, excluded.last_seq),
           first_claimed_time = min(first_claimed_time, excluded.first_claimed_time),
           last_claimed_time = max(last_claimed_time, excluded.last_claimed_time)",
    )?
    .execute(params![device, seq, claimed_time])?;
    Ok(())
}

fn store(conn: &Connection, flag: &Flag) -> Result<(), LedgerError> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO flags (kind, device, seq, event_id, other, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        flag.kind.as_str(),
        flag.device_id,
        flag.seq,
        flag.event_id,
        flag.other.as_deref().unwrap_or(""),
        flag.detail
    ])?;
    Ok(())
}

/// The stored flags, of one device or of all, in key order.
pub(crate) fn load(conn: &Connection, device: Option<&str>) -> Result<Vec<Flag>, LedgerError> {
    // The compared times are not stored; they are read back from the events.
    let mut stmt = conn.prepare_cached(
        "SELECT f.kind, f.device, f.seq, f.event_id, f.other, f.detail, e.claimed_time,
                CASE f.kind
                  WHEN 'clock_backwards' THEN (SELECT p.claimed_time FROM events p WHERE p.id = e.prev)
                  WHEN 'before_first' THEN
                    (SELECT min(s.claimed_time) FROM events s WHERE s.device = f.device AND s.seq = 1)
                END
           FROM flags f LEFT JOIN events e ON e.id = f.event_id
          WHERE ?1 IS NULL OR f.device = ?1 ORDER BY f.device, f.seq, f.kind, f.event_id, f.other",
    )?;
    type Columns = (
        String,
        String,
        i64,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let rows = stmt.query_map([device], |r| Columns::try_from(r))?;
    let mut flags = Vec::new();
    for row in rows {
        let (kind, device_id, seq, event_id, other, detail, claimed, reference) = row?;
        let kind = FlagKind::parse(&kind)
            .ok_or_else(|| LedgerError::Damaged(format!("unknown flag kind '{kind}'")))?;
        let time = |t: Option<String>| t.as_deref().and_then(parse_time);
        let times = time(claimed)
            .zip(time(reference))
            .map(|(claimed, reference)| FlagTimes { claimed, reference });
        flags.push(Flag {
            kind,
            device_id,
            seq,
            event_id,
            other: (!other.is_empty()).then_some(other),
            detail,
            times,
        });
    }
    Ok(flags)
}

/// Claimed times later than `now` plus the tolerance, among the given events.
pub(crate) fn future(
    conn: &Connection,
    device: Option<&str>,
    now: Timestamp,
) -> Result<Vec<Flag>, LedgerError> {
    let limit = crate::canonical::format_time(now + CLOCK_TOLERANCE);
    let mut stmt = conn.prepare_cached(
        "SELECT device, seq, id, claimed_time FROM events
         WHERE (?1 IS NULL OR device = ?1) AND claimed_time > ?2 ORDER BY device, seq, id",
    )?;
    let rows = stmt.query_map(params![device, limit], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut flags = Vec::new();
    for row in rows {
        let (device_id, seq, event_id, time) = row?;
        flags.push(Flag {
            kind: FlagKind::Future,
            device_id,
            seq,
            event_id,
            other: None,
            detail: format!("claims {time}, in the future of this machine's clock ({now})"),
            times: parse_time(&time).map(|claimed| FlagTimes {
                claimed,
                reference: now,
            }),
        });
    }
    Ok(flags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EVENT_COLUMNS;
    use crate::{DeviceKey, Ledger};
    use anfang_core::event::{EventBody, VisitClosed};

    /// A device's flags and `devices` row from its events noted by a merge
    /// that kept `room` of them: what the ledger had worked out as they
    /// were recorded one by one.
    fn refreshed_with_room(room: usize) {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger =
            Ledger::open_with_key(&dir.path().join("l.sqlite"), DeviceKey::from_seed([3; 32]))
                .unwrap();
        let t = |s: i64| Timestamp::from_second(1_780_000_000 + s).unwrap();
        // The clock jumps back by an hour after the second event.
        for (n, at) in [0, 100, -3600, -3500].into_iter().enumerate() {
            let body = EventBody::VisitClosed(VisitClosed {
                visit_id: uuid::Uuid::from_u64_pair(1, n as u64),
                closed_at: t(at),
            });
            ledger.append_at(&body, t(at)).unwrap();
        }
        let expected = ledger.derived_dump().unwrap();
        assert!(expected.contains("clock_backwards"), "{expected}");
        let device = ledger.device_id().to_owned();
        let conn = &ledger.conn;
        conn.execute("DELETE FROM flags", []).unwrap();
        conn.execute("DELETE FROM devices", []).unwrap();
        let events: Vec<StoredEvent> = conn
            .prepare(&format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY seq"))
            .unwrap()
            .query_map([], StoredEvent::from_row)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut chain = AddedChain {
            room,
            ..AddedChain::default()
        };
        for ev in &events {
            chain.note(ev, parse_time(&ev.claimed_time));
        }
        assert_eq!(chain.overflowed, room < events.len());
        refresh_device_after(conn, &device, 1, chain).unwrap();
        assert_eq!(ledger.derived_dump().unwrap(), expected);
    }

    #[test]
    fn a_new_device_is_flagged_from_the_events_noted() {
        refreshed_with_room(AddedChain::MOST);
    }

    #[test]
    fn past_its_room_the_events_are_read_back_and_flagged_the_same() {
        refreshed_with_room(2);
    }
}
