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
