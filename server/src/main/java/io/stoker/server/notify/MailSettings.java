package io.stoker.server.notify;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The SMTP server notification mail goes through. Without a host, mail receivers are skipped (and said so in the
 * server log).
 *
 * @param security       {@code NONE}, {@code STARTTLS} (upgrade a plain connection; required) or {@code TLS}
 *                       (TLS from the first byte, usually port 465)
 * @param password       the password in clear from the environment, or null
 * @param passwordSecret the name of a global secret holding the password (read at send time), or null
 * @param timeout        connect, read and write timeout of one attempt
 */
public record MailSettings(String host, int port, Security security, String user, String password,
                           String passwordSecret, String from, Duration timeout) {

    /** How the connection to the SMTP server is protected. */
    public enum Security { NONE, STARTTLS, TLS }

    public static final MailSettings NONE = new MailSettings(null, 25, Security.NONE, null, null, null,
            "stoker@localhost", Duration.ofSeconds(10));

    public boolean configured() {
        return host != null && !host.isBlank();
    }

    /**
     * From {@code STOKER_SMTP_HOST}, {@code STOKER_SMTP_PORT} (default 587 with STARTTLS, 465 with TLS, else 25),
     * {@code STOKER_SMTP_SECURITY} ({@code none|starttls|tls}, default starttls when a user is set, else none),
     * {@code STOKER_SMTP_USER}, {@code STOKER_SMTP_PASSWORD} or {@code STOKER_SMTP_PASSWORD_SECRET} (a global
     * secret's name), {@code STOKER_SMTP_FROM} (default {@code stoker@<host>}) and {@code STOKER_SMTP_TIMEOUT}
     * (seconds, default 10).
     */
    public static MailSettings fromEnv(Map<String, String> env) {
        String host = blankToNull(env.get("STOKER_SMTP_HOST"));
        if (host == null) return NONE;
        String user = blankToNull(env.get("STOKER_SMTP_USER"));
        String sec = blankToNull(env.get("STOKER_SMTP_SECURITY"));
        Security security;
        try {
            security = sec == null ? (user == null ? Security.NONE : Security.STARTTLS)
                    : Security.valueOf(sec.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("STOKER_SMTP_SECURITY must be none, starttls or tls, was '" + sec + "'");
        }
        int port = number(env, "STOKER_SMTP_PORT", switch (security) {
            case STARTTLS -> 587;
            case TLS -> 465;
            case NONE -> 25;
        });
        String from = blankToNull(env.get("STOKER_SMTP_FROM"));
        return new MailSettings(host, port, security, user, blankToNull(env.get("STOKER_SMTP_PASSWORD")),
                blankToNull(env.get("STOKER_SMTP_PASSWORD_SECRET")), from == null ? "stoker@" + host : from,
                Duration.ofSeconds(number(env, "STOKER_SMTP_TIMEOUT", 10)));
    }

    private static int number(Map<String, String> env, String name, int dflt) {
        String v = blankToNull(env.get(name));
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n <= 0 || n > 65535) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number from 1 to 65535, was '" + v + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() {
        return "smtp " + (configured() ? host + ":" + port + " " + security.name().toLowerCase(Locale.ROOT) : "off");
    }
}
