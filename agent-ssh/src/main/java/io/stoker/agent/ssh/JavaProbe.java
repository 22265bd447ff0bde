package io.stoker.agent.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a Java on an agent that can run the agent program: {@code $JAVA_HOME/bin/java}, {@code java} on the PATH
 * and {@code /usr/lib/jvm/*}/bin/java are asked for their version, and the newest of at least {@link #MIN_MAJOR}
 * wins. (The program reuses the engine's local executor, which is built for Java 21.)
 */
final class JavaProbe {
    static final int MIN_MAJOR = 21;
    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");

    /** What was found: the binary, or null with the reason shell mode is used. */
    record Found(String java, int major, String reason) {
    }

    private JavaProbe() {
    }

    /**
     * @param setting null or blank to search; {@code none} for shell mode always; else the path of the java binary
     */
    static Found probe(AgentLink link, String setting, Duration timeout) throws IOException {
        if (setting != null && setting.trim().equals("none")) {
            return new Found(null, 0, "the persistent agent is turned off in the agent settings");
        }
        String candidates = setting == null || setting.isBlank()
                ? "\"$JAVA_HOME/bin/java\" \"$(command -v java 2>/dev/null)\" /usr/lib/jvm/*/bin/java"
                : Shell.quote(setting.trim());
        // a JDK's release file names its version: reading it is much cheaper than starting each JVM to ask
        AgentLink.Result r = link.exec("for j in " + candidates + "; do [ -n \"$j\" ] && [ -x \"$j\" ] || continue; "
                + "h=$(dirname \"$(dirname \"$(readlink -f \"$j\" 2>/dev/null || echo \"$j\")\")\"); "
                + "v=$(sed -n 's/^JAVA_VERSION=\"\\(.*\\)\"/version \"\\1\"/p' \"$h/release\" 2>/dev/null); "
                + "[ -n \"$v\" ] || v=$(\"$j\" -version 2>&1 </dev/null | head -n 1); echo \"$j|$v\"; done; true",
                timeout);
        List<String> seen = new ArrayList<>();
        String best = null;
        int bestMajor = 0;
        for (String line : r.out().split("\n")) {
            int bar = line.indexOf('|');
            if (bar <= 0) continue;
            int major = major(line.substring(bar + 1));
            seen.add(line.substring(0, bar) + " (" + (major > 0 ? major : "unknown version") + ")");
            if (major >= MIN_MAJOR && major > bestMajor) {
                best = line.substring(0, bar);
                bestMajor = major;
            }
        }
        if (best != null) return new Found(best, bestMajor, null);
        return new Found(null, 0, seen.isEmpty() ? "no Java on the host"
                : "no Java " + MIN_MAJOR + " or newer on the host (found " + String.join(", ", seen) + ")");
    }

    /** The major version in a {@code java -version} first line ({@code 1.8} is 8), or 0. */
    static int major(String versionLine) {
        Matcher m = VERSION.matcher(versionLine);
        if (!m.find()) return 0;
        int first = Integer.parseInt(m.group(1));
        return first == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : first;
    }
}
