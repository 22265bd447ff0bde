package io.stoker.server.git;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * The host keys of one ssh fetch, checked against a {@code known_hosts} file in OpenSSH's plain format
 * ({@code host keytype base64} or {@code [host]:port keytype base64}; hashed names are not read). A host without an
 * entry is recorded only when trust-on-first-use is on; otherwise, and always when the host's key differs from the
 * recorded one, the connection is refused and {@link #rejection()} says why in words fit for users.
 * One instance serves one fetch (it remembers that fetch's rejection).
 */
final class SshHostKeys implements ServerKeyDatabase {
    private static final Object FILE_LOCK = new Object(); // known_hosts appends from concurrent syncs

    private final Path knownHosts;
    private final String hostToken;
    private final boolean trustFirstUse;
    private volatile String rejection;

    /** Keys for {@code host} (port {@code port}, -1 or 22 for the default) kept in {@code knownHosts}. */
    SshHostKeys(Path knownHosts, String host, int port, boolean trustFirstUse) {
        this.knownHosts = knownHosts;
        this.hostToken = port <= 0 || port == 22 ? host : "[" + host + "]:" + port;
        this.trustFirstUse = trustFirstUse;
    }

    /** Why the host's key was refused, or null when it was not. */
    String rejection() {
        return rejection;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        return recorded();
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                          Configuration config, CredentialsProvider provider) {
        String fingerprint = KeyUtils.getFingerPrint(serverKey);
        synchronized (FILE_LOCK) {
            List<PublicKey> known = recorded();
            for (PublicKey key : known) {
                if (KeyUtils.compareKeys(key, serverKey)) {
                    return true;
                }
            }
            String line = hostToken + " " + PublicKeyEntry.toString(serverKey);
            if (!known.isEmpty()) {
                rejection = "the host key of " + hostToken + " has CHANGED (now " + fingerprint + "), it does not match "
                        + knownHosts + "; if the change is expected, replace the host's line there with: " + line;
                return false;
            }
            if (!trustFirstUse) {
                rejection = "unknown ssh host " + hostToken + " (key fingerprint " + fingerprint + "); after checking"
                        + " the fingerprint, add this line to " + knownHosts + ": " + line;
                return false;
            }
            try {
                Files.createDirectories(knownHosts.getParent());
                Files.writeString(knownHosts, line + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                return true;
            } catch (IOException e) {
                rejection = "cannot record the host key of " + hostToken + " in " + knownHosts + ": " + e.getMessage();
                return false;
            }
        }
    }

    /** The keys recorded for this host; unreadable lines are skipped (they may be for other tools' key types). */
    private List<PublicKey> recorded() {
        List<PublicKey> keys = new ArrayList<>();
        if (!Files.isRegularFile(knownHosts)) {
            return keys;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(knownHosts, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return keys;
        }
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2 || !List.of(parts[0].split(",")).contains(hostToken)) {
                continue;
            }
            try {
                keys.add(PublicKeyEntry.parsePublicKeyEntry(parts[1]).resolvePublicKey(null, null, null));
            } catch (IOException | GeneralSecurityException | RuntimeException ignored) {
                // a key type this client cannot read never matches
            }
        }
        return keys;
    }
}
