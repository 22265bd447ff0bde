package io.stoker.server.git;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The host keys of one ssh fetch, checked against a {@code known_hosts} file read by Apache MINA SSHD's
 * {@link KnownHostEntry}: plain and hashed ({@code |1|salt|hash}, what {@code ssh-keyscan -H} and
 * {@code HashKnownHosts yes} write) host names, {@code [host]:port}, wildcards and negations, and the
 * {@code @revoked} and {@code @cert-authority} markers. A host without an entry is recorded only when
 * trust-on-first-use is on; otherwise, and always when the host's key differs from the recorded one or is revoked,
 * the connection is refused and {@link #rejection()} says why in words fit for users.
 * One instance serves one fetch (it remembers that fetch's rejection).
 */
final class SshHostKeys implements ServerKeyDatabase {
    private static final Object FILE_LOCK = new Object(); // known_hosts appends from concurrent syncs
    private static final String REVOKED = "revoked";
    private static final String CERT_AUTHORITY = "cert-authority";

    private final Path knownHosts;
    private final String host;
    private final int port;
    private final String hostToken;
    private final boolean trustFirstUse;
    private volatile String rejection;

    /** A key recorded for this host and its marker ({@code revoked}, {@code cert-authority} or null). */
    private record Recorded(PublicKey key, String marker) {
    }

    /** Keys for {@code host} (port {@code port}, -1 or 22 for the default) kept in {@code knownHosts}. */
    SshHostKeys(Path knownHosts, String host, int port, boolean trustFirstUse) {
        this.knownHosts = knownHosts;
        this.host = host;
        this.port = port <= 0 ? 22 : port;
        this.hostToken = this.port == 22 ? host : "[" + host + "]:" + port;
        this.trustFirstUse = trustFirstUse;
    }

    /** Why the host's key was refused, or null when it was not. */
    String rejection() {
        return rejection;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        return recorded().stream().filter(r -> r.marker() == null).map(Recorded::key).toList();
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
                          Configuration config, CredentialsProvider provider) {
        synchronized (FILE_LOCK) {
            List<Recorded> known = recorded();
            PublicKey hostKey = serverKey instanceof OpenSshCertificate cert ? cert.getCertPubKey() : serverKey;
            String fingerprint = KeyUtils.getFingerPrint(hostKey);
            for (Recorded r : known) {
                if (REVOKED.equals(r.marker()) && (KeyUtils.compareKeys(r.key(), hostKey)
                        || serverKey instanceof OpenSshCertificate c && KeyUtils.compareKeys(r.key(), c.getCaPubKey()))) {
                    rejection = "the host key of " + hostToken + " (" + fingerprint + ") is marked @revoked in "
                            + knownHosts + "; the connection is refused";
                    return false;
                }
            }
            if (serverKey instanceof OpenSshCertificate cert && signedByKnownAuthority(cert, known)) return true;
            List<Recorded> plain = known.stream().filter(r -> r.marker() == null).toList();
            for (Recorded r : plain) {
                if (KeyUtils.compareKeys(r.key(), hostKey)) return true;
            }
            String line = hostToken + " " + PublicKeyEntry.toString(hostKey);
            if (!plain.isEmpty()) {
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

    /** A host certificate for this host, valid now, signed by a key marked {@code @cert-authority} for it. */
    private boolean signedByKnownAuthority(OpenSshCertificate cert, List<Recorded> known) {
        if (cert.getType() != OpenSshCertificate.Type.HOST) return false;
        if (!cert.getPrincipals().isEmpty() && !cert.getPrincipals().contains(host)) return false;
        try {
            if (!OpenSshCertificate.isValidNow(cert)) return false;
        } catch (RuntimeException e) {
            return false;
        }
        return known.stream().anyMatch(r -> CERT_AUTHORITY.equals(r.marker())
                && KeyUtils.compareKeys(r.key(), cert.getCaPubKey()));
    }

    /** The entries for this host; unreadable lines are skipped (they may be for other tools' key types). */
    private List<Recorded> recorded() {
        List<Recorded> keys = new ArrayList<>();
        if (!Files.isRegularFile(knownHosts)) return keys;
        List<String> lines;
        try {
            lines = Files.readAllLines(knownHosts, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return keys;
        }
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            try {
                KnownHostEntry entry = KnownHostEntry.parseKnownHostEntry(line);
                if (entry == null || entry.getKeyEntry() == null || !entry.isHostMatch(host, port)) continue;
                keys.add(new Recorded(entry.getKeyEntry().resolvePublicKey(null, null, null), entry.getMarker()));
            } catch (IOException | GeneralSecurityException | RuntimeException ignored) {
                // a line this client cannot read never matches
            }
        }
        return keys;
    }
}
