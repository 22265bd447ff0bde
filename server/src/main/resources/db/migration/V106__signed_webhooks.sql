-- A status webhook may be signed (x-stoker-signature-256, an HMAC-SHA256 of the body): its key is sealed with the
-- master key like the Authorization header in auth_sealed (AES-GCM bound to the row's kind and target), kept with the
-- run's receivers and with each delivery, so a retry after a restart signs the same body alike. NULL: unsigned.
ALTER TABLE run_webhooks ADD COLUMN signing_sealed BYTEA;
ALTER TABLE deliveries ADD COLUMN signing_sealed BYTEA;
