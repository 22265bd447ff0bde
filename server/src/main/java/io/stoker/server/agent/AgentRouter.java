package io.stoker.server.agent;

import io.stoker.dsl.label.LabelExpression;
import io.stoker.dsl.label.LabelSyntaxException;
import io.stoker.engine.exec.Executor;
import io.stoker.engine.exec.RunningTask;
import io.stoker.engine.exec.TaskLaunch;

import java.io.IOException;
import java.util.concurrent.ThreadFactory;

/**
 * The server's executor: an attempt without an {@code agent} expression, or with {@code agent 'local'}, runs on the
 * server through the local executor; any other attempt runs on an online agent whose labels match and which has a
 * free executor slot, the least busy first. When matching agents exist but none can take it now, the attempt waits
 * (its log says so) and can still be cancelled or time out; when no registered agent matches at all it fails at
 * once with {@code no agent matches '…'}. Each attempt chooses again, so a retry after "agent lost" goes to an
 * agent that is online. An attempt with an image goes only to an agent whose host has a container engine (the
 * automatic label {@code tool:podman} or {@code tool:docker}), or runs on the server when no agent is asked for.
 */
public final class AgentRouter implements Executor {
    /** How often a waiting attempt looks again even if nothing woke it (a status probe it was not told about). */
    private static final long RECHECK_MILLIS = 1000;
    // platform threads: nothing blocking may sit on the virtual-thread scheduler (a pinned carrier stalls runs)
    /** What an agent running tasks with an image must have: one of the engines the host probe finds. */
    static final String CONTAINER_ENGINE = "(tool:podman || tool:docker)";
    private static final ThreadFactory WAITERS = Thread.ofPlatform().daemon().name("agent-wait-", 0).factory();

    /** Writes a system line into a task's log (the engine's log stays open while the attempt runs). */
    @FunctionalInterface
    public interface Notes {
        void note(String runKey, String task, String text);
    }

    /** Where the slots taken and given back are recorded, so the other servers of a cluster see them too. */
    public interface Placements {
        /** The task took a slot on {@code agent}; called before the attempt starts there. */
        void started(CurrentTask task, String agent);

        /** The task gave its slot on {@code agent} back. */
        void ended(CurrentTask task, String agent);
    }

    private final Executor local;
    private final AgentPool pool;
    private final Notes notes;
    private final Placements placements;

    public AgentRouter(Executor local, AgentPool pool, Notes notes, Placements placements) {
        this.local = local;
        this.pool = pool;
        this.notes = notes;
        this.placements = placements;
    }

    /** True when an expression means the server itself: none at all, or exactly {@code local}. */
    public static boolean isLocal(String expression) {
        return expression == null || expression.isBlank() || expression.trim().equals(AgentInput.LOCAL);
    }

    /** The label expression an attempt is routed by: what it asks for, and a container engine when it has an image. */
    public static String expressionText(String agent, boolean withImage) {
        String asked = agent.trim();
        return withImage ? "(" + asked + ") && " + CONTAINER_ENGINE : asked;
    }

    @Override
    public RunningTask start(TaskLaunch launch) throws IOException {
        if (isLocal(launch.agent())) return local.start(launch);
        String text = expressionText(launch.agent(), launch.container() != null);
        LabelExpression expression;
        try {
            expression = LabelExpression.parse(text);
        } catch (LabelSyntaxException e) {
            // validation refuses these; a model stored before that check could still hold one
            throw new IOException("agent expression '" + text + "' is invalid: " + e.getMessage());
        }
        CurrentTask current = new CurrentTask(launch.runKey(), launch.task());
        AgentPool.Choice first = pool.acquire(expression, current, null);
        switch (first) {
            case AgentPool.Choice.NoMatch n -> throw new IOException(noMatch(text));
            case AgentPool.Choice.Slot slot -> {
                notes.note(launch.runKey(), launch.task(), onAgent(slot, text));
                placements.started(slot.task(), slot.agent());
                RunningTask task;
                try {
                    task = slot.executor().start(launch);
                } catch (IOException | RuntimeException e) {
                    release(slot);
                    throw new IOException("agent '" + slot.agent() + "': " + e.getMessage(), e);
                }
                task.onExit().whenComplete((code, error) -> release(slot));
                return task;
            }
            case AgentPool.Choice.Wait w -> {
                String why = waitingFor(text, w);
                RoutedTask routed = new RoutedTask(why);
                notes.note(launch.runKey(), launch.task(), why);
                WAITERS.newThread(() -> await(expression, text, current, launch, routed, w)).start();
                return routed;
            }
        }
    }

    private void await(LabelExpression expression, String text, CurrentTask current, TaskLaunch launch, RoutedTask routed,
                       AgentPool.Choice.Wait first) {
        AgentPool.Queued queued = first.queued();
        String away = first.away();
        try {
            while (!routed.killed()) {
                switch (pool.acquire(expression, current, queued)) {
                    case AgentPool.Choice.Slot slot -> {
                        if (routed.killed()) {
                            pool.release(slot); // nothing recorded yet
                            return;
                        }
                        launchOn(slot, launch, routed, text);
                        return;
                    }
                    case AgentPool.Choice.NoMatch n -> {
                        notes.note(launch.runKey(), launch.task(), noMatch(text) + " any more (agents were removed)");
                        routed.failed(noMatch(text));
                        return;
                    }
                    case AgentPool.Choice.Wait w -> {
                        // an agent went away, came back or changed its reason: the log's last word on the wait is stale
                        if (!w.away().equals(away)) {
                            away = w.away();
                            String why = waitingFor(text, w);
                            notes.note(launch.runKey(), launch.task(), "still " + why);
                            routed.stillWaiting(why);
                        }
                        pool.awaitChange(RECHECK_MILLIS);
                    }
                }
            }
        } catch (InterruptedException e) {
            routed.failed("interrupted while waiting for an agent");
        } catch (RuntimeException e) {
            routed.failed("cannot choose an agent: " + e.getMessage());
        } finally {
            pool.leave(queued); // no-op once a slot or a no-match took it out of line
        }
    }

    /** Starts the attempt on the slot's agent; the slot is given back when the attempt ends or fails to start. */
    private void launchOn(AgentPool.Choice.Slot slot, TaskLaunch launch, RoutedTask routed, String text) {
        RunningTask task;
        try {
            notes.note(launch.runKey(), launch.task(), onAgent(slot, text));
            placements.started(slot.task(), slot.agent());
            task = slot.executor().start(launch);
        } catch (IOException | RuntimeException e) {
            release(slot);
            routed.failed("cannot start on agent '" + slot.agent() + "': " + e.getMessage());
            return;
        }
        task.onExit().whenComplete((code, error) -> release(slot));
        routed.started(task);
    }

    private void release(AgentPool.Choice.Slot slot) {
        pool.release(slot);
        placements.ended(slot.task(), slot.agent());
    }

    /** Why an attempt waits, as its log and its task's reason say it. */
    private static String waitingFor(String text, AgentPool.Choice.Wait w) {
        return "waiting for an agent matching '" + text + "' (" + w.why() + ")";
    }

    private static String onAgent(AgentPool.Choice.Slot slot, String text) {
        return "running on agent '" + slot.agent() + "' (matches '" + text + "')";
    }

    private static String noMatch(String text) {
        return "no agent matches '" + text + "'";
    }
}
