-- A rerun of the failed tasks (POST /runs/{key}/rerun {"failed": true}, stoker rerun --failed): the earlier run's
-- failed, timed-out and cancelled tasks and those after them run again, the rest is taken over from it. The earlier
-- run has ended, so which tasks those are is read from it when the rerun starts, as a restart would read it again.
ALTER TABLE runs ADD COLUMN rerun_failed BOOLEAN DEFAULT FALSE NOT NULL;
