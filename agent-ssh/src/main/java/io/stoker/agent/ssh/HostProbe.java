package io.stoker.agent.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The install check: one remote script reporting shell, OS, architecture, CPUs, free disk and tools as key=value.
 * A tool counts when its version command runs (exits 0 in time), not when it is merely on the PATH.
 */
final class HostProbe {
    /** Tools looked for, with the arguments printing their version; a tool is labelled only when this exits 0. */
    static final Map<String, String> TOOLS = tools();
    /**
     * How long each tool's version command may take: a hanging tool must not hang the install. They run at once,
     * so the whole check waits about this long at most.
     */
    static final Duration TOOL_TIME_LIMIT = Duration.ofSeconds(8);
    /** How long the whole check may take on the host (a slow login shell, a loaded machine). */
    static final Duration CHECK_LIMIT = Duration.ofSeconds(60);

    private HostProbe() {
    }

    private static Map<String, String> tools() {
        var m = new LinkedHashMap<String, String>();
        for (String t : List.of("git", "docker", "podman", "java", "node", "npm", "python3", "make", "gcc", "mvn", "gradle",
                "curl", "tar", "rsync", "setsid")) m.put(t, "--version");
        // docker --version answers without a daemon; a task needs one, so ask the daemon for its version
        m.put("docker", "version --format 'Docker {{.Server.Version}}'");
        m.put("java", "-version"); // Java 8 refuses --version
        m.put("mvn", "-v");
        m.put("go", "version");
        m.put("unzip", "-v"); // unzip has no --version: it reads it as options and complains
        return m;
    }

    static HostFacts probe(AgentLink link) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("if [ -x /bin/bash ]; then echo shell=/bin/bash; else echo shell=/bin/sh; fi\n");
        s.append("echo os=$(uname -s)\n");
        s.append("echo arch=$(uname -m)\n");
        s.append("echo cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || echo 1)\n");
        String wd = Shell.quote(link.workDir());
        s.append("mkdir -p ").append(wd).append(" && echo disk=$(df -Pk ").append(wd)
                .append(" | awk 'NR==2 {print $4}')\n");
        s.append(ToolCheckScript.of(TOOLS, TOOL_TIME_LIMIT));
        s.append("true\n");
        AgentLink.Result r = link.exec(s.toString(), CHECK_LIMIT);
        if (!r.ok()) throw new IOException("the install check failed on the agent: " + r.err().trim());
        Map<String, String> kv = new LinkedHashMap<>();
        TreeMap<String, String> found = new TreeMap<>();
        TreeMap<String, String> notRunning = new TreeMap<>();
        for (String line : r.out().split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            String key = line.substring(0, eq).trim();
            // tools may colour their banner (mvn): no terminal escapes or control characters in labels and facts
            String value = line.substring(eq + 1).replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "")
                    .replaceAll("\\p{Cntrl}", "").trim();
            if (key.startsWith("tool.")) found.put(key.substring(5), value);
            else if (key.startsWith("broken.")) notRunning.put(key.substring(7), ToolCheckScript.failure(value, TOOL_TIME_LIMIT));
            else kv.put(key, value);
        }
        long disk = parseLong(kv.get("disk"), -1);
        return new HostFacts(kv.getOrDefault("os", "unknown").toLowerCase(Locale.ROOT), arch(kv.get("arch")),
                (int) parseLong(kv.get("cpus"), 1), disk < 0 ? -1 : disk * 1024, kv.getOrDefault("shell", "/bin/sh"),
                java.util.Collections.unmodifiableSortedMap(found),
                java.util.Collections.unmodifiableSortedMap(notRunning));
    }

    /** {@code uname -m} in the names labels use. */
    static String arch(String machine) {
        if (machine == null || machine.isBlank()) return "unknown";
        return switch (machine.toLowerCase(Locale.ROOT)) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "armv7l", "armv6l", "arm" -> "arm";
            case "i386", "i486", "i586", "i686" -> "386";
            default -> machine.toLowerCase(Locale.ROOT);
        };
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
