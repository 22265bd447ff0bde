package io.stoker.server.endnews;

import io.stoker.server.event.LifecycleEvent;
import io.stoker.server.event.RunFinished;
import io.stoker.server.event.RunQueued;
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
 * Tells the queued runs, starts and ends nobody told: hands each untold queued, then each untold start, then each
 * untold end, to the tellers that have not told it, as the event hub would have. Each teller's own mark keeps it from
 * telling twice, so handing a run to a teller that is telling it right now costs a read and sends nothing more; and
 * each teller hears a run's queued before its start and its start before its end, on its one thread, so none is told
 * after a later one.
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

    private final QueuedTold queued;
    private final StartsTold starts;
    private final EndsTold ends;
    private final Map<EndTeller, Consumer<LifecycleEvent>> tellers;
    private final Clock clock;

    /** @param tellers each teller's subscriber, which hands the event to its own thread and returns */
    public UntoldNews(QueuedTold queued, StartsTold starts, EndsTold ends,
                      Map<EndTeller, Consumer<LifecycleEvent>> tellers, Clock clock) {
        this.queued = queued;
        this.starts = starts;
        this.ends = ends;
        this.tellers = new EnumMap<>(tellers);
        this.clock = clock;
    }

    /**
     * A single server's start, once its tellers listen and before it announces the ends it gave the runs a crash left
     * running (so their starts go out first), and before its dispatcher starts the runs left queued (so their queued
     * goes out before their start): every untold queued, start and end is this server's to tell, but for the ends of
     * the runs {@code announced} names (on their way to the tellers next).
     */
    public void tellAll(Collection<String> announced) {
        Set<String> skip = Set.copyOf(announced);
        tellQueued(run -> true);
        tellStarts(run -> true);
        tellEnds(run -> !skip.contains(run.run()));
    }

    /**
     * A cluster's round, before it takes over lost servers' runs (so their starts go out before the ends it gives
     * them): the untold starts and ends of runs held by servers not among {@code alive} (gone before their tellers
     * were done), and of runs no server holds that ended over a minute ago; the untold queued of runs saved over a
     * minute ago (the server that saved one tells it within milliseconds unless it was stopped).
     */
    public void tellLost(Set<String> alive) {
        Instant settled = clock.instant().minus(SETTLED);
        Predicate<String> lost = heldBy -> !alive.contains(heldBy);
        tellQueued(run -> run.queued() == null || run.queued().isBefore(settled));
        tellStarts(run -> run.heldBy() != null ? lost.test(run.heldBy())
                : run.ended() != null && run.ended().isBefore(settled));
        tellEnds(run -> run.heldBy() != null ? lost.test(run.heldBy())
                : run.ended() == null || run.ended().isBefore(settled));
    }

    private void tellQueued(Predicate<UntoldQueued> ours) {
        for (UntoldQueued run : read(queued.news(), () -> queued.untold(BATCH))) {
            if (!ours.test(run)) continue;
            // a teller that told the start or the end has nothing to say of the queued: marked, not asked
            for (EndTeller teller : run.moot()) nothingToTell(queued, run.run(), teller);
            if (run.left().isEmpty()) continue;
            LOG.info("run {} was queued and its {} had not told it (the server that saved it stopped first): telling "
                    + "it now", run.run(), labels(run.left()));
            hand(new RunQueued(run.run(), run.project(), run.job(), clock.instant()), run.run(), run.left(), queued);
        }
    }

    private void tellStarts(Predicate<UntoldStart> ours) {
        for (UntoldStart run : read(starts.news(), () -> starts.untold(BATCH))) {
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
        for (Untold run : read(ends.news(), () -> ends.untold(BATCH))) {
            if (!ours.test(run)) continue;
            LOG.info("run {} ended {} and its {} had not told it (the server that ran it stopped first): telling it now",
                    run.run(), run.state().label(), labels(run.left()));
            hand(new RunFinished(run.run(), run.project(), run.job(), run.state(),
                    run.ended() != null ? run.ended() : clock.instant()), run.run(), run.left(), ends);
        }
    }

    /** Reads a list of untold runs. */
    @FunctionalInterface
    private interface Untolds<T> {
        List<T> read() throws SQLException;
    }

    /** The runs whose {@code news} some teller has not told; none (logged) when the store cannot be read. */
    private static <T> List<T> read(String news, Untolds<T> untold) {
        try {
            return untold.read();
        } catch (SQLException e) {
            LOG.warn("the runs whose {} was not told cannot be read: {}", news, e.toString());
            return List.of();
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
