package io.stoker.agent.ssh;

import io.stoker.agent.client.AgentClient;
import io.stoker.agent.protocol.FrameCodec;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent program on a host, reached over one long-lived SSH exec channel: the jar is uploaded over SFTP into
 * {@code <work dir>/agent/} when that version is not there yet (older versions are removed), then {@code connect}
 * mode is started, which relays the channel to the host's agent daemon (starting it when none runs). The daemon
 * outlives the channel, so a dropped connection re-attaches to the same tasks.
 *
 * @param channel    the exec channel carrying the frames
 * @param connection the protocol connection on it
 */
record ProgramChannel(ChannelExec channel, AgentClient.Connection connection) {

    /** Uploads the program if needed, starts it and says hello; throws when it does not answer in time. */
    static ProgramChannel open(ClientSession session, SftpClient sftp, String workDir, String java, AgentClient client,
                               Duration idle, Duration timeout) throws IOException {
        OutputStream err = new Tail(8192);
        ChannelExec ch = relay(session, sftp, workDir, java, idle, timeout, err);
        try {
            FrameCodec codec = codec(ch);
            // the first connection may wait for a cold JVM twice (the relay, then the daemon it starts)
            CompletableFuture<AgentClient.Connection> hello = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.attach(codec);
                } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, r -> Thread.ofPlatform().daemon().name("agent-hello").start(r));
            try {
                return new ProgramChannel(ch, hello.get(timeout.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException e) {
                throw new IOException("the agent program did not answer within " + timeout.multipliedBy(3).toSeconds()
                        + " s" + said(err));
            } catch (ExecutionException e) {
                throw new IOException("the agent program did not start: " + e.getCause().getMessage() + said(err),
                        e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the agent program");
            }
        } catch (IOException | RuntimeException e) {
            ch.close(true);
            throw e;
        }
    }

    /**
     * Installs the program when needed and starts its relay to the host's daemon over a new exec channel, open when
     * this returns; what the program writes to stderr goes to {@code err}.
     */
    static ChannelExec relay(ClientSession session, SftpClient sftp, String workDir, String java, Duration idle,
                             Duration timeout, OutputStream err) throws IOException {
        AgentProgramJar jar = AgentProgramJar.current();
        String dir = workDir + "/agent";
        String path = dir + "/" + jar.fileName();
        install(session, sftp, dir, jar, timeout);
        String command = "exec " + Shell.quote(java) + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -cp "
                + Shell.quote(path) + " io.stoker.agent.program.AgentMain connect --dir " + Shell.quote(dir)
                + " --id " + jar.version() + " --idle " + Math.max(60, idle.toSeconds());
        ChannelExec ch = session.createExecChannel(command);
        ch.setErr(err);
        try {
            ch.open().verify(timeout);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close(true);
            throw e;
        }
    }

    /** The protocol's frames over a relay's channel. */
    static FrameCodec codec(ChannelExec relay) {
        return new FrameCodec(relay.getInvertedOut(), relay.getInvertedIn());
    }

    private static String said(OutputStream err) {
        String s = err.toString().trim();
        return s.isEmpty() ? "" : " (it said: " + s + ")";
    }

    private static final java.security.SecureRandom UPLOAD_NAMES = new java.security.SecureRandom();

    /** Uploads the jar when this version is missing, through a temporary name, and removes other versions. */
    private static void install(ClientSession session, SftpClient sftp, String dir, AgentProgramJar jar,
                                Duration timeout) throws IOException {
        String path = dir + "/" + jar.fileName();
        try {
            SftpClient.Attributes a = sftp.stat(path);
            if (a.isRegularFile() && a.getSize() == jar.bytes().length) return;
        } catch (IOException missing) {
            // not there yet
        }
        try {
            sftp.mkdir(dir);
        } catch (IOException exists) {
            // made by an earlier connection
        }
        // a name of this upload's own: the servers of a cluster connect to one agent at once, and two uploads through
        // one temporary name had the second's mv find it already moved
        byte[] unique = new byte[8];
        UPLOAD_NAMES.nextBytes(unique);
        String part = jar.fileName() + "." + java.util.HexFormat.of().formatHex(unique) + ".part";
        try (OutputStream o = sftp.write(dir + "/" + part)) {
            o.write(jar.bytes());
        }
        var link = new AgentLink(session, sftp, null, 0, null);
        AgentLink.Result r = link.exec("cd " + Shell.quote(dir) + " && mv -f " + Shell.quote(part)
                + " " + Shell.quote(jar.fileName()) + " && for f in stoker-agent-*.jar; do [ \"$f\" = "
                + Shell.quote(jar.fileName()) + " ] || rm -f \"$f\"; done", timeout);
        if (!r.ok()) {
            link.exec("rm -f " + Shell.quote(dir + "/" + part), timeout);
            throw new IOException("cannot install the agent program in " + dir + ": " + r.err().trim());
        }
    }

    boolean open() {
        return channel.isOpen() && connection.open();
    }

    void close() {
        channel.close(true);
    }

    /** The last bytes the program wrote to stderr: why it did not start, when it did not. */
    private static final class Tail extends OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final int max;

        Tail(int max) {
            this.max = max;
        }

        @Override
        public synchronized void write(int b) {
            if (buf.size() < max) buf.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            buf.write(b, off, Math.min(len, Math.max(0, max - buf.size())));
        }

        @Override
        public synchronized String toString() {
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
