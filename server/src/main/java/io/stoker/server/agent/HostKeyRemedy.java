package io.stoker.server.agent;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person does about an agent blocked by a changed host key: its reason names the command that pins the new
 * key, so {@code stoker agent list} and the manage page say the fix, not only the fault.
 */
final class HostKeyRemedy {
    private static final Pattern GOT = Pattern.compile("got (SHA256:[A-Za-z0-9+/=]+)");

    private HostKeyRemedy() {
    }

    /** The fingerprint the host showed when {@code reason} is a changed host key, else null. */
    static String offered(String reason) {
        if (reason == null || !reason.startsWith("host key changed")) return null;
        Matcher got = GOT.matcher(reason);
        return got.find() ? got.group(1) : null;
    }

    /** {@code reason} with the pinning command appended when it is a changed host key; other reasons as they are. */
    static String explain(String agent, String reason) {
        if (reason == null || !reason.startsWith("host key changed") || reason.contains("stoker agent pin")) return reason;
        Matcher got = GOT.matcher(reason);
        return reason + "; once you have checked on the machine (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub) that this"
                + " key is its own, pin it: stoker agent pin " + agent + " --host-key "
                + (got.find() ? got.group(1) : "SHA256:…");
    }
}
