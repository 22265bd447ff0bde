-- Delivery ids recorded before V93 scoped them per webhook are plain ids, whichever hook sent them: a delivery that a
-- project's own webhook secret verified is looked for under its plain id too when that row is one of these, or its
-- replay after the upgrade (for the ids' 7 days) would be taken again.
ALTER TABLE webhook_deliveries ADD COLUMN before_scopes BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE webhook_deliveries SET before_scopes = TRUE;
