-- The server of a cluster sending each log stream (its id in servers; NULL on a server alone, or written by a
-- version before this one). A server takes over only the pending streams whose sender is gone, so a server starting
-- no longer sends a live server's stream a second time.
ALTER TABLE log_streams ADD COLUMN sender VARCHAR(100);
