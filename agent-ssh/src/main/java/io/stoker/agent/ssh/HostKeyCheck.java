package io.stoker.agent.ssh;

import java.nio.file.Path;

/** How an agent's SSH host key is verified. There is no "accept anything". */
public sealed interface HostKeyCheck {

    /** The key must have this OpenSSH fingerprint ({@code SHA256:…}). */
    record Pinned(String fingerprint) implements HostKeyCheck {
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
