-- A delivery id is not covered by the host's signature: the same signed body sent again under a new id was taken as
-- a new push, and built (and perhaps deployed) an old commit. Each delivery also remembers its body, by the SHA-256 of
-- its exact bytes (scoped per webhook as delivery_id is), for as long as its id: the same body again is a replay.
-- Rows from before this version have none (NULL), and NULLs never collide.
ALTER TABLE webhook_deliveries ADD COLUMN body_key VARCHAR(100);
CREATE UNIQUE INDEX webhook_deliveries_body ON webhook_deliveries (host, body_key);
