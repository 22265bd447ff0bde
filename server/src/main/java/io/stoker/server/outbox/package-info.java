/**
 * Events out: one durable outbox (the {@code deliveries} table) that every outgoing message goes through, its
 * sender, and the subscribers that turn run state changes into deliveries (status webhooks).
 */
package io.stoker.server.outbox;
