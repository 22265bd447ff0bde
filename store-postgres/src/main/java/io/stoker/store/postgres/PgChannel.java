package io.stoker.store.postgres;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One PostgreSQL notification channel ({@code LISTEN}/{@code NOTIFY}) between the servers sharing a database: what
 * one sends reaches every listener of the channel, the sender included, in commit order. A connection of its own
 * listens (pgjdbc's {@link PGConnection#getNotifications(int)}), another sends. A dropped connection is opened
 * again; what was sent while it was down is lost to this listener (PostgreSQL keeps nothing for absent listeners).
 */
public final class PgChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgChannel.class);
    /** The largest payload sent: PostgreSQL refuses more than 8000 bytes. */
    public static final int MAX_PAYLOAD = 7900;

    private final DataSource source;
    private final String channel;
    private final Consumer<String> receiver;
    private final Runnable listeningAgain;
    private final CountDownLatch listening = new CountDownLatch(1);
    private final Thread listener;
    private volatile boolean closed;
    private Connection sending; // guarded by this

    private PgChannel(DataSource source, String channel, Consumer<String> receiver, Runnable listeningAgain) {
        if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) throw new IllegalArgumentException("not a channel name: " + channel);
        this.source = source;
        this.channel = channel;
        this.receiver = receiver;
        this.listeningAgain = listeningAgain;
        this.listener = Thread.ofPlatform().daemon().name("pg-listen-" + channel).unstarted(this::listen);
    }

    /** Listens on {@code channel}; returns once listening (or after 10 s, retrying in the background). */
    public static PgChannel open(PostgresUrl url, String channel, Consumer<String> receiver) {
        return open(url, channel, receiver, () -> { });
    }

    /**
     * Listens on {@code channel}; {@code listeningAgain} runs (on the listening thread) each time a dropped
     * connection listens again, so the receiver can make up for what it may have missed meanwhile.
     */
    public static PgChannel open(PostgresUrl url, String channel, Consumer<String> receiver, Runnable listeningAgain) {
        PgChannel c = new PgChannel(PostgresStore.direct(url), channel, receiver, listeningAgain);
        c.listener.start();
        try {
            if (!c.listening.await(10, TimeUnit.SECONDS)) LOG.warn("not listening on {} yet; retrying", channel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return c;
    }

    /** Sends one message (at most {@link #MAX_PAYLOAD} bytes of UTF-8); one retry on a fresh connection. */
    public synchronized void send(String payload) throws SQLException {
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a notification holds at most " + MAX_PAYLOAD + " bytes");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                if (sending == null || sending.isClosed()) sending = source.getConnection();
                try (PreparedStatement s = sending.prepareStatement("SELECT pg_notify(?, ?)")) {
                    s.setString(1, channel);
                    s.setString(2, payload);
                    s.execute();
                }
                return;
            } catch (SQLException e) {
                closeSending();
                if (attempt == 2 || closed) throw e;
            }
        }
    }

    private void listen() {
        while (!closed) {
            try (Connection c = source.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                if (listening.getCount() == 0) deliverListeningAgain();
                listening.countDown();
                while (!closed) {
                    PGNotification[] got = pg.getNotifications(500);
                    if (got == null) continue;
                    for (PGNotification n : got) deliver(n.getParameter());
                }
            } catch (SQLException e) {
                if (closed) return;
                LOG.warn("listening on {} failed ({}); listening again in a second", channel, e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void deliver(String payload) {
        try {
            receiver.accept(payload);
        } catch (RuntimeException e) {
            LOG.warn("a message on {} was not handled: {}", channel, e.toString());
        }
    }

    private void deliverListeningAgain() {
        try {
            listeningAgain.run();
        } catch (RuntimeException e) {
            LOG.warn("listening on {} again: catching up failed: {}", channel, e.toString());
        }
    }

    private synchronized void closeSending() {
        if (sending == null) return;
        try {
            sending.close();
        } catch (SQLException ignored) {
            // a broken connection: gone either way
        }
        sending = null;
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeSending();
    }
}
