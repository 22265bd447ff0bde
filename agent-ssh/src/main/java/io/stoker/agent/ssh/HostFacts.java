package io.stoker.agent.ssh;

import java.util.List;
import java.util.Map;

/**
 * What an install check found on an agent.
 *
 * @param os        {@code linux}, {@code darwin}, … (lower-case {@code uname -s})
 * @param arch      {@code amd64}, {@code arm64}, … (normalised {@code uname -m})
 * @param cpus      processor count
 * @param freeDiskBytes free space in the work directory's file system
 * @param shell     the shell found ({@code /bin/sh} at least)
 * @param tools     tool name → version line, for the tools that run ({@code git}, {@code docker}, {@code java}, …)
 * @param toolsNotRunning tool name → the first line of its error, for tools on the PATH whose version command failed
 *                  or did not answer in time (a {@code mvn} without Java): they get no {@code tool:} label
 */
public record HostFacts(String os, String arch, int cpus, long freeDiskBytes, String shell, Map<String, String> tools,
                        Map<String, String> toolsNotRunning) {

    /** Automatic labels: {@code os:linux}, {@code arch:amd64}, {@code tool:git}, … */
    public List<String> labels() {
        var out = new java.util.ArrayList<String>();
        out.add("os:" + os);
        out.add("arch:" + arch);
        for (String t : tools.keySet()) out.add("tool:" + t);
        return List.copyOf(out);
    }
}
