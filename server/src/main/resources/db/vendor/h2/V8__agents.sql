-- remote agents reached over SSH; the private key is sealed with the master key (SecretBox, context
-- "agent:<name>") and never leaves the server in clear
CREATE TABLE agents (
    name            VARCHAR(64)     NOT NULL PRIMARY KEY,
    host            VARCHAR(255)    NOT NULL,
    port            INT             NOT NULL,
    login           VARCHAR(64)     NOT NULL,
    private_key     VARBINARY(65536) NOT NULL,
    -- pinned SHA256:… fingerprint; null while a trust-on-first-use agent waits for its first connection
    host_key        VARCHAR(100),
    trust_first_use BOOLEAN         NOT NULL,
    labels          VARCHAR(8000)   NOT NULL,
    auto_labels     VARCHAR(8000)   NOT NULL,
    facts           CLOB,
    executors       INT             NOT NULL,
    work_dir        VARCHAR(1000)   NOT NULL,
    blocked_reason  VARCHAR(2000),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    installed_at    TIMESTAMP WITH TIME ZONE
);
