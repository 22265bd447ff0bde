-- A cancel answered 'cancelling' is stored before the answer: a server that dies before the run's processes have
-- ended then ends the run cancelled at its next start (or at a peer's takeover), instead of failing it or queueing it
-- again (retryOnRestart).
ALTER TABLE runs ADD COLUMN cancel_asked_at TIMESTAMP WITH TIME ZONE;
-- How many times a restart queued the run again (retryOnRestart): bounded, so a run that kills its server every time
-- does not take it down for good.
ALTER TABLE runs ADD COLUMN restarts INT DEFAULT 0 NOT NULL;
