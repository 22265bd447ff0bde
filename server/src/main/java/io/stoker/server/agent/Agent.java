package io.stoker.server.agent;

import io.stoker.agent.ssh.HostKeyCheck;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A registered agent as stored, without its private key (that stays sealed in the database and is opened only to
 * connect).
 *
 * @param hostKey        the pinned fingerprint; null while a trust-on-first-use agent has not connected yet
 * @param autoLabels     what the last install found ({@code os:linux}, {@code arch:amd64}, {@code tool:git}, …)
 * @param facts          the last install's facts as plain JSON values, null before one
 * @param blockedReason  why a person must look at it (host key changed or never matched its pin); null when not
 *                       blocked
 * @param hostKeyMatched whether the host has shown the pinned key on a connection since it was pinned
 */
public record Agent(String name, String host, int port, String user, String hostKey, boolean trustOnFirstUse,
                    List<String> labels, List<String> autoLabels, Map<String, Object> facts, int executors,
                    String workDir, String blockedReason, Instant createdAt, Instant updatedAt, Instant installedAt,
                    boolean hostKeyMatched) {

    public Agent {
        labels = List.copyOf(labels);
        autoLabels = List.copyOf(autoLabels);
    }

    /** What label expressions are evaluated against: the user's labels, the automatic ones and the name. */
    public Set<String> allLabels() {
        var out = new LinkedHashSet<String>(labels);
        out.addAll(autoLabels);
        out.add(name);
        return out;
    }

    /** The same agent, its pinned key now known to be the host's (or not). */
    public Agent withHostKey(String fingerprint, boolean matched) {
        return new Agent(name, host, port, user, fingerprint, trustOnFirstUse, labels, autoLabels, facts, executors,
                workDir, blockedReason, createdAt, updatedAt, installedAt, matched);
    }

    /** How the next connection checks the host key: pinned once known, else trust-on-first-use. */
    public HostKeyCheck hostKeyCheck() {
        return hostKey != null ? new HostKeyCheck.Pinned(hostKey, hostKeyMatched) : new HostKeyCheck.TrustOnFirstUse();
    }
}
