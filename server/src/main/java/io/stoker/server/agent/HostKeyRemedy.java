package io.stoker.server.agent;

import io.stoker.agent.ssh.HostKeyCheck;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person does about an agent blocked by its host key (changed, or never the pinned one): its reason names the
 * command that pins the key the host shows, so {@code stoker agent list} and the manage page say the fix, not only
 * the fault.
 */
final class HostKeyRemedy {
    private static final Pattern GOT = Pattern.compile("got (SHA256:[A-Za-z0-9+/=]+)");

    private HostKeyRemedy() {
    }

    /** Whether {@code reason} is a host key that is not the pinned one (changed, or never matched). */
    private static boolean keyMismatch(String reason) {
        return reason != null && (reason.startsWith(HostKeyCheck.CHANGED) || reason.startsWith(HostKeyCheck.NEVER_MATCHED));
    }

    /** The fingerprint the host showed when {@code reason} is a host key that is not the pinned one, else null. */
    static String offered(String reason) {
        if (!keyMismatch(reason)) return null;
        Matcher got = GOT.matcher(reason);
        return got.find() ? got.group(1) : null;
    }

    /**
     * {@code reason} with the pinning command appended when it is a host key that is not the pinned one; other
     * reasons as they are. A pin that never matched was likely given wrong, so that is said first.
     */
    static String explain(String agent, String reason) {
        if (!keyMismatch(reason) || reason.contains("stoker agent pin")) return reason;
        Matcher got = GOT.matcher(reason);
        String check = reason.startsWith(HostKeyCheck.NEVER_MATCHED)
                ? "; nothing changed on the host: the pinned fingerprint was never its key (mistyped, or another"
                + " machine's?). Once you have checked on the machine"
                : "; once you have checked on the machine";
        return reason + check + " (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) that this"
                + " key is its own, pin it: stoker agent pin " + agent + " --host-key "
                + (got.find() ? got.group(1) : "SHA256:…");
    }
}
