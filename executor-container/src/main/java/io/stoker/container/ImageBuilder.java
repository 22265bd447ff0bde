package io.stoker.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code buildImage} step: builds a Containerfile with the host's engine and pushes the image. Credentials go
 * into a private auth file given with {@code --authfile} — never on a command line ({@code ps} shows those) and never
 * in the log. {@code --tls-verify=false} is passed only for loopback registries and those the server lists as
 * insecure.
 */
public final class ImageBuilder {
    private final EngineCli cli;
    private final Set<String> insecureRegistries;
    private final Duration limit;

    /**
     * @param insecureRegistries registry hosts ({@code host} or {@code host:port}) reached over plain HTTP
     * @param limit              how long one build or push may take
     */
    public ImageBuilder(ContainerEngine engine, Set<String> insecureRegistries, Duration limit) {
        this.cli = new EngineCli(engine);
        this.insecureRegistries = Set.copyOf(insecureRegistries);
        this.limit = limit;
    }

    /** What to build and where to push it; {@code context} and {@code file} are relative to the workspace. */
    public record Request(String context, String file, String push, RegistryCredentials credentials) {}

    /**
     * Builds and pushes; returns the pushed manifest digest ({@code sha256:…}).
     *
     * @param log receives the task log lines (the engine's output, then the digest)
     */
    public String buildAndPush(Path workspace, Request request, Consumer<String> log) throws ImageBuildFailed, IOException {
        ImageReference ref = ImageReference.parse(request.push());
        if (ref == null) throw new ImageBuildFailed("push: '" + request.push() + "' is not an image reference");
        Path context = workspace.resolve(request.context()).normalize();
        Path file = context.resolve(request.file()).normalize();
        if (!context.startsWith(workspace) || !file.startsWith(workspace)) {
            throw new ImageBuildFailed("buildImage: context and file must stay inside the workspace");
        }
        if (!Files.isRegularFile(file)) throw new ImageBuildFailed("buildImage: no file " + workspace.relativize(file) + " in the workspace");
        boolean insecure = ref.insecure(insecureRegistries);
        Path scratch = Files.createTempDirectory("stoker-image-");
        try {
            List<String> build = new ArrayList<>(List.of("build", "--file", file.toString(), "--tag", request.push()));
            if (insecure) build.add("--tls-verify=false");
            build.add(context.toString());
            EngineCli.Result built = cli.run(limit, build, Map.of());
            built.output().lines().forEach(log);
            if (!built.ok()) throw new ImageBuildFailed("buildImage: the build failed: " + built.lastLine());

            Path digestFile = scratch.resolve("digest");
            List<String> push = new ArrayList<>(List.of("push", "--digestfile", digestFile.toString()));
            if (insecure) push.add("--tls-verify=false");
            if (request.credentials() != null) push.addAll(List.of("--authfile", authFile(scratch, ref, request.credentials()).toString()));
            push.add(request.push());
            EngineCli.Result pushed = cli.run(limit, push, Map.of());
            String output = mask(pushed.output(), request.credentials());
            output.lines().forEach(log);
            if (!pushed.ok()) throw new ImageBuildFailed(pushFailure(ref, output, request.credentials()));
            String digest = Files.readString(digestFile).strip();
            log.accept("pushed " + request.push() + " digest " + digest);
            return digest;
        } finally {
            deleteTree(scratch);
        }
    }

    /** A one-sentence reason: a refused login says so and names the registry, never the password. */
    static String pushFailure(ImageReference ref, String output, RegistryCredentials credentials) {
        String lower = output.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("unauthorized") || lower.contains("authentication required") || lower.contains("401")) {
            return credentials == null
                    ? "push: the registry " + ref.registry() + " requires a login: add credentials: 'SECRET' (a secret holding user:password)"
                    : "push: the registry " + ref.registry() + " refused the login of user '" + credentials.user() + "'";
        }
        String[] lines = output.strip().split("\n");
        return "push to " + ref.registry() + " failed: " + lines[lines.length - 1];
    }

    /** A podman/docker auth file holding only this registry's login, readable by this user only. */
    static Path authFile(Path dir, ImageReference ref, RegistryCredentials credentials) throws IOException {
        String auth = Base64.getEncoder().encodeToString((credentials.user() + ":" + credentials.password())
                .getBytes(StandardCharsets.UTF_8));
        Path file = Files.createFile(dir.resolve("auth.json"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "{\"auths\":{\"" + ref.registry() + "\":{\"auth\":\"" + auth + "\"}}}");
        return file;
    }

    private static String mask(String text, RegistryCredentials credentials) {
        return credentials == null || credentials.password().isEmpty() ? text : text.replace(credentials.password(), "***");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
