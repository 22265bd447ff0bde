package io.stoker.bench;

import io.stoker.agent.ssh.AgentStatus;
import io.stoker.agent.ssh.HostKeyCheck;
import io.stoker.agent.ssh.SshAgent;
import io.stoker.agent.ssh.fixtures.OpenSshServer;
import io.stoker.agent.ssh.fixtures.TestKeys;
import io.stoker.engine.exec.Executor;
import io.stoker.engine.run.RunRecord;
import io.stoker.model.Job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * SSH agents: per-task overhead of no-op tasks run by the engine on an agent served by Debian's OpenSSH (the test
 * fixture: {@code /usr/sbin/sshd} on 127.0.0.1), in persistent mode (the agent program) and in shell mode, against
 * {@code ssh -i key -p PORT 127.0.0.1 true} with the same key,
 * and the throughput of a pipe whose writer runs on one agent and whose reader runs on another, against
 * {@code ssh A writer | ssh B 'wc -c'}.
 */
final class AgentBench {
    private final Settings settings;

    AgentBench(Settings settings) {
        this.settings = settings;
    }

    List<Table> measure(Path dir) throws Exception {
        if (!OpenSshServer.available()) {
            return List.of(new Table("SSH agents: skipped", "section").note("no " + OpenSshServer.SSHD
                    + " here (apt-get install openssh-server)"));
        }
        TestKeys client = TestKeys.generate();
        try (OpenSshServer sshdA = OpenSshServer.start(dir.resolve("sshd-a"), client, TestKeys.generate());
             OpenSshServer sshdB = OpenSshServer.start(dir.resolve("sshd-b"), client, TestKeys.generate());
             SshAgent a = agent(sshdA, "a", dir, null);
             SshAgent shell = agent(sshdA, "a-shell", dir, "none");
             SshAgent b = agent(sshdB, "b", dir, null)) {
            return List.of(overhead(dir, sshdA, a, shell), pipe(dir, sshdA, sshdB, a, b));
        }
    }

    /** An online agent; {@code java} {@code none} for shell mode, null for the agent program. */
    private static SshAgent agent(OpenSshServer sshd, String name, Path dir, String java) throws InterruptedException {
        SshAgent agent = new SshAgent(sshd.endpoint(name, new HostKeyCheck.Pinned(sshd.hostKeyFingerprint()),
                dir.resolve("work-" + name)), SshAgent.Settings.DEFAULTS.withJava(java), null);
        agent.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (agent.status() != AgentStatus.ONLINE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("agent " + name + " did not come online: " + agent.statusReason());
            }
            Thread.sleep(10);
        }
        return agent;
    }

    private Table overhead(Path dir, OpenSshServer sshd, SshAgent agent, SshAgent shellAgent) throws Exception {
        if (agent.mode() != io.stoker.agent.ssh.AgentMode.PERSISTENT) {
            throw new IllegalStateException("agent a is in shell mode: " + agent.modeReason());
        }
        int n = settings.agentTasks();
        StringBuilder jobfile = new StringBuilder("jobs:\n  noop:\n    tasks:\n");
        for (int i = 1; i <= n; i++) jobfile.append("      t").append(i).append(": {sh: 'true'}\n");
        Job job = LocalEngine.job(jobfile.toString());
        List<String> ssh = ssh(sshd, dir);
        ssh.add("true");
        Table table = new Table("SSH agent per-task overhead: " + n + " tasks running `true` on an OpenSSH agent (median of "
                + settings.rounds() + " rounds after " + settings.warmups() + " warm-up)",
                "parallel", "persistent ms/task", "shell ms/task", "ssh ms/task", "persistent/ssh", "shell/ssh");
        try (LocalEngine engine = new LocalEngine(Files.createDirectories(dir.resolve("engine-overhead")),
                agent.executor());
             LocalEngine shellEngine = new LocalEngine(Files.createDirectories(dir.resolve("engine-overhead-shell")),
                     shellAgent.executor())) {
            for (int parallel : new int[]{1, 4}) {
                List<Long> agentNanos = new ArrayList<>();
                List<Long> shellNanos = new ArrayList<>();
                List<Long> sshNanos = new ArrayList<>();
                for (int round = 0; round < settings.warmups() + settings.rounds(); round++) {
                    long t0 = System.nanoTime();
                    engine.run(job, parallel);
                    long t1 = System.nanoTime();
                    shellEngine.run(job, parallel);
                    long t2 = System.nanoTime();
                    spawn(ssh, n, parallel, dir);
                    long t3 = System.nanoTime();
                    engine.clearRuns();
                    shellEngine.clearRuns();
                    if (round < settings.warmups()) continue;
                    agentNanos.add(t1 - t0);
                    shellNanos.add(t2 - t1);
                    sshNanos.add(t3 - t2);
                }
                double agentMs = Samples.ms(Samples.of(agentNanos).median()) / n;
                double shellMs = Samples.ms(Samples.of(shellNanos).median()) / n;
                double sshMs = Samples.ms(Samples.of(sshNanos).median()) / n;
                table.row(parallel, Table.fmt(agentMs), Table.fmt(shellMs), Table.fmt(sshMs),
                        String.format("%.2f", agentMs / sshMs), String.format("%.2f", shellMs / sshMs));
            }
        }
        return table.note("persistent = RunEngine.run() with SshAgent.executor() running the agent program (one"
                        + " connection, one exec channel carrying frames; per task: a start frame, output and exit frames)")
                .note("shell = the same in shell mode (per task: SFTP upload of env and scripts, one exec starting the"
                        + " detached wrapper, output polled over SFTP, one exec listing the workspace afterwards)")
                .note("ssh = `ssh -i KEY -p PORT -o BatchMode=yes"
                        + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile=KNOWN " + sshd.user() + "@" + sshd.host()
                        + " true` started n times on `parallel` threads (a new connection each)");
    }

    private Table pipe(Path dir, OpenSshServer sshdA, OpenSshServer sshdB, SshAgent a, SshAgent b) throws Exception {
        int mib = settings.agentMiB();
        long bytes = (long) mib << 20;
        String writer = "head -c " + mib + "M /dev/zero";
        Job job = LocalEngine.job("jobs:\n  pipe:\n    tasks:\n      A: {sh: '" + writer + "'}\n"
                + "      B: {input: A, sh: 'wc -c'}\n");
        // a test-local routing: A on agent a, B on agent b (the server routes by label expressions)
        Executor routing = launch -> (launch.task().equals("A") ? a : b).executor().start(launch);
        String shell = String.join(" ", quoteAll(ssh(sshdA, dir))) + " " + quote(writer) + " | "
                + String.join(" ", quoteAll(ssh(sshdB, dir))) + " 'wc -c'";
        Table table = new Table("Cross-agent pipe: A on agent a | B = `wc -c` on agent b (median of " + settings.rounds()
                + " rounds after " + settings.warmups() + " warm-up)",
                "writer A", "MiB", "agents MB/s", "ssh|ssh MB/s", "agents/ssh");
        List<Long> engineNanos = new ArrayList<>();
        List<Long> shellNanos = new ArrayList<>();
        try (LocalEngine engine = new LocalEngine(Files.createDirectories(dir.resolve("engine-pipe")), routing)) {
            for (int round = 0; round < settings.warmups() + settings.rounds(); round++) {
                long t0 = System.nanoTime();
                RunRecord record = engine.run(job, 2);
                long t1 = System.nanoTime();
                String counted = LocalEngine.lastOutLine(record, "B");
                long t2 = System.nanoTime();
                String shellCounted = run(List.of("bash", "-c", shell), dir);
                long t3 = System.nanoTime();
                engine.clearRuns();
                require("agents", counted, bytes);
                require("ssh|ssh", shellCounted, bytes);
                if (round < settings.warmups()) continue;
                engineNanos.add(t1 - t0);
                shellNanos.add(t3 - t2);
            }
        }
        double engineMBs = bytes / 1e6 / (Samples.of(engineNanos).median() / 1e9);
        double shellMBs = bytes / 1e6 / (Samples.of(shellNanos).median() / 1e9);
        table.row("zeros", mib, Table.fmt(engineMBs), Table.fmt(shellMBs), String.format("%.2f", engineMBs / shellMBs));
        return table.note("agents = RunEngine.run(), parallel 2, both in persistent mode: A's output as frames from"
                        + " agent a, through the engine (and its log), as stdin frames to B on agent b; incl. start and end")
                .note("ssh|ssh = bash -c 'ssh a \"" + writer + "\" | ssh b \"wc -c\"' (same key, two connections). MB = 10^6 bytes.");
    }

    /** {@code ssh} with the fixture's key and a known_hosts file holding exactly that server's key. */
    private static List<String> ssh(OpenSshServer sshd, Path dir) throws IOException {
        Path known = dir.resolve("known_hosts-" + sshd.port());
        Files.writeString(known, "[" + sshd.host() + "]:" + sshd.port() + " " + sshd.hostKeys().publicKeyLine() + "\n");
        return new ArrayList<>(List.of("ssh", "-i", sshd.clientKeyFile().toString(), "-p", Integer.toString(sshd.port()),
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + known, "-o", "LogLevel=ERROR", sshd.user() + "@" + sshd.host()));
    }

    private static void spawn(List<String> command, int n, int parallel, Path dir) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<String>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) all.add(pool.submit(() -> run(command, dir)));
            for (Future<String> f : all) f.get();
        } finally {
            pool.shutdown();
        }
    }

    private static String run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) throw new IOException("`" + String.join(" ", command) + "` exited " + p.exitValue());
        return out;
    }

    private static void require(String who, String counted, long bytes) {
        if (counted == null || !counted.strip().equals(Long.toString(bytes))) {
            throw new IllegalStateException(who + " pipe counted " + counted + " bytes, expected " + bytes);
        }
    }

    private static List<String> quoteAll(List<String> words) {
        return words.stream().map(AgentBench::quote).toList();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
