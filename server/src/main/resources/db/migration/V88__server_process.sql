-- Which process on which machine a server of a cluster is ("pid:[N] boot B pid P start S", from /proc; NULL where
-- there is no /proc or for a version before this one). A server that finds a row of its own machine and PID
-- namespace whose process is gone (killed, crashed) takes over its runs at once instead of waiting for its lease.
ALTER TABLE servers ADD COLUMN process VARCHAR(300);
