package io.stoker.server.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web pages (module {@code stoker-ui}) at {@code /}: static ES modules from the class path. Pages route with
 * the URL's hash ({@code /#/runs/KEY}), so every page is {@code index.html} and no server-side fallback is needed.
 * Files are revalidated on every load ({@code no-cache} with {@code Last-Modified}): their names carry no hash, and
 * a 304 costs one round trip on 127.0.0.1 or a LAN.
 */
final class WebUi {
    static final String ROOT = "META-INF/resources/stoker-ui";

    private WebUi() {
    }

    static void mount(Router root) {
        StaticHandler files = StaticHandler.create(ROOT).setCachingEnabled(true).setIndexPage("index.html");
        root.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            if (ctx.normalizedPath().startsWith(ApiRouter.PREFIX + "/") || ctx.normalizedPath().equals(ApiRouter.PREFIX)) {
                ctx.fail(404); // an API path no route took is the API's 404 (JSON), never a page
                return;
            }
            ctx.addHeadersEndHandler(v -> ctx.response().headers().set("cache-control", "no-cache")
                    .set("x-content-type-options", "nosniff"));
            ctx.next();
        }).handler(files);
    }
}
