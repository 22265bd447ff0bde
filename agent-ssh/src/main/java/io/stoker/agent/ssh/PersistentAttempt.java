package io.stoker.agent.ssh;

import io.stoker.engine.exec.CollectedArtifacts;
import io.stoker.agent.client.AgentClient;
import io.stoker.agent.client.LinkOutage;
import io.stoker.agent.client.RemoteTask;
import io.stoker.agent.protocol.Frame;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;
import io.stoker.engine.exec.local.ArtifactZip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One task attempt run by the agent program (persistent mode). Starting it sends the workspace changes over SFTP
 * and one start frame; output, stdin, cancel and the exit travel as frames on the program's channel. When the
 * connection drops, the agent re-attaches and the streams resume where they were; only an agent unreachable past the
 * lost timeout ends the attempt as "agent lost". The program reports what the task changed in the workspace, so only
 * those files come back, over SFTP.
 */
final class PersistentAttempt implements RunningTask {
    private static final Logger LOG = LoggerFactory.getLogger(PersistentAttempt.class);

    private final SshAgent agent;
    private final TaskLaunch launch;
    private final String workspace;
    private final RemoteTask task;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile boolean killed;
    private volatile String failure;
    private volatile boolean gaveUp;
    private volatile Consumer<String> note = text -> { };
    private volatile String outputText = "";
    private volatile List<String> strays = List.of();

    private PersistentAttempt(SshAgent agent, TaskLaunch launch, String workspace, RemoteTask task) {
        this.agent = agent;
        this.launch = launch;
        this.workspace = workspace;
        this.task = task;
    }

    static PersistentAttempt start(SshAgent agent, TaskLaunch launch, AgentLink link) throws IOException {
        Duration timeout = agent.settings().connectTimeout();
        String ws = RemotePaths.workspace(link.workDir(), launch.runKey());
        WorkspaceMirror mirror = agent.mirror(launch.runKey());
        mirror.makeWorkspace(link.sftp(), ws);
        mirror.upload(link, launch.workspace(), ws, timeout);
        Map<String, String> env = new LinkedHashMap<>(launch.env());
        env.put("STOKER_WORKSPACE", ws);
        String id = launch.runKey() + "/" + launch.task() + "#" + launch.attempt() + "/" + UUID.randomUUID();
        RemoteTask task = agent.program().start(new Frame.Start(id, launch.scripts(), env, launch.secretNames(), ws,
                launch.pipedStdin(), AgentClient.WINDOW, true, launch.container(), launch.registryLogin()));
        PersistentAttempt a = new PersistentAttempt(agent, launch, ws, task);
        a.follow(link);
        return a;
    }

    String label() {
        return launch.runKey() + "/" + launch.task();
    }

    /** Waits for the exit, re-attaching across dropped connections, on a thread of its own. */
    private void follow(AgentLink first) {
        Thread.ofPlatform().daemon().name("agent-task-" + label()).start(() -> {
            AgentLink link = first;
            while (true) {
                AgentClient.Connection c = agent.program().connection();
                if (c != null) CompletableFuture.anyOf(c.ended(), task.exit()).join();
                if (task.exit().isDone()) break;
                try {
                    agent.linkFailed(link);
                    LinkOutage outage = LinkOutage.begin("agent " + agent.endpoint().name(),
                            agent.settings().lostTimeout(), note, task);
                    link = agent.awaitLink(); // connecting re-attaches the program's tasks
                    if (link.program() == null) {
                        task.fail(RemoteAttempt.LOST_EXIT, "agent lost: the agent program no longer runs on "
                                + agent.endpoint().name() + " (" + agent.modeReason() + ")");
                    } else if (!task.exit().isDone()) { // not failed by the re-attach (a restarted program)
                        outage.reattached(task);
                    }
                } catch (AgentUnreachable gone) {
                    task.fail(RemoteAttempt.LOST_EXIT, gone.getMessage().startsWith("agent lost") ? gone.getMessage()
                            : "agent lost: " + gone.getMessage());
                }
            }
            finish(task.exit().join());
        });
    }

    private void finish(Frame.Exit e) {
        String why = e.error() == null ? agent.removedReason() : e.error();
        outputText = e.output() == null ? "" : e.output();
        strays = e.strays();
        if (why == null && !killed && e.changes() != null && !e.changes().isEmpty()) {
            why = bringBack(e);
        }
        failure = why;
        if (why != null && why.startsWith("agent lost")) task.release();
        // given up (agent lost; the agent removed, whose kill gave the code), or exited 0 but its files did not come
        // back: no exit code to report
        boolean removed = e.error() == null && why != null && why.equals(agent.removedReason());
        gaveUp = task.gaveUp() || removed || why != null && e.code() == 0;
        exit.complete(gaveUp ? RemoteAttempt.LOST_EXIT : e.code());
    }

    /** Copies what the task changed into the server's workspace; returns why it could not, else null. */
    private String bringBack(Frame.Exit e) {
        IOException last = null;
        for (int tries = 1; tries <= 3; tries++) {
            try {
                AgentLink l = agent.awaitLink();
                agent.mirror(launch.runKey()).download(l, workspace, launch.workspace(), e.changes());
                return null;
            } catch (IOException ex) {
                last = ex;
                LOG.debug("{}: bringing files back failed ({}), try {}", label(), ex.getMessage(), tries);
            }
        }
        return "cannot bring the workspace files back from agent " + agent.endpoint().name() + ": " + last.getMessage();
    }

    // ---- RunningTask ----

    @Override
    public OutputStream stdin() {
        OutputStream in = task.stdin();
        return in != null ? in : OutputStream.nullOutputStream();
    }

    @Override
    public InputStream stdout() {
        return task.stdout();
    }

    @Override
    public InputStream stderr() {
        return task.stderr();
    }

    @Override
    public int waitFor() {
        return exit.join();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    @Override
    public void kill() {
        killed = true;
        task.cancel();
    }

    @Override
    public String outputText() {
        return outputText;
    }

    @Override
    public CollectedArtifacts collectArtifacts(List<String> globs, Path zip, BooleanSupplier stopped) throws IOException {
        return ArtifactZip.collect(launch.workspace(), globs, zip, stopped);
    }

    @Override
    public List<String> strays() {
        return strays;
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
        if (exit.isDone()) task.release();
    }
}
