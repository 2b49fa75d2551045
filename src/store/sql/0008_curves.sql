-- One row per curve (run and metric), kept up to date by every writer in its own transaction:
-- how many points, the first and last step, the last value, the smallest and largest finite
-- values, how many are not finite, the sum of the finite values (what changes when a value is
-- replaced), and when it was last written. Listings read it rather than every point.
CREATE TABLE curves (
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    metric_id  INTEGER NOT NULL,
    points     INTEGER NOT NULL,
    first_step INTEGER NOT NULL,
    last_step  INTEGER NOT NULL,
    last_value REAL,             -- NaN as the text 'NaN', as in points
    min_value  REAL,             -- finite values only; NULL when there is none
    max_value  REAL,
    non_finite INTEGER NOT NULL,
    checksum   REAL NOT NULL,
    updated    REAL,             -- Unix seconds; NULL for curves written before this table
    PRIMARY KEY (run_id, metric_id)
) WITHOUT ROWID;
INSERT INTO curves(run_id, metric_id, points, first_step, last_step, last_value, min_value,
                   max_value, non_finite, checksum)
SELECT run_id, metric_id, count(*), min(step), max(step),
       (SELECT q.value FROM points q WHERE q.run_id = p.run_id AND q.metric_id = p.metric_id
        ORDER BY q.step DESC LIMIT 1),
       min(CASE WHEN typeof(value) IN ('real', 'integer')
                 AND value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308
                THEN value END),
       max(CASE WHEN typeof(value) IN ('real', 'integer')
                 AND value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308
                THEN value END),
       count(*) - count(CASE WHEN typeof(value) IN ('real', 'integer')
                 AND value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308
                THEN 1 END),
       total(CASE WHEN typeof(value) IN ('real', 'integer')
                   AND value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308
                  THEN value END)
FROM points p GROUP BY run_id, metric_id;
