package io.stoker.server.shuttle;

import io.stoker.container.ImageFilesystem;
import io.stoker.server.Problem;
import io.stoker.server.Refused;
import io.stoker.server.http.ConnectFailure;
import io.stoker.server.http.OnDemandHttpClient;
import io.stoker.server.project.GitProjects;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a directory with a build's source: a {@code .tar.gz}/{@code .tgz}/{@code .zip} over http(s) (at most
 * {@code maxBytes} downloaded and, unpacked, ten times that; entries leaving the directory and links are refused),
 * a {@code docker://} image's filesystem below its working directory (exported by the host's container engine,
 * unpacked the same way), or any other URL as a git repository through the project's mirror.
 */
final class SourceFetcher {
    private static final int MAX_ENTRIES = 100_000;
    private final GitProjects git;
    private final ImageFilesystem images;
    private final long maxBytes;
    private final OnDemandHttpClient http = new OnDemandHttpClient(() -> HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build());

    /** @param images exports a docker:// source's filesystem; null on a server without a container engine */
    SourceFetcher(GitProjects git, ImageFilesystem images, long maxBytes) {
        this.git = git;
        this.images = images;
        this.maxBytes = maxBytes;
    }

    enum Kind { TAR_GZ, ZIP, DOCKER, GIT }

    /** The schemes a source URL may have, with the port each connects to when the URL gives none. */
    private static final Map<String, Integer> SCHEMES = Map.of("http", 80, "https", 443, "docker", 443, "ssh", 22,
            "git", 9418, "file", -1);
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://.*");
    /** A git scp-like address, {@code [user@]host:path}: ssh to port 22. */
    private static final Pattern SCP_LIKE = Pattern.compile("(?:[^@/]+@)?([^:/]+):.*");

    /**
     * Refuses up front a URL whose scheme no source can have ({@code ftp://}), which the git path would otherwise
     * try and fail on with the JVM's words; a URL without a scheme is left to git (scp-like or a path).
     */
    static void checkScheme(String url) {
        Matcher m = SCHEME.matcher(url);
        if (m.matches() && !SCHEMES.containsKey(m.group(1).toLowerCase(Locale.ROOT))) {
            throw Problem.badRequest("'source.url' must be an http(s) archive or git repository, a docker:// image or"
                    + " a git URL (ssh://, git://, file://, user@host:path), not a " + m.group(1) + ":// URL",
                    "field: source.url");
        }
    }

    /** What the URL names. */
    static Kind kind(String url) {
        if (DockerUrl.is(url)) return Kind.DOCKER;
        String path = url.replaceAll("[?#].*$", "").toLowerCase(java.util.Locale.ROOT);
        boolean http = path.startsWith("http://") || path.startsWith("https://");
        if (http && (path.endsWith(".tar.gz") || path.endsWith(".tgz"))) return Kind.TAR_GZ;
        if (http && path.endsWith(".zip")) return Kind.ZIP;
        return Kind.GIT;
    }

    /** Fetches {@code url} into the empty directory {@code target}; an unreadable source is {@link Refused.Invalid}. */
    void fetch(String project, String url, Path target) {
        Kind kind = kind(url);
        try {
            if (kind == Kind.DOCKER) {
                image(DockerUrl.parse("source.url", url), target);
                return;
            }
            if (kind == Kind.GIT) {
                String commit = git.resolve(project, url, null, null);
                git.export(project, commit, null, url, target);
                return;
            }
            HttpResponse<InputStream> r = http.get().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = new Capped(r.body(), maxBytes, "the source archive is larger than " + (maxBytes >> 20) + " MiB")) {
                if (r.statusCode() != 200) throw invalid("fetching the source answered HTTP " + r.statusCode());
                InputStream in = new BufferedInputStream(body);
                try (ArchiveInputStream<? extends ArchiveEntry> archive = kind == Kind.ZIP ? new ZipArchiveInputStream(in)
                        : new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
                    unpack(archive, "", target);
                }
            }
        } catch (Refused e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw invalid("interrupted while fetching the source");
        } catch (Exception e) {
            throw invalid("cannot fetch the source: " + reason(e, url));
        }
    }

    /** Why {@code url} could not be fetched: what happened to the connection, else the failure's own message. */
    private static String reason(Exception e, String url) {
        String host = null;
        int port = -1;
        Matcher scheme = SCHEME.matcher(url);
        Matcher scp = SCP_LIKE.matcher(url);
        try {
            if (scheme.matches()) {
                URI uri = URI.create(url);
                host = uri.getHost();
                port = uri.getPort() > 0 ? uri.getPort() : SCHEMES.getOrDefault(scheme.group(1).toLowerCase(Locale.ROOT), -1);
            } else if (scp.matches()) {
                host = scp.group(1);
                port = 22;
            }
        } catch (IllegalArgumentException notAUri) {
            // not a URI: there is no host to name, so the failure's own message is all there is
        }
        String connection = host == null ? null : ConnectFailure.describe(e, host, port);
        if (connection != null) return connection;
        String message = e.getMessage();
        return message == null || message.isBlank() ? "it failed without giving a reason" : message;
    }

    /** The image's filesystem below its working directory, its login never in a message. */
    private void image(DockerUrl url, Path target) throws IOException {
        if (images == null) throw invalid(NO_ENGINE);
        Path tar = Files.createTempFile(target.getParent(), ".image-", ".tar");
        try {
            ImageFilesystem.Exported image;
            try {
                image = images.export(url.reference(), url.login(), "a login in the URL (docker://user:password@host/…)", tar);
            } catch (IOException e) {
                String why = e.getMessage() == null ? "the engine failed" : e.getMessage();
                if (url.login() != null && !url.login().password().isEmpty()) why = why.replace(url.login().password(), "***");
                throw invalid("cannot fetch the source image: " + why);
            }
            try (ArchiveInputStream<? extends ArchiveEntry> archive = new TarArchiveInputStream(
                    new BufferedInputStream(Files.newInputStream(tar)))) {
                unpack(archive, image.workingDir(), target);
            }
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /** Unpacks the entries below {@code under} (a path in the archive, {@code /} or empty for all) into {@code target}. */
    private void unpack(ArchiveInputStream<? extends ArchiveEntry> archive, String under, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        String prefix = under.replaceAll("^/+|/+$", "");
        long left = maxBytes * 10;
        int entries = 0;
        ArchiveEntry e;
        while ((e = archive.getNextEntry()) != null) {
            if (++entries > MAX_ENTRIES) throw invalid("the source archive has more than " + MAX_ENTRIES + " entries");
            String name = e.getName().replaceAll("^(\\./|/)+", "");
            if (!prefix.isEmpty()) {
                if (!name.equals(prefix) && !name.equals(prefix + "/") && !name.startsWith(prefix + "/")) continue;
                name = name.substring(Math.min(name.length(), prefix.length() + 1));
                if (name.isEmpty()) continue;
            }
            Path to = root.resolve(name).normalize();
            if (!to.startsWith(root)) throw invalid("the source archive's entry '" + e.getName() + "' leaves its directory");
            if (e instanceof org.apache.commons.compress.archivers.tar.TarArchiveEntry t && !t.isFile() && !t.isDirectory()) {
                continue; // links and devices: a link could point out of the workspace
            }
            if (e.isDirectory()) {
                Files.createDirectories(to);
                continue;
            }
            Files.createDirectories(to.getParent());
            try (OutputStream out = Files.newOutputStream(to)) {
                left -= archive.transferTo(new Capped.Out(out, left));
            }
            if (e instanceof org.apache.commons.compress.archivers.tar.TarArchiveEntry t && (t.getMode() & 0100) != 0) {
                to.toFile().setExecutable(true);
            }
        }
    }

    /** The sentence a docker:// source gets on a server without a container engine. */
    static final String NO_ENGINE = "a docker:// source needs a container engine on the server: install Podman"
            + " (Debian/Ubuntu: apt-get install podman) or Docker";

    static Refused.Invalid invalid(String message) {
        return new Refused.Invalid(message, List.of("field: source.url"));
    }

    /** An input stream that refuses to give more than a limit. */
    private static final class Capped extends java.io.FilterInputStream {
        private long left;
        private final String message;

        Capped(InputStream in, long limit, String message) {
            super(in);
            this.left = limit;
            this.message = message;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) throw invalid(message);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0 && (left -= n) < 0) throw invalid(message);
            return n;
        }

        /** An output stream that refuses to take more than a limit (an archive bomb). */
        static final class Out extends java.io.FilterOutputStream {
            private long left;

            Out(OutputStream out, long limit) {
                super(out);
                this.left = limit;
            }

            @Override
            public void write(int b) throws IOException {
                if (--left < 0) throw invalid("the unpacked source is too large");
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if ((left -= len) < 0) throw invalid("the unpacked source is too large");
                out.write(b, off, len);
            }
        }
    }
}
