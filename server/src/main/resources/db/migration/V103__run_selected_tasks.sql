-- The tasks a trigger asked for (POST …/runs {"tasks": [...]}), as a JSON array of the names given: the run runs
-- them and what they need, the job's other tasks end skipped, and it publishes no version. NULL: the whole job.
-- Kept with the run so that a queued run starting later, one a restart queued again, and a rerun of it keep it.
ALTER TABLE runs ADD COLUMN selected_tasks TEXT;
