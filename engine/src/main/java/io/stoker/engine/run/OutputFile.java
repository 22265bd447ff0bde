package io.stoker.engine.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads what a task wrote to {@code $STOKER_OUTPUT}: {@code key=value} lines, and GitHub's multi-line form
 * {@code key<<EOF} … {@code EOF}. A later value of a key replaces an earlier one.
 */
public final class OutputFile {
    private OutputFile() {
    }

    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int heredoc = line.indexOf("<<");
            int eq = line.indexOf('=');
            if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
                String key = line.substring(0, heredoc).trim();
                String delimiter = line.substring(heredoc + 2).trim();
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                while (j < lines.length && !lines[j].equals(delimiter)) {
                    if (j > i + 1) value.append('\n');
                    value.append(lines[j]);
                    j++;
                }
                out.put(key, value.toString());
                i = j;
            } else if (eq > 0) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1));
            }
        }
        return out;
    }
}
