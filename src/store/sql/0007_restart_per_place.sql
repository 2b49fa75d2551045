-- A restart is recorded once per place in its source where the steps went back: a log appended
-- to by three launches, each starting again at step 1, holds two restarts at step 1 (their
-- details name the line and the step they went back from). Importing the file again still
-- records nothing new.
DROP INDEX restart_once;
CREATE UNIQUE INDEX restart_once_per_place ON events(run_id, source, step, detail)
    WHERE kind = 'restart';
