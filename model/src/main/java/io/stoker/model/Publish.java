package io.stoker.model;

import java.util.regex.Pattern;

/**
 * {@code publish version: '…'}: when the whole run succeeded, its artifacts become a version of the project in the
 * version store. Versions are immutable; old ones are removed by the retention below (versions marked good are kept).
 *
 * @param version  a template rendered at the end of the run (default {@link #DEFAULT_VERSION}, the run number)
 * @param keepLast keep at least the newest this many versions, 0 for no such rule
 * @param keepDays keep versions younger than this many days, 0 for no such rule; with both rules 0 nothing is removed
 */
public record Publish(String version, int keepLast, int keepDays, Pos pos) {
    public static final String DEFAULT_VERSION = "${{ run.number }}";
    /** What a rendered version may look like: it names a directory and a file in the store. */
    public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

    public Publish {
        version = version == null || version.isBlank() ? DEFAULT_VERSION : version;
        pos = pos == null ? Pos.NONE : pos;
    }

    /** True when some rule removes old versions. */
    public boolean retains() {
        return keepLast > 0 || keepDays > 0;
    }

    /** Why a rendered version cannot name a version, or null when it can. */
    public static String invalidVersion(String version) {
        if (version == null || version.isEmpty()) return "the version is empty";
        if (version.equals("archive")) return "'archive' is reserved";
        if (!VERSION.matcher(version).matches()) {
            return "version '" + version + "' must start with a letter or digit and hold only letters, digits, '.', '_', '+', '-' (at most 128)";
        }
        return null;
    }
}
