package io.stoker.server.outbox;

/**
 * How deliveries of one kind leave the server when a plain JSON POST is not it (mail over SMTP, an ntfy publish
 * with its headers). Called on the sender's own threads; it may block up to its own timeout.
 */
@FunctionalInterface
public interface Transport {

    /** Sends one delivery; {@code authorization} is its target's opened Authorization header, or null. */
    Outcome send(Delivery delivery, String authorization) throws InterruptedException;

    /**
     * What an attempt came to: {@code error} null when the receiver accepted it; {@code status} the HTTP status if
     * there was one; {@code permanent} when sending it again cannot help (the receiver refused it for good);
     * {@code notBefore} a rate-limited receiver's "try again at" ({@code Retry-After}), or null.
     */
    record Outcome(Integer status, String error, boolean permanent, java.time.Instant notBefore) {
        public static final Outcome ACCEPTED = new Outcome(null, null, false);

        public Outcome(Integer status, String error, boolean permanent) {
            this(status, error, permanent, null);
        }

        public static Outcome retry(String error) {
            return new Outcome(null, error, false);
        }

        public static Outcome refused(String error) {
            return new Outcome(null, error, true);
        }
    }
}
