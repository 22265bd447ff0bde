package io.stoker.server.forge;

import io.stoker.server.project.Project;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The key a delivery is remembered by. A host sends one event to each of its webhooks under the same id (GitHub's
 * {@code X-GitHub-Delivery}, GitLab's {@code X-Gitlab-Event-UUID}), and a project with a webhook secret of its own is
 * a webhook of its own: its delivery is remembered apart from the server-secret hook's, by a digest of the names of
 * the projects that secret belongs to. A replay of either is still the same key again, and so is its body.
 */
final class DeliveryScope {
    private DeliveryScope() {
    }

    /** The delivery id alone for the server's secret; with {@code @} and a digest of the projects for their own. */
    static String key(String delivery, List<Project> ownSecret) {
        if (ownSecret == null || ownSecret.isEmpty()) return delivery;
        String names = String.join("\n", ownSecret.stream().map(Project::name).sorted().toList());
        return delivery + "@" + sha256(names.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /**
     * The key a delivery's body is remembered by: the SHA-256 of its exact bytes, which the host's signature covers
     * (its delivery id it does not), scoped to the webhook as {@link #key} is.
     */
    static String bodyKey(byte[] body, List<Project> ownSecret) {
        return key(sha256(body), ownSecret);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
