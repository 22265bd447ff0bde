-- A project's own push-webhook secret (never returned by the API); null falls back to the server's default.
ALTER TABLE projects ADD COLUMN webhook_secret VARCHAR(1000);

-- Up to when the trigger clock delivered cron/poll firings, so a restart never fires the same minute twice.
CREATE TABLE trigger_ticks (
    name      VARCHAR(100) PRIMARY KEY,
    last_tick TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Branch heads a poll trigger saw last, per job: the next poll builds what moved since.
CREATE TABLE poll_heads (
    project    VARCHAR(100) NOT NULL,
    job        VARCHAR(200) NOT NULL,
    branch     VARCHAR(255) NOT NULL,
    commit_sha VARCHAR(64)  NOT NULL,
    PRIMARY KEY (project, job, branch)
);
