package io.stoker.server.forge;

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

    /** The regular expression a glob stands for. */
    static Pattern toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                i++;
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                    i++;
                    re.append("(?:.*/)?"); // "**/" also matches no directory at all
                } else {
                    re.append(".*");
                }
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    private static String strip(String name) {
        String s = name.trim();
        return s.startsWith(HEADS) ? s.substring(HEADS.length()) : s;
    }
}
