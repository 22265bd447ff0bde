package io.stoker.server.api;

import io.stoker.engine.log.FileLogStore;
import io.stoker.engine.log.LogFeed;
import io.stoker.engine.log.LogFollower;
import io.stoker.engine.log.LogFormat;
import io.stoker.engine.log.LogLine;
import io.stoker.server.Problem;
import io.stoker.server.auth.AuthService;
import io.stoker.server.db.Json;
import io.stoker.server.event.EventHub;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.TaskChanged;
import io.stoker.server.run.RunRow;
import io.stoker.server.run.RunService;
import io.stoker.server.run.TaskRow;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Task and run logs: the whole text (log file lines {@code <time> <stream> <text>}, {@code ?offset=} in bytes),
 * or a live follow until the tasks end, as Server-Sent Events ({@code Accept: text/event-stream}; event ids are line
 * numbers, so {@code Last-Event-ID} resumes) or as chunked text ({@code ?follow=true}, for {@code curl -N}). A
 * follow is cut short once the token it was opened with is refused (see {@link StreamCredential}).
 */
final class LogRoutes {
    /** After a run ended, followers of logs that were never opened (cancelled while queued) stop after this. */
    private static final long END_GRACE_MILLIS = 2000;
    /** How often a follower waiting for its logs' end looks at the stored run (an end event can be missed). */
    private static final long SETTLED_RECHECK_MILLIS = 5000;

    private final RunService runs;
    private final FileLogStore logs;
    private final EventHub events;
    private final AuthService auth;

    LogRoutes(RunService runs, FileLogStore logs, EventHub events, AuthService auth) {
        this.runs = runs;
        this.logs = logs;
        this.events = events;
        this.auth = auth;
    }

    void mount(Router api) {
        api.get("/runs/:key/tasks/:task/log").handler(this::taskLog);
        api.get("/runs/:key/log").handler(this::runLog);
    }

    private void taskLog(RoutingContext ctx) {
        String task = ctx.pathParam("task");
        boolean sse = wantsEvents(ctx);
        boolean follow = Bodies.flag(ctx, "follow");
        long offset = offset(ctx);
        long limit = limit(ctx);
        Replies.blocking(ctx, () -> {
            RunRow run = runs.get(ctx.pathParam("key"));
            if (run.tasks().stream().noneMatch(t -> t.name().equals(task))) {
                throw Problem.notFound("no task '" + task + "' in run " + run.key());
            }
            return run;
        }).onSuccess(run -> {
            if (sse || follow) {
                follow(ctx, run, List.of(task), sse, false, sse ? lastEventId(ctx) : 0, null, task);
                return;
            }
            // sent from the file by the kernel (sendFile): a log of any size costs no heap
            Path file = logs.file(run.key(), task);
            long size = file.toFile().length();
            // a browser following a download link saves it under this name (the CLI reads the body and ignores it)
            ctx.response().putHeader("content-type", "text/plain; charset=utf-8")
                    .putHeader("content-disposition", Disposition.attachment(run.key() + "-" + task + ".log"));
            long length = limit < 0 ? Math.max(0, size - offset) : Math.max(0, Math.min(limit, size - offset));
            // no Range, or not one the server serves: the whole log (or ?offset=&limit=), 200
            RangedFile.Part part = RangedFile.part(ctx, size, new RangedFile.Part(offset, length), "log");
            if (part == null) return;
            ctx.response().putHeader("X-Next-Offset", String.valueOf(Math.max(part.end(), Math.min(part.from(), size))));
            RangedFile.send(ctx, file, part);
        }).onFailure(ctx::fail);
    }

    private void runLog(RoutingContext ctx) {
        boolean sse = wantsEvents(ctx);
        boolean follow = Bodies.flag(ctx, "follow");
        Replies.blocking(ctx, () -> runs.get(ctx.pathParam("key"))).compose(run -> {
            List<String> tasks = run.tasks().stream().map(TaskRow::name).toList();
            if (sse || follow) {
                follow(ctx, run, tasks, sse, true, 0,
                        sse ? RunLogPositions.of(ctx.request().getHeader("last-event-id")) : null, null);
                return io.vertx.core.Future.<Void>succeededFuture();
            }
            ctx.response().putHeader("content-type", "text/plain; charset=utf-8").setChunked(true);
            return PrefixedLogs.send(ctx.vertx(), ctx.response(), tasks, t -> logs.file(run.key(), t));
        }).onFailure(failure -> {
            // once the head is out there is no error to answer with: cut the response short instead
            if (ctx.response().headWritten()) ctx.response().reset();
            else ctx.fail(failure);
        });
    }

    /**
     * Streams logs until every followed task's log ended and the state they end in is saved, so that when the stream
     * ends {@code GET /runs/KEY} already says how they ended. {@code only} is the task of a task log, null for the
     * run's log.
     */
    private void follow(RoutingContext ctx, RunRow run, List<String> tasks, boolean sse, boolean prefixed, long fromLine,
                        RunLogPositions positions, String only) {
        HttpServerResponse res = ctx.response().setChunked(true)
                .putHeader("content-type", sse ? "text/event-stream; charset=utf-8" : "text/plain; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        res.writeHead();
        Context context = ctx.vertx().getOrCreateContext();
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean logsEnded = new AtomicBoolean();
        AtomicBoolean settled = new AtomicBoolean(settled(run, only));
        List<Followed> subscriptions = new ArrayList<>();
        Runnable[] unsubscribe = {() -> { }};
        Runnable[] unwatch = {() -> { }};
        WriteGate gate = new WriteGate();
        // null when the logs ended; else why the follow is cut short (its token was refused)
        java.util.function.Consumer<String> stop = cut -> {
            if (!done.compareAndSet(false, true)) return;
            gate.release();
            synchronized (subscriptions) {
                subscriptions.forEach(Followed::close);
            }
            unsubscribe[0].run();
            unwatch[0].run();
            if (res.ended() || res.closed()) return;
            if (cut == null) {
                if (sse) res.write("event: end\ndata: {}\n\n");
            } else if (sse) {
                // a comment, not the end event, which would tell the client it has the whole log
                res.write(": the stream ended: " + cut + "\n\n");
            }
            res.end();
        };
        Runnable finish = () -> stop.accept(null);
        unwatch[0] = StreamCredential.watch(ctx, auth, stop);
        // settled also tells a subscription made later that a log not opened by then never will be
        FollowOrder.Subscriber subscriber = (task, ended) -> subscribe(run, task,
                positions == null ? fromLine : positions.from(task), positions, context, res, sse, prefixed, gate, done,
                subscriptions, settled, ended);
        // on the response's context: the logs ended and their end is saved; lines written to a log after it ended
        // (the run's end notes, such as its published version, go to its last task's log) are sent first
        Runnable[] finishWhenSettled = {null};
        finishWhenSettled[0] = () -> {
            if (!logsEnded.get() || !settled.get() || done.get()) return;
            List<Followed> grown;
            synchronized (subscriptions) {
                grown = subscriptions.stream().filter(Followed::grewAfterEnd).toList();
                subscriptions.removeAll(grown);
            }
            if (grown.isEmpty()) {
                finish.run();
                return;
            }
            logsEnded.set(false);
            int[] left = {grown.size()};
            for (Followed f : grown) {
                subscribe(run, f.task(), f.delivered(), positions, context, res, sse, prefixed, gate, done,
                        subscriptions, settled, () -> {
                    if (--left[0] > 0) return;
                    logsEnded.set(true);
                    finishWhenSettled[0].run();
                });
            }
        };
        res.closeHandler(v -> finish.run());
        FollowOrder.of(run, tasks).stream(subscriber, () -> {
            logsEnded.set(true);
            finishWhenSettled[0].run();
        });
        if (!settled.get()) {
            // a log that was never opened (a task cancelled while queued) never ends: a moment after the end, stop
            // following those; a log that was opened ends by itself once its reader reached its end, however slow
            Runnable endSoon = () -> context.runOnContext(v -> {
                if (!settled.compareAndSet(false, true)) return; // the event and a look at the stored run may both say so
                finishWhenSettled[0].run();
                ctx.vertx().setTimer(END_GRACE_MILLIS, id -> {
                    synchronized (subscriptions) {
                        subscriptions.forEach(Followed::endIfNeverOpened);
                    }
                });
            });
            unsubscribe[0] = events.subscribeCluster(e -> {
                if (!run.key().equals(e.run())) return; // ServerReady has no run
                boolean end = switch (e) {
                    case RunFinished f -> true;
                    case TaskChanged t -> only != null && t.task().equals(only) && t.state().isFinal();
                    default -> false;
                };
                if (end) endSoon.run();
            });
            Runnable lookAtStoredRun = () -> ctx.vertx().executeBlocking(() -> settled(runs.get(run.key()), only), false)
                    .onSuccess(isSettled -> {
                        if (isSettled) endSoon.run();
                    });
            // the run may have ended between reading it and subscribing (a queued run cancelled meanwhile): its end
            // event is gone then, so look once more now that no later one can be missed
            lookAtStoredRun.run();
            // in a cluster an end event sent while this server's LISTEN connection was being opened again is lost
            // to it: the stored state is looked at again every few seconds, so the follow still ends
            Runnable unsubscribeEvents = unsubscribe[0];
            long recheck = ctx.vertx().setPeriodic(SETTLED_RECHECK_MILLIS, id -> {
                if (done.get() || settled.get()) {
                    ctx.vertx().cancelTimer(id);
                    return;
                }
                lookAtStoredRun.run();
            });
            unsubscribe[0] = () -> {
                ctx.vertx().cancelTimer(recheck);
                unsubscribeEvents.run();
            };
        }
    }

    /** Whether the stored run shows the followed logs' end: the run's for its log, the task's for a task log. */
    private static boolean settled(RunRow run, String only) {
        if (run.isFinal() || only == null) return run.isFinal();
        return run.tasks().stream().anyMatch(t -> t.name().equals(only) && t.status().isFinal());
    }

    /** Follows one task's log into the response; {@code ended} runs on the response's context after its last line. */
    private void subscribe(RunRow run, String task, long fromLine, RunLogPositions positions, Context context,
                           HttpServerResponse res, boolean sse,
                           boolean prefixed, WriteGate gate, AtomicBoolean done, List<Followed> subscriptions,
                           AtomicBoolean settled, Runnable ended) {
        // a finished run's (or task's) tasks that never opened a log have nothing more to give
        boolean over = settled.get() || run.isFinal()
                || run.tasks().stream().anyMatch(t -> t.name().equals(task) && t.status().isFinal());
        Path file = logs.file(run.key(), task);
        if (over && !Files.exists(file)) {
            context.runOnContext(v -> ended.run());
            return;
        }
        Runnable endedOnce = once(ended);
        AtomicLong delivered = new AtomicLong(fromLine);
        AtomicLong sizeAtEnd = new AtomicLong(-1);
        LogFeed.Subscription subscription = logs.follow(run.key(), task, fromLine, new LogFollower() {
            private long line = fromLine;

            @Override
            public void line(LogLine l) { // the store's own notice (a read error): laid out as a stored line
                byte[] stored = (new String(LogFormat.prefix(l.time().toEpochMilli(), l.stream()), StandardCharsets.US_ASCII)
                        + l.text() + "\n").getBytes(StandardCharsets.UTF_8);
                lines(stored, 0, stored.length);
            }

            @Override
            public void lines(byte[] buf, int off, int len) {
                try {
                    sendLines(buf, off, len);
                } finally {
                    delivered.set(line);
                }
            }

            private void sendLines(byte[] buf, int off, int len) {
                if (!sse && !prefixed) { // a task's log as text is the file's bytes
                    for (int i = off; i < off + len; i++) if (buf[i] == '\n') line++;
                    send(Buffer.buffer(len).appendBytes(buf, off, len));
                    return;
                }
                if (sse && positions != null) { // a run's log: each event's id says where every task's log is
                    sendStamped(events(buf, off, len));
                    return;
                }
                Buffer out = Buffer.buffer(len + len / 4);
                byte[] prefix = sse ? null : ("[" + task + "] ").getBytes(StandardCharsets.UTF_8);
                int end = off + len;
                for (int start = off; start < end; ) {
                    int nl = start;
                    while (buf[nl] != '\n') nl++;
                    line++;
                    if (sse) {
                        String text = new String(buf, start, nl - start, StandardCharsets.UTF_8);
                        out.appendString(event(task, line, LogFormat.parse(text)));
                    } else {
                        out.appendBytes(prefix).appendBytes(buf, start, nl + 1 - start);
                    }
                    start = nl + 1;
                }
                send(out);
            }

            /** A read's lines as events without their ids, numbered on from the last. */
            private List<String> events(byte[] buf, int off, int len) {
                List<String> out = new ArrayList<>();
                int end = off + len;
                for (int start = off; start < end; ) {
                    int nl = start;
                    while (buf[nl] != '\n') nl++;
                    line++;
                    out.add(eventBody(task, line, LogFormat.parse(new String(buf, start, nl - start, StandardCharsets.UTF_8))));
                    start = nl + 1;
                }
                return out;
            }

            /** As {@link #send}, each event given its id on the response's context, in the order they are written. */
            private void sendStamped(List<String> bodies) {
                long first = line - bodies.size() + 1;
                send(() -> {
                    Buffer out = Buffer.buffer();
                    for (int i = 0; i < bodies.size(); i++) {
                        out.appendString("id: " + positions.sent(task, first + i) + "\n" + bodies.get(i));
                    }
                    return out;
                });
            }

            /** One read's worth of lines, written on the response's context; waits while the client is behind. */
            private void send(Buffer out) {
                send(() -> out);
            }

            /** As {@link #send(Buffer)}, the bytes made on the response's context. */
            private void send(java.util.function.Supplier<Buffer> out) {
                if (!gate.enter()) return;
                context.runOnContext(v -> {
                    try {
                        if (done.get() || res.ended()) return;
                        res.write(out.get());
                        if (res.writeQueueFull()) {
                            gate.close();
                            res.drainHandler(d -> gate.open());
                        }
                    } finally {
                        gate.written();
                    }
                });
            }

            @Override
            public void end() {
                sizeAtEnd.set(sizeOf(file));
                context.runOnContext(v -> endedOnce.run());
            }
        });
        synchronized (subscriptions) {
            subscriptions.add(new Followed(task, subscription, file, delivered, sizeAtEnd,
                    () -> context.runOnContext(v -> endedOnce.run())));
        }
    }

    private static Runnable once(Runnable r) {
        AtomicBoolean ran = new AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) r.run();
        };
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /**
     * One followed task log: its subscription, its file, how many of its lines were sent, its size when its reader
     * reached its end (-1 before), and how to tell the follow it ended.
     */
    private record Followed(String task, LogFeed.Subscription subscription, Path file, AtomicLong sent,
                            AtomicLong sizeAtEnd, Runnable ended) {
        void close() {
            subscription.close();
        }

        long delivered() {
            return sent.get();
        }

        /** Whether lines were added to the log after its reader ended (it was opened again to note the run's end). */
        boolean grewAfterEnd() {
            long size = sizeAtEnd.get();
            return size >= 0 && sizeOf(file) > size;
        }

        /** Ends the follow of a log that was never opened; one that was ends when its reader reaches its end. */
        void endIfNeverOpened() {
            if (Files.exists(file)) return;
            subscription.close();
            ended.run();
        }
    }

    /**
     * Holds a follower's reading thread (its own, never the task's or the event loop's) while the client reads slower
     * than the log grows, or while a few of its reads wait for the event loop: a slow reader costs a bounded write
     * queue and at most {@link #IN_FLIGHT} reads, not memory for the whole log.
     */
    private static final class WriteGate {
        private static final int IN_FLIGHT = 4;
        private boolean closed;
        private boolean released;
        private int inFlight;

        synchronized void close() {
            closed = true;
        }

        synchronized void open() {
            closed = false;
            notifyAll();
        }

        /** The follow is over: nothing waits any more, and nothing more is sent. */
        synchronized void release() {
            released = true;
            notifyAll();
        }

        /** Waits until one more read may be handed to the event loop; false when the follow is over or interrupted. */
        synchronized boolean enter() {
            try {
                while (!released && (closed || inFlight >= IN_FLIGHT)) wait();
                if (released) return false;
                inFlight++;
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** A read handed over by {@link #enter()} was written (or dropped). */
        synchronized void written() {
            inFlight--;
            notifyAll();
        }
    }

    private static String event(String task, long n, LogLine l) {
        return "id: " + n + "\n" + eventBody(task, n, l);
    }

    /** A line's event without its id. */
    private static String eventBody(String task, long n, LogLine l) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task", task);
        data.put("line", n);
        data.put("time", Views.time(l.time()));
        data.put("stream", l.stream().label());
        data.put("text", l.text());
        return "event: line\ndata: " + Json.write(data) + "\n\n";
    }

    private static boolean wantsEvents(RoutingContext ctx) {
        String accept = ctx.request().getHeader("accept");
        return accept != null && accept.contains("text/event-stream");
    }

    private static long lastEventId(RoutingContext ctx) {
        String id = ctx.request().getHeader("last-event-id");
        try {
            return id == null ? 0 : Math.max(0, Long.parseLong(id.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long limit(RoutingContext ctx) {
        String v = ctx.queryParams().get("limit");
        if (v == null) return -1;
        try {
            long n = Long.parseLong(v);
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw Problem.badRequest("'limit' must be a number of bytes (0 or more), not '" + v + "'", "field: limit");
    }

    private static long offset(RoutingContext ctx) {
        String v = ctx.queryParams().get("offset");
        if (v == null) return 0;
        try {
            long n = Long.parseLong(v);
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw Problem.badRequest("'offset' must be a byte offset (0 or more), not '" + v + "'");
    }

}
