package io.stoker.server.http;

import java.net.http.HttpClient;
import java.util.function.Supplier;

/**
 * A {@link HttpClient} built on its first request, not when its owner is made, that sends plain {@code http://}
 * requests as HTTP/1.1 ({@link NoCleartextUpgrade}). Building one loads the JDK's HTTP
 * client and TLS stack (~600 classes, the trusted certificates) and starts a selector thread: ~30 MiB resident in a
 * small JVM, which a server with no outgoing webhooks, Vault or log streams configured never needs.
 */
public final class OnDemandHttpClient implements AutoCloseable {
    private final Supplier<HttpClient> build;
    private HttpClient client; // guarded by this
    private boolean closed;    // guarded by this

    /** @param build makes the client, called at most once, by the first {@link #get()} */
    public OnDemandHttpClient(Supplier<HttpClient> build) {
        this.build = build;
    }

    /** The client, built now if this is the first request. */
    public synchronized HttpClient get() {
        if (closed) throw new IllegalStateException("the HTTP client was closed");
        if (client == null) client = new NoCleartextUpgrade(build.get());
        return client;
    }

    /** Whether the client was built (a request was made through it). */
    public synchronized boolean built() {
        return client != null;
    }

    /** Stops the client's threads and drops its connections at once, if it was built. */
    public synchronized void shutdownNow() {
        closed = true;
        if (client != null) client.shutdownNow();
    }

    /** Closes the client if it was built: waits for its requests in flight, as {@link HttpClient#close()}. */
    @Override
    public void close() {
        HttpClient built;
        synchronized (this) {
            closed = true;
            built = client;
        }
        if (built != null) built.close();
    }
}
