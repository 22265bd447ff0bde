package io.stoker.server.event;

import io.stoker.agent.ssh.AgentStatus;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An SSH agent came online, went offline or was blocked ({@code /events} name {@code agent}), so Build Executor
 * Status and Manage Stoker change when it does; it belongs to no run.
 *
 * @param reason why it is offline or blocked; null when online
 */
public record AgentChanged(String agent, AgentStatus status, String reason, Instant time) implements LifecycleEvent {
    @Override
    public String run() {
        return null;
    }

    @Override
    public String project() {
        return null;
    }

    @Override
    public String job() {
        return null;
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "agent");
        m.put("agent", agent);
        m.put("status", status.name().toLowerCase(Locale.ROOT));
        m.put("reason", reason);
        m.put("time", time.toString());
        return m;
    }
}
