package io.stoker.agent.program;

import io.stoker.agent.protocol.FileEntry;
import io.stoker.agent.protocol.Frame;
import io.stoker.agent.protocol.StreamName;
import io.stoker.agent.protocol.WorkspaceChanges;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;
import io.stoker.engine.exec.Executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One task the agent runs: a process started by the engine's local executor (its own process group), pumps for its
 * streams, and — once it ended and its output was all sent — the {@link Frame.Exit}, kept until the server releases
 * the task, so a connection that comes back gets it again.
 */
final class HostedTask {
    /** After the process ended, how long its pipes may stay open (a background child holding them) before the group is killed. */
    private static final long PIPE_GRACE_MILLIS = 200;

    private final String id;
    private final Peers peers;
    private final RunningTask running;
    private final OutboundStream out;
    private final OutboundStream err;
    private final InboundStdin stdin;
    private final Path workdir;
    private final Map<String, FileEntry> before;
    /** Set once, under this task's monitor; read without it ({@link #ended()} is asked under the host's peer lock). */
    private volatile Frame.Exit exit;

    private HostedTask(String id, Peers peers, RunningTask running, long window, Path workdir,
                       Map<String, FileEntry> before, boolean piped) {
        this.id = id;
        this.peers = peers;
        this.running = running;
        this.workdir = workdir;
        this.before = before;
        this.out = new OutboundStream(id, StreamName.STDOUT, running.stdout(), window, peers);
        this.err = new OutboundStream(id, StreamName.STDERR, running.stderr(), window, peers);
        this.stdin = piped ? new InboundStdin(id, running.stdin(), window, peers) : null;
    }

    /** Starts the task; a task that cannot start ends at once with an {@link Frame.Exit} saying why. */
    static HostedTask start(Frame.Start s, Executor executor, Peers peers) throws IOException {
        if (s.container() != null && s.container().credentials() != null && s.registryLogin() == null) {
            // a sender that does not carry logins (a server older than this agent): pulling without it would fail
            // misleadingly
            throw new IOException("the task names registryCredentials '" + s.container().credentials() + "' but its"
                    + " login did not reach this agent (the server that sent it predates registry logins on agents):"
                    + " upgrade the server, or run the task on the server");
        }
        Path workdir = Path.of(s.workdir());
        Files.createDirectories(workdir);
        Map<String, FileEntry> before = s.changes() ? WorkspaceSnapshot.take(workdir) : null;
        TaskLaunch launch = new TaskLaunch(s.task(), "task", 1, s.scripts(), workdir, s.env(), s.stdin(), null,
                s.secretNames(), s.container(), s.registryLogin());
        RunningTask running = executor.start(launch);
        HostedTask t = new HostedTask(s.task(), peers, running, s.window(), workdir, before, s.stdin());
        t.begin();
        return t;
    }

    private void begin() {
        thread("out", out::pump);
        thread("err", err::pump);
        if (stdin != null) thread("in", stdin::pump);
        thread("exit", this::finish);
    }

    private void thread(String what, Runnable r) {
        Thread.ofPlatform().daemon().name("task-" + what + "-" + id).start(r);
    }

    private void finish() {
        try {
            int code = running.onExit().join();
            if (stdin != null) stdin.taskEnded();
            long since = System.nanoTime();
            boolean killed = false;
            while (!(out.awaitEnd(50) & err.awaitEnd(50))) {
                boolean credit = out.waitingForCredit() || err.waitingForCredit();
                if (!killed && !credit && System.nanoTime() - since > PIPE_GRACE_MILLIS * 1_000_000) {
                    // a background process holds the pipes open: the task is over all the same
                    running.stopBackground(true);
                    killed = true;
                }
            }
            if (!killed) running.stopBackground(false); // its background jobs end with it, as on the server
            String output = "";
            try {
                output = running.outputText();
            } catch (IOException e) {
                // no output file: the task wrote none
            }
            WorkspaceChanges changes = null;
            if (before != null) changes = WorkspaceSnapshot.diff(before, WorkspaceSnapshot.take(workdir));
            // the executor's own reason for a failure it decided (an image that cannot be pulled), as on the server
            String reason = code == 0 ? null : running.failureReason();
            ended(new Frame.Exit(id, code, output, out.length(), err.length(), changes, reason, running.strays()));
        } catch (IOException | RuntimeException e) {
            ended(new Frame.Exit(id, 255, "", out.length(), err.length(), null,
                    "the agent could not finish the task: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void ended(Frame.Exit e) {
        exit = e;
        peers.send(e);
    }

    /**
     * Whether the task ended. Takes no lock: the host asks under its peer lock, and this task holds its own monitor
     * while sending frames, which takes that peer lock (the two waited for each other forever once: a re-attaching
     * server's resume against the daemon's idle watch).
     */
    boolean ended() {
        return exit != null;
    }

    /** A new connection: send what it lacks of both streams, the stdin position and the exit once known. */
    synchronized void resume(long stdoutFrom, long stderrFrom) {
        out.resend(stdoutFrom);
        err.resend(stderrFrom);
        if (stdin != null) stdin.ackAgain();
        if (exit != null) peers.send(exit);
    }

    void ack(StreamName stream, long received, long window) {
        switch (stream) {
            case STDOUT -> out.ack(received, window);
            case STDERR -> err.ack(received, window);
            case STDIN -> { } // the agent sends stdin acks, it does not receive them
        }
    }

    void stdinChunk(long offset, byte[] data) {
        if (stdin != null) stdin.chunk(offset, data);
    }

    void close(StreamName stream, long at) {
        switch (stream) {
            case STDIN -> {
                if (stdin != null) stdin.close(at);
            }
            case STDOUT -> out.readerGone();
            case STDERR -> err.readerGone();
        }
    }

    void cancel() {
        running.kill();
    }

    /** Forgets the task: kills it if it still runs, removes its scratch files. */
    void release() {
        if (!ended()) running.kill();
        running.release();
    }
}
