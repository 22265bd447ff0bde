-- The tag a run builds (its short name, e.g. v1): a tag push's run, or one triggered at a tag. NULL when the run
-- builds none (a branch, a commit, a freestyle job); run.tag and STOKER_TAG read it.
ALTER TABLE runs ADD COLUMN tag VARCHAR(255);
