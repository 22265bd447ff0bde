package io.stoker.server.event;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server has started: it listens, queued runs resumed, triggers armed and the startup runs queued
 * ({@code startupRuns}: their keys). Not about one run, so {@link #run()}, {@link #project()} and {@link #job()} are
 * null; the {@code /events} stream names it {@code server}.
 */
public record ServerReady(String url, List<String> startupRuns, Instant time) implements LifecycleEvent {
    public ServerReady {
        startupRuns = List.copyOf(startupRuns);
    }

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
        m.put("status", "ready");
        m.put("url", url);
        m.put("startupRuns", startupRuns);
        m.put("time", time.toString());
        return m;
    }
}
