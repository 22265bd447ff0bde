package io.stoker.server.agent;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

/**
 * Checks that a text is a private key MINA SSHD can log in with (OpenSSH or PEM, unencrypted), using the same
 * loader the SSH connection uses, so a key accepted here is a key the agent connection can read.
 */
final class PrivateKeys {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateKeys.class);
    /** Far above any RSA-16384 key in OpenSSH format; bounds what is parsed and sealed. */
    static final int MAX_CHARS = 32 * 1024;

    private PrivateKeys() {
    }

    /** Null when {@code text} holds a usable private key, else why not (never quoting the text). */
    static String problem(String text) {
        if (text.length() > MAX_CHARS) return "is " + text.length() + " characters; a private key has at most " + MAX_CHARS;
        if (!text.contains("PRIVATE KEY-----")) {
            return "must be a private key in OpenSSH or PEM format (-----BEGIN … PRIVATE KEY-----)";
        }
        // the thread shows whether a parse (seconds on a server's first, while BouncyCastle loads) held an event loop
        LOG.debug("reading a private key of {} characters", text.length());
        try {
            Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("privateKey"),
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), null);
            if (keys == null || !keys.iterator().hasNext()) return "holds no key that can be read";
            return null;
        } catch (Exception e) {
            // an encrypted key without a passphrase provider fails here too; MINA's messages never echo key bytes
            String why = e.getMessage() == null ? "" : e.getMessage();
            if (why.toLowerCase(java.util.Locale.ROOT).contains("password")
                    || why.toLowerCase(java.util.Locale.ROOT).contains("encrypt")) {
                return "is encrypted; give the key without a passphrase (it is stored encrypted by the server)";
            }
            // the parser's own words ("Premature EOF - expected=14, actual=2") tell a user nothing
            return "cannot be read as a private key: it looks damaged or cut short; give the whole key file, from its"
                    + " -----BEGIN line to its -----END line";
        }
    }
}
