package io.stoker.cli.run;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * A writer that starts every line with a prefix and hands whole lines to the console, so a nested run's
 * progress ({@code deploy-1 ▸ ship | …}) interleaves with its parent's line by line, never inside a line. Lines
 * end at {@code '\n'} only, as {@code stoker logs} cuts them: a carriage return is printed where it was written.
 */
final class PrefixedLines extends Writer {
    private final PrintWriter out;
    private final String prefix;
    private final StringBuilder line = new StringBuilder();

    PrefixedLines(PrintWriter out, String prefix) {
        this.out = out;
        this.prefix = prefix;
    }

    @Override
    public synchronized void write(char[] chars, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = chars[i];
            if (c == '\n') {
                out.write(prefix + line + "\n");
                line.setLength(0);
            } else {
                line.append(c); // a CR too: a progress bar's stays inside its line, as on the top level
            }
        }
    }

    @Override
    public synchronized void flush() {
        out.flush();
    }

    @Override
    public synchronized void close() {
        if (!line.isEmpty()) write(new char[]{'\n'}, 0, 1);
        out.flush();
    }
}
