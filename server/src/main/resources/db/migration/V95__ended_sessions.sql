-- Access tokens (by jti) and logins (by sid, their refresh tokens' family) ended before their tokens expire: by a
-- logout, or a refresh token presented twice. Kept until the last such token has expired (expires_at), so that a
-- restarted server, and every server of a cluster, keeps refusing them; pruned after.
CREATE TABLE ended_sessions (
    id         VARCHAR(100) PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ended_sessions_expires ON ended_sessions (expires_at);
