package io.stoker.server.endnews;

import io.stoker.server.event.RunFinished;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Tells the ends nobody told: hands each untold run's end to the tellers that have not told it, as the event hub
 * would have. Each teller's own mark keeps it from telling twice, so handing a run to a teller that is telling it
 * right now costs a read and sends nothing more.
 */
public final class UntoldEnds {
    private static final Logger LOG = LoggerFactory.getLogger(UntoldEnds.class);
    /** The most runs one look hands on: more wait for the next look (a cluster's next round, the next start). */
    static final int BATCH = 1_000;
    /**
     * In a cluster, how long an ended run that no server holds (ended by a takeover, or cancelled while queued) is left
     * to the server that ended it: that server tells it within milliseconds unless it was stopped.
     */
    static final Duration SETTLED = Duration.ofMinutes(1);

    private final EndsTold marks;
    private final Map<EndTeller, Consumer<RunFinished>> tellers;
    private final Clock clock;

    /** @param tellers each teller's subscriber, which hands the event to its own thread and returns */
    public UntoldEnds(EndsTold marks, Map<EndTeller, Consumer<RunFinished>> tellers, Clock clock) {
        this.marks = marks;
        this.tellers = new EnumMap<>(tellers);
        this.clock = clock;
    }

    /**
     * A single server's start, once its tellers listen: every untold end is this server's to tell, but for the runs
     * the start itself ended and {@code announced} names (their end is on its way to the tellers already).
     */
    public int tellAll(java.util.Collection<String> announced) {
        Set<String> skip = Set.copyOf(announced);
        return tell(run -> !skip.contains(run.run()));
    }

    /**
     * A cluster's round: the untold ends of runs held by servers not among {@code alive} (gone before their tellers
     * were done), and of runs no server holds that ended over a minute ago.
     */
    public int tellLost(Set<String> alive) {
        Instant settled = clock.instant().minus(SETTLED);
        return tell(run -> run.heldBy() != null ? !alive.contains(run.heldBy())
                : run.ended() == null || run.ended().isBefore(settled));
    }

    private int tell(Predicate<Untold> ours) {
        List<Untold> untold;
        try {
            untold = marks.untold(BATCH);
        } catch (SQLException e) {
            LOG.warn("the runs whose end was not told cannot be read: {}", e.toString());
            return 0;
        }
        int told = 0;
        for (Untold run : untold) {
            if (!ours.test(run)) continue;
            LOG.info("run {} ended {} and its {} had not told it (the server that ran it stopped first): telling it now",
                    run.run(), run.state().label(), run.left().stream().sorted().map(EndTeller::label)
                            .collect(java.util.stream.Collectors.joining(", ")));
            RunFinished end = new RunFinished(run.run(), run.project(), run.job(), run.state(),
                    run.ended() != null ? run.ended() : clock.instant());
            for (EndTeller teller : run.left()) {
                Consumer<RunFinished> to = tellers.get(teller);
                if (to != null) to.accept(end);
                else nothingToTell(run, teller);
            }
            told++;
        }
        return told;
    }

    /** A teller this server does not have would leave the run untold for good. */
    private void nothingToTell(Untold run, EndTeller teller) {
        try {
            marks.told(run.run(), teller);
        } catch (SQLException e) {
            LOG.warn("run {}: cannot mark its end told for {}: {}", run.run(), teller.label(), e.toString());
        }
    }
}
