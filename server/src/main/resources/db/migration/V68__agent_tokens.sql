-- Tokens pull agents connect with (stoker agent run --token): made and revoked by admins, stored as SHA-256
-- hashes, shown once when created. Not API tokens: they open only /api/v1/agents/connect.
CREATE TABLE agent_tokens (
    name         VARCHAR(100) PRIMARY KEY,
    token_hash   VARCHAR(64)  NOT NULL UNIQUE,
    created_by   VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE
);
