package io.stoker.dsl.isolate;

import java.util.ArrayList;
import java.util.List;

/**
 * Kernel resource limits on a worker JVM, set with {@code prlimit} (util-linux) so they hold whatever the JVM or the
 * Jobfile does: CPU seconds (the kernel kills the process at the limit, a bound that holds even if the server that
 * would enforce the wall-clock kill is gone), file size 0 (the worker can write no byte to any file, whether or not a
 * read-only mount is available) and no core dumps. Where {@code prlimit} is missing, only the JVM's own limits apply.
 *
 * @param cpuSeconds CPU time of the whole JVM (all threads, warm-up included)
 * @param prlimit    the prlimit executable, or null when there is none
 */
public record ProcessLimits(int cpuSeconds, String prlimit) {

    /** No kernel limits. */
    public static final ProcessLimits NONE = new ProcessLimits(0, null);

    /** Exit codes of a JVM the kernel stopped at its CPU limit: SIGXCPU (soft) or SIGKILL (hard), as 128 + signal. */
    static final List<Integer> CPU_EXIT_CODES = List.of(128 + 24, 128 + 9);

    /** {@code cpuSeconds} of CPU, no file writes, no core dumps; none if prlimit is not installed. */
    public static ProcessLimits of(int cpuSeconds) {
        return new ProcessLimits(cpuSeconds, Sandbox.executable("prlimit"));
    }

    /** Whether the kernel enforces these limits on this machine. */
    public boolean enforced() {
        return prlimit != null && cpuSeconds > 0;
    }

    List<String> wrap(List<String> command) {
        if (!enforced()) return command;
        var all = new ArrayList<String>(List.of(prlimit, "--cpu=" + cpuSeconds + ":" + (cpuSeconds + 1), "--fsize=0",
                "--core=0", "--"));
        all.addAll(command);
        return all;
    }
}
