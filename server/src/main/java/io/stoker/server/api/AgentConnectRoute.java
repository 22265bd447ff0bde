package io.stoker.server.api;

import io.stoker.agent.protocol.FrameCodec;
import io.stoker.agent.pull.MessageStreams;
import io.stoker.agent.pull.PullAgent;
import io.stoker.server.Problem;
import io.stoker.server.agent.AgentInput;
import io.stoker.server.agent.AgentPool;
import io.stoker.server.agent.AgentTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code GET /agents/connect}: where pull agents dial in. The agent token is checked (401 with the API's JSON error
 * when missing, unknown or revoked), the agent's announcement read from its headers (400 naming the bad one), and
 * the request upgraded to a WebSocket carrying the agent protocol, one frame per binary message, attached to the
 * pool's pull agent of that name.
 */
public final class AgentConnectRoute {
    private static final Logger LOG = LoggerFactory.getLogger(AgentConnectRoute.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Messages received and not yet read before the socket is paused. */
    private static final int INBOX = 16;

    private final AgentTokens tokens;
    private final AgentPool pool;
    private final PullAgent.Settings settings;
    /** Keeps the connection guard from closing a quiet agent connection as idle; returns how to let go. */
    private final Function<io.vertx.core.http.HttpConnection, Runnable> hold;

    public AgentConnectRoute(AgentTokens tokens, AgentPool pool, PullAgent.Settings settings,
                             Function<io.vertx.core.http.HttpConnection, Runnable> hold) {
        this.tokens = tokens;
        this.pool = pool;
        this.settings = settings;
        this.hold = hold;
    }

    public void mount(Router api) {
        api.get("/agents/connect").handler(this::connect);
        // the path is this route's alone: another method is a 405, not /agents/{agent} for an agent named "connect"
        // (no agent may take that name: AgentInput.reserved)
        api.route("/agents/connect").handler(ctx -> ctx.fail(405));
    }

    private void connect(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        req.pause(); // nothing may be lost while the token is checked on a worker
        Replies.blocking(ctx, () -> tokens.authenticate(req.getHeader("Authorization")))
                .map(tokenName -> {
                    webSocketHandshake(req);
                    return identity(req);
                })
                .onFailure(e -> {
                    req.resume();
                    ctx.fail(e);
                })
                .onSuccess(identity -> {
                    PullAgent agent;
                    try {
                        agent = pool.pull(identity, settings);
                    } catch (AgentPool.NameTaken e) {
                        req.resume();
                        ctx.fail(Problem.conflict("exists", e.getMessage()));
                        return;
                    }
                    req.resume();
                    io.vertx.core.http.HttpConnection connection = req.connection();
                    req.toWebSocket().onSuccess(ws -> serve(ws, connection, agent, identity)).onFailure(ctx::fail);
                });
    }

    private void serve(ServerWebSocket ws, io.vertx.core.http.HttpConnection connection, PullAgent agent,
                       PullAgent.Identity identity) {
        Runnable release = hold.apply(connection);
        AtomicInteger unread = new AtomicInteger();
        MessageStreams streams = new MessageStreams(message -> {
            try {
                ws.writeBinaryMessage(Buffer.buffer(message)).toCompletionStage().toCompletableFuture()
                        .get(settings.lostTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                ws.close();
                throw new IOException("cannot send to pull agent " + identity.name() + ": " + e.getMessage());
            }
        }, () -> {
            if (unread.decrementAndGet() == INBOX - 1) ws.resume();
        }, () -> ws.close());
        ws.binaryMessageHandler(b -> {
            streams.received(b.getBytes());
            if (unread.incrementAndGet() >= INBOX) ws.pause();
        });
        ws.closeHandler(v -> {
            streams.ended(null);
            release.run();
        });
        ws.exceptionHandler(e -> streams.ended(e.getMessage() == null ? e.toString() : e.getMessage()));
        Thread.ofPlatform().daemon().name("pull-attach-" + identity.name()).start(() -> {
            try {
                agent.attach(new FrameCodec(streams.input(), streams.output()), identity);
            } catch (IOException | RuntimeException e) {
                LOG.warn("pull agent {}: the connection from {} failed: {}", identity.name(), identity.address(),
                        e.getMessage());
                ws.close();
            }
        });
    }

    /**
     * Checks the WebSocket upgrade before anything is kept of the agent: a request that is not one is answered here
     * with a JSON error naming the header (the upgrade would answer in plain text, after the agent was listed).
     */
    private static void webSocketHandshake(HttpServerRequest req) {
        String upgrade = req.getHeader("Upgrade");
        if (upgrade == null || !upgrade.trim().equalsIgnoreCase("websocket")) {
            throw Problem.badRequest("Upgrade: must be 'websocket' (the agent connects over a WebSocket)",
                    "header: Upgrade");
        }
        String connection = req.getHeader("Connection");
        if (connection == null || java.util.Arrays.stream(connection.split(","))
                .noneMatch(t -> t.trim().equalsIgnoreCase("upgrade"))) {
            throw Problem.badRequest("Connection: must include 'Upgrade'", "header: Connection");
        }
        String key = req.getHeader("Sec-WebSocket-Key");
        if (key == null || key.isBlank()) {
            throw Problem.badRequest("Sec-WebSocket-Key: required for a WebSocket upgrade", "header: Sec-WebSocket-Key");
        }
        if (!"13".equals(String.valueOf(req.getHeader("Sec-WebSocket-Version")).trim())) {
            throw Problem.badRequest("Sec-WebSocket-Version: must be 13", "header: Sec-WebSocket-Version");
        }
    }

    /** What the agent says about itself in its headers; 400 naming the header that is wrong. */
    private static PullAgent.Identity identity(HttpServerRequest req) {
        String name = req.getHeader("Stoker-Agent-Name");
        if (name == null || !NAME.matcher(name).matches()) {
            throw Problem.badRequest("Stoker-Agent-Name: 1 to 64 letters, digits, '.', '_' or '-'",
                    "header: Stoker-Agent-Name");
        }
        String reserved = AgentInput.reserved(name);
        if (reserved != null) throw Problem.badRequest("Stoker-Agent-Name: " + reserved, "header: Stoker-Agent-Name");
        String labelText = req.getHeader("Stoker-Agent-Labels");
        List<String> labels = labelText == null || labelText.isBlank() ? List.of()
                : Arrays.stream(labelText.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String l : labels) {
            String problem = AgentInput.labelProblem(l);
            if (problem != null) throw Problem.badRequest("Stoker-Agent-Labels: " + problem, "header: Stoker-Agent-Labels");
        }
        int executors;
        try {
            executors = Integer.parseInt(String.valueOf(req.getHeader("Stoker-Agent-Executors")));
        } catch (NumberFormatException e) {
            executors = -1;
        }
        if (executors < 1 || executors > 256) {
            throw Problem.badRequest("Stoker-Agent-Executors: a whole number from 1 to 256", "header: Stoker-Agent-Executors");
        }
        String workDir = req.getHeader("Stoker-Agent-Work-Dir");
        try {
            workDir = workDir == null ? null : URLDecoder.decode(workDir, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("Stoker-Agent-Work-Dir: an absolute path, percent-encoded (a '%' not followed "
                    + "by two hex digits)", "header: Stoker-Agent-Work-Dir");
        }
        if (workDir == null || !workDir.startsWith("/")) {
            throw Problem.badRequest("Stoker-Agent-Work-Dir: an absolute path", "header: Stoker-Agent-Work-Dir");
        }
        String instance = req.getHeader("Stoker-Agent-Instance");
        if (instance == null || instance.isBlank() || instance.length() > 64) {
            throw Problem.badRequest("Stoker-Agent-Instance: required, at most 64 characters", "header: Stoker-Agent-Instance");
        }
        String address = req.remoteAddress() == null ? "?" : req.remoteAddress().hostAddress();
        return new PullAgent.Identity(name, labels, executors, workDir, instance, address);
    }
}
