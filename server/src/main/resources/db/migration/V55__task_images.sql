-- The images a task ran in (their digests as pulled) and pushed (buildImage, publishImage): a JSON list of
-- {reference, digest, use}, null for a task that used none.
ALTER TABLE task_states ADD COLUMN images VARCHAR(20000);
