package io.stoker.cli.remote;

import java.io.IOException;
import java.io.Reader;
import java.util.function.Consumer;

/**
 * One Server-Sent Event as the server's streams send them: its {@code id} (null when it has none), its type
 * ({@code message} when unnamed) and its data (several {@code data:} lines joined by newlines).
 */
record ServerEvent(String id, String type, String data) {

    /** What a stream gives besides its events: a comment line ({@code : text}), without the colon. */
    interface Comments {
        void comment(String text);
    }

    /**
     * Hands each whole event of an {@code text/event-stream} to {@code event} as its blank line arrives, and each comment
     * to {@code comments}; an event the stream broke off in the middle of is never handed on, so a reconnect that
     * resumes after the last id given gets it whole.
     */
    static void read(Reader in, Consumer<ServerEvent> event, Comments comments) throws IOException {
        String[] id = {null};
        String[] type = {null};
        StringBuilder data = new StringBuilder();
        boolean[] hasData = {false};
        StoredLines.read(in, raw -> {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) {
                if (hasData[0] || type[0] != null) {
                    event.accept(new ServerEvent(id[0], type[0] == null ? "message" : type[0], data.toString()));
                }
                id[0] = null;
                type[0] = null;
                data.setLength(0);
                hasData[0] = false;
                return;
            }
            if (line.startsWith(":")) {
                comments.comment(line.substring(1).strip());
                return;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "id" -> id[0] = value;
                case "event" -> type[0] = value;
                case "data" -> {
                    if (hasData[0]) data.append('\n');
                    data.append(value);
                    hasData[0] = true;
                }
                default -> { } // retry: and fields of later versions
            }
        });
    }
}
