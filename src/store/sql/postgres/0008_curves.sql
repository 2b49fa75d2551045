-- One row per curve, kept up to date by every writer (SQLite's 0008_curves.sql).
CREATE TABLE curves (
    run_id     BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    metric_id  BIGINT NOT NULL,
    points     BIGINT NOT NULL,
    first_step BIGINT NOT NULL,
    last_step  BIGINT NOT NULL,
    last_value DOUBLE PRECISION,
    min_value  DOUBLE PRECISION,
    max_value  DOUBLE PRECISION,
    non_finite BIGINT NOT NULL,
    checksum   DOUBLE PRECISION NOT NULL,
    updated    DOUBLE PRECISION,
    PRIMARY KEY (run_id, metric_id)
);
INSERT INTO curves(run_id, metric_id, points, first_step, last_step, last_value, min_value,
                   max_value, non_finite, checksum)
SELECT run_id, metric_id, count(*), min(step), max(step),
       (SELECT q.value FROM points q WHERE q.run_id = p.run_id AND q.metric_id = p.metric_id
        ORDER BY q.step DESC LIMIT 1),
       min(CASE WHEN value IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE value END),
       max(CASE WHEN value IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE value END),
       count(*) - count(CASE WHEN value IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE 1 END),
       coalesce(sum(CASE WHEN value IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE value END), 0)
FROM points p GROUP BY run_id, metric_id;
