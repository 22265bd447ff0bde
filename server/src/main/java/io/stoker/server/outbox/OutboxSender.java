package io.stoker.server.outbox;

import io.stoker.server.http.OnDemandHttpClient;
import io.stoker.server.http.WholeAnswer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends due deliveries on its own platform threads, never on the event loop or a run's thread: a slow or dead
 * receiver only delays its own line (run and target). A 2xx is delivered; a 4xx other than 408/425/429, or a
 * redirect (not followed: {@link io.stoker.server.http.Redirected}), is failed for good; anything else (no answer, 5xx) is retried with exponential backoff and jitter until the window ends.
 * Pending rows are the state: a restart picks them up on the first tick.
 */
public final class OutboxSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
    private static final int BATCH = 50;

    private final Outbox outbox;
    private final OutboxSettings settings;
    private final Clock clock;
    private final OnDemandHttpClient http;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "stoker-outbox"));
    private final ExecutorService senders = Executors.newFixedThreadPool(4, r -> thread(r, "stoker-outbox-send"));
    private final Set<String> busyLines = ConcurrentHashMap.newKeySet(); // run + target lines being sent
    /** Deliveries this sender claimed and has not finished: given back when it closes, so the next start sends them. */
    private final java.util.Map<Long, Delivery> claimed = new ConcurrentHashMap<>();
    private final Map<String, Transport> transports; // by delivery kind; any other kind is a JSON POST
    private volatile AttemptCounter counter = AttemptCounter.NONE;
    private final RepeatedFailure lookingFails = new RepeatedFailure(LOG, "outbox: looking for due deliveries");

    public OutboxSender(Outbox outbox, OutboxSettings settings, Clock clock) {
        this(outbox, settings, clock, Map.of());
    }

    /** A sender that hands deliveries of the kinds in {@code transports} to them (e.g. {@code email} to SMTP). */
    public OutboxSender(Outbox outbox, OutboxSettings settings, Clock clock, Map<String, Transport> transports) {
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
        this.transports = Map.copyOf(transports);
        this.http = new OnDemandHttpClient(() -> HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Who counts the attempts (the metrics); set before {@link #start()}. */
    public void countAttempts(AttemptCounter counter) {
        this.counter = counter;
    }

    /** Starts ticking; what was pending before a restart goes out on the first tick. */
    public void start() {
        ticker.scheduleWithFixedDelay(this::tick, 0, settings.tick().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Looks for due deliveries now (after one was queued). */
    public void poke() {
        try {
            ticker.execute(this::tick);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed: pending rows wait for the next start
        }
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            int expired = outbox.expire(now.minus(settings.window()));
            if (expired > 0) LOG.warn("outbox: {} deliveries expired after {} without being accepted", expired, settings.window());
            for (Outbox.Due due : outbox.due(now, BATCH)) {
                String line = due.delivery().runKey() + " " + due.delivery().target();
                if (busyLines.contains(line)) continue;
                // another server of the cluster may have found it due too: only the one that claims it sends
                if (!outbox.claim(due.delivery(), now, now.plus(claimFor()))) continue;
                busyLines.add(line);
                claimed.put(due.delivery().id(), due.delivery());
                try {
                    senders.execute(() -> {
                        try {
                            if (send(due)) claimed.remove(due.delivery().id());
                        } finally {
                            // freed on the ticker thread: a tick never sees the line free with the old row still pending
                            free(line);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // claimed as the sender closed: due again at once for the next start, not when the claim runs out
                    claimed.remove(due.delivery().id());
                    giveBack(due.delivery());
                    return;
                }
            }
            lookingFails.succeeded(clock.instant());
        } catch (Exception e) {
            lookingFails.failed(clock.instant(), e);
        }
    }

    /** Ends this sender's claim of a delivery it did not get to send (it is closing). */
    private void giveBack(Delivery d) {
        try {
            outbox.release(d, clock.instant());
        } catch (Exception e) {
            LOG.debug("outbox: delivery {} stays claimed until its claim runs out: {}", d.id(), e.toString());
        }
    }

    /**
     * How long a claimed delivery is this sender's: past one attempt's limits (connecting, then the answer, each
     * {@code STOKER_OUTBOX_TIMEOUT}; 30 s by default). A sender that could not record its attempt (the database went
     * away as the server stopped) leaves the delivery due again after that, not later.
     */
    private java.time.Duration claimFor() {
        return settings.timeout().multipliedBy(3);
    }

    private void free(String line) {
        try {
            ticker.execute(() -> {
                busyLines.remove(line);
                tick(); // the next in this line may be due now
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            busyLines.remove(line);
        }
    }

    /** Sends one delivery and records the attempt; false when closing cut it short (the row stays pending). */
    /** Where a delivery goes, for the words of a failure; null when its target is no URI (a mail address). */
    private static URI target(Delivery d) {
        try {
            return URI.create(d.target());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private boolean send(Outbox.Due due) {
        Delivery d = due.delivery();
        int attempt = d.attempts() + 1;
        Integer status = null;
        String error = null;
        boolean permanent = false;
        Instant notBefore = null; // a rate-limited receiver's "try again at"
        Transport transport = transports.get(d.kind());
        if (transport != null) {
            try {
                Transport.Outcome outcome = transport.send(d, due.endpoint().authorization());
                status = outcome.status();
                error = outcome.error();
                permanent = outcome.permanent();
                notBefore = outcome.notBefore();
                if (notBefore != null) error += " (rate limited until " + notBefore + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false; // closing: the row stays pending
            } catch (RuntimeException e) {
                error = io.stoker.server.http.SendFailure.describe(e, target(d));
            }
        } else if ("".equals(due.endpoint().signingSecret())) {
            error = "cannot be signed: its signing key cannot be opened (was the master key changed?)";
            permanent = true; // sent unsigned it is refused by a receiver that checks, or trusted by one that does not
        } else try {
            byte[] body = d.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(d.target())).timeout(settings.timeout())
                    .header("content-type", "application/json").header("user-agent", "stoker")
                    .header("x-stoker-delivery", Long.toString(d.id()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            Endpoint endpoint = due.endpoint();
            // over the exact bytes sent: a retry sends the same body, so the same signature
            if (endpoint.signingSecret() != null) req.header(Signature.HEADER, Signature.of(endpoint.signingSecret(), body));
            endpoint.headers().forEach(req::setHeader);
            if (endpoint.authorization() != null) req.setHeader(endpoint.credentialHeader(), endpoint.authorization());
            HttpResponse<byte[]> res = WholeAnswer.send(http.get(), req.build(), settings.timeout().multipliedBy(2));
            status = res.statusCode();
            if (io.stoker.server.http.Redirected.is(status)) {
                error = io.stoker.server.http.Redirected.describe(status, res.headers());
                permanent = true;
            } else if (status / 100 != 2) {
                error = io.stoker.server.http.RefusedAnswer.describe(res);
                notBefore = RetryAfter.of(res.headers(), clock.instant()).orElse(null);
                if (notBefore != null) error += " (rate limited until " + notBefore + ")";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false; // closing: the row stays pending
        } catch (IllegalArgumentException e) { // the JDK refused a header value: sending again cannot help
            error = e.getMessage() != null && e.getMessage().startsWith("invalid header")
                    ? "cannot be sent: a header value holds a character HTTP does not allow (a line break?)"
                    : "cannot be sent: " + e.getMessage();
            permanent = true;
        } catch (Exception e) {
            error = io.stoker.server.http.SendFailure.describe(e, target(d));
        }
        error = due.endpoint().redact(error);
        try {
            Instant now = clock.instant();
            if (error == null) {
                outbox.attempted(d.id(), attempt, status, null, DeliveryState.DELIVERED, null);
                counter.attempted(d.kind(), DeliveryState.DELIVERED);
            } else if (permanent || notBefore == null && status != null && status / 100 == 4 && status != 408
                    && status != 425 && status != 429) {
                LOG.warn("outbox: {} delivery {} to {} refused ({}); not retried", d.kind(), d.id(), d.target(), error);
                outbox.attempted(d.id(), attempt, status, error, DeliveryState.FAILED, null);
                counter.attempted(d.kind(), DeliveryState.FAILED);
            } else {
                Instant next = now.plus(settings.delay(attempt, ThreadLocalRandom.current().nextDouble()));
                if (notBefore != null && notBefore.isAfter(next)) next = notBefore;
                boolean late = next.isAfter(d.createdAt().plus(settings.window()));
                LOG.info("outbox: {} delivery {} to {} attempt {} failed ({}); {}", d.kind(), d.id(), d.target(), attempt,
                        error, late ? "giving up: the window ended" : "retrying at " + next);
                DeliveryState left = late ? DeliveryState.EXPIRED : DeliveryState.PENDING;
                outbox.attempted(d.id(), attempt, status, error, left, next);
                counter.attempted(d.kind(), left);
            }
        } catch (Exception e) {
            LOG.warn("outbox: recording delivery {}'s attempt failed; it is sent again: {}", d.id(), e.toString());
        }
        return true;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        senders.shutdownNow();
        try {
            // a tick still going may claim one more delivery: it is given back below only once the tick has ended
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            senders.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // claimed and not sent (queued, or cut short): due at once for the next start, not when the claim runs out
        claimed.values().forEach(this::giveBack);
        http.close();
    }
}
