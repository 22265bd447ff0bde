-- Streamed run logs: one row per run and log receiver, holding the byte offset (in the run's combined log) up to
-- which the receiver acknowledged it. The sender resumes from there after a drop or a server restart; the log
-- itself is on disk (runs/<key>/combined.log), so the row is all the state there is. The target is stored as in
-- run_webhooks (without credentials); its Authorization header is sealed there.
CREATE TABLE log_streams (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_key     VARCHAR(64)   NOT NULL,
    target      VARCHAR(2000) NOT NULL,
    auth_sealed VARBINARY(4096),
    acked       BIGINT        NOT NULL DEFAULT 0,
    state       VARCHAR(12)   NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'expired')),
    attempts    INT           NOT NULL DEFAULT 0,
    last_status INT,
    last_error  VARCHAR(1000),
    progress_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX log_streams_run ON log_streams (run_key);
CREATE INDEX log_streams_state ON log_streams (state);
