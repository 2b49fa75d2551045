-- Runs: one per training run, named uniquely.
CREATE TABLE runs (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    created REAL NOT NULL,               -- Unix seconds
    source  TEXT NOT NULL,               -- where the data first came from
    params  TEXT NOT NULL DEFAULT '{}',  -- JSON object
    status  TEXT NOT NULL DEFAULT 'imported'
);

-- Metric names, shared by all runs.
CREATE TABLE metrics (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- One value per run, metric and step. NaN is stored as the text 'NaN' (SQLite would turn a
-- NaN REAL into NULL); infinities are REAL.
CREATE TABLE points (
    run_id    INTEGER NOT NULL,
    metric_id INTEGER NOT NULL,
    step      INTEGER NOT NULL,
    value     REAL,
    wall_time REAL,
    PRIMARY KEY (run_id, metric_id, step)
) WITHOUT ROWID;

-- A run's history: imports, restarts, renames.
CREATE TABLE events (
    id     INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    time   REAL NOT NULL,
    kind   TEXT NOT NULL,
    source TEXT,
    step   INTEGER,
    detail TEXT
);
CREATE INDEX events_by_run ON events(run_id, time);
-- A restart seen again when the same file is imported again is recorded once.
CREATE UNIQUE INDEX restart_once ON events(run_id, source, step) WHERE kind = 'restart';
