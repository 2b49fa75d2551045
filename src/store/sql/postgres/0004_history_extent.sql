-- What a history entry of writing covers (SQLite's 0004_history_extent.sql).
ALTER TABLE events ADD COLUMN points BIGINT;
ALTER TABLE events ADD COLUMN last_step BIGINT;
