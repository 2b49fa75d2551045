-- Who records a running run (SQLite's 0003_writers.sql).
ALTER TABLE runs ADD COLUMN writer_pid BIGINT;
ALTER TABLE runs ADD COLUMN writer_host TEXT;
ALTER TABLE runs ADD COLUMN writer_start BIGINT;
ALTER TABLE runs ADD COLUMN heartbeat DOUBLE PRECISION;
