package io.stoker.cli.remote;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * Ctrl-C (or SIGTERM) while a command follows something on the server stops the following, not what it follows, as
 * Jenkins' {@code build -f} leaves the build alone. A shutdown hook says so in one line on stderr, since the JVM's
 * silent exit 130 looks as if the run had been stopped.
 */
final class FollowStop {
    /** Help text for the commands that follow a run. */
    static final String HELP = "Ctrl-C stops following; the run goes on (stoker cancel RUN stops it).";

    private FollowStop() {
    }

    /** Runs {@code follow}; a signal meanwhile prints {@code stopped following; WHAT goes on — ADVICE} to {@code err}. */
    static <T> T announced(String what, String advice, PrintWriter err, Supplier<T> follow) {
        Thread hook = new Thread(() -> {
            err.println("stopped following; " + what + " goes on — " + advice);
            err.flush();
        }, "stoker-follow-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return follow.get();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the signal came as the follow ended: the hook says its line anyway
            }
        }
    }

    /**
     * {@link #announced} for a run, with {@code stoker cancel KEY} as the way to stop it; the run is read as part of
     * the follow, so a server lost by then is waited out as {@code reconnect} says.
     */
    static <T> T announcedRun(StokerClient client, String key, Reconnect reconnect, PrintWriter err, Supplier<T> follow) {
        String run = RunLog.reference(reconnect.call(() -> client.get("/runs/" + StokerClient.segment(key))));
        return announced(run, "stoker cancel " + key + " stops it", err, follow);
    }
}
