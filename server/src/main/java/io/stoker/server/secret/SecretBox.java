package io.stoker.server.secret;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * AES-256-GCM under the {@link MasterKey}. A sealed value is {@code version(1) | nonce(12) | ciphertext+tag}; the
 * associated data binds it to where it is stored (e.g. {@code "secret:global:NPM_TOKEN"}), so a ciphertext copied
 * to another row does not open.
 */
public final class SecretBox {
    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final MasterKey key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(MasterKey key) {
        this.key = key;
    }

    /** Encrypts {@code plain}, bound to {@code context}. */
    public byte[] seal(byte[] plain, String context) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE + ct.length).put(VERSION).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable: " + e, e);
        }
    }

    /** Decrypts what {@link #seal} made for the same {@code context}; fails when the key or context differ. */
    public byte[] open(byte[] sealed, String context) throws SecretUnreadableException {
        if (sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new SecretUnreadableException("not a sealed value");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
        } catch (AEADBadTagException e) {
            throw new SecretUnreadableException("cannot decrypt: wrong master key, or the value was altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable: " + e, e);
        }
    }

    public byte[] sealText(String plain, String context) {
        return seal(plain.getBytes(StandardCharsets.UTF_8), context);
    }

    public String openText(byte[] sealed, String context) throws SecretUnreadableException {
        return new String(open(sealed, context), StandardCharsets.UTF_8);
    }
}
