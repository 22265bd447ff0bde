package io.stoker.dsl.validate;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The OCI image reference grammar (distribution/reference): {@code [host[:port]/]path[:tag][@algorithm:hex]}, with
 * lowercase path components joined by {@code .}, {@code _}, {@code __} or dashes, a tag of at most 128 word
 * characters, dots and dashes, and a digest of at least 32 hex digits.
 */
final class ImageReference {
    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final Pattern NAME_ONLY = Pattern.compile(NAME);
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    private static final int MAX_NAME = 255;

    private ImageReference() {
    }

    /**
     * Why the text is not the reference of an image to run or build on ({@code image}, a service's, {@code base}),
     * or empty when it is one. Those are fixed when the Jobfile is read: a {@code ${{ }}} in one is never filled, and
     * is named as such rather than as a tag or name with odd characters (only {@code push} holds templates).
     */
    static Optional<String> fixedProblem(String reference) {
        if (reference != null && reference.contains("${{")) {
            return Optional.of("it cannot hold ${{ }} templates, which are filled only in a buildImage or publishImage"
                    + " push: name a fixed tag (a task after the push can run the tag it pushed, e.g. :latest)");
        }
        return problem(reference);
    }

    /** Why the text is not an image reference, or empty when it is one. */
    static Optional<String> problem(String reference) {
        if (reference == null || reference.isBlank()) return Optional.of("it is empty");
        String rest = reference;
        int at = rest.indexOf('@');
        if (at >= 0) {
            if (!DIGEST.matcher(rest.substring(at + 1)).matches()) {
                return Optional.of("the digest after '@' must be ALGORITHM:HEX, e.g. sha256: and 64 hex digits");
            }
            rest = rest.substring(0, at);
        }
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            String tag = rest.substring(colon + 1);
            if (!TAG.matcher(tag).matches()) {
                return Optional.of("the tag '" + tag + "' may hold only letters, digits, '_', '.' and '-' (at most 128, "
                        + "not starting with '.' or '-')");
            }
            rest = rest.substring(0, colon);
        }
        if (rest.length() > MAX_NAME) return Optional.of("the name is longer than " + MAX_NAME + " characters");
        if (!NAME_ONLY.matcher(rest).matches()) {
            return Optional.of(rest.chars().anyMatch(Character::isUpperCase) && NAME_ONLY.matcher(lowerPath(rest)).matches()
                    ? "repository names are lowercase"
                    : "the name must be [HOST[:PORT]/]PATH with lowercase letters, digits and . _ - between them");
        }
        return Optional.empty();
    }

    /** The reference with its path (not its host) lowercased, to tell "uppercase" from other mistakes. */
    private static String lowerPath(String name) {
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
        return host ? first + name.substring(slash).toLowerCase(java.util.Locale.ROOT) : name.toLowerCase(java.util.Locale.ROOT);
    }
}
