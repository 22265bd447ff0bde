package io.stoker.engine.exec.local;

import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.files.FileTrees;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A task attempt running as a local process (the leader of its own process group when setsid is used). */
final class LocalRunningTask implements RunningTask {
    /** At most this much of {@code $STOKER_OUTPUT} is read; the rest is ignored. */

    private final Process process;
    private final boolean ownGroup;
    private final Path dir;
    private final Path output;
    private final Path workspace;
    private final CompletableFuture<Integer> exit;
    private final OutputPipes outputPipes;
    private final List<String> strays = new java.util.concurrent.CopyOnWriteArrayList<>();

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
     * Kills the task's process group and every process it started that still holds its output open: one that left
     * the group (a daemon, {@code setsid cmd &}) would otherwise keep its log and a pipe reader's input open for as
     * long as it lives. A background process whose output goes to a file is left alone (a service it started).
     */
    @Override
    public void kill() {
        // snapshot descendants first: once the leader dies they are re-parented and no longer found this way
        List<ProcessHandle> descendants = process.descendants().toList();
        if (ownGroup) killGroup(process.pid());
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        for (ProcessHandle stray : outputPipes.holders()) {
            if (ownGroup && OutputPipes.processGroup(stray.pid()) == process.pid()) {
                stray.destroyForcibly(); // one of the group, killed above and not yet gone: not a stray
                continue;
            }
            String what = stray.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("a process");
            if (stray.destroyForcibly()) {
                strays.add("stopped PID " + stray.pid() + " (" + what + "), started by this task: it had left the"
                        + " task's process group and still held its output open; send a background process's output"
                        + " to a file (> file 2>&1) to keep it running");
            }
        }
    }

    @Override
    public List<String> strays() {
        return List.copyOf(strays);
    }

    private static void killGroup(long pgid) {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill binary: the ProcessHandle fallback below still reaches the live descendants
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String outputText() throws IOException {
        if (!Files.exists(output)) return "";
        // bounded: outputs are small values for templates, not a channel for data (artifacts are)
        byte[] bytes;
        try (InputStream in = Files.newInputStream(output)) {
            bytes = in.readNBytes(MAX_OUTPUT_BYTES + 1); // one more: OutputFile tells a file over the limit
        }
        // lenient decoding: a task writing bad UTF-8 must not break the run
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    }

    @Override
    public int collectArtifacts(List<String> globs, Path zip) throws IOException {
        return ArtifactZip.collect(workspace, globs, zip);
    }

    @Override
    public void release() {
        FileTrees.deleteQuietly(dir); // scratch files: a leftover never affects a run
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
