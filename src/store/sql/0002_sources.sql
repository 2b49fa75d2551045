-- Where `tracker tail` is in each file it follows. A row is written in the same transaction as
-- the points read up to its offset, so stopping and restarting `tail` (or a crash) resumes
-- exactly: nothing lost, nothing twice.
CREATE TABLE sources (
    path    TEXT PRIMARY KEY,   -- the followed file, absolute
    run     TEXT NOT NULL,      -- the run its points go to (unless the data names one)
    format  TEXT,               -- the format it is read as; NULL while not yet settled
    offset  INTEGER NOT NULL,   -- bytes committed: the end of the last complete line or record
    size    INTEGER NOT NULL,   -- the file's size when last read
    dev     INTEGER,            -- device and inode: a rotated file is a new file
    inode   INTEGER,
    head    BLOB NOT NULL,      -- its first bytes (up to 1 KiB): a file rewritten in place differs
    updated REAL NOT NULL       -- Unix seconds
) WITHOUT ROWID;
