-- People who may use the API. The password is an Argon2id PHC string, never returned. Access tokens (JWTs) issued
-- before sessions_after are refused, so a password change ends every session at once.
CREATE TABLE users (
    username       VARCHAR(64)  PRIMARY KEY,
    password_hash  VARCHAR(300) NOT NULL,
    role           VARCHAR(16)  NOT NULL,
    enabled        BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    sessions_after TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Refresh tokens are opaque and stored as SHA-256 hashes. Each use replaces the token by a new one of the same
-- family; presenting a replaced (revoked) token again revokes the whole family.
CREATE TABLE refresh_tokens (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    token_hash  VARCHAR(64)  NOT NULL UNIQUE,
    family      VARCHAR(40)  NOT NULL,
    username    VARCHAR(64)  NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);

-- Named API tokens (scripts, the CLI), stored as SHA-256 hashes; shown once when created.
CREATE TABLE api_tokens (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    username     VARCHAR(64)  NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    name         VARCHAR(100) NOT NULL,
    token_hash   VARCHAR(64)  NOT NULL UNIQUE,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE,
    last_used_at TIMESTAMP WITH TIME ZONE,
    UNIQUE (username, name)
);

-- Developers change only projects they are members of; a project's creator becomes one.
CREATE TABLE project_members (
    project_id BIGINT      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    username   VARCHAR(64) NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    added_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (project_id, username)
);
