-- Download tickets (POST /downloads) used, by their id (jti): a ticket opens its download once. A row per use,
-- kept until the ticket would have expired anyway (expires_at) and pruned after, so every server of a cluster
-- sharing this database refuses a second use, through whichever server it comes.
CREATE TABLE download_ticket_uses (
    ticket_id  VARCHAR(100) PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX download_ticket_uses_expires ON download_ticket_uses (expires_at);
