package io.stoker.server.trigger;

import java.time.ZonedDateTime;

/**
 * One cron or poll schedule of a job and when it fires next.
 *
 * @param spec     as the Jobfile wrote it ({@code H 2 * * *})
 * @param expanded with {@code H} and aliases replaced by this job's values ({@code 17 2 * * *})
 * @param at       the next firing in the server's time zone, or null when the spec never fires (it does not parse)
 */
public record NextFiring(ScheduleKey.Kind kind, String spec, String expanded, ZonedDateTime at) {
}
