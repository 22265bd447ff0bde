package io.stoker.server.api;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.stoker.server.db.Json;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests the HTTP codec cannot even parse (a request line or headers over the size limits, a malformed line)
 * never reach the router; Vert.x' default answers them with an empty body. This gives them the same statuses (414,
 * 431, 400) with the API's JSON error, then closes the connection as the default does.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {

    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
        int status;
        String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            message = "the request line (method, path and query) is longer than the server accepts";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            message = "the request headers are larger than the server accepts";
        } else {
            status = 400;
            message = "the request is not valid HTTP";
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", status == 400 ? "bad request" : status == 414 ? "uri too long" : "headers too large");
        body.put("message", message);
        body.put("details", List.of());
        request.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("connection", "close")
                .end(Json.write(body))
                .onComplete(done -> request.connection().close());
    }
}
