package io.stoker.server.project;

import io.stoker.server.secret.SecretBox;
import io.stoker.server.secret.SecretUnreadableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A project's own push-webhook secret as it is stored: sealed with the master key ({@link SecretBox}), bound to the
 * project's name (projects are never renamed), so a copy of the database alone does not reveal it.
 */
final class WebhookSecretSeal {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSecretSeal.class);

    private final SecretBox box;
    private final SecureRandom random = new SecureRandom();

    WebhookSecretSeal(SecretBox box) {
        this.box = box;
    }

    /** The stored form of {@code secret}; null for none. */
    byte[] seal(String project, String secret) {
        return secret == null ? null : box.sealText(secret, context(project));
    }

    /**
     * The secret {@link #seal} stored; null for none. One that does not open (the master key changed) is a random
     * value nobody knows, logged: falling back to the server's default secret would let deliveries signed with that
     * one through for a project that chose its own.
     */
    String open(String project, byte[] sealed) {
        if (sealed == null) return null;
        try {
            return box.openText(sealed, context(project));
        } catch (SecretUnreadableException e) {
            LOG.warn("project {}: its webhookSecret cannot be read ({}); no push webhook verifies for it until it is "
                    + "set again (PUT /api/v1/projects/{} with a webhookSecret)", project, e.getMessage(), project);
            byte[] unknown = new byte[32];
            random.nextBytes(unknown);
            return HexFormat.of().formatHex(unknown);
        }
    }

    private static String context(String project) {
        return "webhook:project:" + project;
    }
}
