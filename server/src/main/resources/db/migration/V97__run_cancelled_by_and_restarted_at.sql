-- Who asked for a run's cancel (with cancel_asked_at, when): the run's page, `stoker status` and the API say it, not
-- only the audit log. NULL when nobody did (not cancelled, or cancelled by the server: a trigger step's run, a stop).
ALTER TABLE runs ADD COLUMN cancelled_by VARCHAR(200);
-- When a run a restart queued again (retryOnRestart) started again: started_at keeps the run's first start.
ALTER TABLE runs ADD COLUMN restarted_at TIMESTAMP WITH TIME ZONE;
