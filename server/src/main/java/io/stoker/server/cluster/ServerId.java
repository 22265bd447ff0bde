package io.stoker.server.cluster;

import java.net.InetAddress;
import java.security.SecureRandom;

/** A server's id: its host name and eight random characters, made once per process (a restart is a new server). */
public final class ServerId {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private ServerId() {
    }

    public static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder(host()).append('-');
        for (int i = 0; i < 8; i++) b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        return b.toString();
    }

    private static String host() {
        try {
            String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "");
            int dot = name.indexOf('.');
            name = dot > 0 ? name.substring(0, dot) : name;
            return name.isEmpty() ? "stoker" : name.substring(0, Math.min(40, name.length()));
        } catch (java.io.IOException e) {
            return "stoker";
        }
    }
}
