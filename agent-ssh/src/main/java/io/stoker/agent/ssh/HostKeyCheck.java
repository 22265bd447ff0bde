package io.stoker.agent.ssh;

import java.nio.file.Path;

/** How an agent's SSH host key is verified. There is no "accept anything". */
public sealed interface HostKeyCheck {
    /** How a refusal begins when the host's key is not the one it showed before. */
    String CHANGED = "host key changed";
    /** How a refusal begins when the pinned key was never the host's (a wrong pin, not a changed host). */
    String NEVER_MATCHED = "host key never matched its pin";

    /**
     * The key must have this OpenSSH fingerprint ({@code SHA256:…}).
     *
     * @param matchedBefore whether the host has shown this key before: a different one then means the key changed,
     *                      while a pin that never matched was more likely wrong from the start
     */
    record Pinned(String fingerprint, boolean matchedBefore) implements HostKeyCheck {
        /** A pin not known to have matched yet (given by hand): until the host shows it, a mismatch is a wrong pin. */
        public Pinned(String fingerprint) {
            this(fingerprint, false);
        }
    }

    /** The key must be listed for the host in this known_hosts file. */
    record KnownHosts(Path file) implements HostKeyCheck {
    }

    /**
     * The first key seen is accepted and reported through {@link SshAgent.Listener#hostKeyLearned}, so the caller
     * pins it; every later connection needs that same key. Only when the user asked for it explicitly.
     */
    record TrustOnFirstUse() implements HostKeyCheck {
    }
}
