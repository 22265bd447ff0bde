package io.stoker.server.forge;

import io.stoker.server.forge.WebhookOutcome.Rejected;

import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Turns a push webhook request into a {@link WebhookOutcome} with the host's {@link HookFormat}: the signature or
 * token is checked before anything in the body is looked at; then the delivery id must be present, so that the
 * caller can refuse replays ({@link SeenDeliveries}). Never throws for bad input.
 */
public final class PushWebhooks {
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9._:{}-]{1,200}");

    private PushWebhooks() {
    }

    /**
     * @param host   which host's format to expect (from the hook URL)
     * @param header the request's header lookup by name, case-insensitive (e.g. {@code request::getHeader});
     *               returns null when absent
     * @param body   the raw request body, exactly as received (the signature covers these bytes)
     * @param secret the shared webhook secret; null or blank rejects every request (unsigned hooks are not accepted)
     */
    public static WebhookOutcome receive(GitHost host, UnaryOperator<String> header, byte[] body, String secret) {
        byte[] raw = body == null ? new byte[0] : body;
        Rejected refused = verify(host, header, raw, secret);
        if (refused != null) return refused;
        return host.format().parse(header, raw);
    }

    /**
     * Null when the delivery is signed with {@code secret} and carries a well-formed id; else why it is refused
     * (401 for the signature, 400 for the id: only a verified delivery is asked for its id).
     */
    public static Rejected verify(GitHost host, UnaryOperator<String> header, byte[] body, String secret) {
        if (secret == null || secret.isBlank()) {
            return new Rejected(401, "no webhook secret is configured on this server, so no webhook is trusted");
        }
        HookFormat format = host.format();
        Rejected refused = format.verify(header, body, secret);
        if (refused != null) return refused;
        String id = deliveryId(host, header);
        String name = format.deliveryHeaders().getFirst();
        if (id == null) {
            return new Rejected(400, "missing " + name + " header: every delivery must carry its id, so that a "
                    + "replayed one can be refused");
        }
        if (!DELIVERY_ID.matcher(id).matches()) {
            return new Rejected(400, name + " must be 1 to 200 letters, digits, '-', '_', '.', ':' or braces");
        }
        return null;
    }

    /** The delivery id of a request from the host's delivery header; null when absent. */
    public static String deliveryId(GitHost host, UnaryOperator<String> header) {
        String id = HookFormat.firstHeader(header, host.format().deliveryHeaders());
        return id == null || id.isBlank() ? null : id;
    }
}
