package io.stoker.container;

import io.stoker.engine.image.RegistryCredentials;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import io.stoker.engine.files.FileTrees;
import io.stoker.engine.files.WorkspaceFiles;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code publishImage} step: puts workspace files matched by a glob on a base image (a registry image or
 * {@code scratch}) and pushes the result with Jib — no engine, no daemon. Files keep their workspace-relative paths
 * under {@code /app}, with their permission bits.
 *
 * <p>Jib's "allow insecure registries" (plain HTTP, unverified TLS) holds for a whole build, base pull and push
 * alike. So when only one of the two registries is insecure (loopback, or listed), the base is first pulled on its
 * own into a tar file under the cache, and the image is built from that tar and pushed with the push registry's own
 * setting: a base on a local HTTP registry never lets the push's login go out unverified, nor the reverse.
 */
public final class ImagePublisher {
    /** Where the matched files land in the image. */
    public static final String APP_DIR = "/app";

    /** Jib's system property allowing a login over plain HTTP. */
    private static final String SEND_CREDENTIALS_OVER_HTTP = "sendCredentialsOverHttp";

    private final Set<String> insecureRegistries;
    private final Path cacheDir;
    private final boolean alwaysPullBaseFirst;

    /**
     * @param insecureRegistries registry hosts reached over plain HTTP besides loopback
     * @param cacheDir           Jib's layer cache (base layers are reused across runs)
     */
    public ImagePublisher(Set<String> insecureRegistries, Path cacheDir) {
        this(insecureRegistries, cacheDir, false);
    }

    /** As above; {@code alwaysPullBaseFirst}: through a tar file even when both registries are alike (specs). */
    ImagePublisher(Set<String> insecureRegistries, Path cacheDir, boolean alwaysPullBaseFirst) {
        this.insecureRegistries = Set.copyOf(insecureRegistries);
        this.cacheDir = cacheDir;
        this.alwaysPullBaseFirst = alwaysPullBaseFirst;
    }

    /**
     * What to publish.
     *
     * @param from            a glob relative to the workspace ({@code dist/**})
     * @param base            the base image reference, or {@code scratch}
     * @param entrypoint      the image's entrypoint, empty to keep the base's
     * @param push            where to push
     * @param credentials     the login for {@code push}, or null
     * @param baseCredentials the login for pulling {@code base}, or null
     */
    public record Request(String from, String base, List<String> entrypoint, String push,
                          RegistryCredentials credentials, RegistryCredentials baseCredentials) {
        public Request {
            entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        }
    }

    /** Builds and pushes; returns the pushed manifest digest ({@code sha256:…}). */
    public String publish(Path workspace, Request request, Consumer<String> log) throws ImageBuildFailed, IOException, InterruptedException {
        ImageReference target = ImageReference.parse(request.push());
        if (target == null) throw new ImageBuildFailed("push: '" + request.push() + "' is not an image reference");
        boolean scratch = "scratch".equals(request.base());
        ImageReference base = scratch ? null : ImageReference.parse(request.base());
        if (!scratch && base == null) throw new ImageBuildFailed("base: '" + request.base() + "' is not an image reference (or scratch)");
        Path copies = Files.createTempDirectory(Files.createDirectories(cacheDir), "files-");
        try {
            return publish(workspace, copies, request, target, scratch, base, log);
        } finally {
            FileTrees.deleteQuietly(copies);
        }
    }

    private String publish(Path workspace, Path copies, Request request, ImageReference target, boolean scratch,
                           ImageReference base, Consumer<String> log) throws ImageBuildFailed, IOException, InterruptedException {
        List<Copied> files = copied(workspace, request.from(), copies, log);
        if (files.isEmpty()) throw new ImageBuildFailed("publishImage: no file in the workspace matches from: '" + request.from() + "'");
        boolean pushInsecure = target.insecure(insecureRegistries);
        boolean baseInsecure = base != null && base.insecure(insecureRegistries);
        // Jib sends a login over plain HTTP only when this JVM-wide switch is on; Stoker turns it on only for
        // registries that are loopback or that the admin listed as insecure (the only ones reached over HTTP)
        if (pushInsecure || baseInsecure) System.setProperty(SEND_CREDENTIALS_OVER_HTTP, "true");
        Path baseTar = null;
        try {
            JibContainerBuilder image;
            if (scratch) {
                image = Jib.fromScratch();
            } else if (baseInsecure != pushInsecure || alwaysPullBaseFirst) {
                baseTar = pullBase(request, baseInsecure, log);
                image = Jib.from(TarImage.at(baseTar));
            } else {
                image = Jib.from(withLogin(RegistryImage.named(request.base()), request.baseCredentials()));
            }
            FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("stoker-files");
            for (Copied f : files) {
                String relative = f.relative().toString().replace('\\', '/');
                layer.addEntry(f.copy(), AbsoluteUnixPath.get(APP_DIR + "/" + relative),
                        FilePermissions.fromOctalString(String.format("%03o", f.mode() & 0777)));
            }
            image.addFileEntriesLayer(layer.build());
            if (!request.entrypoint().isEmpty()) image.setEntrypoint(request.entrypoint());
            Containerizer to = containerizer(withLogin(RegistryImage.named(request.push()), request.credentials()),
                    pushInsecure, log);
            String digest = image.containerize(to).getDigest().toString();
            log.accept("pushed " + request.push() + " digest " + digest + " (" + files.size() + " files on " + request.base() + ")");
            return digest;
        } catch (InvalidImageReferenceException e) {
            throw new ImageBuildFailed("publishImage: '" + e.getInvalidReference() + "' is not an image reference");
        } catch (RegistryException | java.util.concurrent.ExecutionException | com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
            throw new ImageBuildFailed(reason(e, target, base, request));
        } finally {
            if (baseTar != null) Files.deleteIfExists(baseTar);
        }
    }

    /** Pulls the base image alone, with its registry's own setting, into a tar file under the cache. */
    private Path pullBase(Request request, boolean insecure, Consumer<String> log)
            throws InvalidImageReferenceException, IOException, InterruptedException, RegistryException,
            java.util.concurrent.ExecutionException, com.google.cloud.tools.jib.api.CacheDirectoryCreationException {
        Path dir = Files.createDirectories(cacheDir.resolve("bases"));
        Path tar = Files.createTempFile(dir, "base-", ".tar");
        try {
            Jib.from(withLogin(RegistryImage.named(request.base()), request.baseCredentials()))
                    .containerize(containerizer(TarImage.at(tar).named(request.base()), insecure, log));
            return tar;
        } catch (IOException | InterruptedException | RegistryException | java.util.concurrent.ExecutionException
                 | com.google.cloud.tools.jib.api.CacheDirectoryCreationException | RuntimeException e) {
            Files.deleteIfExists(tar);
            throw e;
        }
    }

    private Containerizer containerizer(RegistryImage image, boolean insecure, Consumer<String> log) {
        return configured(Containerizer.to(image), insecure, log);
    }

    private Containerizer containerizer(TarImage image, boolean insecure, Consumer<String> log) {
        return configured(Containerizer.to(image), insecure, log);
    }

    private Containerizer configured(Containerizer to, boolean insecure, Consumer<String> log) {
        JibLog lines = new JibLog(log, insecure);
        return to.setToolName("stoker")
                .setAllowInsecureRegistries(insecure)
                .setBaseImageLayersCache(cacheDir.resolve("base"))
                .setApplicationLayersCache(cacheDir.resolve("app"))
                .addEventHandler(LogEvent.class, e -> {
                    if (e.getLevel().ordinal() <= LogEvent.Level.LIFECYCLE.ordinal()) lines.accept(e.getMessage());
                });
    }

    private static RegistryImage withLogin(RegistryImage image, RegistryCredentials credentials) {
        return credentials == null ? image : image.addCredential(credentials.user(), credentials.password());
    }

    /** One sentence for the log: a refused login names the registry and user, other failures Jib's own last word. */
    private static String reason(Throwable e, ImageReference target, ImageReference base, Request request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnauthorizedException u) {
                boolean baseSide = base != null && u.getImageReference() != null && u.getImageReference().startsWith(base.registry())
                        && !base.registry().equals(target.registry());
                RegistryCredentials used = baseSide ? request.baseCredentials() : request.credentials();
                String registry = baseSide ? base.registry() : target.registry();
                return used == null
                        ? "publishImage: the registry " + registry + " requires a login: add credentials: 'SECRET' (a secret holding user:password)"
                        : "publishImage: the registry " + registry + " refused the login of user '" + used.user() + "'";
            }
        }
        String unreachable = unreachable(e, target, base);
        if (unreachable != null) return unreachable;
        if (base != null && notFound(e)) { // only the base's manifest is fetched: a push never asks for one
            return "publishImage: the registry " + base.registry() + " has no image " + base.inRegistry() + " (its base)";
        }
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        String message = root.getMessage() == null ? "no reason given" : root.getMessage();
        if (request.credentials() != null) message = message.replace(request.credentials().password(), "***");
        return "publishImage to " + target.registry() + " failed: " + message.lines().findFirst().orElse(message);
    }

    /** Jib's HTTP client names the host it could not connect to: "Connect to HOST:PORT [addresses] failed: …". */
    private static final java.util.regex.Pattern CONNECT_TO = java.util.regex.Pattern.compile("Connect to (\\S+?)(?::([0-9]+))? ");

    /**
     * A registry that could not be reached, in the words a pull uses ("the registry HOST cannot be reached
     * (connection refused)"), naming the base's registry when that is the one the connection failed to (Jib fetches
     * the base first), else the push's; null when the failure is something else.
     */
    private static String unreachable(Throwable e, ImageReference target, ImageReference base) {
        String reason = null;
        String connectTo = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) reason = "no such host";
            else if (t instanceof java.net.NoRouteToHostException) reason = "no route to host";
            else if (t instanceof java.net.SocketTimeoutException) reason = "timed out";
            else if (t instanceof java.net.ConnectException) reason = "connection refused";
            var m = CONNECT_TO.matcher(String.valueOf(t.getMessage()));
            if (m.find()) connectTo = m.group(1) + (m.group(2) == null ? "" : ":" + m.group(2));
        }
        if (reason == null) return null;
        boolean baseSide = base != null && !base.registry().equals(target.registry()) && connectTo != null
                && names(base.registry(), connectTo) && !names(target.registry(), connectTo);
        ImageReference failed = baseSide ? base : target;
        return "publishImage: the registry " + failed.registry() + " cannot be reached (" + reason + ")"
                + (baseSide ? " (its base)" : "");
    }

    /** Whether {@code registry} (host, maybe with a port) is where a connection to {@code hostPort} went. */
    private static boolean names(String registry, String hostPort) {
        if (registry.equals(hostPort)) return true;
        String host = hostPort.replaceFirst(":[0-9]+$", "");
        // without a port in the reference Jib tries the default ones; Docker Hub's API lives on registry-1.docker.io
        return registry.equals(host) || ("docker.io".equals(registry) && host.endsWith(".docker.io"));
    }

    /** Whether a registry answered 404 somewhere in the chain (Jib's own words for it: "404 Not Found"). */
    private static boolean notFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.google.cloud.tools.jib.http.ResponseException r && r.getStatusCode() == 404) return true;
        }
        return false;
    }

    /** A matching workspace file, copied where the task cannot reach it, and its permission bits. */
    private record Copied(Path relative, Path copy, int mode) {
    }

    /**
     * Copies the workspace files matching {@code glob} into {@code copies}, in a stable order, each read without
     * following a link in any directory of its path ({@link WorkspaceFiles}): Jib reads its files by path, later, and
     * another task of the run could meanwhile swap a directory for a link to the server's files. One that is no
     * longer a regular file inside the workspace when it is copied is left out, and the log says so.
     */
    private static List<Copied> copied(Path workspace, String glob, Path copies, Consumer<String> log) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<Copied> out = new java.util.ArrayList<>();
        try (WorkspaceFiles files = WorkspaceFiles.open(workspace)) {
            for (WorkspaceFiles.Entry f : files.regular()) {
                if (!matcher.matches(f.relative())) continue;
                Path copy = copies.resolve(String.valueOf(out.size()));
                try (WorkspaceFiles.Opened in = files.open(f)) {
                    Files.copy(java.nio.channels.Channels.newInputStream(in.channel()), copy);
                    out.add(new Copied(f.relative(), copy, in.mode()));
                } catch (WorkspaceFiles.Gone gone) {
                    log.accept("publishImage: left out " + f.relative() + ": " + gone.getMessage());
                }
            }
        }
        return out;
    }
}
