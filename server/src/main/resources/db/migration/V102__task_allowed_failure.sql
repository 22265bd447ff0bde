-- A task whose Jobfile says allowFailure and that failed or timed out is recorded as an allowed failure: its state
-- stays failed, its run may still succeed. Rows from before this version were never allowed to fail.
ALTER TABLE task_states ADD COLUMN allowed_failure BOOLEAN DEFAULT FALSE NOT NULL;
