package io.stoker.container;

import io.stoker.engine.image.RegistryCredentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A registry login as the engine's command line takes it: a private auth file given with {@code --authfile} (never
 * on a command line, which {@code ps} shows), and the engine's answer to it read as one sentence that names the
 * registry and user, never the password.
 */
final class RegistryAuth {
    /** What the engine's output says when the registry's host is not there, and how the sentence puts it. */
    private record Unreachable(String engineSays, String reason) {}

    private static final List<Unreachable> UNREACHABLE = List.of(
            new Unreachable("connection refused", "connection refused"),
            new Unreachable("no such host", "no such host"),
            new Unreachable("i/o timeout", "timed out"),
            new Unreachable("network is unreachable", "network unreachable"),
            new Unreachable("no route to host", "no route to host"));

    /**
     * HTTP's 401 as a word of its own: the engine's progress lines name blobs by hex digests, and one such as
     * {@code sha256:3f4012…} holds "401" without any refusal.
     */
    private static final Pattern STATUS_401 = Pattern.compile("(?<![0-9a-z])401(?![0-9a-z])");

    private RegistryAuth() {
    }

    /** A podman/docker auth file in {@code dir} holding only this registry's login, readable by this user only. */
    static Path file(Path dir, ImageReference ref, RegistryCredentials credentials) throws IOException {
        String auth = Base64.getEncoder().encodeToString((credentials.user() + ":" + credentials.password())
                .getBytes(StandardCharsets.UTF_8));
        Path file = Files.createFile(dir.resolve("auth.json"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "{\"auths\":{\"" + ref.registry() + "\":{\"auth\":\"" + auth + "\"}}}");
        return file;
    }

    /**
     * Why {@code what} ({@code push}, {@code cannot pull image 'x'}) failed: a refused or missing login says so (and
     * that {@code option}, e.g. {@code credentials: 'SECRET'}, gives one), a registry that cannot be reached or has no
     * such image says that, anything else gives the engine's last line.
     */
    static String failure(String what, String option, ImageReference ref, String output, RegistryCredentials credentials) {
        String lower = output.toLowerCase(Locale.ROOT);
        // a host that is not there is said first: the output before it (blob digests, a port) may hold anything
        for (Unreachable cause : UNREACHABLE) {
            if (lower.contains(cause.engineSays())) {
                return what + ": the registry " + ref.registry() + " cannot be reached (" + cause.reason() + ")";
            }
        }
        if (lower.contains("unauthorized") || lower.contains("authentication required")
                || STATUS_401.matcher(lower).find()) {
            return credentials == null
                    ? what + ": the registry " + ref.registry() + " requires a login: add " + option + " (a secret holding user:password)"
                    : what + ": the registry " + ref.registry() + " refused the login of user '" + credentials.user() + "'";
        }
        if (lower.contains("server gave http response to https client")) {
            return what + ": the registry " + ref.registry() + " speaks plain HTTP, and Stoker reaches it only over TLS"
                    + " unless it is listed in STOKER_INSECURE_REGISTRIES";
        }
        if (lower.contains("manifest unknown") || lower.contains("name unknown")) {
            return what + ": the registry " + ref.registry() + " has no image " + ref.inRegistry();
        }
        String[] lines = output.strip().split("\n");
        // the engine's own last word, without its "Error: " prefix: the sentence already says what failed
        return what + " (registry " + ref.registry() + "): " + lines[lines.length - 1].replaceFirst("^Error: ", "");
    }


    /** The engine's output with the password replaced. */
    static String mask(String text, RegistryCredentials credentials) {
        return credentials == null || credentials.password().isEmpty() ? text : text.replace(credentials.password(), "***");
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
