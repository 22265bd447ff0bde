package io.stoker.server.trigger;

import java.util.Comparator;

/** What a schedule registered on the {@link TriggerClock} is for: the cron or the poll trigger of one job. */
public record ScheduleKey(Kind kind, String project, String job) implements Comparable<ScheduleKey> {
    private static final Comparator<ScheduleKey> ORDER = Comparator.comparing(ScheduleKey::project)
            .thenComparing(ScheduleKey::job).thenComparing(ScheduleKey::kind);

    /** The trigger a schedule fires. */
    public enum Kind { CRON, POLL }

    public static ScheduleKey cron(String project, String job) {
        return new ScheduleKey(Kind.CRON, project, job);
    }

    public static ScheduleKey poll(String project, String job) {
        return new ScheduleKey(Kind.POLL, project, job);
    }

    @Override
    public int compareTo(ScheduleKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + project + "/" + job;
    }
}
