package io.stoker.server.forge;

import io.stoker.engine.run.RunState;
import io.stoker.server.outbox.Endpoint;

/**
 * One git host's commit status API, as its documentation describes it: the default API base for a web host, the
 * repository a git URL names, and the request that sets a commit's status. Implementations live in the host's
 * package ({@code forge.github}, {@code forge.gitlab}, {@code forge.gitea}).
 */
public interface StatusApi {

    /** The API base for a host's web address, e.g. {@code https://github.com} → {@code https://api.github.com}. */
    String defaultApiUrl(String webBase);

    /** The repository as the API names it, from the path of its git URL ({@code org/repo}, GitLab: the full path). */
    String repository(String gitPath);

    /**
     * The request that sets {@code state} on {@code status.sha()}: the endpoint (URL, headers and the token in the
     * header the host wants) and the JSON body.
     */
    Request request(CommitStatus status, String token);

    /** The ref a pull request's head is fetched from on this host ({@code refs/pull/N/head}; GitLab differs). */
    default String pullRequestRef(long number) {
        return "refs/pull/" + number + "/head";
    }

    /**
     * The body GitHub's commit status API takes, which Gitea and Forgejo copied: {@code state} (pending, success,
     * failure, error; neither host has a running state), {@code target_url}, {@code description}, {@code context}.
     */
    static String githubStyleBody(CommitStatus s) {
        String state = switch (s.state()) {
            case QUEUED, RUNNING -> "pending";
            case SUCCEEDED -> "success";
            case FAILED, TIMEDOUT -> "failure";
            case CANCELLED -> "error";
        };
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("state", state);
        body.put("target_url", s.targetUrl());
        body.put("description", s.description());
        body.put("context", s.context());
        return io.stoker.server.db.Json.write(body);
    }

    /** {@code owner/repo} of a longer path (a host served under a sub-path): its last two segments. */
    static String lastTwo(String path) {
        String[] parts = path.split("/");
        return parts.length < 2 ? path : parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }

    /** A request to send: where, how (headers, credential) and what. */
    record Request(Endpoint endpoint, String body) {
    }

    /**
     * What a status says, host-neutral.
     *
     * @param apiUrl     the API base without a trailing slash
     * @param repository the repository as the API names it
     * @param context    {@code stoker/<job>}, or {@code stoker/pr/<job>} for a pull request
     * @param targetUrl  the run page
     * @param ref        the ref the run built: its branch, or a pull request's head ref
     *                   ({@code refs/merge-requests/N/head} on GitLab, whose API needs it when the commit is on no
     *                   branch of the project: a merge request from a fork); null when the run has none
     */
    record CommitStatus(String apiUrl, String repository, String sha, RunState state, String context,
                        String targetUrl, String description, String ref) {
    }
}
