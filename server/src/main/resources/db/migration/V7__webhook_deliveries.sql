-- Delivery ids of the push webhooks the server acted on, kept for a bounded time: a delivery seen again is a
-- replay and is refused. Old rows are pruned by the server (SeenDeliveries), not by a database job.
CREATE TABLE webhook_deliveries (
    host        VARCHAR(20)  NOT NULL,
    delivery_id VARCHAR(200) NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (host, delivery_id)
);
CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);
