package io.stoker.server.trigger;

import io.stoker.engine.trigger.TriggerChain;
import io.stoker.server.run.RunRow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a run started by another links back to it, stored in the new run's metadata as
 * {@code upstream: {run, project, job, number, chain[, task, wait]}}: an {@code after} trigger's link has no task, a
 * trigger step's names the triggering task and whether it waits. {@code chain} counts the runs up the chain, so a
 * cycle of jobs triggering each other stops at {@link TriggerChain#MAX}, the bound local runs use too.
 */
record UpstreamLink(String run, String project, String job, long number, int chain, String task, Boolean waits) {
    /** Upstream chains longer than this stop ({@link TriggerChain#MAX}). */
    static final int MAX_CHAIN = TriggerChain.MAX;

    /** The link a run started after {@code up} gets (the next link of {@code up}'s chain). */
    static UpstreamLink after(RunRow up) {
        return new UpstreamLink(up.key(), up.project(), up.job(), up.number(), chainOf(up) + 1, null, null);
    }

    /** The link a run a trigger step of {@code up} started gets. */
    static UpstreamLink step(RunRow up, String task, boolean waits) {
        return new UpstreamLink(up.key(), up.project(), up.job(), up.number(), chainOf(up) + 1, task, waits);
    }

    /** The link stored in a run's metadata, if it has one. */
    static Optional<UpstreamLink> of(Object metadata) {
        if (!(metadata instanceof Map<?, ?> m) || !(m.get("upstream") instanceof Map<?, ?> u) || u.get("run") == null) {
            return Optional.empty();
        }
        return Optional.of(new UpstreamLink(String.valueOf(u.get("run")), string(u.get("project")),
                string(u.get("job")), u.get("number") instanceof Number n ? n.longValue() : 0,
                u.get("chain") instanceof Number c ? c.intValue() : 0, string(u.get("task")),
                u.get("wait") instanceof Boolean w ? w : null));
    }

    /** How many runs the chain ending at {@code run} holds before it (0 when nothing started it). */
    static int chainOf(RunRow run) {
        return of(run.metadata()).map(UpstreamLink::chain).orElse(0);
    }

    /** Whether a run that ends a chain this long may start more runs. */
    static boolean mayExtend(RunRow run) {
        return TriggerChain.mayExtend(chainOf(run));
    }

    /** The metadata of the run this link starts: {@code {upstream: {...}}}, fields in their stored order. */
    Map<String, Object> metadata() {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("run", run);
        link.put("project", project);
        link.put("job", job);
        link.put("number", number);
        link.put("chain", chain);
        if (task != null) link.put("task", task);
        if (waits != null) link.put("wait", waits);
        return Map.of("upstream", link);
    }

    private static String string(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
