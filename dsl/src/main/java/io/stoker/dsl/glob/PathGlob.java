package io.stoker.dsl.glob;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Glob patterns over {@code /}-separated paths, as GitHub Actions' and Woodpecker's path filters read them:
 * {@code *} matches within one segment, {@code **} across segments ({@code **}{@code /} also matches no directory,
 * so {@code **}{@code /*.md} matches {@code README.md}), {@code ?} one character other than {@code /},
 * {@code [abc]}, {@code [a-z]} and {@code [!a]} one character of a class. A pattern ending in {@code /} matches
 * everything below that directory. Branch filters use the same syntax.
 */
public final class PathGlob {
    private final String text;
    private final Pattern regex;

    private PathGlob(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** The glob; throws {@link IllegalArgumentException} with the reason when {@link #problem} is not empty. */
    public static PathGlob of(String glob) {
        Optional<String> problem = problem(glob);
        if (problem.isPresent()) throw new IllegalArgumentException(problem.get());
        return new PathGlob(glob, toRegex(glob.endsWith("/") ? glob + "**" : glob));
    }

    /** Why {@code glob} is not a usable path pattern, or empty. */
    public static Optional<String> problem(String glob) {
        if (glob == null || glob.isBlank()) return Optional.of("a path pattern cannot be empty");
        if (glob.startsWith("/")) {
            return Optional.of("'" + glob + "': paths are relative to the repository root; drop the leading '/'");
        }
        int open = -1;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '[' && open < 0) open = i;
            else if (c == ']' && open >= 0) {
                if (i == open + 1 || (i == open + 2 && glob.charAt(open + 1) == '!')) {
                    return Optional.of("'" + glob + "': the character class at column " + (open + 1) + " is empty");
                }
                open = -1;
            } else if (c == '/' && open >= 0) {
                return Optional.of("'" + glob + "': a character class cannot hold '/'");
            }
        }
        if (open >= 0) {
            return Optional.of("'" + glob + "': the '[' at column " + (open + 1) + " is never closed");
        }
        return Optional.empty();
    }

    /** True when {@code path} (no leading {@code /}) matches. */
    public boolean matches(String path) {
        return regex.matcher(path).matches();
    }

    @Override
    public String toString() {
        return text;
    }

    /** The regular expression a (valid) glob stands for. */
    public static Pattern toRegex(String glob) {
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
            } else if (c == '[' && glob.indexOf(']', i + 1) > i + 1) {
                int end = glob.indexOf(']', i + 2);
                String body = glob.substring(i + 1, end);
                re.append('[');
                if (body.startsWith("!")) {
                    re.append('^');
                    body = body.substring(1);
                }
                for (char b : body.toCharArray()) {
                    if ("\\[]^&".indexOf(b) >= 0) re.append('\\');
                    re.append(b);
                }
                re.append(']');
                i = end;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
