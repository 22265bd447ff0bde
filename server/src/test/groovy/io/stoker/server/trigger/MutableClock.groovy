package io.stoker.server.trigger

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId

/** A clock that stands still until a spec moves it. */
class MutableClock extends Clock {
    private volatile Instant now
    private final ZoneId zone

    MutableClock(Instant now, ZoneId zone = ZoneId.of('UTC')) {
        this.now = now
        this.zone = zone
    }

    void set(Instant instant) { now = instant }

    void advance(Duration d) { now = now + d }

    @Override
    ZoneId getZone() { zone }

    @Override
    Clock withZone(ZoneId z) { new MutableClock(now, z) }

    @Override
    Instant instant() { now }
}
