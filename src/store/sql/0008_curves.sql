-- One row per curve (run and metric), kept up to date by every writer in its own transaction:
-- how many points, the first and last step, and the sum of the finite values (what changes
-- when a value is replaced). Listings read it rather than counting every point.
CREATE TABLE curves (
    run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL,
    points    INTEGER NOT NULL,
    first_step INTEGER NOT NULL,
    last_step  INTEGER NOT NULL,
    checksum  REAL NOT NULL,
    PRIMARY KEY (run_id, metric_id)
) WITHOUT ROWID;
INSERT INTO curves(run_id, metric_id, points, first_step, last_step, checksum)
SELECT run_id, metric_id, count(*), min(step), max(step),
       total(CASE WHEN typeof(value) IN ('real', 'integer')
                   AND value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308
                  THEN value END)
FROM points GROUP BY run_id, metric_id;
