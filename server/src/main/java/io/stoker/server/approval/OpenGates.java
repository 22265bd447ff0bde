package io.stoker.server.approval;

import io.stoker.engine.approval.ApprovalPort;
import io.stoker.engine.approval.ApprovalRequest;
import io.stoker.engine.approval.Decision;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's {@link ApprovalPort} in the server: the gates waiting now, by run and task, for the API to decide.
 * A request leaves when it is decided or the engine withdraws it (timeout, cancel). Kept in memory only: what
 * outlives the server is the gate in the run's stored task, which a run resumed after a restart asks again
 * ({@code RunRecovery}). Thread-safe.
 */
public final class OpenGates implements ApprovalPort {
    private record Open(ApprovalRequest request, CompletableFuture<Decision> decision) {
    }

    private final ConcurrentHashMap<String, Open> open = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Decision> ask(ApprovalRequest request) {
        String id = id(request.runKey(), request.task());
        var decision = new CompletableFuture<Decision>();
        var entry = new Open(request, decision);
        open.put(id, entry);
        decision.whenComplete((d, e) -> open.remove(id, entry));
        return decision;
    }

    /** The gate this task of this run waits at, if it waits. */
    public Optional<ApprovalRequest> waiting(String runKey, String task) {
        return Optional.ofNullable(open.get(id(runKey, task))).map(Open::request);
    }

    /** Hands the engine a decision; false when the gate no longer waits (decided or withdrawn meanwhile). */
    public boolean decide(String runKey, String task, Decision decision) {
        Open o = open.get(id(runKey, task));
        return o != null && o.decision().complete(decision);
    }

    private static String id(String runKey, String task) {
        return runKey + "\n" + task;
    }
}
