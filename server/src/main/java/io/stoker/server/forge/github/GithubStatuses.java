package io.stoker.server.forge.github;

import io.stoker.server.forge.StatusApi;
import io.stoker.server.outbox.Endpoint;

import java.util.Map;

/**
 * GitHub's commit statuses (REST API "Create a commit status"): {@code POST /repos/{owner}/{repo}/statuses/{sha}}
 * with {@code Authorization: Bearer <token>}, {@code Accept: application/vnd.github+json},
 * {@code X-GitHub-Api-Version: 2022-11-28} and {@code {"state", "target_url", "description", "context"}}. GitHub
 * knows {@code error|failure|pending|success}: a running build is {@code pending} described as running. GitHub
 * Enterprise Server's API is under {@code /api/v3} of its web address.
 */
public final class GithubStatuses implements StatusApi {
    static final String API_VERSION = "2022-11-28";

    @Override
    public String defaultApiUrl(String webBase) {
        return webBase.equals("https://github.com") ? "https://api.github.com" : webBase + "/api/v3";
    }

    @Override
    public String repository(String gitPath) {
        return StatusApi.lastTwo(gitPath);
    }

    @Override
    public Request request(CommitStatus s, String token) {
        Endpoint to = new Endpoint(s.apiUrl() + "/repos/" + s.repository() + "/statuses/" + s.sha(), "Bearer " + token,
                null, Map.of("accept", "application/vnd.github+json", "x-github-api-version", API_VERSION));
        return new Request(to, StatusApi.githubStyleBody(s));
    }
}
