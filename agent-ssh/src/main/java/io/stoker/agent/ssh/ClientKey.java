package io.stoker.agent.ssh;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;

/** Reads the client's private key from its text (OpenSSH or PEM) in memory; it is never written to disk. */
final class ClientKey {
    private ClientKey() {
    }

    static KeyPair parse(String agent, String text) throws IOException {
        if (text == null || text.isBlank()) throw new IOException("agent " + agent + " has no private key");
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(agent + "-key"),
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) throw new IOException("agent " + agent + ": no key found in privateKey");
            return it.next();
        } catch (GeneralSecurityException e) {
            throw new IOException("agent " + agent + ": cannot read privateKey (" + e.getMessage() + ")", e);
        }
    }
}
