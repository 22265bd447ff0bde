package io.stoker.server.forge;

import io.stoker.server.Problem;
import io.stoker.server.secret.SecretInput;
import org.eclipse.jgit.transport.URIish;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A project's commit status settings as given: the host kind, API base URL and repository may be left out (then
 * they are inferred from the git URL), the token secret's name may not (without it nothing is sent). The token
 * itself stays in the secret store.
 *
 * @param host        github, gitlab or gitea; null to infer it from the git URL's host name
 * @param apiUrl      the API base ({@code https://api.github.com}, {@code https://gitlab.example/api/v4},
 *                    {@code https://gitea.example/api/v1}); null to infer it
 * @param repository  {@code owner/repo} (GitLab: the project's full path or numeric id); null to infer it
 * @param tokenSecret the name of the secret holding the API token; null: no statuses
 */
public record StatusSettings(GitHost host, String apiUrl, String repository, String tokenSecret) {
    public static final StatusSettings NONE = new StatusSettings(null, null, null, null);
    private static final Pattern REPOSITORY = Pattern.compile("[0-9]+|[^\\s/]+(/[^\\s/]+)+");

    /**
     * Reads the API fields, each kept from {@code old} when null and removed when blank; a 400 naming the field when
     * one is malformed.
     */
    public static StatusSettings of(String host, String apiUrl, String repository, String tokenSecret,
                                    StatusSettings old) {
        GitHost h = host == null ? old.host() : host.isBlank() ? null : host(host);
        String api = apiUrl == null ? old.apiUrl() : apiUrl.isBlank() ? null : apiUrl(apiUrl);
        String repo = repository == null ? old.repository() : repository.isBlank() ? null : repository(repository);
        String token = tokenSecret == null ? old.tokenSecret() : tokenSecret.isBlank() ? null : tokenSecret(tokenSecret);
        return new StatusSettings(h, api, repo, token);
    }

    private static GitHost host(String given) {
        return GitHost.fromPath(given.trim()).filter(g -> g.statuses().isPresent()).orElseThrow(() ->
                Problem.badRequest("'statusHost' must be one of " + String.join(", ", Arrays.stream(GitHost.values())
                        .filter(g -> g.statuses().isPresent()).map(GitHost::path).toList()) + ", not '" + given + "'"));
    }

    private static String apiUrl(String given) {
        URI uri;
        try {
            uri = new URI(given.trim());
        } catch (URISyntaxException e) {
            throw Problem.badRequest("'statusApiUrl' is not a URL: " + given);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw Problem.badRequest("'statusApiUrl' must be an absolute http or https URL, e.g. https://api.github.com");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw Problem.badRequest("'statusApiUrl' must hold no credentials, query or fragment: the token comes "
                    + "from 'statusTokenSecret'");
        }
        return given.trim().replaceAll("/+$", "");
    }

    private static String repository(String given) {
        String r = given.trim().replaceAll("^/+|/+$", "");
        if (r.length() > 500 || !REPOSITORY.matcher(r).matches()) {
            throw Problem.badRequest("'statusRepository' must be owner/repo (GitLab: group/project or a project id)");
        }
        return r;
    }

    private static String tokenSecret(String given) {
        if (given.length() > 200 || !SecretInput.NAME.matcher(given).matches()) {
            throw Problem.badRequest("'statusTokenSecret' must name a secret: letters, digits and '_', not starting "
                    + "with a digit");
        }
        return given;
    }

    /**
     * Where statuses of {@code gitUrl}'s commits go, with what was not given inferred: the host kind from the host
     * name ({@code github.com}, {@code gitlab.com}, {@code codeberg.org}, {@code gitea.com}, or a name starting
     * with {@code github.}, {@code gitlab.}, {@code gitea.}, {@code forgejo.}), the API base from the host's
     * web address, the repository from the URL's path. Empty when no token secret is named or the host is unknown.
     */
    public Optional<StatusTarget> target(String gitUrl) {
        if (tokenSecret == null) return Optional.empty();
        URIish uri = null;
        try {
            if (gitUrl != null) uri = new URIish(gitUrl);
        } catch (URISyntaxException e) {
            uri = null;
        }
        String name = uri == null || uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        GitHost kind = host != null ? host : infer(name).orElse(null);
        if (kind == null || kind.statuses().isEmpty()) return Optional.empty();
        StatusApi api = kind.statuses().get();
        String base = apiUrl;
        if (base == null) {
            if (name.isEmpty()) return Optional.empty();
            boolean http = "http".equalsIgnoreCase(uri.getScheme());
            // a web URL's port is the web's; an ssh URL's is SSH's, which the API is not on
            boolean web = http || "https".equalsIgnoreCase(uri.getScheme());
            String port = web && uri.getPort() > 0 ? ":" + uri.getPort() : "";
            base = api.defaultApiUrl((http ? "http://" : "https://") + name + port);
        }
        String repo = repository;
        if (repo == null) {
            String path = uri == null || uri.getPath() == null ? "" : uri.getPath()
                    .replaceAll("^/+|/+$", "").replaceAll("\\.git$", "");
            if (path.isEmpty()) return Optional.empty();
            repo = api.repository(path);
        }
        return Optional.of(new StatusTarget(kind, base, repo, tokenSecret));
    }

    static Optional<GitHost> infer(String hostName) {
        String h = hostName.startsWith("www.") ? hostName.substring(4) : hostName;
        if (h.equals("github.com") || h.startsWith("github.")) return Optional.of(GitHost.GITHUB);
        if (h.equals("gitlab.com") || h.startsWith("gitlab.")) return Optional.of(GitHost.GITLAB);
        if (h.equals("codeberg.org") || h.equals("gitea.com") || h.startsWith("gitea.") || h.startsWith("forgejo.")) {
            return Optional.of(GitHost.GITEA);
        }
        return Optional.empty();
    }
}
