package io.stoker.server.forge;

/**
 * Where the statuses of a project's commits go, every part known: the host's API, its base URL, the repository as
 * the API names it and the name of the secret (in the project's secret store scope) that holds the token.
 */
public record StatusTarget(GitHost host, String apiUrl, String repository, String tokenSecret) {

    public StatusApi api() {
        return host.statuses().orElseThrow();
    }
}
