package io.stoker.agent.pull;

import io.stoker.engine.exec.CollectedArtifacts;
import io.stoker.agent.client.AgentClient;
import io.stoker.agent.client.RemoteTask;
import io.stoker.agent.protocol.Frame;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;
import io.stoker.engine.exec.local.ArtifactZip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One task attempt on a pull agent: the run's workspace goes up as a tar stream, then one start frame; output,
 * stdin, cancel and the exit travel as frames over whichever connection the agent holds at the moment; afterwards
 * the files the task changed come back. Only an agent away past the lost timeout ends it as "agent lost".
 */
final class PullAttempt implements RunningTask {
    private final PullAgent agent;
    private final TaskLaunch launch;
    private final RemoteTask task;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile boolean killed;
    private volatile String failure;
    private volatile boolean gaveUp;
    private volatile String outputText = "";
    private volatile Consumer<String> note = text -> { };

    private PullAttempt(PullAgent agent, TaskLaunch launch, RemoteTask task) {
        this.agent = agent;
        this.launch = launch;
        this.task = task;
    }

    static PullAttempt start(PullAgent agent, TaskLaunch launch) throws IOException {
        TarMirror mirror = agent.mirror(launch.runKey());
        try {
            mirror.upload(launch.workspace());
        } catch (IOException e) {
            throw new IOException("cannot send the workspace to pull agent " + agent.identity().name() + ": "
                    + e.getMessage(), e);
        }
        Map<String, String> env = new LinkedHashMap<>(launch.env());
        env.put("STOKER_WORKSPACE", mirror.remote());
        String id = launch.runKey() + "/" + launch.task() + "#" + launch.attempt() + "/" + UUID.randomUUID();
        RemoteTask task = agent.start(new Frame.Start(id, launch.scripts(), env, launch.secretNames(),
                mirror.remote(), launch.pipedStdin(), AgentClient.WINDOW, true, launch.container(), launch.registryLogin()));
        PullAttempt a = new PullAttempt(agent, launch, task);
        Thread.ofPlatform().daemon().name("pull-task-" + launch.runKey() + "/" + launch.task())
                .start(() -> a.finish(agent.await(task, text -> a.note.accept(text))));
        return a;
    }

    private void finish(Frame.Exit e) {
        String why = e.error();
        outputText = e.output() == null ? "" : e.output();
        if (why == null && !killed && e.changes() != null && !e.changes().isEmpty()) {
            try {
                agent.mirror(launch.runKey()).download(launch.workspace(), e.changes());
            } catch (IOException ex) {
                why = "cannot bring the workspace files back from pull agent " + agent.identity().name() + ": "
                        + ex.getMessage();
            }
        }
        if (why == null && !task.stdinDelivered() && e.code() == 0 && launch.pipedStdin()) {
            why = "the task's input was cut short";
        }
        failure = why;
        // given up (agent lost), or exited 0 but its files or input did not make it: no exit code to report
        gaveUp = task.gaveUp() || why != null && e.code() == 0;
        exit.complete(gaveUp ? PullAgent.LOST_EXIT : e.code());
    }

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
