-- The record itself: signed events, evidence blobs, and this ledger's own
-- journal of merges. Nothing here is ever updated or deleted.

CREATE TABLE events (
    id           TEXT PRIMARY KEY,      -- lowercase hex SHA-256 of the canonical bytes
    device       TEXT NOT NULL,         -- hex ed25519 public key of the recording device
    seq          INTEGER NOT NULL,      -- per-device sequence number, from 1
    prev         TEXT,                  -- id of the device's previous event; NULL for seq 1
    claimed_time TEXT NOT NULL,         -- the device's clock, YYYY-MM-DDTHH:MM:SS.mmmZ
    schema       INTEGER NOT NULL,      -- body schema version
    kind         TEXT NOT NULL,         -- visit_opened, finding_recorded, …
    body         TEXT NOT NULL,         -- JSON, exactly the text that was hashed
    signature    TEXT NOT NULL          -- hex ed25519 signature over the 32 id bytes
);
CREATE INDEX events_device_seq ON events(device, seq);

CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,            -- lowercase hex SHA-256 of data
    size   INTEGER NOT NULL,            -- bytes
    data   BLOB NOT NULL
);

CREATE TRIGGER blobs_refuse_update BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'evidence files are immutable: UPDATE refused'); END;
CREATE TRIGGER blobs_refuse_delete BEFORE DELETE ON blobs
BEGIN SELECT RAISE(ABORT, 'evidence files are immutable: DELETE refused'); END;

CREATE TABLE merges (
    merged_at        TEXT NOT NULL,     -- this ledger's clock when the merge committed
    bundle_file      TEXT NOT NULL,     -- the bundle's path as given
    events_in_bundle INTEGER NOT NULL,
    events_added     INTEGER NOT NULL,
    blobs_added      INTEGER NOT NULL
);
