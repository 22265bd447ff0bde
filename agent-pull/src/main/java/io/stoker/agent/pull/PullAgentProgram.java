package io.stoker.agent.pull;

import io.stoker.agent.program.AgentHost;
import io.stoker.agent.protocol.FrameCodec;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The build machine's side of a pull agent: dials the server's {@code /api/v1/agents/connect} WebSocket with its
 * agent token and serves the agent protocol over it with the agent program's {@link AgentHost}, one frame per
 * binary message. Its tasks outlive a connection: after a network drop it dials again (with backoff) and the server
 * resumes each stream from the offsets it acknowledged. It pings the server and gives a connection up when nothing
 * comes back for three heartbeats, so a half-open connection is noticed too.
 */
public final class PullAgentProgram implements AutoCloseable {
    /**
     * Where the program connects to and what it says about itself. {@code servers}: one URL (a load balancer in
     * front of a cluster), or the servers of a cluster, tried in turn.
     */
    public record Settings(List<URI> servers, String token, String name, List<String> labels, int executors, Path workDir,
                           Duration heartbeat, Duration maxBackoff) {
        public Settings {
            if (servers.isEmpty()) throw new IllegalArgumentException("no server to connect to");
            servers = List.copyOf(servers);
            labels = List.copyOf(labels);
        }

        public Settings(URI server, String token, String name, List<String> labels, int executors, Path workDir,
                        Duration heartbeat, Duration maxBackoff) {
            this(List.of(server), token, name, labels, executors, workDir, heartbeat, maxBackoff);
        }
    }

    /** The server refused the agent (its token, or its name): dialling again would not help. */
    public static final class Refused extends IOException {
        public Refused(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final AgentHost host;
    private final HttpClient http;
    private final Consumer<String> log;
    private final String instance = UUID.randomUUID().toString();
    private volatile boolean stopped;
    private volatile WebSocket socket;
    private volatile int connections;
    private volatile int current; // index of the server in use

    /** @param log one line per connection event (connected, dropped, backing off) */
    public PullAgentProgram(Settings settings, Consumer<String> log) throws IOException {
        this.settings = settings;
        this.log = log;
        Files.createDirectories(settings.workDir());
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.remove("STOKER_AGENT_TOKEN"); // tasks never see the agent's credential
        // what the tasks of this agent's previous process left running (it was killed) is stopped first
        io.stoker.agent.program.ProcessScratch scratch = io.stoker.agent.program.ProcessScratch.claim(
                settings.workDir().resolve("scratch"));
        if (scratch.stopped() > 0) {
            log.accept("stopped " + scratch.stopped() + (scratch.stopped() == 1 ? " process" : " processes") + " the tasks of an earlier run of this agent left running");
        }
        this.host = new AgentHost(scratch.dir(), env, "stoker-agent pull");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();
    }

    /** How many connections were made so far. */
    public int connections() {
        return connections;
    }

    /** Tasks the program holds (running, or ended and not yet released by the server). */
    public List<String> tasks() {
        return host.tasks();
    }

    /** The server the program is connected to, or dials next. */
    public URI server() {
        return settings.servers().get(current);
    }

    /**
     * Connects and serves until {@link #close()}; a dropped connection is dialled again with backoff (half a
     * second, doubling to {@code maxBackoff}). The same server first, where the tasks it runs re-attach; when it
     * cannot be reached, the next of {@code servers}. Throws {@link Refused} when a server refuses the agent.
     */
    public void run() throws IOException {
        long backoff = 500;
        while (!stopped) {
            long began = System.nanoTime();
            try {
                serveOnce();
            } catch (Refused r) {
                throw r;
            } catch (Unreachable e) {
                if (stopped) return;
                log.accept(e.getMessage());
                current = (current + 1) % settings.servers().size();
            } catch (IOException e) {
                if (stopped) return;
                log.accept("connection to " + server() + " ended: " + e.getMessage());
            }
            if (stopped) return;
            if (System.nanoTime() - began > TimeUnit.SECONDS.toNanos(30)) backoff = 500; // it was up for a while
            log.accept("connecting again in " + backoff + " ms");
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(backoff * 2, Math.max(500, settings.maxBackoff().toMillis()));
        }
    }

    /** One connection, from dialling to its end. */
    private void serveOnce() throws IOException {
        MessageStreams[] streams = new MessageStreams[1];
        Listener listener = new Listener(m -> streams[0].received(m), why -> streams[0].ended(why));
        streams[0] = new MessageStreams(this::send, () -> {
            WebSocket ws = socket;
            if (ws != null) ws.request(1);
        }, () -> {
            WebSocket ws = socket;
            if (ws != null) ws.abort();
        });
        WebSocket ws = dial(listener);
        socket = ws;
        connections++;
        log.accept("connected to " + server() + " as " + settings.name());
        Thread watchdog = Thread.ofPlatform().daemon().name("pull-agent-ping").start(() -> watch(ws, listener, streams[0]));
        try {
            host.serve(new FrameCodec(streams[0].input(), streams[0].output()));
        } finally {
            watchdog.interrupt();
            ws.abort();
            streams[0].ended("closed");
        }
    }

    /** No connection could be made to a server (as opposed to one that was made and dropped). */
    private static final class Unreachable extends IOException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private WebSocket dial(Listener listener) throws IOException {
        URI uri = connectUri(server());
        try {
            return http.newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + settings.token())
                    .header("Stoker-Agent-Name", settings.name())
                    .header("Stoker-Agent-Labels", String.join(",", settings.labels()))
                    .header("Stoker-Agent-Executors", Integer.toString(settings.executors()))
                    .header("Stoker-Agent-Work-Dir", encode(settings.workDir().toAbsolutePath().toString()))
                    .header("Stoker-Agent-Instance", instance)
                    .buildAsync(uri, listener).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                int status = h.getResponse().statusCode();
                String said = said(h.getResponse().body());
                // 400: the name, labels or work directory the agent sends are malformed, which dialling again
                // would send unchanged
                if (status == 400 || status == 401 || status == 403 || status == 409) {
                    throw new Refused("the server refused the agent (HTTP " + status + ")" + said);
                }
                throw new Unreachable(uri + " answered HTTP " + status + said, h);
            }
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new Unreachable("cannot connect to " + uri + ": " + reason(c), c);
        } catch (TimeoutException e) {
            throw new Unreachable("no answer from " + uri + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while connecting");
        }
    }

    /** What a refusal's body says: the message of Stoker's JSON error, else the body as it came. */
    static String said(Object body) {
        if (body == null || body.toString().isBlank()) return "";
        try {
            var message = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body.toString()).path("message");
            if (message.isTextual() && !message.asText().isBlank()) return ": " + message.asText();
        } catch (java.io.IOException notJson) {
            // a proxy's page, say: shown as it came
        }
        return ": " + body;
    }

    /** Why a connection could not be made, in words (the JDK's refused connection carries no message at all). */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException) return "unknown host " + t.getMessage();
            if (t instanceof java.net.ConnectException && (t.getMessage() == null || t.getMessage().isBlank())) {
                return "connection refused (is the server running, and listening at that address?)";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) return t.getMessage();
        }
        return "the connection failed";
    }

    /** {@code http://host/base} → {@code ws://host/base/api/v1/agents/connect}; https becomes wss. */
    static URI connectUri(URI server) {
        String s = server.toString().replaceAll("/+$", "");
        if (s.startsWith("https://")) s = "wss://" + s.substring(8);
        else if (s.startsWith("http://")) s = "ws://" + s.substring(7);
        return URI.create(s + "/api/v1/agents/connect");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Sends one frame as one binary message; blocks until the socket took it. */
    private void send(byte[] message) throws IOException {
        WebSocket ws = socket;
        if (ws == null) throw new IOException("not connected");
        try {
            ws.sendBinary(ByteBuffer.wrap(message), true).get();
        } catch (ExecutionException e) {
            throw new IOException("cannot send: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while sending");
        }
    }

    /** Pings every heartbeat; gives the connection up when nothing arrived for three. */
    private void watch(WebSocket ws, Listener listener, MessageStreams streams) {
        long every = settings.heartbeat().toMillis();
        while (!Thread.currentThread().isInterrupted() && !streams.isEnded()) {
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
            if (System.nanoTime() - listener.lastHeard > TimeUnit.MILLISECONDS.toNanos(every * 3)) {
                streams.ended("the server did not answer for " + every * 3 + " ms");
                ws.abort();
                return;
            }
            try {
                ws.sendPing(ByteBuffer.allocate(0));
            } catch (IllegalStateException busy) {
                // a ping is still outstanding: the next turn tries again
            }
        }
    }

    /**
     * Stops: kills the tasks, tells the server they ended with the agent (so it fails them now rather than after its
     * lost timeout) and closes the connection.
     */
    @Override
    public void close() {
        stopped = true;
        host.leave("pull agent " + settings.name() + " stopped, and its tasks with it", Duration.ofSeconds(2));
        WebSocket ws = socket;
        if (ws != null) ws.abort();
    }

    /** Cuts the current connection (as a network drop would); the program dials again. */
    public void dropConnection() {
        WebSocket ws = socket;
        if (ws != null) ws.abort();
    }

    /** Gathers message parts into whole messages and hands them on; remembers when anything last arrived. */
    private static final class Listener implements WebSocket.Listener {
        private final Consumer<byte[]> whole;
        private final Consumer<String> ended;
        private final java.io.ByteArrayOutputStream parts = new java.io.ByteArrayOutputStream();
        volatile long lastHeard = System.nanoTime();

        Listener(Consumer<byte[]> whole, Consumer<String> ended) {
            this.whole = whole;
            this.ended = ended;
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(16);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            lastHeard = System.nanoTime();
            byte[] b = new byte[data.remaining()];
            data.get(b);
            parts.write(b, 0, b.length);
            if (last) {
                whole.accept(parts.toByteArray());
                parts.reset(); // the reader asks for the next message once it took this one
            } else {
                ws.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            ws.request(1); // the protocol has no text messages
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            lastHeard = System.nanoTime();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            lastHeard = System.nanoTime();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            ended.accept("the server closed the connection (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            ended.accept(error.getMessage() == null ? error.toString() : error.getMessage());
        }
    }
}
