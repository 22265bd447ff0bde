package io.stoker.server.project;

/**
 * What a client posts to create or update a project (on update every null field keeps the project's value):
 * {@code gitUrl} (with an optional {@code branch}) or
 * {@code jobfile} text (with an optional {@code file} name that picks the syntax; without one, a text starting with {@code {} is JSON, one starting with a YAML key such as {@code jobs:} YAML, else the Groovy DSL), and
 * optionally the {@code webhookSecret} of its push webhooks and the name of the git {@code credentials} it fetches
 * with (for both, null keeps the current value and "" removes it); likewise where commit statuses go
 * ({@code statusHost}, {@code statusApiUrl}, {@code statusRepository}, {@code statusTokenSecret}) and whether
 * pull requests from forks are built ({@code allowForkBuilds}) and get secrets ({@code allowForkSecrets}; for both,
 * null keeps the current value).
 */
public record ProjectSpec(String name, String gitUrl, String branch, String jobfile, String file, String webhookSecret,
                          String credentials, String statusHost, String statusApiUrl, String statusRepository,
                          String statusTokenSecret, Boolean allowForkSecrets,
                          Boolean allowForkBuilds) {

    /** A URL's scheme ({@code HTTPS://…}), or scp-like {@code file:} (a URL without //). */
    private static final java.util.regex.Pattern SCHEME =
            java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*(?=://)|(?i)file(?=:)");

    /**
     * A scheme is case-insensitive (RFC 3986), but JGit picks its transport by the scheme as written: {@code
     * HTTPS://host/r} and {@code FILE:///r}, which the URL check takes, found "no git repository there" on a
     * repository that is. So the scheme is kept in its canonical lower case; the rest of the URL as given.
     */
    public ProjectSpec {
        if (gitUrl != null) {
            var scheme = SCHEME.matcher(gitUrl);
            if (scheme.lookingAt()) gitUrl = scheme.group().toLowerCase(java.util.Locale.ROOT) + gitUrl.substring(scheme.end());
        }
    }

    /** An update that changes nothing: the source is read again, every setting kept. */
    public static final ProjectSpec KEEP_ALL = new ProjectSpec(null, null, null, null, null, null, null);

    /** A spec of the source only: every other setting kept. */
    public ProjectSpec(String name, String gitUrl, String branch, String jobfile, String file, String webhookSecret,
                       String credentials) {
        this(name, gitUrl, branch, jobfile, file, webhookSecret, credentials, null, null, null, null, null, null);
    }

    public ProjectSpec withGitUrl(String url) {
        return new ProjectSpec(name, url, branch, jobfile, file, webhookSecret, credentials, statusHost, statusApiUrl,
                statusRepository, statusTokenSecret, allowForkSecrets, allowForkBuilds);
    }
}
