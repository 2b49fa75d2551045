-- Which followed file (`tracker tail`) last wrote each point, so that what a file wrote can be
-- taken out again: when a run directory comes to prefer another file (a trainer_state.json
-- appears beside the train.log being followed), the run ends as an import would leave it.
-- Points written otherwise (import, exec, log) have no origin.
CREATE TABLE origins (
    id   INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE   -- the followed file, absolute (as in `sources`)
);
ALTER TABLE points ADD COLUMN origin INTEGER;
CREATE INDEX points_by_origin ON points(origin) WHERE origin IS NOT NULL;
