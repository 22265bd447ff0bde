package io.stoker.server.api;

import java.net.FileNameMap;
import java.net.URLConnection;
import java.util.Locale;

/**
 * The {@code Content-Type} of a file of a task's artifacts, by its name's extension, from the JDK's own type map
 * ({@code text/plain} for {@code .txt}, {@code application/json}, {@code text/html}, {@code text/csv},
 * {@code text/markdown} …): a client, or a browser's "open", sees what it is. The map has no {@code .log}, the file a
 * build leaves most, so that one is named here. A name the map does not know stays {@code application/octet-stream}.
 * A text type says {@code charset=utf-8}, what builds write today (a browser would otherwise guess, and show a
 * test name with an accent as two odd characters); JSON and XML carry their encoding themselves.
 * The file is a download of a build's output all the same: see {@link #SANDBOX} for why none of it runs.
 */
final class ArtifactType {
    private static final FileNameMap TYPES = URLConnection.getFileNameMap();
    private static final String BYTES = "application/octet-stream";

    /**
     * A build writes its artifacts, so an HTML or SVG file among them is anyone's page: it is sent as an attachment
     * (saved, not shown), never sniffed into another type, and were it shown, it would run in a sandbox of no origin
     * with no script, style or request allowed, so it could not act as the signed-in user.
     */
    static final String SANDBOX = "sandbox; default-src 'none'";

    private ArtifactType() {
    }

    /** The type of a file named {@code name} (its last path segment, or the whole path). */
    static String of(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String type = file.endsWith(".log") ? "text/plain" : TYPES.getContentTypeFor(file);
        if (type == null || type.isBlank()) return BYTES;
        return type.startsWith("text/") ? type + "; charset=utf-8" : type;
    }
}
