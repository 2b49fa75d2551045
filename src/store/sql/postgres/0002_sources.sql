-- Where `tracker tail` is in each file it follows (SQLite's 0002_sources.sql).
CREATE TABLE sources (
    path     TEXT PRIMARY KEY,
    run      TEXT NOT NULL,
    format   TEXT,
    "offset" BIGINT NOT NULL,
    size     BIGINT NOT NULL,
    dev      BIGINT,
    inode    BIGINT,
    head     BYTEA NOT NULL,
    updated  DOUBLE PRECISION NOT NULL
);
