package io.stoker.engine.run;

import io.stoker.engine.approval.Gate;

import java.time.Instant;
import java.util.Map;

/**
 * What a run resumed after a restart of the server takes back besides the tasks it had ended (those are in
 * {@link RunRequest#reused()}, {@link ReusedTask#kept}): when it first started, from which its job's timeout still
 * counts (the time the server was down included), and its tasks' approval gates as they were.
 *
 * @param startedAt its first start; null for {@link #NONE}
 * @param gates     task name → its gate as stored: a gate still waiting opens again as it was — question, approvers
 *                  and deadline (a deadline passed meanwhile rejects at once) — an approved one is not asked again
 */
public record Resumption(Instant startedAt, Map<String, Gate> gates) {

    /** Not a resumed run: it starts afresh. */
    public static final Resumption NONE = new Resumption(null, Map.of());

    public Resumption {
        gates = gates == null ? Map.of() : Map.copyOf(gates);
    }
}
