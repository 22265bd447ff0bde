package io.stoker.agent.ssh;

/** Quoting for the POSIX shell on the agent: every value is single-quoted, so nothing in it is interpreted. */
final class Shell {
    private Shell() {
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
