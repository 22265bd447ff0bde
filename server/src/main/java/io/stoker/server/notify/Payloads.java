package io.stoker.server.notify;

import io.stoker.engine.run.RunState;
import io.stoker.server.db.Json;

import java.util.List;

/**
 * The stored payload of each receiver kind, as JSON in the outbox (what {@code GET /runs/{key}/deliveries} shows):
 * a mail, an ntfy publish (sent as its body and headers by {@link NtfyTransport}), and a Slack-compatible
 * incoming-webhook message, posted as is.
 */
final class Payloads {
    private Payloads() {
    }

    /** A mail: recipient, subject, plain-text body. */
    record Mail(String to, String subject, String text) {
        static Mail read(String json) {
            return Json.mapper().convertValue(Json.map(json), Mail.class);
        }
    }

    /** An ntfy publish: https://docs.ntfy.sh/publish/ (Title, Priority 1-5, Tags, Click headers). */
    record Ntfy(String title, int priority, List<String> tags, String click, String message) {
        static Ntfy read(String json) {
            return Json.mapper().convertValue(Json.map(json), Ntfy.class);
        }
    }

    /**
     * {@code {"text", "attachments": [{"fallback", "color", "title", "title_link", "text", "fields"}]}}: the legacy
     * attachment shape that Slack, Mattermost and Rocket.Chat all read.
     */
    record Slack(String text, List<Attachment> attachments) {
    }

    record Attachment(String fallback, String color, String title, String title_link, String text, List<Field> fields) {
    }

    record Field(String title, String value, @com.fasterxml.jackson.annotation.JsonProperty("short") boolean isShort) {
    }

    static String mail(RunReport r, String to) {
        return Json.write(new Mail(to, "[stoker] " + r.headline(), r.text()));
    }

    /** ntfy caps a message at 4096 bytes; a longer one would become an attachment, so the lines are cut first. */
    static String ntfy(RunReport r) {
        String text = r.text();
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 4000) text = text.substring(0, 3900) + "\n…";
        return Json.write(new Ntfy(r.headline(), priority(r), List.of(tag(r), r.status().label()), r.url(), text));
    }

    /**
     * Slack's shape. What a run's names, branch and log bring is escaped as Slack asks ({@code &}, {@code <},
     * {@code >}): a branch or log line holding {@code <!channel>} or {@code <https://…|label>} is shown, not obeyed.
     */
    static String slack(RunReport r) {
        var fields = new java.util.ArrayList<Field>();
        fields.add(new Field("Status", r.status().label(), true));
        if (r.status().isFinal()) fields.add(new Field("Duration", RunReport.human(r.duration()), true));
        if (r.branch() != null) fields.add(new Field("Branch", slackText(r.branch()), true));
        if (r.failedTask() != null) fields.add(new Field("Failed task", slackText(r.failedTask()), true));
        if (r.waiting() != null) {
            fields.add(new Field("Question", slackText(r.waiting().question()), false));
            if (!r.waiting().approvers().isEmpty()) {
                fields.add(new Field("Approvers", slackText(String.join(", ", r.waiting().approvers())), true));
            }
            fields.add(new Field("Decide by", r.waiting().deadline().toString(), true));
        }
        String log = r.lastLines().isEmpty() ? ""
                : "```\n" + slackText(String.join("\n", r.lastLines()).replace("```", "'''")) + "\n```";
        String headline = slackText(r.headline());
        var attachment = new Attachment(headline, color(r), headline, r.url(), log, fields);
        return Json.write(new Slack(headline + " — <" + r.url() + "|open the run>", List.of(attachment)));
    }

    /** Text as Slack's control sequences cannot take it: {@code &}, {@code <} and {@code >} as entities. */
    static String slackText(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static int priority(RunReport r) {
        return switch (r.event()) {
            case FAILED -> 4;
            case STARTED -> 2;
            default -> 3;
        };
    }

    private static String tag(RunReport r) {
        return switch (r.event()) {
            case STARTED -> "arrow_forward";
            case SUCCEEDED, FIXED -> "white_check_mark";
            case FAILED -> r.status() == RunState.TIMEDOUT ? "hourglass" : "x";
            case CANCELLED -> "no_entry";
            case WAITING -> "raised_hand";
        };
    }

    private static String color(RunReport r) {
        return switch (r.event()) {
            case SUCCEEDED, FIXED -> "#2eb886";
            case FAILED -> "#d40e0d";
            case WAITING -> "#daa038";
            case STARTED, CANCELLED -> "#808080";
        };
    }
}
