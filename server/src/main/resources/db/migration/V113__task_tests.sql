-- What a task's test reports (its Jobfile's testReports: JUnit XML) said: a JSON object {total, failed, errors,
-- skipped, durationMs, files, failures: [{suite, className, name, kind, message, detail}]}, details for the first 100
-- failed cases only. NULL for a task without reports, and for every task of a run from before this version.
ALTER TABLE task_states ADD COLUMN tests TEXT;
