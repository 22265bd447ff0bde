package io.stoker.server.forge.gitea;

import io.stoker.server.forge.StatusApi;
import io.stoker.server.outbox.Endpoint;

import java.util.Map;

/**
 * Gitea's and Forgejo's commit statuses ({@code repoCreateStatus}): {@code POST /api/v1/repos/{owner}/{repo}/statuses/{sha}}
 * with {@code Authorization: token <token>} and {@code {"state", "target_url", "description", "context"}}; states
 * {@code pending|success|error|failure|warning}, so a running build is {@code pending} described as running.
 */
public final class GiteaStatuses implements StatusApi {

    @Override
    public String defaultApiUrl(String webBase) {
        return webBase + "/api/v1";
    }

    @Override
    public String repository(String gitPath) {
        return StatusApi.lastTwo(gitPath);
    }

    @Override
    public Request request(CommitStatus s, String token) {
        Endpoint to = new Endpoint(s.apiUrl() + "/repos/" + s.repository() + "/statuses/" + s.sha(), "token " + token,
                null, Map.of("accept", "application/json"));
        return new Request(to, StatusApi.githubStyleBody(s));
    }
}
