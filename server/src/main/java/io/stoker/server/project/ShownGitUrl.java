package io.stoker.server.project;

import io.stoker.server.git.GitMirrors;

/**
 * A project's git URL as the API shows it: a password written into it ({@code http://user:password@host/…}) is
 * replaced by {@code ***}, the user kept (an http(s) URL's lone user name, often a token, is hidden too). Every
 * reader of a project sees its URL, and only fetches need the credentials.
 */
public final class ShownGitUrl {
    private ShownGitUrl() {
    }

    public static String of(String stored) {
        return stored == null ? null : GitMirrors.redact(stored);
    }

    /**
     * The URL an update means: the shown form of the stored URL sent back (a GET-edit-PUT, the web UI or a script
     * round-tripping the project) keeps the stored one, rather than replacing the password with {@code ***}.
     */
    public static String meant(String given, String stored) {
        if (given == null || stored == null || given.equals(stored)) return given;
        return given.equals(of(stored)) ? stored : given;
    }
}
