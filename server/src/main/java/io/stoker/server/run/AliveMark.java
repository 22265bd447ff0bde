package io.stoker.server.run;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A server's last sign of life, for dating what a crash interrupted: the modification time of {@code alive} in the
 * data directory, set every {@link #EVERY} while the server runs. A {@code kill -9} or a power cut leaves it at most
 * that long before the end, so the next start ends the runs left running then, not at its own start hours later. A
 * clean stop dates its runs itself ({@link RunRepository#markStopped}); a cluster's servers have leases instead.
 */
public final class AliveMark {
    private static final Logger LOG = LoggerFactory.getLogger(AliveMark.class);
    /** How often the mark is set: how much earlier than the real end a crash's runs may be dated. */
    public static final Duration EVERY = Duration.ofSeconds(5);

    private final Path file;
    private final Clock clock;

    private AliveMark(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public static AliveMark in(Path dataDir, Clock clock) {
        return new AliveMark(dataDir.resolve("alive"), clock);
    }

    /** When the server that last used the data directory was last seen alive: never later than now; empty if never. */
    public Optional<Instant> last() {
        try {
            Instant seen = Files.getLastModifiedTime(file).toInstant();
            Instant now = clock.instant();
            return Optional.of(seen.isAfter(now) ? now : seen);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("the server's last sign of life cannot be read from {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    /** Sets the mark to now. */
    public void set() throws IOException {
        FileTime now = FileTime.from(clock.instant());
        try {
            Files.setLastModifiedTime(file, now);
        } catch (NoSuchFileException e) {
            Files.write(file, new byte[0]);
            Files.setLastModifiedTime(file, now);
        }
    }

    /** Sets the mark now and then every {@link #EVERY} on a worker, for as long as {@code vertx} runs. */
    public void keepUp(Vertx vertx) throws IOException {
        set();
        vertx.setPeriodic(EVERY.toMillis(), id -> vertx.executeBlocking(() -> {
            set();
            return null;
        }, false).onFailure(e -> LOG.warn("the server's sign of life cannot be set in {}: {}", file, e.toString())));
    }
}
