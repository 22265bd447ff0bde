-- Which of a server's tellers of a run's queued (commit statuses 4; see io.stoker.server.endnews.QueuedTold) have told
-- it: the transaction that saves a run sets 0, as does the one that queues it again after a restart (retryOnRestart);
-- each teller sets its bit in the transaction that queues its message, and a run all of them told is -1. A queued run
-- not told by all (the server killed in between) is told at the next start. -1 is also "nothing to tell": every run
-- from before this column (told then). A single server now claims the deliveries it sends with its id too (V118's
-- deliveries.claimed_by): at its next start it gives up the claims a killed predecessor left.
ALTER TABLE runs ADD COLUMN queued_told INTEGER DEFAULT -1 NOT NULL;
CREATE INDEX runs_queued_told ON runs (queued_told);
