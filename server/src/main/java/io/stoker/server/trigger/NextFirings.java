package io.stoker.server.trigger;

import io.stoker.dsl.cron.CronSchedule;
import io.stoker.dsl.cron.InvalidCronException;
import io.stoker.model.Job;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * When a job's schedules fire next, read from the clock the {@link Schedules} tick on: its zone is the one cron
 * expressions are evaluated in (the server's), and each {@code H} is spread by the same job identity.
 */
public final class NextFirings {
    private final Clock clock;

    public NextFirings(Clock clock) {
        this.clock = clock;
    }

    /** The zone cron expressions use. */
    public ZoneId zone() {
        return clock.getZone();
    }

    /** The job's cron schedules, then its poll schedules, each with its next firing after now. */
    public List<NextFiring> of(String project, Job job) {
        List<NextFiring> out = new ArrayList<>();
        add(out, ScheduleKey.Kind.CRON, project, job, job.triggers().cron());
        add(out, ScheduleKey.Kind.POLL, project, job, job.triggers().poll());
        return out;
    }

    private void add(List<NextFiring> out, ScheduleKey.Kind kind, String project, Job job, List<String> specs) {
        for (String spec : specs) {
            try {
                // the identity Schedules registers the job under: H picks the same minute here as there
                CronSchedule s = CronSchedule.parse(spec, project + "/" + job.name());
                out.add(new NextFiring(kind, spec, s.expanded(), s.next(clock.instant().atZone(clock.getZone()))));
            } catch (InvalidCronException e) {
                out.add(new NextFiring(kind, spec, null, null)); // never fires: Schedules logs why
            }
        }
    }
}
