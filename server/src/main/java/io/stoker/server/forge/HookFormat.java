package io.stoker.server.forge;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One git host's webhook dialect: how a delivery proves itself, where its id is, and how its payload reads.
 * Implementations live in the host's package ({@code forge.github}, {@code forge.gitlab} …) and never throw on
 * bad input.
 */
public interface HookFormat {
    /** The host whose deliveries this reads. */
    GitHost host();

    /**
     * Checks the signature or token against {@code secret} before anything in the body is read; null when it
     * verifies, else the refusal (401).
     */
    WebhookOutcome.Rejected verify(UnaryOperator<String> header, byte[] body, String secret);

    /** The headers that carry the delivery id, the documented one first. */
    List<String> deliveryHeaders();

    /** The headers that name the event (push, a pull request, a ping…), the documented one first. */
    List<String> eventHeaders();

    /** Reads a verified delivery. */
    WebhookOutcome parse(UnaryOperator<String> header, byte[] body);

    /** The event the delivery names in the first of {@link #eventHeaders()} given; null when none is. */
    default String event(UnaryOperator<String> header) {
        return firstHeader(header, eventHeaders());
    }

    /** The first of the named headers present and not blank (an empty header says nothing), or null. */
    static String firstHeader(UnaryOperator<String> header, List<String> names) {
        for (String name : names) {
            String value = header.apply(name);
            if (value != null && !value.isBlank()) return value;
        }
        return null;
    }
}
