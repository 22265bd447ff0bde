package io.stoker.agent.ssh

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The agent program's daemons a feature started under its temp dir. In persistent mode each agent's program runs as a
 * daemon (its own session, alive ~90 s after its last connection) that works under the feature's temp dir: it removes
 * a released task's scratch files there, at its own pace. Were it still doing so while Spock deletes the temp dir, a
 * file vanishing under Spock's walk fails the cleanup (seen in full runs, in two specs). So a feature's cleanup closes
 * its agents (which tells the daemon to quit) and then waits for these here, stopping one that lingers.
 */
final class AgentDaemons {
    private AgentDaemons() {
    }

    /** Waits up to 3 s for the daemons under {@code dir} to leave, then stops the rest by PID. */
    static void stopUnder(Path dir) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3)
        under(dir).each { ProcessHandle p ->
            try {
                p.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
            } catch (java.util.concurrent.TimeoutException ignored) {
                p.destroy() // the feature is over: nothing of it runs on
                try {
                    p.onExit().get(10, TimeUnit.SECONDS)
                } catch (java.util.concurrent.TimeoutException stillThere) {
                    p.destroyForcibly()
                    p.onExit().get(10, TimeUnit.SECONDS)
                }
            }
        }
    }

    /**
     * Waits up to 5 s for the processes working in a directory under {@code dir}, or naming it in their command line,
     * to end, then kills the rest: a remote task (shell mode runs it on the test's own machine, in the feature's temp
     * dir) whose run has ended may still finish on its own — a reader whose feed was cut writing its last output —
     * and an agent's clean-up of an attempt ({@code rm -rf <dir>/…}, started over SSH from the agent's own directory)
     * may still be deleting, while Spock deletes the temp dir: a file appearing or vanishing under its walk fails the
     * cleanup (each seen once in a full run).
     */
    static void stopTasksUnder(Path dir) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5)
        def roots = [dir.toAbsolutePath().toString(), dir.toRealPath().toString()].unique()
        Closure<List<ProcessHandle>> working = {
            Files.list(Path.of('/proc')).withCloseable { procs ->
                procs.filter { it.fileName.toString().isNumber() && (it.fileName.toString() as long) != ProcessHandle.current().pid() }
                        .toList().findAll { p ->
                    try {
                        String cwd = Files.readSymbolicLink(p.resolve('cwd')).toString()
                        String command = new String(Files.readAllBytes(p.resolve('cmdline')), 'UTF-8').replace('\u0000' as char, ' ' as char)
                        roots.any { cwd == it || cwd.startsWith(it + '/') || command.contains(it + '/') || command.contains(it + ' ') }
                    } catch (IOException | UnsupportedOperationException ignored) {
                        false
                    }
                }.collect { ProcessHandle.of(it.fileName.toString() as long) }.findAll { it.present }*.get()
            }
        }
        List<ProcessHandle> left = working()
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50)
            left = working()
        }
        left.each { it.destroyForcibly() }
        left.each { it.onExit().get(10, TimeUnit.SECONDS) }
    }

    /** The agent program's daemons whose directory is under {@code dir}. */
    static List<ProcessHandle> under(Path dir) {
        def roots = [dir.toAbsolutePath().toString(), dir.toRealPath().toString()].unique()
        def pids = Files.list(Path.of('/proc')).withCloseable { procs ->
            procs.filter { it.fileName.toString().isNumber() }.toList().findAll { p ->
                try {
                    def args = new String(Files.readAllBytes(p.resolve('cmdline')), StandardCharsets.UTF_8)
                            .split(String.valueOf((char) 0)) as List
                    int i = args.indexOf('--dir')
                    args.contains('io.stoker.agent.program.AgentMain') && args.contains('daemon') && i >= 0
                            && i + 1 < args.size() && roots.any { args[i + 1].startsWith(it + '/') }
                } catch (IOException ignored) {
                    false
                }
            }.collect { it.fileName.toString() as long }
        }
        pids.collect { ProcessHandle.of(it as long) }.findAll { it.present }*.get()
    }
}
