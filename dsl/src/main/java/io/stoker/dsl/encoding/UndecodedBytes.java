package io.stoker.dsl.encoding;

import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;

import java.util.ArrayList;
import java.util.List;

/**
 * Warnings for the places where a Jobfile's text holds U+FFFD ('�'): what a byte that is not UTF-8 becomes when the
 * CLI or the server decodes the file (a Jobfile saved as Latin-1 or Windows-1252), which would otherwise reach a
 * script or a message silently changed. One warning per line, for the first few lines, then a count of the rest.
 */
public final class UndecodedBytes {
    static final char REPLACEMENT = '\uFFFD';
    static final int MAX_LINES_NAMED = 5;

    private UndecodedBytes() {
    }

    public static List<Diagnostic> warnings(String file, String text) {
        List<Diagnostic> found = new ArrayList<>();
        if (text.indexOf(REPLACEMENT) < 0) return found;
        int line = 1;
        int lineStart = 0;
        int others = 0;
        boolean lineSeen = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
                lineSeen = false;
            } else if (c == REPLACEMENT && !lineSeen) {
                lineSeen = true;
                if (found.size() < MAX_LINES_NAMED) {
                    found.add(Diagnostic.warning(file, new Pos(line, i - lineStart + 1),
                            "a byte that is not UTF-8 is read as '" + REPLACEMENT + "' here: save the Jobfile as UTF-8"
                                    + " (an editor's Latin-1 or Windows-1252 'é' is such a byte)"));
                } else {
                    others++;
                }
            }
        }
        if (others > 0) {
            found.add(Diagnostic.warning(file, Pos.NONE, "bytes that are not UTF-8 on " + others + " more line"
                    + (others == 1 ? "" : "s")));
        }
        return found;
    }
}
