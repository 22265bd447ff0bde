-- The outbox: every message the server sends out (status webhooks, commit statuses) is a row first, then sent by
-- the OutboxSender, so a dead receiver never slows a run and nothing pending is lost by a restart.
-- Credentials from a target URL never reach a column in clear: the URL is stored without them and the
-- Authorization header they make is sealed with the master key (auth_sealed).
CREATE TABLE run_webhooks (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_key     VARCHAR(64)   NOT NULL,
    kind        VARCHAR(20)   NOT NULL,
    target      VARCHAR(2000) NOT NULL,
    auth_sealed VARBINARY(4096)
);
CREATE INDEX run_webhooks_run ON run_webhooks (run_key);

CREATE TABLE deliveries (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_key         VARCHAR(64)   NOT NULL,
    kind            VARCHAR(20)   NOT NULL,
    target          VARCHAR(2000) NOT NULL,
    auth_sealed     VARBINARY(4096),
    payload         CLOB          NOT NULL,
    attempts        INT           NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    state           VARCHAR(12)   NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'expired')),
    last_status     INT,
    last_error      VARCHAR(1000),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX deliveries_run ON deliveries (run_key);

CREATE TABLE delivery_attempts (
    delivery_id BIGINT  NOT NULL,
    attempt     INT     NOT NULL,
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    status      INT,
    error       VARCHAR(1000),
    PRIMARY KEY (delivery_id, attempt)
);
