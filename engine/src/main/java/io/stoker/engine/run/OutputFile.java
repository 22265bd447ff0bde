package io.stoker.engine.run;

import io.stoker.engine.exec.RunningTask;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a task wrote to {@code $STOKER_OUTPUT}: {@code key=value} lines, and GitHub's multi-line form
 * {@code key<<EOF} … {@code EOF}. A later value of a key replaces an earlier one.
 */
public final class OutputFile {
    private OutputFile() {
    }

    /**
     * The outputs, and what could not be read as one: a line that is neither {@code key=value} nor {@code key<<EOF},
     * an empty key, or a {@code key<<EOF} whose closing line never came (its key then holds the rest of the file, as
     * before). Such lines used to vanish without a word, so a typo cost a downstream task its value in silence. Also
     * a value whose bytes were not UTF-8: it is kept with U+FFFD in their place, and said so.
     */
    public record Read(Map<String, String> values, List<String> problems) {
    }

    public static Map<String, String> parse(String text) {
        return read(text).values();
    }

    public static Read read(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (text.length() > RunningTask.MAX_OUTPUT_BYTES / 4
                && text.getBytes(StandardCharsets.UTF_8).length > RunningTask.MAX_OUTPUT_BYTES) {
            text = cut(text, problems);
        }
        String[] lines = text.split("\r?\n", -1);
        int last = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int i = 0; i < last; i++) {
            String line = lines[i];
            int heredoc = line.indexOf("<<");
            int eq = line.indexOf('=');
            if (heredoc > 0 && (eq < 0 || heredoc < eq)) {
                String key = line.substring(0, heredoc).trim();
                String delimiter = line.substring(heredoc + 2).trim();
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                while (j < last && !lines[j].equals(delimiter)) {
                    if (j > i + 1) value.append('\n');
                    value.append(lines[j]);
                    j++;
                }
                if (j >= last) {
                    problems.add("$STOKER_OUTPUT line " + (i + 1) + ": '" + key + "<<" + delimiter + "' never ends with a line '"
                            + delimiter + "'; " + key + " holds the rest of the file");
                }
                out.put(key, value.toString());
                i = j;
            } else if (eq > 0 && !line.substring(0, eq).isBlank()) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1));
            } else if (!line.isBlank()) {
                problems.add("$STOKER_OUTPUT line " + (i + 1) + ": '" + shorten(line) + "' is not key=value nor key<<EOF; ignored");
            }
        }
        out.forEach((key, value) -> {
            if (value.indexOf(REPLACEMENT) >= 0) {
                problems.add("$STOKER_OUTPUT: output " + key + " held bytes that are not UTF-8; they were replaced by "
                        + REPLACEMENT + " (U+FFFD)");
            }
        });
        return new Read(out, problems);
    }

    /**
     * What the executors decode bytes that are not UTF-8 to: a value holding it was written so (a task writing
     * U+FFFD itself is told so too, the text alone cannot tell them apart), which used to go unsaid.
     */
    private static final char REPLACEMENT = '\uFFFD';

    /**
     * A file over the limit (read with a byte more than it) keeps its whole lines only; the problem says where it was
     * cut and which key was lost there, instead of a value cut short and the keys after it gone in silence.
     */
    private static String cut(String text, List<String> problems) {
        int end = text.lastIndexOf('\n');
        String kept = end < 0 ? "" : text.substring(0, end + 1);
        String rest = text.substring(end + 1);
        int lines = (int) kept.chars().filter(c -> c == '\n').count();
        int eq = rest.indexOf('=');
        int heredoc = rest.indexOf("<<");
        int keyEnd = eq < 0 ? heredoc : heredoc < 0 ? eq : Math.min(eq, heredoc);
        String lost = rest.isEmpty() ? "whatever followed"
                : keyEnd > 0 ? "'" + shorten(rest.substring(0, keyEnd).trim()) + "' and whatever followed it"
                : "line " + (lines + 1) + " and whatever followed it";
        problems.add("$STOKER_OUTPUT is larger than " + RunningTask.MAX_OUTPUT_BYTES / (1024 * 1024)
                + " MiB, the most outputs may hold: its first " + io.stoker.model.Plural.of(lines, "line")
                + (lines == 1 ? " is" : " are") + " read, " + lost
                + " is not kept (large data belongs in artifacts)");
        return kept;
    }

    private static String shorten(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "…";
    }
}
