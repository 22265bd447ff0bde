package io.stoker.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.stoker.cli.CliException;
import io.stoker.cli.ExitCode;

import java.io.PrintWriter;
import java.util.Set;

/** Reading a run's log (whole or followed live) and waiting for its outcome, shared by {@code logs} and {@code trigger}. */
final class RunLog {
    static final Set<String> FINAL = Set.of("succeeded", "failed", "timedout", "cancelled");
    /** The follow stream ends when the tasks' logs end; the run's row may be saved a moment later. */
    private static final long SETTLE_MILLIS = 30_000;

    private RunLog() {
    }

    /** The log path of a run (all tasks, prefixed) or of one task. */
    static String path(String key, String task) {
        String run = "/runs/" + StokerClient.segment(key);
        return task == null ? run + "/log" : run + "/tasks/" + StokerClient.segment(task) + "/log";
    }

    static void print(StokerClient client, String key, String task, boolean raw, PrintWriter out) {
        String text = client.text(path(key, task));
        StoredLines.of(text).forEach(l -> out.println(LogText.show(l, raw)));
        out.flush();
    }

    /**
     * Streams new lines until the server ends the follow, which it does when the followed tasks end. A lost server
     * is waited out ({@link Reconnect}) and the follow resumes after the last line shown (the event stream's
     * {@code Last-Event-ID}), so no line is lost or shown twice.
     */
    static void follow(StokerClient client, String key, String task, boolean raw, PrintWriter out, Reconnect reconnect) {
        String[] shown = {null}; // the id of the last line shown
        Runnable stream = () -> reconnect.call(() -> {
            client.events(path(key, task), shown[0], reconnect::answered, e -> {
                if (!"line".equals(e.type())) return;
                out.println(LogText.show(LogEvent.stored(e.data(), task == null), raw));
                out.flush();
                if (e.id() != null) shown[0] = e.id();
            });
            return null;
        });
        int losses = reconnect.losses();
        stream.run();
        // a server that started again reads a log written before its start as ended until the task opens it again (a
        // run queued again by retryOnRestart): a follow back in between missed the new attempt's lines, so once the
        // end is stored, once more from the last line shown (FollowReconnectSpec's restarts did not hit that window)
        if (reconnect.losses() != losses) stream.run();
    }

    /**
     * Follows a run's log to its end, prints its outcome and returns the exit code for it (0 only if it succeeded);
     * Ctrl-C meanwhile leaves the run going and says so on {@code err}.
     */
    static int followToEnd(StokerClient client, String key, boolean raw, PrintWriter out, PrintWriter err) {
        Reconnect reconnect = Reconnect.of(client, err);
        JsonNode run = FollowStop.announcedRun(client, key, reconnect, err, () -> {
            follow(client, key, null, raw, out, reconnect);
            return awaitEnd(client, key, reconnect);
        });
        out.println(outcome(run));
        return "succeeded".equals(run.path("status").asText()) ? ExitCode.OK : ExitCode.RUN_FAILED;
    }

    /** The run once it has a final status; polls briefly, since the log can end just before the status is saved. */
    static JsonNode awaitEnd(StokerClient client, String key, Reconnect reconnect) {
        return awaitFinal(client, key, null, reconnect);
    }

    /** The task as the run shows it once it ended ({@code status}, {@code attempts}, {@code reason} …). */
    static JsonNode awaitTask(StokerClient client, String key, String task, Reconnect reconnect) {
        return awaitFinal(client, key, task, reconnect).path("tasks").path(task);
    }

    /** The run once it (or, with {@code task}, that task of it) has a final status. */
    private static JsonNode awaitFinal(StokerClient client, String key, String task, Reconnect reconnect) {
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        long pause = 50;
        while (true) {
            JsonNode run = reconnect.call(() -> client.get("/runs/" + StokerClient.segment(key)));
            JsonNode of = task == null ? run : run.path("tasks").path(task);
            if (FINAL.contains(of.path("status").asText()) || "skipped".equals(of.path("status").asText())) return run;
            if (System.currentTimeMillis() > deadline) {
                throw new CliException(ExitCode.UNAVAILABLE, "the log of " + (task == null ? "run " + key
                        : "task " + task + " of run " + key) + " ended but it is still " + of.path("status").asText()
                        + "; see 'stoker status " + key + "'");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCode.UNAVAILABLE, "interrupted");
            }
            pause = Math.min(pause * 2, 1000);
        }
    }

    /** The one-line outcome: {@code run KEY (#N, project/job): status}, with the reason when there is one. */
    static String outcome(JsonNode run) {
        return reference(run) + ": " + statusWithReason(run.path("status").asText(), run.path("reason").asText(null));
    }

    /** How the CLI names a run in its lines: {@code run KEY (#N, project/job)}. */
    static String reference(JsonNode run) {
        return "run " + run.path("key").asText() + " (#" + run.path("number").asText() + ", " + run.path("project").asText()
                + "/" + run.path("job").asText() + ")";
    }

    /**
     * A status and its reason, saying nothing twice: {@code cancelled} (not "cancelled — cancelled"),
     * {@code failed: a} (not "failed — failed: a"), {@code failed — agent lost}.
     */
    static String statusWithReason(String status, String reason) {
        String extra = reasonBeside(status, reason);
        return extra == null ? status : reason.startsWith(status + ":") ? reason : status + " — " + extra;
    }

    /** The part of a reason that the status does not already say, or null when it says nothing more. */
    static String reasonBeside(String status, String reason) {
        if (reason == null || reason.isBlank() || reason.strip().equals(status)) return null;
        if (reason.startsWith(status + ":")) return reason.substring(status.length() + 1).strip();
        return reason.strip();
    }
}
