-- Who records a running run (`tracker exec`): its process, the host it runs on and the
-- process's start time (a pid used again by another process is not the writer), and when it
-- last said it was alive. A run whose writer is gone reads `stalled`, not `running` forever.
ALTER TABLE runs ADD COLUMN writer_pid INTEGER;
ALTER TABLE runs ADD COLUMN writer_host TEXT;
ALTER TABLE runs ADD COLUMN writer_start INTEGER;
ALTER TABLE runs ADD COLUMN heartbeat REAL;
