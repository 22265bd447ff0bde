package io.stoker.server.outbox;

/** Where a delivery stands: waiting to be (re)sent, accepted by the receiver, refused for good, or given up. */
public enum DeliveryState {
    PENDING, DELIVERED, FAILED, EXPIRED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static DeliveryState of(String label) {
        return valueOf(label.toUpperCase(java.util.Locale.ROOT));
    }
}
