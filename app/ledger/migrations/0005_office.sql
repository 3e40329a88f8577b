-- The office this ledger answers to: the fingerprint of its roots, pinned by
-- `anfang office init` or `anfang office join`. Local to this file, like
-- `merges`: no row means open mode (every signed event counts).
CREATE TABLE office_pin (
    fingerprint TEXT NOT NULL,
    pinned_at   TEXT NOT NULL
);
