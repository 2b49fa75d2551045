-- What a history entry of writing covers: how many points were new or changed, and the steps
-- from `step` to `last_step`. Consecutive logging into one run then stays one entry.
ALTER TABLE events ADD COLUMN points INTEGER;
ALTER TABLE events ADD COLUMN last_step INTEGER;
