package io.stoker.container;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Jib's log messages as task log lines: without the terminal colours Jib puts on its errors, without the lines that
 * only name a Java exception type (the line after them says what happened), and, for a registry Stoker reaches over
 * plain HTTP on purpose (loopback or listed), without Jib's notices that it falls back from HTTPS to HTTP, which it
 * gives for every request.
 */
final class JibLog implements Consumer<String> {
    private static final Pattern COLOUR = Pattern.compile("\u001B\\[[0-9;]*m");
    /** A line that is only a fully qualified type name ({@code org.apache.http.conn.HttpHostConnectException}). */
    private static final Pattern TYPE_NAME = Pattern.compile("^(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*$");
    private static final Pattern FALLBACK = Pattern.compile(
            "^(?:Cannot verify server at https://\\S+ Attempting again with no TLS verification\\."
                    + "|Failed to connect to https://\\S+ over HTTPS\\. Attempting again with HTTP\\.)$");

    private final Consumer<String> log;
    private final boolean insecure;

    /** {@code insecure}: every registry of this build is one Stoker reaches over plain HTTP on purpose. */
    JibLog(Consumer<String> log, boolean insecure) {
        this.log = log;
        this.insecure = insecure;
    }

    @Override
    public void accept(String message) {
        COLOUR.matcher(message).replaceAll("").lines().forEach(line -> {
            String text = line.strip();
            if (text.isEmpty() || TYPE_NAME.matcher(text).matches()) return;
            if (insecure && FALLBACK.matcher(text).matches()) return;
            log.accept(line.stripTrailing());
        });
    }
}
