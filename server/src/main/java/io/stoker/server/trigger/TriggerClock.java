package io.stoker.server.trigger;

import io.stoker.dsl.cron.CronSchedule;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Fires registered cron schedules. Keys are chosen by the caller (the server's are {@link ScheduleKey}s: a job's cron
 * or poll trigger); each key has one or more {@link CronSchedule}s.
 *
 * <p>The logic is {@link #dueSince}: which keys have a firing time in {@code (last, now]}, pure and testable without
 * waiting. {@link #tick} applies it from the previous tick to the injected clock's now. {@link #start} drives ticks
 * with a Vert.x timer at each minute boundary. Missed firings (server down, clock jumps) coalesce: a key fires at
 * most once per tick, and nothing is caught up from before the clock's start unless a start instant is given.
 * Schedules are evaluated in the clock's zone.
 */
public final class TriggerClock<K extends Comparable<K>> {
    private static final Logger LOG = LoggerFactory.getLogger(TriggerClock.class);

    /** A key that is due, and the scheduled time it is due for (the earliest one in the window). */
    public record Firing<K>(K key, ZonedDateTime scheduledAt) {
    }

    private final Clock clock;
    private final Map<K, List<CronSchedule>> registrations = new ConcurrentHashMap<>();
    private Instant lastTick;
    private Vertx vertx;
    private long timerId = -1;
    private boolean running;

    /** A clock whose first tick covers the time since now (nothing missed before construction is fired). */
    public TriggerClock(Clock clock) {
        this(clock, clock.instant());
    }

    /** A clock whose first tick covers {@code (since, now]}, e.g. the last tick persisted before a restart. */
    public TriggerClock(Clock clock, Instant since) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastTick = Objects.requireNonNull(since, "since");
    }

    /** Registers (or replaces) the schedules of a key; an empty list unregisters it. */
    public void register(K key, List<CronSchedule> schedules) {
        if (schedules.isEmpty()) {
            registrations.remove(key);
        } else {
            registrations.put(key, List.copyOf(schedules));
        }
    }

    public void unregister(K key) {
        registrations.remove(key);
    }

    /** The registered keys, sorted. */
    public Set<K> keys() {
        return new TreeSet<>(registrations.keySet());
    }

    /** The instant up to which firings have been delivered (persist it to resume after a restart). */
    public synchronized Instant lastTick() {
        return lastTick;
    }

    /**
     * The keys with a firing time in {@code (last, now]}, each once with its earliest such time, ordered by time
     * then key. Pure: changes nothing.
     */
    public List<Firing<K>> dueSince(Instant last, Instant now) {
        List<Firing<K>> due = new ArrayList<>();
        if (!now.isAfter(last)) {
            return due;
        }
        ZonedDateTime from = last.atZone(clock.getZone());
        registrations.forEach((key, schedules) -> schedules.stream()
                .map(schedule -> schedule.next(from))
                .filter(at -> !at.toInstant().isAfter(now))
                .min(Comparator.naturalOrder())
                .ifPresent(at -> due.add(new Firing<>(key, at))));
        due.sort(Comparator.comparing((Firing<K> f) -> f.scheduledAt().toInstant()).thenComparing(Firing::key));
        return due;
    }

    /** Firings due since the previous tick up to the clock's now; advances the tick. A clock going back fires nothing. */
    public synchronized List<Firing<K>> tick() {
        Instant now = clock.instant();
        List<Firing<K>> due = dueSince(lastTick, now);
        if (now.isAfter(lastTick)) {
            lastTick = now;
        }
        return due;
    }

    /**
     * Ticks at every minute boundary (per the injected clock) on a Vert.x timer and hands each firing to
     * {@code onFire} on the event loop: it must not block. An exception from one callback is logged and does not
     * stop the others or the clock.
     */
    public synchronized void start(Vertx vertx, Consumer<Firing<K>> onFire) {
        if (running) {
            throw new IllegalStateException("the trigger clock is already running");
        }
        this.vertx = vertx;
        this.running = true;
        schedule(onFire);
    }

    /** Stops the timer; registrations are kept. */
    public synchronized void stop() {
        running = false;
        if (vertx != null && timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        timerId = -1;
    }

    private synchronized void schedule(Consumer<Firing<K>> onFire) {
        if (!running) {
            return;
        }
        Instant now = clock.instant();
        // from the last tick, not from now: a boundary already passed since then (a slow start, a stalled loop)
        // is delivered at once instead of a minute late
        Instant nextMinute = lastTick.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        long delay = Math.max(1, nextMinute.toEpochMilli() - now.toEpochMilli());
        timerId = vertx.setTimer(delay, id -> {
            for (Firing<K> firing : tick()) {
                try {
                    onFire.accept(firing);
                } catch (RuntimeException e) {
                    LOG.error("trigger {} failed", firing.key(), e);
                }
            }
            schedule(onFire);
        });
    }
}
