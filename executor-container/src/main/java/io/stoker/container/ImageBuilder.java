package io.stoker.container;

import io.stoker.engine.image.RegistryCredentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code buildImage} step: builds a Containerfile with the host's engine and pushes the image. Credentials go
 * into a private auth file given with {@code --authfile} — never on a command line ({@code ps} shows those) and never
 * in the log. {@code --tls-verify=false} is passed only for loopback registries and those the server lists as
 * insecure. The built tag is removed from the host afterwards, whether the push worked or not.
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

            try {
                return push(ref, request, scratch, insecure, log);
            } finally {
                untag(request.push(), log);
            }
        } finally {
            RegistryAuth.deleteTree(scratch);
        }
    }

    private String push(ImageReference ref, Request request, Path scratch, boolean insecure, Consumer<String> log)
            throws ImageBuildFailed, IOException {
        Path digestFile = scratch.resolve("digest");
        List<String> push = new ArrayList<>(List.of("push", "--digestfile", digestFile.toString()));
        if (insecure) push.add("--tls-verify=false");
        if (request.credentials() != null) push.addAll(List.of("--authfile", RegistryAuth.file(scratch, ref, request.credentials()).toString()));
        push.add(request.push());
        EngineCli.Result pushed = cli.run(limit, push, Map.of());
        String output = RegistryAuth.mask(pushed.output(), request.credentials());
        output.lines().forEach(log);
        if (!pushed.ok()) throw new ImageBuildFailed(RegistryAuth.failure("push", "credentials: 'SECRET'", ref, output, request.credentials()));
        String digest = Files.readString(digestFile).strip();
        log.accept("pushed " + request.push() + " digest " + digest);
        return digest;
    }

    /**
     * Removes the tag the build made, pushed or not: the registry is where the image lives. A local copy would carry
     * the engine's own manifest digest (uncompressed layers), which no registry serves, and a later task running the
     * tag would use it instead of pulling what was pushed.
     */
    private void untag(String image, Consumer<String> log) throws IOException {
        EngineCli.Result removed = cli.run(limit, List.of("rmi", image), Map.of());
        if (removed.ok()) log.accept("removed the local tag " + image);
    }
}
