package io.stoker.engine.store;

import io.stoker.engine.run.RunRecord;
import io.stoker.engine.run.RunStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps runs in memory only: for tests and runs nobody needs to look at later. */
public final class InMemoryRunStore implements RunStore {
    private final ConcurrentHashMap<String, RunRecord> runs = new ConcurrentHashMap<>();

    @Override
    public void save(RunRecord run) {
        runs.put(run.key(), run);
    }

    @Override
    public Optional<RunRecord> load(String runKey) {
        return Optional.ofNullable(runs.get(runKey));
    }

    @Override
    public List<RunRecord> list() {
        return List.copyOf(runs.values());
    }
}
