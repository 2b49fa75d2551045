-- What a followed file's steps were read against (SQLite's 0006_source_reading.sql).
ALTER TABLE sources ADD COLUMN reading TEXT;
