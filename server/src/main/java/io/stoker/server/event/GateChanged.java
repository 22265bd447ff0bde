package io.stoker.server.event;

import io.stoker.engine.approval.Gate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task's approval gate opened (it waits for a decision) or was decided; {@code /events} name {@code approval}.
 *
 * @param reopened it waited when the server stopped and opens again as it was in the resumed run: its "waits for
 *                 approval" messages went out when it first opened, unless a crash came first (see GatesTold)
 */
public record GateChanged(String run, String project, String job, String task, Gate gate, Instant time,
                          boolean reopened) implements LifecycleEvent {

    @Override
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "approval");
        m.put("run", run);
        m.put("project", project);
        m.put("job", job);
        m.put("task", task);
        m.put("status", gate.verdict() == null ? "waiting" : gate.verdict().label());
        m.put("question", gate.question());
        m.put("approvers", gate.approvers());
        m.put("deadline", gate.deadline().toString());
        if (gate.verdict() != null) {
            m.put("decidedBy", gate.decidedBy());
            m.put("comment", gate.comment());
        }
        m.put("time", time.toString());
        return m;
    }
}
