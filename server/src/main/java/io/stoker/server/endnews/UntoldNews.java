package io.stoker.server.endnews;

import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.RunStarted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Tells the starts and ends nobody told: hands each untold start, then each untold end, to the tellers that have not
 * told it, as the event hub would have. Each teller's own mark keeps it from telling twice, so handing a run to a
 * teller that is telling it right now costs a read and sends nothing more; and each teller hears a run's start before
 * its end, on its one thread, so a start is never told after the end.
 */
public final class UntoldNews {
    private static final Logger LOG = LoggerFactory.getLogger(UntoldNews.class);
    /** The most runs one look hands on: more wait for the next look (a cluster's next round, the next start). */
    static final int BATCH = 1_000;
    /**
     * In a cluster, how long an ended run that no server holds (ended by a takeover, or cancelled while queued) is left
     * to the server that ended it: that server tells it within milliseconds unless it was stopped.
     */
    static final Duration SETTLED = Duration.ofMinutes(1);

    private final StartsTold starts;
    private final EndsTold ends;
    private final Map<EndTeller, Consumer<LifecycleEvent>> tellers;
    private final Clock clock;

    /** @param tellers each teller's subscriber, which hands the event to its own thread and returns */
    public UntoldNews(StartsTold starts, EndsTold ends, Map<EndTeller, Consumer<LifecycleEvent>> tellers, Clock clock) {
        this.starts = starts;
        this.ends = ends;
        this.tellers = new EnumMap<>(tellers);
        this.clock = clock;
    }

    /**
     * A single server's start, once its tellers listen and before it announces the ends it gave the runs a crash left
     * running (so their starts go out first): every untold start and end is this server's to tell, but for the ends of
     * the runs {@code announced} names (on their way to the tellers next).
     */
    public void tellAll(Collection<String> announced) {
        Set<String> skip = Set.copyOf(announced);
        tellStarts(run -> true);
        tellEnds(run -> !skip.contains(run.run()));
    }

    /**
     * A cluster's round, before it takes over lost servers' runs (so their starts go out before the ends it gives
     * them): the untold starts and ends of runs held by servers not among {@code alive} (gone before their tellers
     * were done), and of runs no server holds that ended over a minute ago.
     */
    public void tellLost(Set<String> alive) {
        Instant settled = clock.instant().minus(SETTLED);
        Predicate<String> lost = heldBy -> !alive.contains(heldBy);
        tellStarts(run -> run.heldBy() != null ? lost.test(run.heldBy())
                : run.ended() != null && run.ended().isBefore(settled));
        tellEnds(run -> run.heldBy() != null ? lost.test(run.heldBy())
                : run.ended() == null || run.ended().isBefore(settled));
    }

    private void tellStarts(Predicate<UntoldStart> ours) {
        List<UntoldStart> untold;
        try {
            untold = starts.untold(BATCH);
        } catch (SQLException e) {
            LOG.warn("the runs whose start was not told cannot be read: {}", e.toString());
            return;
        }
        for (UntoldStart run : untold) {
            if (!ours.test(run)) continue;
            // a teller that told the end has nothing to say of the start: marked, not asked
            for (EndTeller teller : run.moot()) nothingToTell(starts, run.run(), teller);
            if (run.left().isEmpty()) continue;
            LOG.info("run {} started and its {} had not told it (the server that ran it stopped first): telling it now",
                    run.run(), labels(run.left()));
            hand(new RunStarted(run.run(), run.project(), run.job(),
                    run.started() != null ? run.started() : clock.instant()), run.run(), run.left(), starts);
        }
    }

    private void tellEnds(Predicate<Untold> ours) {
        List<Untold> untold;
        try {
            untold = ends.untold(BATCH);
        } catch (SQLException e) {
            LOG.warn("the runs whose end was not told cannot be read: {}", e.toString());
            return;
        }
        for (Untold run : untold) {
            if (!ours.test(run)) continue;
            LOG.info("run {} ended {} and its {} had not told it (the server that ran it stopped first): telling it now",
                    run.run(), run.state().label(), labels(run.left()));
            hand(new RunFinished(run.run(), run.project(), run.job(), run.state(),
                    run.ended() != null ? run.ended() : clock.instant()), run.run(), run.left(), ends);
        }
    }

    private void hand(LifecycleEvent news, String run, Set<EndTeller> left, NewsTold marks) {
        for (EndTeller teller : left) {
            Consumer<LifecycleEvent> to = tellers.get(teller);
            if (to != null) to.accept(news);
            else nothingToTell(marks, run, teller); // a teller this server does not have would leave it untold for good
        }
    }

    private static void nothingToTell(NewsTold marks, String run, EndTeller teller) {
        try {
            marks.told(run, teller);
        } catch (SQLException e) {
            LOG.warn("run {}: cannot mark its {} told for {}: {}", run, marks.news(), teller.label(), e.toString());
        }
    }

    private static String labels(Set<EndTeller> tellers) {
        return tellers.stream().sorted().map(EndTeller::label).collect(Collectors.joining(", "));
    }
}
