-- What a followed file's steps were read against: for a console log, the trainer_state.json
-- it took its steps from (a fingerprint of its logging calls); NULL for none. A position read
-- against another reference is not resumed: the file is read again on the new step scale.
ALTER TABLE sources ADD COLUMN reading TEXT;
