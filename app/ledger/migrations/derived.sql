-- Derived tables: computed from `events` only (see SCHEMA.md). `anfang rebuild`
-- drops them and runs this file again. Row numbers (`row_id`) are local; every
-- other column comes out identical whatever order the events arrived in.

CREATE TABLE visits (
    visit_id     TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL,         -- the visit_opened event (earliest claimed time wins a fork)
    device       TEXT NOT NULL,
    claimed_time TEXT NOT NULL,
    unit         TEXT NOT NULL,
    department   TEXT NOT NULL,
    kind         TEXT NOT NULL,         -- unannounced | open
    team         TEXT NOT NULL,         -- JSON array of names, lead first
    lead         TEXT NOT NULL,         -- first name of the team ('' if none)
    started_at   TEXT NOT NULL,
    closed_at    TEXT,                  -- earliest visit_closed time, NULL while open
    unit_id      TEXT                   -- the register's id of the unit, when picked from it
) WITHOUT ROWID;
CREATE INDEX visits_home ON visits((closed_at IS NOT NULL), started_at DESC, visit_id DESC);
CREATE INDEX visits_unit ON visits(unit, department);
CREATE INDEX visits_device ON visits(device, lead);

-- Every opening of a visit, per device: a visit's findings take their unit
-- from their own device's opening, so another device opening the same
-- visit id moves nothing.
CREATE TABLE visit_openings (
    visit_id   TEXT NOT NULL,
    device     TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    unit       TEXT NOT NULL,
    department TEXT NOT NULL,
    PRIMARY KEY (visit_id, device, event_id)
) WITHOUT ROWID;

CREATE TABLE visit_closures (
    event_id  TEXT PRIMARY KEY,
    visit_id  TEXT NOT NULL,
    closed_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX visit_closures_visit ON visit_closures(visit_id, closed_at);

CREATE TABLE visit_checklists (
    event_id       TEXT NOT NULL,       -- visit_opened or checklist_added event
    position       INTEGER NOT NULL,    -- order within that event
    visit_id       TEXT NOT NULL,
    claimed_time   TEXT NOT NULL,
    plugin_id      TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    checklist_id   TEXT NOT NULL,
    PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
CREATE INDEX visit_checklists_visit ON visit_checklists(visit_id, claimed_time, event_id, position);

-- Each checklist as walked (labels and rules), read from its event's body
-- rather than stored a second time for every visit.
CREATE VIEW visit_checklist_snapshots AS
SELECT c.*,
       json_extract(e.body, CASE e.kind WHEN 'visit_opened'
                                THEN '$.checklists[' || c.position || ']'
                                ELSE '$.checklist' END) AS snapshot
  FROM visit_checklists c JOIN events e ON e.id = c.event_id;

-- The versions of findings recorded more than once (corrected, or forked);
-- a finding recorded once is its `findings` row alone.
CREATE TABLE finding_versions (
    finding_id   TEXT NOT NULL,
    event_id     TEXT NOT NULL,         -- the finding_recorded event
    supersedes   TEXT,                  -- event id of the version this one corrects
    device       TEXT NOT NULL,
    claimed_time TEXT NOT NULL,
    PRIMARY KEY (finding_id, event_id)
) WITHOUT ROWID;

CREATE TABLE findings (
    row_id         INTEGER PRIMARY KEY, -- local row number, links findings_fts
    finding_id     TEXT NOT NULL UNIQUE,
    event_id       TEXT NOT NULL,       -- the current version's event
    visit_id       TEXT NOT NULL,
    device         TEXT NOT NULL,
    claimed_time   TEXT NOT NULL,
    plugin_id      TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    checklist_id   TEXT NOT NULL,
    item_id        TEXT NOT NULL,
    result         TEXT NOT NULL,       -- violation | compliant | not_applicable
    count          INTEGER NOT NULL,
    points         INTEGER NOT NULL,    -- hundredths of a point
    points_by_hand INTEGER NOT NULL,    -- 1 when entered by hand
    subject        TEXT,
    note           TEXT NOT NULL,
    observed_at    TEXT NOT NULL,
    unit           TEXT,                -- from the visit; NULL until its visit_opened event is here
    department     TEXT,
    status         TEXT NOT NULL,       -- pending | confirmed | dismissed | rectification_required | rectified | verified
    versions       INTEGER NOT NULL,    -- 1 = never corrected
    conflict       INTEGER NOT NULL     -- 1 = more than one uncorrected version (concurrent corrections)
);
CREATE INDEX findings_observed   ON findings(observed_at, finding_id);
CREATE INDEX findings_unit       ON findings(unit, observed_at, finding_id);
CREATE INDEX findings_department ON findings(department, observed_at, finding_id);
CREATE INDEX findings_status     ON findings(status, observed_at, finding_id);
CREATE INDEX findings_item       ON findings(item_id, observed_at, finding_id);
CREATE INDEX findings_visit      ON findings(visit_id, result);

CREATE VIRTUAL TABLE findings_fts USING fts5(
    note, subject, unit,
    content = 'findings', content_rowid = 'row_id', tokenize = 'trigram', detail = 'none'
);
-- No triggers keep findings_fts in step: the ledger writes it itself, once
-- per transaction (see src/fts.rs), because FTS5 flushes its buffer at every
-- statement savepoint and per-row triggers made merging several times slower.

-- Every title an item has had in the checklists visits walked, in both
-- languages, so that a search finds findings by what the item is called.
-- A set: the same titles come out whatever order the visits arrive in.
CREATE TABLE item_titles (
    plugin_id    TEXT NOT NULL,
    checklist_id TEXT NOT NULL,
    item_id      TEXT NOT NULL,
    zh           TEXT NOT NULL,
    en           TEXT NOT NULL,
    PRIMARY KEY (plugin_id, checklist_id, item_id, zh, en)
) WITHOUT ROWID;

CREATE TABLE evidence (
    event_id     TEXT PRIMARY KEY,      -- the evidence_attached event
    finding_id   TEXT NOT NULL,
    sha256       TEXT NOT NULL,         -- key into blobs
    file_name    TEXT NOT NULL,
    size         INTEGER NOT NULL,
    device       TEXT NOT NULL,
    claimed_time TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX evidence_finding ON evidence(finding_id, claimed_time, event_id);
CREATE INDEX evidence_sha256 ON evidence(sha256);

CREATE TABLE reviews (
    event_id     TEXT PRIMARY KEY,      -- the review_decided event
    finding_id   TEXT NOT NULL,
    reviewer     TEXT NOT NULL,
    decision     TEXT NOT NULL,         -- confirm | dismiss | require_rectification | mark_rectified | verify_rectification
    detail       TEXT NOT NULL,         -- JSON of the decision (points, reason, deadline, note)
    status_after TEXT NOT NULL,         -- the status this decision leads to
    device       TEXT NOT NULL,
    claimed_time TEXT NOT NULL,
    person       TEXT,                  -- the roster's name for the device (NULL in open mode)
    counts       INTEGER NOT NULL,      -- 1 when authorized and valid
    refusal      TEXT                   -- why not, when counts = 0
) WITHOUT ROWID;
CREATE INDEX reviews_finding ON reviews(finding_id, claimed_time, event_id);

CREATE TABLE appraisals (
    event_id     TEXT PRIMARY KEY,      -- the appraisal_entered event
    unit         TEXT NOT NULL,
    department   TEXT NOT NULL,
    period_from  TEXT NOT NULL,         -- YYYY-MM-DD
    period_to    TEXT NOT NULL,
    form         TEXT NOT NULL,         -- votes | rate
    satisfaction INTEGER,               -- hundredths of a percent
    deduction    INTEGER NOT NULL,      -- hundredths of a point
    appraisal    TEXT NOT NULL,         -- JSON
    device       TEXT NOT NULL,
    claimed_time TEXT NOT NULL,
    counts       INTEGER NOT NULL,      -- 1 when entered by an authorized reviewer
    follows      TEXT                   -- the entry it corrects; '' = first; NULL = unchained
) WITHOUT ROWID;
CREATE INDEX appraisals_unit ON appraisals(unit, period_from);

-- The office's register of units: every version published
-- (unit_registered events), and each unit's current one: among its versions
-- that count, the highest version number, then the larger event id.
CREATE TABLE unit_versions (
    event_id     TEXT PRIMARY KEY,      -- the unit_registered event
    unit_id      TEXT NOT NULL,         -- the unit's stable id
    version      INTEGER NOT NULL,
    name         TEXT NOT NULL,
    department   TEXT NOT NULL,
    kind         TEXT NOT NULL,         -- 机关, 窗口, 下属单位 …
    parent       TEXT,                  -- the parent unit's id
    aliases      TEXT NOT NULL,         -- JSON array of names
    active_from  TEXT,                  -- YYYY-MM-DD
    active_to    TEXT,
    device       TEXT NOT NULL,
    claimed_time TEXT NOT NULL,
    counts       INTEGER NOT NULL       -- 1 when published by the office's admin (any device without an office)
) WITHOUT ROWID;
CREATE INDEX unit_versions_unit ON unit_versions(unit_id, version);

CREATE TABLE units (
    unit_id      TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL,         -- the current version's event
    version      INTEGER NOT NULL,
    name         TEXT NOT NULL,
    department   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    parent       TEXT,
    aliases      TEXT NOT NULL,
    active_from  TEXT,
    active_to    TEXT
) WITHOUT ROWID;

-- Names typed on visits for units not in the register, mapped by the
-- office's admin to a registered unit (unit_mapped events). For one name,
-- the highest version that counts holds, then the larger event id.
CREATE TABLE unit_mappings (
    event_id     TEXT PRIMARY KEY,
    typed        TEXT NOT NULL,
    unit_id      TEXT NOT NULL,
    version      INTEGER NOT NULL,
    counts       INTEGER NOT NULL       -- 1 when published by the office's admin
) WITHOUT ROWID;
CREATE INDEX unit_mappings_typed ON unit_mappings(typed, version);

-- Issued bulletins (bulletin_issued events): what each named. For one
-- number, the one that counts with the smaller event id holds.
CREATE TABLE bulletins (
    event_id     TEXT PRIMARY KEY,
    number       TEXT NOT NULL,         -- 文号
    issued       TEXT NOT NULL,         -- YYYY-MM-DD
    body         TEXT NOT NULL,         -- JSON of the event body
    device       TEXT NOT NULL,
    claimed_time TEXT NOT NULL,
    counts       INTEGER NOT NULL       -- 1 when recorded by a reviewer or admin
) WITHOUT ROWID;
CREATE INDEX bulletins_number ON bulletins(number, event_id);

-- Checklists written as data and published (checklist_published events).
-- For one checklist id, the highest version that counts holds, then the
-- larger event id.
CREATE TABLE published_checklists (
    event_id     TEXT PRIMARY KEY,
    checklist_id TEXT NOT NULL,
    version      INTEGER NOT NULL,
    document     TEXT NOT NULL,
    counts       INTEGER NOT NULL       -- 1 when published by the office's admin
) WITHOUT ROWID;
CREATE INDEX published_checklists_id ON published_checklists(checklist_id, version);

-- Events kept but counting for nothing: not authorized by the office's
-- roster, or not valid (points off the item's rule, a correction of another
-- device's finding, …). Listed by `anfang verify`.
CREATE TABLE refused (
    event_id  TEXT PRIMARY KEY,
    device    TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    kind      TEXT NOT NULL,            -- the event's kind
    class     TEXT NOT NULL,            -- unauthorized | invalid
    reason    TEXT NOT NULL,            -- in English
    reason_zh TEXT NOT NULL,            -- in Chinese
    about     TEXT NOT NULL             -- the finding, visit or unit concerned ('' if none)
) WITHOUT ROWID;
CREATE INDEX refused_about ON refused(about);

CREATE TABLE devices (
    device             TEXT PRIMARY KEY,
    events             INTEGER NOT NULL,
    first_seq          INTEGER NOT NULL,
    last_seq           INTEGER NOT NULL,
    first_claimed_time TEXT NOT NULL,
    last_claimed_time  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE flags (
    kind     TEXT NOT NULL,             -- fork | gap | clock_backwards | before_first
    device   TEXT NOT NULL,
    seq      INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    other    TEXT NOT NULL,             -- the other event of a fork, the missing prev of a gap, or ''
    detail   TEXT NOT NULL,
    PRIMARY KEY (kind, device, seq, event_id, other)
) WITHOUT ROWID;
CREATE INDEX flags_device ON flags(device, seq);

-- Assessment methods the office published (method_published events); the
-- one in force: among those that count, the highest version, then the
-- larger event id. None counting: the built-in method.
CREATE TABLE methods (
    event_id     TEXT PRIMARY KEY,      -- the method_published event
    version      INTEGER NOT NULL,
    document     TEXT NOT NULL,         -- the method's JSON
    device       TEXT NOT NULL,
    claimed_time TEXT NOT NULL,
    counts       INTEGER NOT NULL       -- 1 when published by the office's admin (any device without an office)
) WITHOUT ROWID;

-- Office deductions (office_deduction events): points a reviewer took from
-- a unit for what the office's records show.
CREATE TABLE office_deductions (
    event_id     TEXT PRIMARY KEY,      -- the office_deduction event
    deduction_id TEXT NOT NULL,
    unit         TEXT NOT NULL,
    department   TEXT NOT NULL,
    item         TEXT NOT NULL,         -- the method row's id
    section      TEXT NOT NULL,
    count        INTEGER NOT NULL,
    points       INTEGER NOT NULL,      -- hundredths of a point
    day          TEXT NOT NULL,         -- YYYY-MM-DD: counts in the period holding it
    reason       TEXT NOT NULL,
    entry        TEXT NOT NULL,         -- the event body (JSON)
    device       TEXT NOT NULL,
    claimed_time TEXT NOT NULL,
    counts       INTEGER NOT NULL,      -- 1 when entered by an authorized reviewer
    evidence     TEXT,                  -- the evidence file's SHA-256 (key into blobs), if any
    status       TEXT NOT NULL          -- pending | confirmed | dismissed, settled from its decisions
) WITHOUT ROWID;
CREATE INDEX office_deductions_day ON office_deductions(day, unit);
CREATE INDEX office_deductions_id ON office_deductions(deduction_id);

-- Decisions on office deductions (deduction_reviewed events), judged afresh
-- whenever one of them or their deduction arrives, as findings' decisions are.
CREATE TABLE deduction_decisions (
    event_id     TEXT PRIMARY KEY,      -- the deduction_reviewed event
    deduction_id TEXT NOT NULL,
    reviewer     TEXT NOT NULL,         -- as typed
    decision     TEXT NOT NULL,         -- confirm | dismiss
    reason       TEXT,                  -- why, for a dismissal
    device       TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    claimed_time TEXT NOT NULL,
    person       TEXT,                  -- the roster's name for the device (NULL in open mode)
    counts       INTEGER NOT NULL,      -- 1 when the decider may decide
    refusal      TEXT                   -- why not, when counts = 0 and the deduction is here
) WITHOUT ROWID;
CREATE INDEX deduction_decisions_id ON deduction_decisions(deduction_id);

-- Accountability outcomes (outcome_recorded events): what was done about a
-- person concerned by a finding. Judged afresh whenever the finding changes:
-- it counts when recorded by a reviewer of the finding's unit (any device
-- with no office) and the finding is confirmed or further on.
CREATE TABLE outcomes (
    event_id     TEXT PRIMARY KEY,
    finding_id   TEXT NOT NULL,
    person       TEXT NOT NULL,
    kind         TEXT NOT NULL,         -- criticism-education, admonishment-talk, ...
    decided      TEXT NOT NULL,         -- YYYY-MM-DD
    number       TEXT,                  -- 文号
    note         TEXT,
    device       TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    claimed_time TEXT NOT NULL,
    counts       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX outcomes_finding ON outcomes(finding_id, decided, event_id);
CREATE INDEX outcomes_decided ON outcomes(decided, kind) WHERE counts;
