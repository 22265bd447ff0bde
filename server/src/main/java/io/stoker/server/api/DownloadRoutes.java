package io.stoker.server.api;

import io.stoker.server.Problem;
import io.stoker.server.auth.AuthService;
import io.stoker.server.auth.Authenticator;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /downloads {"path"}}: a link for one download that a browser follows itself. The web UI holds a bearer
 * token, which a plain link cannot carry; fetching the file into the page first held all of it in the tab's memory
 * (a 2 GB artifact ended the tab). The link carries a ticket for that one path instead, valid for a minute to start
 * (see {@link AuthService#downloadTicket}), and the file streams to disk under its {@code Content-Disposition}.
 */
final class DownloadRoutes {
    /** What a ticket may open: artifacts, logs and a version's files, as the API serves them (paths as sent). */
    private static final List<Pattern> DOWNLOADS = List.of(
            Pattern.compile("/runs/[^/]+/artifacts\\.tar\\.gz"),
            Pattern.compile("/runs/[^/]+/artifacts/[^/]+\\.zip(/.+)?"),
            Pattern.compile("/runs/[^/]+/log"),
            Pattern.compile("/runs/[^/]+/tasks/[^/]+/log"),
            Pattern.compile("/projects/[^/]+/versions/[^/]+/archive\\.tar\\.gz"),
            Pattern.compile("/projects/[^/]+/versions/[^/]+/files/.+"));

    private final AuthService auth;

    DownloadRoutes(AuthService auth) {
        this.auth = auth;
    }

    void mount(Router api) {
        api.post("/downloads").handler(this::ticket);
    }

    private void ticket(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, Set.of("path"));
        String path = relative(Bodies.string(body, "path"));
        if (path == null) throw Problem.badRequest("'path' is required: the API path to download, as /runs/KEY/artifacts/TASK.zip",
                "field: path");
        if (!downloadable(path)) {
            throw Problem.badRequest("'path' is not a download: " + path, "field: path",
                    "downloads are a run's artifacts (/runs/KEY/artifacts.tar.gz, …/artifacts/TASK.zip[/FILE]), its logs "
                            + "(/runs/KEY/log, /runs/KEY/tasks/TASK/log) and a version's files "
                            + "(/projects/P/versions/V/archive.tar.gz, …/files/PATH)");
        }
        String url = ApiRouter.PREFIX + path;
        auth.downloadTicket(Authenticator.bearer(ctx.request().getHeader("Authorization")), url).onSuccess(ticket -> {
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("url", url + "?" + Authenticator.DOWNLOAD_TICKET + "=" + ticket);
            reply.put("expiresIn", AuthService.DOWNLOAD_TICKET_SECONDS);
            Replies.json(ctx, 200, reply);
        }).onFailure(ctx::fail);
    }

    /**
     * The path below {@code /api/v1}: a path given as the API's replies name it ({@code /api/v1/runs/KEY/artifacts/
     * TASK.zip}, an artifact's {@code url}) is the same download as {@code /runs/KEY/artifacts/TASK.zip}.
     */
    static String relative(String path) {
        return path != null && path.startsWith(ApiRouter.PREFIX + "/") ? path.substring(ApiRouter.PREFIX.length()) : path;
    }

    /** One of {@link #DOWNLOADS}, with no query, fragment or dot segment (plain or encoded) to lead it elsewhere. */
    static boolean downloadable(String path) {
        if (path.contains("?") || path.contains("#") || path.contains("//") || path.contains("\\")) return false;
        for (String segment : path.substring(path.startsWith("/") ? 1 : 0).split("/", -1)) {
            String decoded;
            try {
                decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false; // a broken escape: the route would not find it either
            }
            if (decoded.equals(".") || decoded.equals("..") || decoded.contains("/")) return false;
        }
        return DOWNLOADS.stream().anyMatch(p -> p.matcher(path).matches());
    }
}
