-- Which of a server's tellers (status webhooks 1, notifications 2, commit statuses 4, after triggers 8; see
-- io.stoker.server.endnews.EndTeller) have told a run's end: each sets its bit in the transaction that queues its
-- messages, and a run all of them told is -1. A run ended but not told by all (the server killed in between) is told
-- at the next start. Runs that ended before this column are told (-1): nothing about them is sent again. A later
-- teller's migration leaves -1 as it is, so it is not asked about runs that ended before it.
ALTER TABLE runs ADD COLUMN end_told INTEGER DEFAULT 0 NOT NULL;
UPDATE runs SET end_told = -1 WHERE status IN ('succeeded', 'failed', 'timedout', 'cancelled');
CREATE INDEX runs_end_told ON runs (end_told);
