package io.stoker.agent.ssh;

import java.io.IOException;
import java.time.Duration;

/**
 * Checks that the login prints nothing of its own around a command. A shell startup file that echoes a greeting for
 * every session (an {@code echo} in {@code ~/.bashrc}, a {@code ForceCommand} wrapper) puts that text before the
 * SFTP server's first packet, which the SSH library then reports only as "Closing while await init message", and
 * before every command's answer, which would be read as a work directory or mixed into the agent program's frames.
 * Say what is wrong on the host, and what to change, before any of that is tried.
 */
final class QuietLogin {
    private static final String MARK = "stoker-login-check";
    /** How much of the greeting the reason quotes. */
    private static final int QUOTED = 120;

    private QuietLogin() {
    }

    /** Throws, with the reason a person reads, when a command's output carries more than the command printed. */
    static void check(AgentLink link, AgentEndpoint endpoint, Duration timeout) throws IOException {
        AgentLink.Result r = link.exec("printf " + MARK, timeout);
        if (r.out().equals(MARK)) return;
        String extra = r.out().replace(MARK, "").strip().replaceAll("\\s+", " ");
        if (extra.length() > QUOTED) extra = extra.substring(0, QUOTED) + "…";
        throw new IOException("the login of " + endpoint.user() + "@" + endpoint.host() + " prints text before each"
                + " command ('" + extra + "'), which breaks SFTP and would mix into the agent's answers: make its"
                + " shell print nothing when not interactive (in ~/.bashrc, put '[[ $- == *i* ]] || return' before"
                + " any echo)");
    }
}
