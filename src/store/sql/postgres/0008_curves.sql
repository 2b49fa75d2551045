-- One row per curve, kept up to date by every writer (SQLite's 0008_curves.sql).
CREATE TABLE curves (
    run_id     BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    metric_id  BIGINT NOT NULL,
    points     BIGINT NOT NULL,
    first_step BIGINT NOT NULL,
    last_step  BIGINT NOT NULL,
    checksum   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, metric_id)
);
INSERT INTO curves(run_id, metric_id, points, first_step, last_step, checksum)
SELECT run_id, metric_id, count(*), min(step), max(step),
       coalesce(sum(CASE WHEN value IN ('NaN', 'Infinity', '-Infinity') THEN NULL ELSE value END), 0)
FROM points GROUP BY run_id, metric_id;
