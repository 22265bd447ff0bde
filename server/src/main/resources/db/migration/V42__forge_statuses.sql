-- Commit statuses back to the git host and builds of pull/merge requests.
-- A project may name where its commits' statuses go (host kind, API base URL, repository on the host and the
-- name of the secret holding the token) and whether runs of pull requests from forks get secrets.
ALTER TABLE projects ADD COLUMN status_host VARCHAR(20);
ALTER TABLE projects ADD COLUMN status_api_url VARCHAR(2000);
ALTER TABLE projects ADD COLUMN status_repository VARCHAR(500);
ALTER TABLE projects ADD COLUMN status_token_secret VARCHAR(200);
ALTER TABLE projects ADD COLUMN allow_fork_secrets BOOLEAN DEFAULT FALSE NOT NULL;

-- A run of a pull/merge request: its number and target branch (the source branch is the run's branch), and
-- whether its secrets were withheld (a fork's PR in a project that does not allow them).
ALTER TABLE runs ADD COLUMN pr_number BIGINT;
ALTER TABLE runs ADD COLUMN pr_target_branch VARCHAR(255);
ALTER TABLE runs ADD COLUMN secrets_withheld BOOLEAN DEFAULT FALSE NOT NULL;

-- A host's API wants its own headers: plain ones (JSON object, no credentials) and the name of the header the
-- sealed credential goes in (null: Authorization). GitLab's token goes in PRIVATE-TOKEN.
ALTER TABLE deliveries ADD COLUMN headers VARCHAR(2000);
ALTER TABLE deliveries ADD COLUMN auth_header VARCHAR(64);
