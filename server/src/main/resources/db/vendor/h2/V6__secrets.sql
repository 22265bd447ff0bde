-- Named secrets, global (project_id NULL) or of one project. A value is sealed with AES-GCM under the master key
-- kept outside the database (bound to scope and name); a Vault-backed secret stores only its path and key.
CREATE TABLE secrets (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    -- 'global' or 'project:<name>': one unique key, since a UNIQUE over a NULL project_id would not hold
    scope        VARCHAR(120)  NOT NULL,
    project_id   BIGINT        REFERENCES projects (id) ON DELETE CASCADE,
    name         VARCHAR(100)  NOT NULL,
    sealed_value VARBINARY(70000),
    vault_path   VARCHAR(500),
    vault_key    VARCHAR(200),
    -- global secrets only: JSON list of the projects that may read it; NULL means every project
    grants       CLOB,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by   VARCHAR(100)  NOT NULL,
    updated_by   VARCHAR(100)  NOT NULL,
    CONSTRAINT secrets_scope_name UNIQUE (scope, name),
    CONSTRAINT secrets_one_source CHECK ((sealed_value IS NULL) <> (vault_path IS NULL))
);
