package io.stoker.server.forge.gitlab;

import io.stoker.server.db.Json;
import io.stoker.server.forge.StatusApi;
import io.stoker.server.outbox.Endpoint;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GitLab's commit statuses (Commits API "Set the pipeline status of a commit"):
 * {@code POST /api/v4/projects/{id or URL-encoded path}/statuses/{sha}} with {@code PRIVATE-TOKEN: <token>} and
 * {@code {"state", "name", "target_url", "description", "ref"}}; states {@code pending|running|success|failed|canceled}.
 * The API base includes {@code /api/v4}; the repository is the project's full path (subgroups included).
 */
public final class GitlabStatuses implements StatusApi {

    @Override
    public String defaultApiUrl(String webBase) {
        return webBase + "/api/v4";
    }

    @Override
    public String repository(String gitPath) {
        return gitPath;
    }

    @Override
    public String pullRequestRef(long number) {
        return "refs/merge-requests/" + number + "/head";
    }

    @Override
    public Request request(CommitStatus s, String token) {
        String state = switch (s.state()) {
            case QUEUED -> "pending";
            case RUNNING -> "running";
            case SUCCEEDED -> "success";
            case FAILED, TIMEDOUT -> "failed";
            case CANCELLED -> "canceled";
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", state);
        body.put("name", s.context());
        body.put("target_url", s.targetUrl());
        body.put("description", s.description());
        // without it GitLab looks for a branch holding the commit, and answers 404 when none does (a fork's merge request)
        if (s.ref() != null) body.put("ref", s.ref());
        String id = URLEncoder.encode(s.repository(), StandardCharsets.UTF_8);
        Endpoint to = new Endpoint(s.apiUrl() + "/projects/" + id + "/statuses/" + s.sha(), token, "private-token",
                Map.of("accept", "application/json"));
        return new Request(to, Json.write(body));
    }
}
