package io.stoker.server.agent;

import io.stoker.agent.pull.PullAgent;
import io.stoker.agent.ssh.AgentEndpoint;
import io.stoker.agent.ssh.AgentStatus;
import io.stoker.agent.ssh.SshAgent;
import io.stoker.dsl.label.LabelExpression;
import io.stoker.engine.exec.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@link SshAgent} per registered agent, with its executor slots. Created for every agent at server start and
 * at registration (here, or on another server of a cluster, which tells this one), closed on delete and shutdown. Pull agents ({@link PullAgent}) join when they first connect and
 * stay, online or offline, until the server stops or an admin deletes them. The routing decisions ({@link #acquire}) and the slot counts
 * live here under one monitor, which waiting attempts also wait on: every change that could free a match (a slot
 * released, an agent online, an agent added or removed) wakes them.
 */
public final class AgentPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentPool.class);

    /** What the pool hears that must outlive it; called without blocking the SSH threads for long. */
    public interface Events {
        /** A trust-on-first-use agent saw its first host key: store it so it is pinned from now on. */
        void hostKeyLearned(String agent, String fingerprint);

        /** The host showed the pinned key for the first time since it was pinned: a mismatch later is a change. */
        void hostKeyMatched(String agent, String fingerprint);

        /**
         * The agent refused to be used (host key changed or never matched its pin): store why, so it stays blocked
         * until re-pinned.
         */
        void blocked(String agent, String reason);

        /** The agent came online, went offline or was blocked (after the pool took note). */
        default void statusChanged(String agent, AgentStatus status, String reason) {
        }
    }

    /** The outcome of asking for a slot. */
    public sealed interface Choice {
        /** A slot on {@code agent}; give it back with {@link AgentPool#release}. */
        record Slot(String agent, Executor executor, CurrentTask task) implements Choice {
        }

        /**
         * Agents match but none is online with a free slot; {@code why} says how each one stands, {@code queued} is
         * the caller's place in line (pass it to the next {@link AgentPool#acquire}, or to {@link AgentPool#leave}).
         * {@code away} is the part of {@code why} about agents offline or blocked: when it changes, a waiting log says
         * so again (slot counts come and go too often to be worth a line each).
         */
        record Wait(String why, String away, Queued queued) implements Choice {
        }

        /** No registered agent matches, so waiting would be forever. */
        record NoMatch() implements Choice {
        }
    }

    private final SshAgent.Settings settings;
    private final Clock clock;
    private final Events events;
    private final Map<String, Member> members = new LinkedHashMap<>(); // guarded by this
    /** Run key → agents that ran one of its attempts, so their copies are removed when the run ends. */
    private final Map<String, java.util.Set<String>> usedBy = new java.util.HashMap<>(); // guarded by this
    /** Waiting attempts in the order they began to wait. */
    private final List<Queued> line = new ArrayList<>(); // guarded by this
    private long tickets; // guarded by this
    private boolean closed;

    public AgentPool(SshAgent.Settings settings, Clock clock, Events events) {
        this.settings = settings;
        this.clock = clock;
        this.events = events;
    }

    /** The connection settings every agent uses (heartbeat, lost timeout). */
    public SshAgent.Settings settings() {
        return settings;
    }

    /**
     * Adds an agent, or replaces one of that name (its old connection is closed; tasks holding its slots keep
     * them until they end). A blocked agent, or one whose key is unreadable ({@code privateKeyPem} null, why in
     * {@code unusable}), gets no connection.
     */
    public void put(Agent agent, String privateKeyPem, String unusable) {
        Member m = new Member(agent);
        if (agent.blockedReason() != null) {
            m.blockedReason = agent.blockedReason();
        } else if (privateKeyPem == null) {
            m.blockedReason = unusable;
        } else {
            AgentEndpoint endpoint = new AgentEndpoint(agent.name(), agent.host(), agent.port(), agent.user(),
                    privateKeyPem, agent.hostKeyCheck(), agent.workDir());
            m.ssh = new SshAgent(endpoint, settings, new Heard(m));
        }
        Member old;
        synchronized (this) {
            if (closed) throw new IllegalStateException("the agent pool is closed");
            old = members.put(agent.name(), m);
            if (old != null) {
                m.busy = old.busy;
                m.tasks.addAll(old.tasks);
                m.lastSeen = old.lastSeen;
            }
            notifyAll();
        }
        if (old != null) old.close();
        if (m.ssh != null) {
            try {
                m.ssh.start();
            } catch (RuntimeException e) {
                LOG.warn("agent {}: cannot start its connection: {}", agent.name(), e.toString());
                m.startFailure = "cannot start the connection: " + e.getMessage();
            }
        }
    }

    /** Replaces the stored facts of an agent (labels after an install) and keeps its connection. */
    public synchronized void update(Agent agent) {
        Member m = members.get(agent.name());
        if (m != null) {
            m.agent = agent;
            notifyAll();
        }
    }

    /** Removes an agent and closes its connection; attempts waiting for a match look again. */
    public void remove(String name) {
        Member m;
        synchronized (this) {
            m = members.remove(name);
            notifyAll();
        }
        if (m != null) m.remove();
    }

    /** The live connection of an agent, empty when it has none (blocked, unknown). */
    public synchronized Optional<SshAgent> connection(String name) {
        Member m = members.get(name);
        return m == null ? Optional.empty() : Optional.ofNullable(m.ssh);
    }

    public synchronized Optional<AgentState> state(String name) {
        Member m = members.get(name);
        return m == null ? Optional.empty() : Optional.of(m.state());
    }

    public synchronized List<AgentState> states() {
        return members.values().stream().map(Member::state).toList();
    }

    /**
     * A slot on an online agent matching {@code expression} with a free executor, the least busy first (then by
     * name, so choices are repeatable); else whether waiting can help. Waiting attempts are served first come,
     * first served: an agent an earlier waiting attempt could use is not given to a later one (nor to a new one).
     *
     * @param place the caller's place in line when it waits already (from an earlier {@link Choice.Wait}), else null
     */
    public synchronized Choice acquire(LabelExpression expression, CurrentTask task, Queued place) {
        Queued queued = place;
        List<Member> matching = members.values().stream().filter(m -> expression.matches(m.agent.allLabels())).toList();
        if (matching.isEmpty()) {
            leave(queued);
            return new Choice.NoMatch();
        }
        Member best = matching.stream()
                .filter(m -> m.busy < m.agent.executors() && m.status() == AgentStatus.ONLINE && !promised(m, place))
                .min(Comparator.<Member>comparingInt(m -> m.busy).thenComparing(m -> m.agent.name()))
                .orElse(null);
        if (best == null) {
            List<String> how = new ArrayList<>();
            List<String> away = new ArrayList<>();
            boolean kept = false;
            for (Member m : matching) {
                AgentStatus s = m.status();
                boolean free = s == AgentStatus.ONLINE && m.busy < m.agent.executors();
                kept |= free;
                // an agent that is away says why, so a waiting log tells what to mend (a key, sshd, SFTP)
                String state = s != AgentStatus.ONLINE ? s.name().toLowerCase() + " (" + m.reason(s) + ")"
                        : free ? "free, kept for an attempt waiting longer"
                        : "busy " + m.busy + "/" + m.agent.executors();
                how.add(m.agent.name() + ": " + state);
                if (s != AgentStatus.ONLINE) away.add(m.agent.name() + ": " + state);
            }
            if (queued == null) {
                queued = new Queued(++tickets, expression, task);
                line.add(queued);
            }
            if (kept) notifyAll(); // wake the earlier waiter that a free slot is kept for
            return new Choice.Wait(String.join(", ", how), String.join(", ", away), queued);
        }
        Executor executor = best.executor(); // first: if it throws, no slot was taken
        leave(queued);
        best.busy++;
        best.tasks.add(task);
        usedBy.computeIfAbsent(task.run(), k -> new java.util.TreeSet<>()).add(best.agent.name());
        return new Choice.Slot(best.agent.name(), executor, task);
    }

    /**
     * The labels of the agents this server could route an attempt to: every SSH agent (each server of a cluster
     * connects to all of them) and the pull agents connected here now.
     */
    public synchronized List<java.util.Set<String>> routable() {
        return members.values().stream().filter(m -> m.pull == null || m.pull.online())
                .map(m -> m.agent.allLabels()).toList();
    }

    /** The labels of the SSH agents (the same on every server of a cluster). */
    public synchronized List<java.util.Set<String>> sshLabels() {
        return members.values().stream().filter(m -> m.pull == null).map(m -> m.agent.allLabels()).toList();
    }

    /** The pull agents connected here now, name → labels (what a cluster's other servers are told). */
    public synchronized Map<String, java.util.Set<String>> connectedPull() {
        Map<String, java.util.Set<String>> out = new java.util.TreeMap<>();
        members.values().stream().filter(m -> m.pull != null && m.pull.online())
                .forEach(m -> out.put(m.agent.name(), m.agent.allLabels()));
        return out;
    }

    /** A waiting attempt's place in line. */
    public static final class Queued {
        private final long ticket;
        private final LabelExpression expression;
        private final CurrentTask task;

        private Queued(long ticket, LabelExpression expression, CurrentTask task) {
            this.ticket = ticket;
            this.expression = expression;
            this.task = task;
        }
    }

    /** The attempts waiting for an agent, in the order they began to wait: they run nowhere yet. */
    public synchronized List<CurrentTask> waiting() {
        return line.stream().map(q -> q.task).toList();
    }

    /** Takes a waiting attempt out of the line (it was cancelled or gave up). */
    public synchronized void leave(Queued queued) {
        if (queued != null && line.remove(queued)) notifyAll();
    }

    /** Whether an attempt waiting longer than {@code queued} (any waiter, for a newcomer) could use the agent. */
    private boolean promised(Member m, Queued queued) {
        for (Queued q : line) {
            if (queued != null && q.ticket >= queued.ticket) return false; // the line is in ticket order
            if (q.expression.matches(m.agent.allLabels())) return true;
        }
        return false;
    }

    /** Gives a slot back and wakes the attempts waiting for one. */
    public synchronized void release(Choice.Slot slot) {
        Member m = members.get(slot.agent());
        if (m != null && m.tasks.remove(slot.task())) m.busy--;
        notifyAll();
    }

    /**
     * Waits until a new agent's first connection attempt has an outcome (online, blocked, or a failure reported),
     * at most {@code max}; so an install right after registering does not fail only because it came too early.
     */
    public synchronized void awaitFirstAttempt(String name, java.time.Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (true) {
            Member m = members.get(name);
            if (m == null || m.heard || m.status() != AgentStatus.OFFLINE || m.ssh == null || m.startFailure != null) return;
            long left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left <= 0) return;
            wait(Math.min(left, 100));
        }
    }

    /**
     * How to remove {@code runKey}'s workspace copy from each agent that ran one of its attempts, forgetting that
     * they did.
     */
    public synchronized List<java.util.function.Consumer<String>> takeUsedBy(String runKey) {
        java.util.Set<String> names = usedBy.remove(runKey);
        if (names == null) return List.of();
        List<java.util.function.Consumer<String>> out = new ArrayList<>();
        for (String n : names) {
            Member m = members.get(n);
            if (m != null && m.ssh != null) out.add(m.ssh::forgetRun);
            if (m != null && m.pull != null) out.add(m.pull::forgetRun);
        }
        return out;
    }

    /**
     * Removes from every SSH agent the copies of runs an earlier server process left running and that are now over (a
     * crash's, or a lost peer's): which agents they used only that process knew. Off the caller's thread (an agent
     * that is connected takes a command per run); an agent away now is cleaned at its next connection.
     */
    public void forgetEverywhere(java.util.Collection<String> runKeys) {
        if (runKeys.isEmpty()) return;
        List<SshAgent> ssh;
        synchronized (this) {
            ssh = members.values().stream().map(m -> m.ssh).filter(java.util.Objects::nonNull).toList();
        }
        if (ssh.isEmpty()) return;
        List<String> keys = List.copyOf(runKeys);
        Thread.ofVirtual().name("forget-interrupted-runs").start(() -> {
            for (SshAgent a : ssh) for (String key : keys) a.forgetRun(key);
        });
    }

    /**
     * Stops, on every SSH agent at once, what servers that are gone left running for their runs ({@code runsByOwner}:
     * each one's name to the agents, see {@link SshAgent.Settings#owner()}, and its runs), waiting at most
     * {@code atMost}: which agents they used only those servers knew. Returns, by run key, why some of its processes
     * may still run, and where.
     */
    public Map<String, String> stopLeftovers(Map<String, List<String>> runsByOwner, java.time.Duration atMost) {
        List<SshAgent> ssh;
        synchronized (this) {
            ssh = members.values().stream().map(m -> m.ssh).filter(java.util.Objects::nonNull).toList();
        }
        Map<String, String> running = new java.util.concurrent.ConcurrentHashMap<>();
        try (var each = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (SshAgent a : ssh) {
                runsByOwner.forEach((owner, keys) -> each.execute(() -> a.stopLeftovers(owner, keys, atMost)
                        .ifPresent(why -> keys.forEach(k -> running.merge(k, why, (x, y) -> x + "; " + y)))));
            }
        }
        return running;
    }

    /**
     * The pull agent of that name for a new connection: the one it had (same instance: a reconnect; or an offline
     * one: the program restarted), or a new one. Refused when the name belongs to a registered SSH agent, or to a
     * pull agent of another instance that is connected now.
     */
    public synchronized PullAgent pull(PullAgent.Identity identity, PullAgent.Settings pullSettings) {
        if (closed) throw new IllegalStateException("the agent pool is closed");
        Member m = members.get(identity.name());
        if (m != null && m.pull == null) {
            throw new NameTaken("an agent named '" + identity.name() + "' is registered already (an SSH agent)");
        }
        if (m != null && m.pull.online() && !m.pull.identity().instance().equals(identity.instance())) {
            throw new NameTaken("a pull agent named '" + identity.name() + "' is connected already");
        }
        if (m == null) {
            m = new Member(pullAgent(identity));
            Member member = m;
            m.pull = new PullAgent(identity, pullSettings, clock, p -> {
                synchronized (AgentPool.this) {
                    member.agent = pullAgent(p.identity());
                }
                changed();
            });
            members.put(identity.name(), m);
        }
        m.agent = pullAgent(identity);
        notifyAll();
        return m.pull;
    }

    /** The name of a pull agent is taken by another agent. */
    public static final class NameTaken extends RuntimeException {
        NameTaken(String message) {
            super(message);
        }
    }

    /** A pull agent as the list shows it: no host to dial, its labels and slots as it announced them. */
    private Agent pullAgent(PullAgent.Identity id) {
        Instant now = clock.instant();
        Member old = members.get(id.name());
        Instant created = old != null ? old.agent.createdAt() : now;
        return new Agent(id.name(), id.address(), 0, null, null, false, id.labels(), List.of(), null, id.executors(),
                id.workDir(), null, created, now, null, false);
    }

    /** Waits until something changed that may let a waiting attempt go on, or {@code millis} passed. */
    public synchronized void awaitChange(long millis) throws InterruptedException {
        if (!closed) wait(millis);
    }

    private synchronized void changed() {
        notifyAll();
    }

    /** Closes every connection. */
    @Override
    public void close() {
        List<Member> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(members.values());
            members.clear();
            notifyAll();
        }
        for (Member m : all) m.close();
    }

    /** One agent and its slots; fields guarded by the pool's monitor except where volatile. */
    private final class Member {
        volatile Agent agent;
        SshAgent ssh;
        /** Set for a pull agent, which has no SSH connection. */
        PullAgent pull;
        int busy;
        final List<CurrentTask> tasks = new ArrayList<>();
        volatile String blockedReason;
        volatile String startFailure;
        /** The connection reported a status at least once (a first connection attempt ended). */
        volatile boolean heard;
        volatile Instant lastSeen;

        Member(Agent agent) {
            this.agent = agent;
        }

        Executor executor() {
            return pull != null ? pull.executor() : ssh.executor();
        }

        AgentStatus status() {
            if (pull != null) {
                if (pull.online()) lastSeen = clock.instant();
                return pull.online() ? AgentStatus.ONLINE : AgentStatus.OFFLINE;
            }
            if (blockedReason != null) return AgentStatus.BLOCKED;
            if (ssh == null || startFailure != null) return AgentStatus.OFFLINE;
            try {
                AgentStatus s = ssh.status();
                if (s == AgentStatus.ONLINE) lastSeen = clock.instant();
                return s;
            } catch (RuntimeException e) {
                return AgentStatus.OFFLINE;
            }
        }

        String reason(AgentStatus status) {
            // the connection may report BLOCKED a moment before its listener has told us why: ask it then
            if (status == AgentStatus.BLOCKED && blockedReason != null) return blockedReason;
            if (status == AgentStatus.ONLINE) return null;
            if (pull != null) return pull.offlineReason();
            if (startFailure != null) return startFailure;
            try {
                String r = ssh.statusReason();
                // blocked, and its listener not yet told: the same words it will give, the remedy included
                if (status == AgentStatus.BLOCKED && r != null) return HostKeyRemedy.explain(agent.name(), r);
                return r != null ? r : "not connected yet";
            } catch (RuntimeException e) {
                return "connection unavailable: " + e.getMessage();
            }
        }

        AgentState state() {
            AgentStatus s = status();
            return new AgentState(agent, s.name().toLowerCase(), reason(s), busy, List.copyOf(tasks), lastSeen,
                    ssh == null ? null : ssh.mode(), ssh == null ? null : ssh.modeReason(), pull != null);
        }

        /** Closes for good: the agent was deleted, so its tasks there are killed rather than left to run on. */
        void remove() {
            if (ssh == null) {
                close();
                return;
            }
            try {
                ssh.remove();
            } catch (RuntimeException e) {
                LOG.warn("agent {}: closing its connection failed: {}", agent.name(), e.toString());
            }
        }

        void close() {
            if (pull != null) pull.close();
            if (ssh == null) return;
            try {
                ssh.close();
            } catch (RuntimeException e) {
                LOG.warn("agent {}: closing its connection failed: {}", agent.name(), e.toString());
            }
        }
    }

    /** The SSH side's news about one member. */
    private final class Heard implements SshAgent.Listener {
        private final Member member;

        Heard(Member member) {
            this.member = member;
        }

        @Override
        public void statusChanged(String agent, AgentStatus status, String reason) {
            if (!isCurrent()) return; // a replaced connection's last words
            member.heard = true;
            if (status == AgentStatus.ONLINE) {
                member.lastSeen = clock.instant();
                Agent a = member.agent;
                if (a.hostKey() != null && !a.hostKeyMatched()) {
                    member.agent = a.withHostKey(a.hostKey(), true);
                    events.hostKeyMatched(agent, a.hostKey());
                }
            }
            if (status == AgentStatus.BLOCKED) {
                member.blockedReason = reason == null ? "blocked" : HostKeyRemedy.explain(agent, reason);
                LOG.warn("agent {} blocked: {}", agent, member.blockedReason);
                events.blocked(agent, member.blockedReason);
            } else {
                LOG.info("agent {} {}{}", agent, status.name().toLowerCase(), reason == null ? "" : ": " + reason);
            }
            changed();
            events.statusChanged(agent, status, reason);
        }

        @Override
        public void hostKeyLearned(String agent, String fingerprint) {
            if (!isCurrent()) return;
            Agent a = member.agent;
            member.agent = a.withHostKey(fingerprint, true);
            LOG.info("agent {}: trusted its first host key {}", agent, fingerprint);
            events.hostKeyLearned(agent, fingerprint);
        }

        private boolean isCurrent() {
            synchronized (AgentPool.this) {
                return members.get(member.agent.name()) == member;
            }
        }
    }
}
