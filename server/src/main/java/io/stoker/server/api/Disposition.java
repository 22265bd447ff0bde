package io.stoker.server.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The {@code Content-Disposition} of a download, whatever the name a user's file or a URL gave it. */
final class Disposition {
    private Disposition() {
    }

    /**
     * {@code attachment} with the name as ASCII (anything else, quotes, backslashes and control characters as
     * {@code _}) and, when that changed it, as UTF-8 too (RFC 6266 {@code filename*}): a name must neither break nor
     * forge the header (a carriage return in it made the HTTP layer refuse the header, and the request hung).
     */
    static String attachment(String name) {
        if (name.isEmpty()) name = "file";
        String ascii = name.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
        String header = "attachment; filename=\"" + ascii + "\"";
        if (ascii.equals(name)) return header;
        return header + "; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
