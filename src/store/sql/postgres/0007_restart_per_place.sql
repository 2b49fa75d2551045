-- A restart is recorded once per place in its source (SQLite's 0007_restart_per_place.sql).
DROP INDEX restart_once;
CREATE UNIQUE INDEX restart_once_per_place ON events(run_id, source, step, detail)
    WHERE kind = 'restart';
