package io.stoker.cli.remote;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How log lines from the server are shown. Stored lines read {@code [task] <time> <stream> <text>} (the task prefix
 * only in whole-run logs); by default the CLI shows {@code [task] text}, with {@code --raw} the line as stored.
 */
final class LogText {
    // the task prefix is the shortest "[...] " before a time and a stream: a matrix cell's name holds brackets itself
    private static final Pattern LINE = Pattern.compile("^(\\[.+?] )?(\\d{4}-\\d\\d-\\d\\dT\\S+) (out|err|system) ?(.*)$",
            Pattern.DOTALL);

    private LogText() {
    }

    static String show(String stored, boolean raw) {
        if (raw) return stored;
        Matcher m = LINE.matcher(stored);
        if (!m.matches()) return stored;
        String prefix = m.group(1) == null ? "" : m.group(1);
        // system lines are the engine's own notes (attempts, timeouts): marked so they stand out from the build's output
        return prefix + ("system".equals(m.group(3)) ? "» " : "") + m.group(4);
    }
}
