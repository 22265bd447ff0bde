package io.stoker.agent.ssh;

import java.time.Duration;
import java.util.Map;

/**
 * The part of the install check that runs each tool's version command, all at once and each bounded in time, and
 * reports {@code tool.NAME=first line} for those that ran (exit 0) and {@code broken.NAME=HOW:first line} for those on
 * the PATH that did not, with the first line of their error ({@code HOW} is the exit status, or {@code late} for one stopped at the time limit).
 */
final class ToolCheckScript {
    private static final String LATE = "late";

    private ToolCheckScript() {
    }

    /** The shell text checking {@code tools} (name → version arguments), each given at most {@code limit}. */
    static String of(Map<String, String> tools, Duration limit) {
        long seconds = Math.max(1, limit.toSeconds());
        StringBuilder s = new StringBuilder();
        s.append("T=$(mktemp -d 2>/dev/null) || T=\"${TMPDIR:-/tmp}/stoker-tools.$$\"; mkdir -p \"$T\"\n");
        // the tool writes to a file, never to the channel: one that leaves a child behind cannot hold the answer open;
        // the watchdog marks the tool late before it kills it, and ends its sleep when the tool was in time
        s.append("stoker_tool() {\n")
                .append("  n=$1; shift\n")
                .append("  \"$@\" >\"$T/$n.out\" 2>\"$T/$n.err\" </dev/null &\n")
                .append("  p=$!\n")
                .append("  ( trap 'kill $s 2>/dev/null; exit 0' TERM; sleep ").append(seconds)
                .append(" & s=$!; wait $s; : >\"$T/$n.").append(LATE).append("\"; kill -9 $p ) >/dev/null 2>&1 </dev/null &\n")
                .append("  w=$!\n")
                .append("  wait $p; echo $? >\"$T/$n.rc\"\n")
                .append("  kill $w 2>/dev/null\n")
                .append("}\n");
        tools.forEach((tool, args) -> s.append("command -v ").append(tool).append(" >/dev/null 2>&1 && stoker_tool ")
                .append(tool).append(' ').append(tool).append(' ').append(args).append(" >/dev/null 2>&1 </dev/null &\n"));
        s.append("wait\n");
        s.append("for n in ").append(String.join(" ", tools.keySet())).append("; do\n")
                .append("  [ -f \"$T/$n.rc\" ] || continue\n")
                .append("  rc=$(cat \"$T/$n.rc\")\n")
                // a version goes to either stream (java -version: stderr); an error is read from stderr first
                .append("  if [ \"$rc\" = 0 ]; then echo \"tool.$n=$(awk 'NF {print; exit}' \"$T/$n.out\" \"$T/$n.err\")\"\n")
                .append("    continue; fi\n")
                .append("  line=$(awk 'NF {print; exit}' \"$T/$n.err\" \"$T/$n.out\")\n")
                .append("  if [ -f \"$T/$n.").append(LATE).append("\" ]; then echo \"broken.$n=").append(LATE)
                .append(":$line\"\n")
                .append("  else echo \"broken.$n=$rc:$line\"; fi\n")
                .append("done\n");
        s.append("rm -rf \"$T\"\n");
        return s.toString();
    }

    /** What a {@code broken.NAME} value says, in words: the tool's first line, else how it ended. */
    static String failure(String value, Duration limit) {
        int colon = value.indexOf(':');
        String how = colon < 0 ? value : value.substring(0, colon);
        String line = colon < 0 ? "" : value.substring(colon + 1).trim();
        if (how.equals(LATE)) {
            return "no answer within " + Math.max(1, limit.toSeconds()) + "s" + (line.isEmpty() ? "" : " (" + line + ")");
        }
        if (!line.isEmpty()) return line;
        return how.equals("127") || how.equals("126") ? "cannot be started (exit status " + how + ")"
                : "exit status " + how + " without a message";
    }
}
