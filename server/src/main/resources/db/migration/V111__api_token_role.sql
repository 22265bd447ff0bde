-- An API token may be limited to a role below its user's (a read-only token for a dashboard: 'viewer'); it acts with
-- the lower of this and the user's role at the time. NULL: the user's role, whatever it is.
ALTER TABLE api_tokens ADD COLUMN role VARCHAR(16);
