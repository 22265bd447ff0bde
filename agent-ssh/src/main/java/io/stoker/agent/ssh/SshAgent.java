package io.stoker.agent.ssh;

import io.stoker.engine.exec.Executor;

import java.io.IOException;
import java.time.Duration;

/**
 * One remote agent: a single SSH connection reused for many channels, kept alive by heartbeats and re-opened
 * when it drops. Tasks started through {@link #executor()} run detached on the agent, so a dropped connection
 * re-attaches; only an agent unreachable past {@link Settings#lostTimeout()} fails them with "agent lost".
 *
 * <p>CONTRACT (lead): signatures the server codes against; the agent-exec helper implements them.
 */
public final class SshAgent implements AutoCloseable {

    /** What the server hears about an agent; called from SSH threads, must not block. */
    public interface Listener {
        default void statusChanged(String agent, AgentStatus status, String reason) {
        }

        /** Trust-on-first-use learned this key; the caller stores it so later connections are pinned to it. */
        default void hostKeyLearned(String agent, String fingerprint) {
        }
    }

    /**
     * @param heartbeat      how often a connected agent is probed
     * @param lostTimeout    how long an agent may stay unreachable before its running tasks fail as "agent lost"
     * @param connectTimeout one connection attempt's limit (TCP + key exchange + auth)
     */
    public record Settings(Duration heartbeat, Duration lostTimeout, Duration connectTimeout) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(45),
                Duration.ofSeconds(15));
    }

    private final AgentEndpoint endpoint;

    public SshAgent(AgentEndpoint endpoint, Settings settings, Listener listener) {
        this.endpoint = endpoint;
    }

    public AgentEndpoint endpoint() {
        return endpoint;
    }

    /** Connects in the background and keeps the connection (heartbeats, reconnects); returns at once. */
    public void start() {
        throw new UnsupportedOperationException("not built yet");
    }

    public AgentStatus status() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Why the agent is offline or blocked ("host key changed: expected SHA256:… got SHA256:…"), else null. */
    public String statusReason() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The host key fingerprint seen on the last connection, null before one. */
    public String hostKeyFingerprint() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Connects if needed, checks the host and prepares the work directory; the facts become automatic labels. */
    public HostFacts install() throws IOException {
        throw new UnsupportedOperationException("not built yet");
    }

    /** The engine's executor for this machine. */
    public Executor executor() {
        throw new UnsupportedOperationException("not built yet");
    }

    /** Attempts running on the agent now, by "runKey/task". */
    public java.util.List<String> running() {
        throw new UnsupportedOperationException("not built yet");
    }

    @Override
    public void close() {
    }
}
