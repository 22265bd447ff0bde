-- A project's own push-webhook secret, sealed with the master key like every other stored secret (AES-GCM bound to
-- the project's name). SQL cannot encrypt: the clear values of before stay in webhook_secret until the server's
-- start seals each into this column and empties that one (ProjectRepository.sealClearWebhookSecrets); nothing writes
-- webhook_secret any more.
ALTER TABLE projects ADD COLUMN webhook_secret_sealed BYTEA;
