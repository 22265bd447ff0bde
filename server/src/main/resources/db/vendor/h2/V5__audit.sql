-- Security-relevant actions, append-only: who did what to what, with facts but never a secret value.
CREATE TABLE audit_log (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(100) NOT NULL,
    action      VARCHAR(100) NOT NULL,
    target      VARCHAR(300),
    detail      CLOB         NOT NULL
);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
