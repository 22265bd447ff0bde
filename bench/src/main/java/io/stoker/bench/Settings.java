package io.stoker.bench;

/**
 * How much work each section does; {@link #fullPass()} and {@link #quickPass()} hold the defaults in one place.
 *
 * @param tasks          no-op tasks per overhead round
 * @param rounds         measured rounds of the overhead and pipe sections
 * @param warmups        unmeasured rounds before them
 * @param zeroMiB        MiB of {@code /dev/zero} through the binary pipe
 * @param lineMiB        MiB of 41-byte lines through the line pipe
 * @param coldRuns       fresh JVMs started per Jobfile for the cold compile
 * @param warmCompiles   measured in-process compiles per Jobfile (as many again to warm up)
 * @param cachedCompiles measured cache hits per Jobfile
 * @param isolatedRuns   isolated compiles per Jobfile, both with the pool ready and back to back
 * @param latencyRuns    no-op runs triggered one after another against the server (after 3 warm-up runs)
 * @param queuedRuns     no-op runs queued at once against the server
 * @param logLines       lines the server's log-follow job writes ({@code seq 1 N})
 * @param settleSeconds  wait before reading the server's idle resident size
 * @param agentTasks     no-op tasks per round on the SSH agent (and {@code ssh host true} calls to compare)
 * @param agentMiB       MiB through the cross-agent pipe
 * @param gitFiles       files in the generated repository of the git-workspace section
 */
record Settings(boolean quick, int tasks, int rounds, int warmups, int zeroMiB, int lineMiB, int coldRuns,
                int warmCompiles, int cachedCompiles, int isolatedRuns, int latencyRuns, int queuedRuns,
                int logLines, int settleSeconds, int agentTasks, int agentMiB, int gitFiles) {

    static Settings fullPass() {
        return new Settings(false, 200, 5, 1, 512, 256, 7, 300, 20_000, 7, 50, 1000, 200_000, 15, 30, 64, 50_000);
    }

    static Settings quickPass() {
        return new Settings(true, 30, 2, 1, 32, 16, 2, 20, 2_000, 1, 15, 200, 50_000, 3, 8, 8, 50_000);
    }
}
