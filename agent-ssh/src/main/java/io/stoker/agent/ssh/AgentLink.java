package io.stoker.agent.ssh;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * One live connection to an agent: the SSH session, its SFTP client, the absolute work directory and — in
 * {@link AgentMode#PERSISTENT persistent mode} — the agent program's channel (null in shell mode). A new link
 * (higher {@code generation}) replaces it after a reconnect; anything holding an old one re-asks the agent.
 */
record AgentLink(ClientSession session, SftpClient sftp, String workDir, long generation, ProgramChannel program) {

    /** What a short remote command printed and how it exited. */
    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs a short command through the login shell and waits for it, at most {@code timeout}. */
    Result exec(String command, Duration timeout) throws IOException {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        try {
            return run(command, timeout, out, err);
        } catch (IllegalStateException | org.apache.sshd.common.SshException e) {
            // MINA reports a session that is closing this way: to callers it is a broken link like any other
            throw new IOException("the connection is closing: " + e.getMessage(), e);
        }
    }

    private Result run(String command, Duration timeout, ByteArrayOutputStream out, ByteArrayOutputStream err)
            throws IOException {
        try (ChannelExec ch = session.createExecChannel(command)) {
            ch.setOut(out);
            ch.setErr(err);
            ch.open().verify(timeout);
            Set<ClientChannelEvent> events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new TimedOut("remote command timed out after " + timeout.toMillis() + " ms");
            }
            Integer status = ch.getExitStatus();
            if (status == null) { // the channel closed without an exit status: the connection went, not the command
                throw new IOException("remote command ended without an exit status (signal " + ch.getExitSignal()
                        + (session.isOpen() ? "" : ", connection closed") + ")");
            }
            return new Result(status, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        }
    }

    /** A command that did not answer in time on a connection that may well be alive (a loaded machine). */
    static final class TimedOut extends IOException {
        TimedOut(String message) {
            super(message);
        }
    }

    boolean open() {
        return session.isOpen() && sftp.isOpen() && (program == null || program.open());
    }

    AgentMode mode() {
        return program == null ? AgentMode.SHELL : AgentMode.PERSISTENT;
    }
}
