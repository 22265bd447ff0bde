package io.stoker.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stoker.server.outbox.AttemptCounter;
import io.stoker.server.outbox.DeliveryState;

/**
 * {@code stoker_delivery_attempts_total{kind,outcome}}: every attempt of the outbox (status webhooks, commit
 * statuses, notifications) by its kind and what it left the delivery in — {@code delivered}, {@code pending} (it is
 * retried), {@code failed} (refused for good) or {@code expired} (the window ended).
 */
public final class DeliveryMetrics implements AttemptCounter {
    private final MeterRegistry registry;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void attempted(String kind, DeliveryState state) {
        Counter.builder("stoker.delivery.attempts").description("outbox delivery attempts by kind and outcome")
                .tag("kind", kind).tag("outcome", state.label()).register(registry).increment();
    }
}
