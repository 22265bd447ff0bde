package io.stoker.server.forge;

import io.stoker.dsl.glob.PathGlob;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Branch filters of a push (or poll) trigger: glob patterns over short branch names where {@code *} matches
 * within one path segment (not across {@code /}), {@code **} matches across segments ({@code release/**}),
 * {@code ?} matches one character other than {@code /}. An empty list matches every branch.
 */
public final class BranchFilter {
    private static final String HEADS = "refs/heads/";

    private BranchFilter() {
    }

    /** True when {@code branch} (short name or {@code refs/heads/...}) matches one of the globs, or there are none. */
    public static boolean matches(List<String> globs, String branch) {
        if (branch == null) {
            return false;
        }
        if (globs == null || globs.isEmpty()) {
            return true;
        }
        String name = strip(branch);
        return globs.stream().anyMatch(glob -> toRegex(strip(glob)).matcher(name).matches());
    }

    /** The regular expression a glob stands for (the path filters' syntax). */
    static Pattern toRegex(String glob) {
        return PathGlob.toRegex(glob);
    }

    private static String strip(String name) {
        String s = name.trim();
        return s.startsWith(HEADS) ? s.substring(HEADS.length()) : s;
    }
}
