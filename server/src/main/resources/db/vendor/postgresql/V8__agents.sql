-- PostgreSQL form of db/vendor/h2/V8__agents.sql (same tables; identity, TEXT and BYTEA for H2's AUTO_INCREMENT, CLOB, VARBINARY)
-- remote agents reached over SSH; the private key is sealed with the master key (SecretBox, context
-- "agent:<name>") and never leaves the server in clear
CREATE TABLE agents (
    name            VARCHAR(64)     NOT NULL PRIMARY KEY,
    host            VARCHAR(255)    NOT NULL,
    port            INT             NOT NULL,
    login           VARCHAR(64)     NOT NULL,
    private_key     BYTEA NOT NULL,
    -- pinned SHA256:… fingerprint; null while a trust-on-first-use agent waits for its first connection
    host_key        VARCHAR(100),
    trust_first_use BOOLEAN         NOT NULL,
    labels          VARCHAR(8000)   NOT NULL,
    auto_labels     VARCHAR(8000)   NOT NULL,
    facts           TEXT,
    executors       INT             NOT NULL,
    work_dir        VARCHAR(1000)   NOT NULL,
    blocked_reason  VARCHAR(2000),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    installed_at    TIMESTAMP WITH TIME ZONE
);
