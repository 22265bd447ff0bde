package io.stoker.server.agent;

import io.stoker.server.run.LeftBehind;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a lone server's previous process left running on its SSH agents, stopped by the next start before the runs it
 * interrupted are failed or queued again: that process was killed (or crashed), and nothing else stops its tasks
 * there, detached wrappers in shell mode. The agents know it by the name this server has too ({@code owner}: a lone
 * server keeps its name across restarts), and which agents its runs used only it knew, so every SSH agent is asked.
 * Waits at most {@code atMost}; an agent unreachable then has them stopped when it connects, before it takes a task.
 */
public record RestartLeftovers(AgentPool pool, String owner, Duration atMost) implements LeftBehind {
    @Override
    public Map<String, String> stop(Map<String, String> holders) {
        return pool.stopLeftovers(Map.of(owner, List.copyOf(holders.keySet())), atMost);
    }
}
