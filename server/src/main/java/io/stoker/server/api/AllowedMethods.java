package io.stoker.server.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The methods a path answers, read from the routers' own routes (sub-routers included), for the {@code Allow}
 * header of a 405 and of an OPTIONS answer (RFC 9110 §15.5.6: a 405 must say what is allowed). Routes without a
 * path (middleware, the web UI's files) are not counted; every GET answers HEAD too, and every path OPTIONS. A
 * path is the routes' that name the most of its segments literally: a template with more parameters that would also
 * match it does not count ({@code /agents/connect} is not {@code /agents/:agent}, nor
 * {@code /projects/:project/deployments/rollback} {@code /projects/:project/deployments/:id}; their routes answer 405
 * for the rest).
 */
final class AllowedMethods {
    /** The header's order: the usual one, reads first. */
    private static final List<HttpMethod> ORDER = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);
    private static final Pattern PARAM = Pattern.compile(":[A-Za-z0-9_]+");

    private final Router root;
    private final Map<String, Pattern> templates = new ConcurrentHashMap<>();

    AllowedMethods(Router root) {
        this.root = root;
    }

    /** The {@code Allow} header's value for {@code path} (normalised, as routes see it); null when no route has it. */
    String header(String path) {
        java.util.TreeMap<Integer, Set<HttpMethod>> matches = new java.util.TreeMap<>();
        collect(root, path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path, matches);
        if (matches.isEmpty()) return null;
        Set<HttpMethod> methods = matches.firstEntry().getValue();
        if (methods.isEmpty()) return null;
        if (methods.contains(HttpMethod.GET)) methods.add(HttpMethod.HEAD);
        methods.add(HttpMethod.OPTIONS);
        List<String> names = new ArrayList<>();
        for (HttpMethod m : ORDER) if (methods.remove(m)) names.add(m.name());
        methods.forEach(m -> names.add(m.name()));
        return String.join(", ", names);
    }

    /**
     * Collects the methods of the routes matching {@code path} by how many of its segments they name with a
     * parameter (routes ending in a wildcard last): the fewest wins, as the route that names a segment literally
     * answers it.
     */
    private void collect(Router router, String path, java.util.TreeMap<Integer, Set<HttpMethod>> into) {
        for (Route route : router.getRoutes()) {
            String template = route.getPath();
            if (template == null) continue;
            if (route.getSubRouter() != null) {
                // mounted at "/prefix/*": the path is "/prefix/" here; the sub-router sees what follows the prefix
                String prefix = template.endsWith("/") ? template.substring(0, template.length() - 1) : template;
                if (path.startsWith(prefix + "/")) collect(route.getSubRouter(), path.substring(prefix.length()), into);
                continue;
            }
            if (route.methods() == null || route.methods().isEmpty()) continue;
            Pattern p = templates.computeIfAbsent(template + (route.isExactPath() ? "" : "*"), k -> compile(template,
                    route.isExactPath()));
            if (!p.matcher(path).matches()) continue;
            int rank = route.isExactPath() ? (int) PARAM.matcher(template).results().count() : Integer.MAX_VALUE;
            into.computeIfAbsent(rank, k -> new HashSet<>()).addAll(route.methods());
        }
    }

    /** A route's path as a regex: {@code :name} is one segment, a trailing wildcard anything after it. */
    private static Pattern compile(String template, boolean exact) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAM.matcher(template);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(at, m.start()))).append("[^/]+");
            at = m.end();
        }
        String rest = template.substring(at);
        if (!exact) {
            regex.append(Pattern.quote(rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest)).append("(/.*)?");
        } else {
            regex.append(Pattern.quote(rest.endsWith("/") && rest.length() > 1 ? rest.substring(0, rest.length() - 1) : rest));
        }
        return Pattern.compile(regex.toString());
    }
}
