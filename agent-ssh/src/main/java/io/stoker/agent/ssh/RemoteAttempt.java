package io.stoker.agent.ssh;

import io.stoker.engine.exec.CollectedArtifacts;
import io.stoker.agent.client.LinkOutage;
import io.stoker.agent.client.StreamBuffer;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.Strays;
import io.stoker.engine.exec.TaskLaunch;
import io.stoker.engine.exec.local.ArtifactZip;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * One task attempt running detached on an agent. Starting it uploads the workspace changes, writes the scripts and
 * a 0600 env file over SFTP (so no value is ever on a command line) into a 0700 attempt directory, and starts the
 * wrapper ({@link RemoteScripts#wrapper}) with a short exec channel. From then on a fetcher thread reads the output
 * files from the byte offset it has reached and the exit-code file; when the connection drops it waits for the
 * agent's next link and resumes at the same offsets, so no byte is lost or doubled. Only when the agent stays away
 * past the lost timeout does the attempt end, as "agent lost".
 */
final class RemoteAttempt implements RunningTask {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteAttempt.class);

    /** SSH waits block on futures and monitors: platform threads, never the virtual-thread scheduler's carriers. */
    private static Thread.Builder blocking(String name) {
        return Thread.ofPlatform().daemon().name(name);
    }
    /** At most this much of {@code $STOKER_OUTPUT} is read, as locally. */
    static final int CHUNK = 64 * 1024;
    /** At most this much of one stream per turn, so stdout and stderr both keep moving. */
    static final int TURN = 4 * 1024 * 1024;
    /**
     * What {@link #waitFor()} returns for an attempt the executor gave up on (agent lost, files gone): a placeholder,
     * since no exit code is known ({@link #gaveUp()} says so, and the engine reports none).
     */
    static final int LOST_EXIT = 255;

    private final SshAgent agent;
    private final TaskLaunch launch;
    private final String dir;
    private final String workspace;
    private final Map<String, WorkspaceMirror.Entry> before;
    private final StreamBuffer out;
    private final StreamBuffer err;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final OutputStream stdin;
    private final Duration commandTimeout;
    private final long launchedOn;
    private volatile AgentLink link;
    private volatile boolean killRequested;
    private volatile boolean killSent;
    private volatile boolean pipeClosed;
    private volatile boolean pipeSignalled;
    /** Whether the FIFO of a feed cut by a dropped connection was given its EOF (see {@link RemoteScripts#endStdin}). */
    private boolean stdinEnded;
    private volatile String failure;
    private volatile boolean gaveUp;
    private volatile Consumer<String> note = text -> { };
    private volatile String outputText = "";
    private volatile List<String> strays = List.of();
    private volatile Thread fetcher;

    private RemoteAttempt(SshAgent agent, TaskLaunch launch, AgentLink link, String dir, String workspace,
                          Map<String, WorkspaceMirror.Entry> before, OutputStream stdin) {
        this.agent = agent;
        this.launch = launch;
        this.link = link;
        this.launchedOn = link.generation();
        this.dir = dir;
        this.workspace = workspace;
        this.before = before;
        this.stdin = stdin;
        this.commandTimeout = agent.settings().connectTimeout();
        this.out = new StreamBuffer(1 << 20, () -> {
            pipeClosed = true;
            wake();
        });
        this.err = new StreamBuffer(1 << 18, () -> { });
    }

    /** An attempt whose files are on the agent and which has not been launched yet. */
    record Prepared(SshAgent agent, TaskLaunch launch, AgentLink link, String dir, String workspace) {
    }

    /**
     * Puts the attempt's files on the agent: the workspace copy brought in step, the attempt directory with its
     * scripts. Nothing runs yet, so a failure here (a connection that dropped) may be retried on the next one.
     */
    static Prepared prepare(SshAgent agent, TaskLaunch launch, AgentLink link) throws IOException {
        String wd = link.workDir();
        String dir = RemotePaths.attempt(wd, launch.runKey(), launch.task(), launch.attempt());
        String ws = RemotePaths.workspace(wd, launch.runKey());
        Duration timeout = agent.settings().connectTimeout();
        WorkspaceMirror mirror = agent.mirror(launch.runKey());
        SftpClient sftp = link.sftp();
        mirror.makeWorkspace(sftp, ws);
        mirror.mkdirs(sftp, dir.substring(0, dir.lastIndexOf('/')));
        makePrivateDir(link, dir, timeout);
        mirror.upload(link, launch.workspace(), ws, timeout);

        Map<String, String> env = new LinkedHashMap<>(launch.env());
        env.put("STOKER_OUTPUT", dir + "/output");
        env.put("STOKER_WORKSPACE", ws);
        write(sftp, dir + "/env", RemoteScripts.envFile(env), 0600);
        List<String> scripts = launch.scripts();
        for (int i = 0; i < scripts.size(); i++) {
            String s = scripts.get(i);
            write(sftp, dir + "/" + RemoteScripts.stepFile(i + 1, s), s, s.startsWith("#!") ? 0700 : 0600);
        }
        write(sftp, dir + "/steps.sh", RemoteScripts.steps(dir, scripts, launch::holdsSecret), 0600);
        write(sftp, dir + "/run.sh", RemoteScripts.wrapper(dir, ws, launch.pipedStdin()), 0600);
        return new Prepared(agent, launch, link, dir, ws);
    }

    /** Starts a prepared attempt; once this was tried the task may run, so it is not tried again. */
    static RemoteAttempt launch(Prepared p) throws IOException {
        SshAgent agent = p.agent();
        TaskLaunch launch = p.launch();
        AgentLink link = p.link();
        String dir = p.dir();
        String ws = p.workspace();
        Duration timeout = agent.settings().connectTimeout();
        // one exec lists the workspace as it is before the task runs (what "changed by the task" is measured
        // against when it ends), creates the output files (and the stdin FIFO) and starts the detached wrapper
        AgentLink.Result started = link.exec(RemoteScripts.launch(dir, ws, launch.pipedStdin()), timeout);
        int mark = started.out().indexOf(RemoteScripts.LISTING_MARK);
        if (started.exit() != 0 || mark < 0) {
            throw new IOException("cannot start the task on agent " + agent.endpoint().name() + ": "
                    + started.err().trim());
        }
        String listing = started.out().substring(mark + RemoteScripts.LISTING_MARK.length());
        Map<String, WorkspaceMirror.Entry> before = listing.startsWith(RemoteScripts.NO_LISTING)
                ? WorkspaceMirror.list(link, ws, timeout) : WorkspaceMirror.parse(listing);
        OutputStream stdin = launch.pipedStdin() ? StdinFeed.open(link, dir + "/stdin", timeout) : closedStdin();
        RemoteAttempt attempt = new RemoteAttempt(agent, launch, link, dir, ws, before, stdin);
        agent.register(attempt);
        Thread t = blocking("ssh-fetch-" + attempt.label()).unstarted(attempt::fetch);
        attempt.fetcher = t;
        t.start();
        return attempt;
    }

    /** Creates the attempt directory readable by its owner only (replacing a leftover of an earlier server). */
    private static void makePrivateDir(AgentLink link, String dir, Duration timeout) throws IOException {
        var attrs = new SftpClient.Attributes();
        attrs.setPermissions(0700);
        try {
            link.sftp().mkdir(dir);
        } catch (SftpException exists) {
            AgentLink.Result r = link.exec("rm -rf " + Shell.quote(dir) + " && mkdir -m 700 " + Shell.quote(dir), timeout);
            if (!r.ok()) throw new IOException("cannot create " + dir + ": " + r.err().trim());
        }
        link.sftp().setStat(dir, attrs);
    }

    /** Writes a small file; {@code mode} -1 keeps the default (the attempt directory is 0700 anyway). */
    private static void write(SftpClient sftp, String path, String text, int mode) throws IOException {
        try (OutputStream o = sftp.write(path)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        if (mode < 0) return;
        var attrs = new SftpClient.Attributes();
        attrs.setPermissions(mode);
        sftp.setStat(path, attrs);
    }

    private static OutputStream closedStdin() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("stdin is not piped for this task");
            }
        };
    }

    String label() {
        return launch.runKey() + "/" + launch.task();
    }

    // ---- the fetcher: output files and the exit code, across reconnects ----

    private void fetch() {
        long[] outAt = {0};
        long[] errAt = {0};
        long idleNanos = 500_000;
        long attachedOn = -1;
        SftpClient.Handle outH = null;
        SftpClient.Handle errH = null;
        byte[] buf = new byte[CHUNK];
        Integer code = null;
        while (true) {
            AgentLink l = link;
            try {
                if (l.generation() != attachedOn) {
                    closeQuietly(l, outH, errH);
                    outH = l.sftp().open(dir + "/stdout", SftpClient.OpenMode.Read);
                    errH = l.sftp().open(dir + "/stderr", SftpClient.OpenMode.Read);
                    AgentLink.Result alive;
                    if (l.generation() != launchedOn && !(alive = l.exec(RemoteScripts.alive(dir), commandTimeout)).ok()) {
                        LOG.warn("{}: on re-attach neither an exit code nor the wrapper was found in {} (exit {}: {})",
                                label(), dir, alive.exit(), alive.err().trim());
                        giveUp("agent lost: the task's processes on " + agent.endpoint().name()
                                + " are gone (the agent restarted?)");
                        return;
                    }
                    attachedOn = l.generation();
                    if (attachedOn != launchedOn && !stdinEnded && stdin instanceof StdinFeed feed
                            && feed.cutShort(l) != null) {
                        // the feed died with the old connection, perhaps before its cat opened the FIFO: the task
                        // must not wait for a writer that never comes. It sees EOF, and fails as cut short when it
                        // ends (finish), never succeeding on part of its input
                        l.exec(RemoteScripts.endStdin(dir), commandTimeout);
                        stdinEnded = true;
                    }
                }
                if (killRequested && !killSent) {
                    killSent = true;
                    AgentLink kl = l;
                    blocking("ssh-kill-" + label()).start(() -> sendKill(kl));
                }
                if (pipeClosed && !pipeSignalled) {
                    pipeSignalled = true;
                    l.exec(RemoteScripts.signalGroup(dir, "PIPE"), commandTimeout);
                }
                long got = drain(l, outH, outAt, out, buf);
                long gotErr = drain(l, errH, errAt, err, buf);
                if (got + gotErr > 0) {
                    idleNanos = 500_000;
                    continue;
                }
                if (code != null) { // the exit file was there and both files are drained
                    closeQuietly(l, outH, errH);
                    finish(l, code);
                    return;
                }
                code = readExit(l);
                if (code != null) continue; // one more drain: output written just before the exit
                LockSupport.parkNanos(idleNanos);
                idleNanos = Math.min(idleNanos * 2, 50_000_000);
            } catch (AgentUnreachable gone) {
                lost(gone.getMessage());
                return;
            } catch (IOException e) {
                if (e instanceof SftpException && l.open()) {
                    giveUp("the attempt's files on agent " + agent.endpoint().name() + " are gone: "
                            + e.getMessage());
                    return;
                }
                LOG.debug("{}: link to {} failed ({}); waiting to re-attach", label(), agent.endpoint().name(),
                        e.getMessage());
                if (!reattach(l)) return;
            } catch (RuntimeException e) {
                if (!l.open()) { // MINA throws IllegalStateException for a session that is closing
                    if (!reattach(l)) return;
                    continue;
                }
                LOG.warn("{}: fetching output failed", label(), e);
                giveUp("cannot follow the task on agent " + agent.endpoint().name() + ": " + e);
                return;
            }
        }
    }

    /**
     * Waits for the agent's next link after {@code l} failed, telling the task's log; false when the agent stayed
     * away past the lost timeout and the attempt ended as lost.
     */
    private boolean reattach(AgentLink l) {
        agent.linkFailed(l);
        LinkOutage outage = LinkOutage.begin("agent " + agent.endpoint().name(), agent.settings().lostTimeout(), note);
        try {
            link = agent.awaitLink();
        } catch (AgentUnreachable gone) {
            lost(gone.getMessage());
            return false;
        }
        outage.reattached();
        return true;
    }

    private static void closeQuietly(AgentLink l, SftpClient.Handle... handles) {
        for (SftpClient.Handle h : handles) {
            if (h == null || !l.open()) continue;
            try {
                l.sftp().close(h);
            } catch (IOException | RuntimeException e) {
                // a handle of a dead session, or already closed: nothing to free
            }
        }
    }

    /**
     * Reads what was appended to one remote file since {@code at[0]}, advancing it after every chunk passed on (so a
     * read failing half-way resumes exactly there); returns how many bytes it passed on.
     */
    private static long drain(AgentLink l, SftpClient.Handle h, long[] at, StreamBuffer to, byte[] buf)
            throws IOException {
        long total = 0;
        while (total < TURN) {
            int n = l.sftp().read(h, at[0], buf, 0, buf.length);
            if (n <= 0) break;
            to.write(buf, 0, n);
            at[0] += n;
            total += n;
        }
        return total;
    }

    private Integer readExit(AgentLink l) throws IOException {
        byte[] b;
        try (InputStream in = l.sftp().read(dir + "/exit")) {
            b = in.readNBytes(32);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) return null;
            throw e;
        }
        String s = new String(b, StandardCharsets.US_ASCII).trim();
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return LOST_EXIT;
        }
    }

    /**
     * Brings the task's files back, reads its output file and ends the attempt. Throws when the link broke on the
     * way, so the fetcher re-attaches and calls it again (the exit code is known by then; nothing runs twice).
     */
    private void finish(AgentLink l, int code) throws IOException {
        String why = agent.removedReason();
        if (!killRequested) {
            for (int tries = 1; ; tries++) {
                try {
                    agent.mirror(launch.runKey()).download(l, workspace, launch.workspace(), before, commandTimeout);
                    break;
                } catch (IOException e) {
                    if (!l.open()) throw e;
                    if (tries < 3) continue; // a channel lost on a live connection: try again
                    why = "cannot bring the workspace files back from agent " + agent.endpoint().name() + ": "
                            + e.getMessage();
                    break;
                }
            }
        }
        try (InputStream in = l.sftp().read(dir + "/output")) {
            outputText = decode(in.readNBytes(MAX_OUTPUT_BYTES + 1)); // one more: a file over the limit is told
        } catch (IOException e) {
            if (!l.open()) throw e;
            LOG.debug("{}: no output file: {}", label(), e.getMessage());
        }
        strays = readStrays(l);
        String cut = stdin instanceof StdinFeed feed ? feed.cutShort(l) : null;
        if (cut != null) {
            LOG.warn("{}: {}", label(), cut);
            why = why == null ? cut : why + "; " + cut;
        }
        if (why != null && code == 0) giveUp(why); // it exited 0, but its files or input did not make it
        else end(code, why);
    }

    /** What the wrapper stopped that had left the task's group ({@link RemoteScripts#endBackground}), for the log. */
    private List<String> readStrays(AgentLink l) throws IOException {
        byte[] b;
        try (InputStream in = l.sftp().read(dir + "/" + RemoteScripts.STRAYS)) {
            b = in.readNBytes(64 * 1024);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) return List.of();
            throw e;
        }
        List<String> out = new java.util.ArrayList<>();
        for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
            String[] pidName = line.strip().split(" ", 2);
            if (pidName[0].isEmpty() || !pidName[0].chars().allMatch(Character::isDigit)) continue;
            out.add(Strays.stopped(Long.parseLong(pidName[0]), pidName.length > 1 && !pidName[1].isBlank()
                    ? pidName[1].strip() : "a process", Strays.LEFT_RUNNING));
        }
        return out;
    }

    @Override
    public List<String> strays() {
        return strays;
    }

    private void lost(String why) {
        agent.abandon(dir);
        giveUp(why.startsWith("agent lost") ? why : "agent lost: " + why);
    }

    /** Ends the attempt without an exit code: the executor, not the task's process, decided it failed. */
    private void giveUp(String why) {
        gaveUp = true;
        end(LOST_EXIT, why);
    }

    private void end(int code, String why) {
        failure = why;
        out.close();
        err.close();
        if (stdin instanceof StdinFeed feed) feed.abandon();
        agent.unregister(this);
        exit.complete(code);
    }

    /** Kills the process group over {@code l} before the connection closes for good (the agent is being removed). */
    void killBeforeClose(AgentLink l) {
        if (exit.isDone()) return;
        killRequested = true;
        killSent = true;
        sendKill(l);
    }

    private void sendKill(AgentLink l) {
        try {
            l.exec(RemoteScripts.killGroup(dir, 20), commandTimeout.plusSeconds(10));
        } catch (IOException e) {
            killSent = false; // the fetcher retries on the next link
            wake();
        }
    }

    private void wake() {
        Thread t = fetcher;
        if (t != null) LockSupport.unpark(t);
    }

    private static String decode(byte[] bytes) throws IOException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
    }

    // ---- RunningTask ----

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return out.input();
    }

    @Override
    public InputStream stderr() {
        return err.input();
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return LOST_EXIT;
        }
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    @Override
    public void kill() {
        if (exit.isDone()) return;
        killRequested = true;
        AgentLink l = agent.currentLink();
        if (l != null && !killSent) {
            killSent = true;
            blocking("ssh-kill-" + label()).start(() -> sendKill(l));
        }
        wake();
    }

    @Override
    public String outputText() {
        return outputText;
    }

    @Override
    public CollectedArtifacts collectArtifacts(List<String> globs, Path zip, BooleanSupplier stopped) throws IOException {
        // the task's new and changed files came back into the run workspace when it ended: zip them from there,
        // exactly as the local executor does
        return ArtifactZip.collect(launch.workspace(), globs, zip, stopped);
    }

    @Override
    public String failureReason() {
        return failure;
    }

    @Override
    public boolean gaveUp() {
        return gaveUp;
    }

    @Override
    public void onNote(Consumer<String> note) {
        this.note = note;
    }

    @Override
    public void release() {
        agent.unregister(this);
        AgentLink l = agent.currentLink();
        if (l == null || !exit.isDone()) return;
        blocking("ssh-release-" + label()).start(() -> { // nobody needs to wait for the cleanup
            try {
                l.exec("rm -rf " + Shell.quote(dir), commandTimeout);
            } catch (IOException e) {
                LOG.debug("{}: cannot remove {}: {}", label(), dir, e.getMessage());
            }
        });
    }
}
