package io.stoker.server.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A run's whole log: each task's file in turn, every line prefixed with {@code [task] }, streamed from the files in
 * 64 KiB reads that pause while the client is slower than the disk. A log of any size costs two buffers, never its
 * whole text (eight downloads of a 280 MiB log once took the heap to 6.8 GiB).
 */
final class PrefixedLogs {
    private static final int CHUNK = 64 * 1024;

    private final Vertx vertx;
    private final HttpServerResponse res;
    private final Deque<String> tasks;
    private final Function<String, Path> files;
    private final Promise<Void> done = Promise.promise();
    private AsyncFile current;

    private PrefixedLogs(Vertx vertx, HttpServerResponse res, List<String> tasks, Function<String, Path> files) {
        this.vertx = vertx;
        this.res = res;
        this.tasks = new ArrayDeque<>(tasks);
        this.files = files;
    }

    /** Sends the tasks' logs in the given order and ends the response; fails if a file cannot be read. */
    static Future<Void> send(Vertx vertx, HttpServerResponse res, List<String> tasks, Function<String, Path> files) {
        PrefixedLogs logs = new PrefixedLogs(vertx, res, tasks, files);
        res.closeHandler(v -> logs.stop());
        logs.next();
        return logs.done.future();
    }

    private void next() {
        if (res.closed()) return;
        String task = tasks.poll();
        if (task == null) {
            res.end().onComplete(r -> done.tryComplete());
            return;
        }
        Path file = files.apply(task);
        if (!Files.exists(file)) {
            next();
            return;
        }
        byte[] prefix = ("[" + task + "] ").getBytes(StandardCharsets.UTF_8);
        vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                .onFailure(done::tryFail)
                .onSuccess(f -> {
                    current = f;
                    boolean[] atLineStart = {true};
                    f.setReadBufferSize(CHUNK);
                    f.exceptionHandler(e -> {
                        closeIfCurrent(f);
                        done.tryFail(e);
                    });
                    f.endHandler(v -> closeIfCurrent(f).onComplete(c -> {
                        // a last line without its newline still ends the line before the next task's
                        if (!atLineStart[0]) res.write("\n");
                        next();
                    }));
                    f.handler(chunk -> {
                        res.write(prefixed(chunk, prefix, atLineStart));
                        if (res.writeQueueFull()) {
                            f.pause();
                            res.drainHandler(d -> f.resume());
                        }
                    });
                });
    }

    /** The chunk with the prefix before every line that starts in it. */
    private static Buffer prefixed(Buffer chunk, byte[] prefix, boolean[] atLineStart) {
        byte[] in = chunk.getBytes();
        int lines = 0;
        for (byte b : in) if (b == '\n') lines++;
        Buffer out = Buffer.buffer(in.length + (lines + 1) * prefix.length);
        int start = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] != '\n') continue;
            if (atLineStart[0]) out.appendBytes(prefix);
            out.appendBytes(in, start, i + 1 - start);
            atLineStart[0] = true;
            start = i + 1;
        }
        if (start < in.length) {
            if (atLineStart[0]) out.appendBytes(prefix);
            out.appendBytes(in, start, in.length - start);
            atLineStart[0] = false;
        }
        return out;
    }

    /** Closes {@code f} unless it was closed already (by its end, a failure or the client leaving): once each. */
    private io.vertx.core.Future<Void> closeIfCurrent(AsyncFile f) {
        if (current != f) return io.vertx.core.Future.succeededFuture();
        current = null;
        return f.close();
    }

    private void stop() {
        if (current != null) closeIfCurrent(current);
        done.tryComplete(); // the client went away: nothing failed on our side
    }
}
