package io.stoker.server.agent

import org.apache.sshd.common.config.keys.KeyUtils
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter

import java.security.KeyPair
import java.security.KeyPairGenerator
import java.security.spec.ECGenParameterSpec

/** Key pairs made in the spec, as the OpenSSH text a user would paste, and their SHA256 fingerprints. */
class TestKeys {
    static KeyPair ecKeyPair() {
        def g = KeyPairGenerator.getInstance('EC')
        g.initialize(new ECGenParameterSpec('secp256r1'))
        g.generateKeyPair()
    }

    static String openSsh(KeyPair pair) {
        def out = new ByteArrayOutputStream()
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, 'spec', null, out)
        out.toString('UTF-8')
    }

    static String fingerprint(KeyPair pair) {
        KeyUtils.getFingerPrint(pair.public)
    }

    /** A fingerprint no host has. */
    static String otherFingerprint() {
        fingerprint(ecKeyPair())
    }
}
