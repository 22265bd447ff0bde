package io.stoker.agent.ssh;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.function.Consumer;

/**
 * Checks the agent's host key per {@link HostKeyCheck} and remembers why it refused one, so the agent can be
 * blocked with that reason. Trust-on-first-use pins the first key it sees for the rest of this agent's life.
 */
final class HostKeyVerifier implements ServerKeyVerifier {
    private final HostKeyCheck check;
    private final Consumer<String> learned;
    private final ServerKeyVerifier knownHosts;
    private volatile String pinned;
    /** Whether the pinned key was ever the host's: before this connection's life, or on one of its connections. */
    private volatile boolean matched;
    private volatile String seen;
    private volatile String rejection;

    HostKeyVerifier(HostKeyCheck check, Consumer<String> learned) {
        this.check = check;
        this.learned = learned;
        this.pinned = check instanceof HostKeyCheck.Pinned p ? p.fingerprint().trim() : null;
        this.matched = !(check instanceof HostKeyCheck.Pinned p) || p.matchedBefore();
        this.knownHosts = check instanceof HostKeyCheck.KnownHosts k ? knownHostsVerifier(k) : null;
    }

    private KnownHostsServerKeyVerifier knownHostsVerifier(HostKeyCheck.KnownHosts k) {
        ServerKeyVerifier unknown = (session, address, key) -> {
            rejection = "host key not in " + k.file() + ": got " + KeyUtils.getFingerPrint(key);
            return false;
        };
        var v = new KnownHostsServerKeyVerifier(unknown, k.file()) {
            @Override
            public boolean acceptModifiedServerKey(ClientSession session, SocketAddress address, KnownHostEntry entry,
                                                   PublicKey expected, PublicKey actual) {
                rejection = HostKeyCheck.CHANGED + ": expected " + KeyUtils.getFingerPrint(expected) + ", got "
                        + KeyUtils.getFingerPrint(actual) + " (" + k.file() + ")";
                return false;
            }
        };
        return v;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress address, PublicKey key) {
        String fp = KeyUtils.getFingerPrint(key);
        seen = fp;
        rejection = null;
        if (knownHosts != null) return knownHosts.verifyServerKey(session, address, key);
        String expected = pinned;
        if (expected == null && check instanceof HostKeyCheck.TrustOnFirstUse) {
            pinned = fp;
            learned.accept(fp);
            return true;
        }
        if (fp.equals(expected)) {
            matched = true;
            return true;
        }
        rejection = (matched ? HostKeyCheck.CHANGED : HostKeyCheck.NEVER_MATCHED) + ": expected " + expected + ", got " + fp;
        return false;
    }

    /** The fingerprint offered on the last key exchange, null before one. */
    String seen() {
        return seen;
    }

    /** Why the last key was refused, null when it was accepted. */
    String rejection() {
        return rejection;
    }
}
