package io.stoker.server.forge;

import io.stoker.dsl.glob.PathGlob;
import io.stoker.model.Triggers;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Branch filters of a push (or poll) trigger: glob patterns over short branch names where {@code *} matches
 * within one path segment (not across {@code /}), {@code **} matches across segments ({@code release/**}),
 * {@code ?} matches one character other than {@code /}. An empty list matches every branch.
 */
public final class BranchFilter {
    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";

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
        String name = strip(branch, HEADS);
        return globs.stream().anyMatch(glob -> toRegex(strip(glob, HEADS)).matcher(name).matches());
    }

    /** True when the push trigger takes a push of {@code branch}: one that names only tags takes no branch. */
    public static boolean takes(Triggers.Push push, String branch) {
        return push.takesBranches() && matches(push.branches(), branch);
    }

    /**
     * True when the push trigger takes a push of tag {@code tag} (short name or {@code refs/tags/...}): one of its
     * {@code tags} globs matches it; a trigger without {@code tags} takes no tag.
     */
    public static boolean takesTag(Triggers.Push push, String tag) {
        if (tag == null) return false;
        String name = strip(tag, TAGS);
        return push.tags().stream().anyMatch(glob -> toRegex(strip(glob, TAGS)).matcher(name).matches());
    }

    /** The regular expression a glob stands for (the path filters' syntax). */
    static Pattern toRegex(String glob) {
        return PathGlob.toRegex(glob);
    }

    private static String strip(String name, String prefix) {
        String s = name.trim();
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }
}
