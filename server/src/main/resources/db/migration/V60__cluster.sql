-- Several servers on one PostgreSQL database (a cluster): each server heartbeats its row here, and a running run
-- names the server holding it and until when its lease lasts (renewed by that server's heartbeat). A run another
-- server's lease ran out on is taken over. On H2 (one server) the columns stay empty.
CREATE TABLE servers (
    id           VARCHAR(100)  PRIMARY KEY,
    version      VARCHAR(100)  NOT NULL,
    address      VARCHAR(2000) NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);
ALTER TABLE runs ADD COLUMN held_by VARCHAR(100);
ALTER TABLE runs ADD COLUMN leased_until TIMESTAMP WITH TIME ZONE;
-- What fired a run started by a trigger (a cron tick, a poll's new head, an upstream run): unique, so of several
-- servers handling the same firing exactly one queues its run.
ALTER TABLE runs ADD COLUMN firing VARCHAR(600);
CREATE UNIQUE INDEX runs_firing ON runs (firing);
