package io.stoker.server.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web pages (module {@code stoker-ui}) at {@code /}: static ES modules from the class path. Pages route with
 * the URL's hash ({@code /#/runs/KEY}), so every page is {@code index.html} and no server-side fallback is needed.
 * Files are revalidated on every load ({@code no-cache} with {@code Last-Modified}): their names carry no hash, and
 * a 304 costs one round trip on 127.0.0.1 or a LAN. The front-end unit tests beside the modules are neither in the
 * jar (see the module's pom) nor served; WebUiBrowserSpec runs them from the module's sources.
 */
final class WebUi {
    static final String ROOT = "META-INF/resources/stoker-ui";
    /** The front-end unit tests beside the modules: tests.html, js/test-kit.js and js/*.test.js. */
    /**
     * Scripts, styles and connections of the server's own origin only (no inline script: an injected one would not
     * run); images also from {@code blob:} (the badge preview) and {@code data:}; never in a frame.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final java.util.regex.Pattern TEST_HARNESS =
            java.util.regex.Pattern.compile("/tests\\.html|/js/test-kit\\.js|/js/.*\\.test\\.js");

    private WebUi() {
    }

    static void mount(Router root) {
        StaticHandler files = StaticHandler.create(ROOT).setCachingEnabled(true).setIndexPage("index.html");
        root.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            String path = ctx.normalizedPath();
            if (path.startsWith(ApiRouter.PREFIX + "/") || path.equals(ApiRouter.PREFIX)) {
                ctx.fail(404); // an API path no route took is the API's 404 (JSON), never a page
                return;
            }
            // a file's name with a '/' after it (or an encoded one) would be served as that file, typed by no
            // extension (application/octet-stream): only "/" is a directory with a page
            if (path.length() > 1 && (path.endsWith("/") || path.toLowerCase(java.util.Locale.ROOT).contains("%2f"))) {
                ctx.fail(404);
                return;
            }
            // the jar leaves the front-end tests out (see the module's pom), but a build without 'clean' after a pull
            // (what ./stoker does) keeps the copies an older build put in ui/target/classes
            if (TEST_HARNESS.matcher(path).matches()) {
                ctx.fail(404);
                return;
            }
            // the pages hold the access and refresh tokens: only their own scripts run, nobody frames them
            ctx.addHeadersEndHandler(v -> ctx.response().headers().set("cache-control", "no-cache")
                    .set("x-content-type-options", "nosniff")
                    .set("content-security-policy", CONTENT_SECURITY_POLICY)
                    .set("x-frame-options", "DENY")
                    .set("referrer-policy", "no-referrer"));
            ctx.next();
        }).handler(files);
    }
}
