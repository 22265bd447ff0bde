-- Which of a server's tellers (status webhooks 1, notifications 2, commit statuses 4; see
-- io.stoker.server.endnews.StartsTold) have told a run's start (running, started): the transaction that starts a run
-- sets 0, each teller sets its bit in the transaction that queues its messages, and a run all of them told is -1. A
-- started run not told by all (the server killed in between) is told at the next start. -1 is also "nothing to tell":
-- a run not started yet, and every run from before this column (told then, or never started).
ALTER TABLE runs ADD COLUMN start_told INTEGER DEFAULT -1 NOT NULL;
CREATE INDEX runs_start_told ON runs (start_told);
-- Which server's sender holds a pending delivery's claim (its cluster id; NULL on a single server, or when nobody
-- claims it): when the cluster finds that server lost, its claims are given up at once, not when they run out.
ALTER TABLE deliveries ADD COLUMN claimed_by VARCHAR(100);
