package io.stoker.container;

import io.stoker.engine.image.RegistryCredentials;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An image's filesystem as a tar file, through the engine: {@code pull} (with a login in a private auth file),
 * {@code create} (never started), {@code export}, {@code rm} — argument lists, never a shell string. The created
 * container carries the owner label, so one left by a crash is reaped like a task's.
 */
public final class ImageFilesystem {
    // the JDK's logger: this class also runs in the agent program, whose jar has no SLF4J
    private static final System.Logger LOG = System.getLogger(ImageFilesystem.class.getName());
    private static final Duration COMMAND_LIMIT = Duration.ofMinutes(2);

    private final EngineCli cli;
    private final ContainerEngine engine;
    private final ContainerSettings settings;

    public ImageFilesystem(ContainerEngine engine, ContainerSettings settings) {
        this.cli = new EngineCli(engine);
        this.engine = engine;
        this.settings = settings;
    }

    /**
     * What was exported.
     *
     * @param digest     the image's digest as the engine reports it
     * @param workingDir the image's working directory ({@code WORKDIR}), {@code /} when it sets none
     */
    public record Exported(String digest, String workingDir) {
    }

    /**
     * Pulls {@code image} (always: a tag may have moved) and writes its filesystem to {@code tar}.
     *
     * @param option how the caller gives a login, named when a registry asks for one
     * @throws IOException with one sentence (the password masked) when the pull or the export fails
     */
    public Exported export(String image, RegistryCredentials login, String option, Path tar) throws IOException {
        new ImagePull(cli, settings.insecureRegistries(), settings.pullTimeout()).pull(image, login, option);
        String digestField = engine.kind() == ContainerEngine.Kind.PODMAN ? "{{.Digest}}" : "{{.Id}}";
        EngineCli.Result inspected = cli.run(COMMAND_LIMIT, "image", "inspect", "--format",
                digestField + " {{.Config.WorkingDir}}", image);
        if (!inspected.ok()) throw new IOException("cannot read image '" + image + "': " + inspected.lastLine());
        String[] fields = inspected.output().strip().split(" ", 2);
        String workingDir = fields.length < 2 || fields[1].isBlank() ? "/" : fields[1].strip();

        String name = "stoker-export-" + UUID.randomUUID();
        List<String> create = new ArrayList<>(List.of("create", "--name", name,
                "--label", AttemptNames.OWNER_LABEL + "=" + settings.owner(), "--pull", "never"));
        // never started: the command only satisfies an image without CMD or ENTRYPOINT
        create.addAll(List.of(image, "/stoker-export"));
        try {
            EngineCli.Result created = cli.run(COMMAND_LIMIT, create, Map.of());
            if (!created.ok()) throw new IOException("cannot open image '" + image + "': " + created.lastLine());
            EngineCli.Result exported = cli.run(settings.pullTimeout(), "export", "--output", tar.toString(), name);
            if (!exported.ok()) throw new IOException("cannot export image '" + image + "': " + exported.lastLine());
        } finally {
            try {
                Leftovers.remove(cli, engine, List.of(name));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; the next start's sweep removes it");
            }
        }
        return new Exported(fields[0], workingDir);
    }
}
