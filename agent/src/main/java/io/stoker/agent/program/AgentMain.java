package io.stoker.agent.program;

import io.stoker.agent.protocol.FrameCodec;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The agent program. Three ways to run it, all speaking the agent protocol:
 * <ul>
 *   <li>{@code serve --dir D}: over its own stdin/stdout, until stdin ends (its tasks are killed then);</li>
 *   <li>{@code daemon --dir D --id V}: on a Unix socket under D, keeping its tasks across connections, until it has
 *   had no task and no connection for {@code --idle} seconds;</li>
 *   <li>{@code connect --dir D --id V}: relays its stdin/stdout to that daemon, starting it when none runs. This is
 *   what the server runs over SSH: when the SSH connection drops only the relay ends, and the next one re-attaches
 *   to the same daemon and its tasks.</li>
 * </ul>
 * {@code D} holds the tasks' scratch files ({@code D/scratch/<PID>}, one directory per agent process: the processes
 * that the tasks of one that is gone left running are stopped by the next one, see {@link ProcessScratch}); {@code V} names the program's version, so a new
 * version starts its own daemon beside an old one that is still finishing tasks.
 */
public final class AgentMain {
    private static final String SOFTWARE = "stoker-agent";

    private AgentMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        String mode = args.length == 0 ? "" : args[0];
        // the protocol owns stdout: anything else printed goes to stderr
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        InputStream stdin = new FileInputStream(FileDescriptor.in);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        Path dir = Path.of(opts.getOrDefault("dir", ".")).toAbsolutePath();
        String id = opts.getOrDefault("id", "dev");
        switch (mode) {
            case "serve" -> {
                AgentHost host = host(dir, id);
                try {
                    host.serve(new FrameCodec(stdin, stdout));
                } finally {
                    host.killAll();
                }
                System.exit(0);
            }
            case "daemon" -> daemon(dir, id, Long.parseLong(opts.getOrDefault("idle", "600")));
            case "connect" -> System.exit(connect(dir, id, stdin, stdout, opts.getOrDefault("idle", "600")));
            default -> {
                System.err.println("usage: stoker-agent serve|daemon|connect --dir DIR [--id VERSION] [--idle SECONDS]");
                System.exit(2);
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("not an option: " + args[i]);
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    private static AgentHost host(Path dir, String id) throws IOException {
        return host(dir, id, AgentHost.DEFAULT_OWNER);
    }

    private static AgentHost host(Path dir, String id, String owner) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> env = new java.util.LinkedHashMap<>(System.getenv());
        env.remove("STOKER_AGENT_DIR");
        ProcessScratch scratch = ProcessScratch.claim(dir.resolve("scratch"));
        if (scratch.stopped() > 0) {
            System.err.println("stoker-agent: stopped " + scratch.stopped() + (scratch.stopped() == 1 ? " process" : " processes") + " the tasks of an agent "
                    + "program that is gone left running");
        }
        return new AgentHost(scratch.dir(), env, SOFTWARE + " " + id, owner);
    }

    /** The label a daemon's task containers carry: its directory's and its own, so that one found dead is told apart. */
    static String containerOwner(Path dir, long pid) {
        return "stoker-agent-" + shortHash(dir.toString()) + "-" + pid;
    }

    /**
     * The daemons of {@code dir} (of any version) found gone, by the PID files beside their sockets: the containers
     * each left (its tasks' containers outlive a kill -9) are removed and its PID file with them. A daemon still
     * alive keeps its own. Called by a daemon at its start, before it writes its own PID file; returns how many
     * containers were removed.
     */
    static int reapDeadDaemons(Path dir, Path socket, AgentHost host) throws IOException {
        int removed = 0;
        long me = ProcessHandle.current().pid();
        try (var files = Files.list(socket.getParent())) {
            for (Path pidFile : files.filter(f -> f.getFileName().toString().endsWith(".sock.pid")).toList()) {
                long pid;
                try {
                    pid = Long.parseLong(Files.readString(pidFile).strip());
                } catch (NumberFormatException | IOException e) {
                    continue;
                }
                if (pid == me || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                removed += host.reapLeftoversOf(containerOwner(dir, pid));
                Files.deleteIfExists(pidFile);
            }
        }
        return removed;
    }

    /** Serves connections on the daemon socket, one after another, until idle. */
    static void daemon(Path dir, String id, long idleSeconds) throws IOException, InterruptedException {
        Path socket = socketPath(dir, id);
        Files.createDirectories(socket.getParent(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        if (!Files.getOwner(socket.getParent()).getName().equals(System.getProperty("user.name"))
                || !Files.getPosixFilePermissions(socket.getParent()).equals(PosixFilePermissions.fromString("rwx------"))) {
            throw new IOException(socket.getParent() + " must be a directory of this user's only (mode 0700)");
        }
        try (FileChannel lockFile = FileChannel.open(socket.resolveSibling(socket.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lockFile.tryLock()) {
            if (lock == null) return; // another daemon of this version runs: the relay connects to it
            Files.deleteIfExists(socket); // left by a daemon that died
            AgentHost host = host(dir, id, containerOwner(dir, ProcessHandle.current().pid()));
            try {
                int reaped = reapDeadDaemons(dir, socket, host);
                if (reaped > 0) System.err.println("stoker-agent: removed " + io.stoker.model.Plural.of(reaped, "container")
                        + " a dead daemon left");
            } catch (IOException e) {
                System.err.println("stoker-agent: cannot remove what a dead daemon left: " + e.getMessage());
            }
            Files.writeString(pidFile(socket), Long.toString(ProcessHandle.current().pid()));
            long started = System.nanoTime();
            java.util.concurrent.atomic.AtomicBoolean connected = new java.util.concurrent.atomic.AtomicBoolean();
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                Thread.ofPlatform().daemon().name("idle-watch").start(() -> {
                    while (!mayStop(host, idleSeconds * 1000, connected.get(), started)) {
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    try {
                        Files.deleteIfExists(socket);
                    } catch (IOException ignored) {
                        // exiting anyway
                    }
                    System.exit(0);
                });
                while (true) {
                    SocketChannel ch = server.accept();
                    host.accepted();
                    connected.set(true);
                    Thread.ofPlatform().daemon().name("connection").start(() -> {
                        try {
                            host.serveAccepted(new FrameCodec(SocketStreams.in(ch), SocketStreams.out(ch)));
                        } catch (IOException e) {
                            System.err.println("connection ended: " + e.getMessage());
                        }
                    });
                }
            }
        }
    }

    /** How long a relay waits for the daemon it started to listen. */
    static final long CONNECT_WAIT_MILLIS = 15_000;

    /**
     * Whether a daemon may stop: its host is idle ({@link AgentHost#idleFor}, asked every time: it also forgets the
     * tasks of owners away that long) and, until its first connection, it has waited at least as long as the relay
     * that started it waits for it — on a loaded machine that relay may connect well after an idle time of 1 s.
     */
    static boolean mayStop(AgentHost host, long idleMillis, boolean connected, long startedNanos) {
        boolean idle = host.idleFor(idleMillis);
        return idle && (connected || System.nanoTime() - startedNanos >= Math.max(idleMillis, CONNECT_WAIT_MILLIS) * 1_000_000);
    }

    /** Relays stdin/stdout to the daemon, starting it first when none listens; returns the exit status. */
    static int connect(Path dir, String id, InputStream stdin, OutputStream stdout, String idle)
            throws IOException, InterruptedException {
        Path socket = socketPath(dir, id);
        SocketChannel ch = tryConnect(socket);
        if (ch == null) {
            startDaemon(dir, id, idle);
            for (long i = 0; i < CONNECT_WAIT_MILLIS / 50 && ch == null; i++) { // a cold JVM on a loaded machine
                Thread.sleep(50);
                ch = tryConnect(socket);
            }
            if (ch == null) {
                System.err.println("stoker-agent: the daemon did not start; see " + dir.resolve("daemon.log"));
                return 1;
            }
        }
        SocketChannel c = ch;
        Thread up = Thread.ofPlatform().daemon().name("up").start(() -> {
            try {
                stdin.transferTo(SocketStreams.out(c));
            } catch (IOException e) {
                // the daemon went away: the other direction ends too
            }
            try {
                c.shutdownOutput();
            } catch (IOException e) {
                // closed already
            }
        });
        byte[] buf = new byte[64 * 1024];
        InputStream from = SocketStreams.in(c);
        try {
            for (int n = from.read(buf); n >= 0; n = from.read(buf)) {
                stdout.write(buf, 0, n);
                stdout.flush();
            }
        } catch (IOException e) {
            // either side closed
        }
        up.interrupt();
        return 0;
    }

    private static SocketChannel tryConnect(Path socket) {
        if (!Files.exists(socket)) return null;
        try {
            return SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return null;
        }
    }

    private static void startDaemon(Path dir, String id, String idle) throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        // its own session: signals for the relay's process group (an SSH session ending) never reach it
        for (String s : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(s))) {
                cmd.add(s);
                break;
            }
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xss512k", "-cp", System.getProperty("java.class.path"),
                AgentMain.class.getName(), "daemon", "--dir", dir.toString(), "--id", id, "--idle", idle));
        new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile()))
                .start();
    }

    /**
     * The daemon's socket, in a 0700 directory under the temporary directory named after {@code D} and the user: a
     * Unix socket address holds about 100 bytes, too few for many work directories, and the work directory stays
     * free of files that come and go with the daemon.
     */
    static Path socketPath(Path dir, String id) {
        String owner = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "stoker-agent-" + owner + "-" + shortHash(dir.toString()),
                "agent-" + shortHash(id) + ".sock");
    }

    /** Where a daemon writes its process id, beside its socket. */
    static Path pidFile(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".pid");
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
