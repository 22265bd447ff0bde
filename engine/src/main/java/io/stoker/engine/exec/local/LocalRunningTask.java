package io.stoker.engine.exec.local;

import io.stoker.engine.exec.CollectedArtifacts;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.files.FileTrees;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CompletableFuture;

/** A task attempt running as a local process (the leader of its own process group when setsid is used). */
final class LocalRunningTask implements RunningTask {
    /** How many times a stop looks again for processes carrying the attempt's mark (each may have started another). */
    private static final int DETACHED_ROUNDS = 10;

    private final Process process;
    private final boolean ownGroup;
    private final Path dir;
    private final Path output;
    private final Path workspace;
    private final CompletableFuture<Integer> exit;
    private final OutputPipes outputPipes;
    private final List<String> strays = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.Set<Long> noted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Set by {@link #kill()}: the attempt was stopped, not ended on its own. */
    private boolean stopped;
    /** What {@link #outputText()} read, or why it could not; null until it was asked. */
    private String outputRead;
    private IOException outputFailure;

    LocalRunningTask(Process process, boolean ownGroup, Path dir, Path output, Path workspace) {
        this.process = process;
        this.outputPipes = OutputPipes.of(process.pid());
        this.ownGroup = ownGroup;
        this.dir = dir;
        this.output = output;
        this.workspace = workspace;
        this.exit = process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public CompletableFuture<Integer> onExit() {
        return exit;
    }

    /**
     * Stops the attempt: kills its process group, every process it started that still holds its output open, and
     * every process carrying its {@code STOKER_OUTPUT} (one that left the group: a daemon, {@code setsid cmd &}),
     * which would otherwise run on unseen once the attempt's directory is gone, beyond the reach of the next start's
     * sweep.
     */
    @Override
    public synchronized void kill() {
        stopped = true;
        // snapshot descendants first: once the leader dies they are re-parented and no longer found this way
        List<ProcessHandle> descendants = process.descendants().toList();
        if (ownGroup) ProcessGroup.kill(process.pid());
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        stopOutputHolders();
        stopDetached();
    }

    /**
     * Ends what the attempt left running once its process ended on its own: what is left of its process group, with
     * {@code outputHeld} whatever else still holds its output, and then every process still carrying its
     * {@code STOKER_OUTPUT}, wherever it went and whatever it did with the output (Jenkins' ProcessTreeKiller does the
     * same with its build's mark). The last is found in {@code /proc}, not through the pipes, so a task that ended
     * before its output was read (the JDK then drains and closes this process's end) loses them too. A service meant
     * to outlive its task is started without that variable ({@code env -u STOKER_OUTPUT}), as a deployment's is.
     */
    @Override
    public synchronized void stopBackground(boolean outputHeld) {
        if (ownGroup) ProcessGroup.killRemains(process.pid());
        if (outputHeld) {
            // a task that ended before its pipes were read (a script of a few milliseconds on a busy machine): the
            // pipes this process reads, looked up before destroyForcibly closes its ends of the task's
            OutputPipes pipes = outputPipes.known() ? outputPipes : OutputPipes.ofThisProcess();
            process.descendants().forEach(ProcessHandle::destroyForcibly); // without a group of its own: what is found
            process.destroyForcibly();
            stopOutputHolders(pipes);
        }
        if (stopped) stopDetached();
        else endDetached();
    }

    private void stopOutputHolders() {
        stopOutputHolders(outputPipes);
    }

    /** Without the task's own pipes, only this attempt's processes (found by its mark) are looked at. */
    private void stopOutputHolders(OutputPipes pipes) {
        List<ProcessHandle> holders = pipes == outputPipes ? pipes.holders()
                : pipes.holdersAmong(LeftoverProcesses.carrying(output));
        for (ProcessHandle stray : holders) {
            if (!leftGroup(stray)) {
                stray.destroyForcibly(); // one of the group, killed above and not yet gone (or gone): not a stray
                continue;
            }
            String what = name(stray);
            if (stray.destroyForcibly()) {
                note(stray, what, "it had left the task's process group and still held its output open; start a process meant"
                        + " to outlive its task with env -u STOKER_OUTPUT and its output sent to a file (> file 2>&1)");
            }
        }
    }

    /** Kills the processes of this attempt found by its mark, in rounds: one may start another meanwhile. */
    private void stopDetached() {
        for (int round = 0; round < DETACHED_ROUNDS; round++) {
            List<ProcessHandle> found = LeftoverProcesses.carrying(output);
            if (found.isEmpty()) return;
            for (ProcessHandle p : found) {
                boolean left = leftGroup(p); // asked first: once it is gone, its group and name cannot be read
                String what = name(p);
                if (p.destroyForcibly() && left) note(p, what, "it had left the task's process group");
            }
        }
    }

    /**
     * Stops the processes of this attempt found by its mark once it ended on its own, in rounds (one may start
     * another as it goes): SIGTERM, then SIGKILL after {@link GracefulStop#GRACE}.
     */
    private void endDetached() {
        for (int round = 0; round < DETACHED_ROUNDS; round++) {
            List<ProcessHandle> found = LeftoverProcesses.carrying(output, process.pid());
            if (found.isEmpty()) return;
            java.util.Map<Long, String> left = new java.util.HashMap<>();
            for (ProcessHandle p : found) if (leftGroup(p)) left.put(p.pid(), name(p)); // read before it goes
            for (ProcessHandle p : GracefulStop.stop(found, GracefulStop.GRACE)) {
                String what = left.get(p.pid());
                if (what != null) note(p, what, io.stoker.engine.exec.Strays.LEFT_RUNNING);
            }
        }
    }

    /**
     * Whether {@code p} is known to be outside the task's group: a process whose group can no longer be read ended
     * meanwhile (the task's own shell, found by its mark as the kill took it) and left nothing.
     */
    private boolean leftGroup(ProcessHandle p) {
        if (p.pid() == process.pid()) return false;
        // a process on its way out is no service left running: a kill of an earlier attempt of the same mark may
        // still be taking a forked child down (one that was "bash" between its fork and its exec)
        var stat = ProcStat.read(p.pid());
        if (stat.isEmpty() || stat.get().ended()) return false;
        long group = stat.get().group();
        return group > 0 && !(ownGroup && group == process.pid());
    }

    private static String name(ProcessHandle p) {
        return p.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("a process");
    }

    private void note(ProcessHandle stray, String what, String why) {
        if (!noted.add(stray.pid())) return; // found again while it went down
        strays.add(io.stoker.engine.exec.Strays.stopped(stray.pid(), what, why));
    }

    @Override
    public List<String> strays() {
        return List.copyOf(strays);
    }

    /** Read once: the first read takes the file out of the attempt's directory (see {@link TakenOutputFile}). */
    @Override
    public synchronized String outputText() throws IOException {
        if (outputRead == null) {
            try {
                outputRead = TakenOutputFile.take(output);
            } catch (IOException e) {
                outputFailure = e;
                outputRead = "";
            }
        }
        if (outputFailure != null) throw outputFailure;
        return outputRead;
    }

    @Override
    public CollectedArtifacts collectArtifacts(List<String> globs, Path zip, BooleanSupplier stopped) throws IOException {
        return ArtifactZip.collect(workspace, globs, zip, stopped);
    }

    @Override
    public void release() {
        FileTrees.deleteQuietly(dir); // scratch files: a leftover never affects a run
        FileTrees.deleteQuietly(TakenOutputFile.takenPath(output));
        // the task's directory once its last attempt is released, then the run's once its last task is
        Path task = dir.getParent();
        if (deleteIfEmpty(task)) deleteIfEmpty(task.getParent());
    }

    private static boolean deleteIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            return false; // not empty (another attempt's files): that attempt's release removes it
        }
    }
}
