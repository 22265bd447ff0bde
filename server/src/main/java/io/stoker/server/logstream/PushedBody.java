package io.stoker.server.logstream;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.function.BooleanSupplier;

/**
 * A request body of unknown length (sent chunked) that the sender's own thread pushes batch by batch: each push
 * waits for the HTTP client's demand, so a slow receiver holds the sender's thread, never a buffer that grows, and
 * never the HTTP client's threads (they only ever take what was pushed).
 */
final class PushedBody implements HttpRequest.BodyPublisher {
    private Flow.Subscriber<? super ByteBuffer> subscriber;
    private long demand;
    private boolean cancelled;
    private boolean ended;

    @Override
    public long contentLength() {
        return -1; // chunked
    }

    @Override
    public synchronized void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
        if (subscriber != null) {
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            s.onError(new IllegalStateException("a streamed log body is sent once"));
            return;
        }
        subscriber = s;
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                synchronized (PushedBody.this) {
                    demand = n <= 0 || demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    PushedBody.this.notifyAll();
                }
            }

            @Override
            public void cancel() {
                synchronized (PushedBody.this) {
                    cancelled = true;
                    PushedBody.this.notifyAll();
                }
            }
        });
    }

    /**
     * Hands one batch to the client once it asks for more; false when the request was cancelled or {@code gone}
     * says it is over (the connection dropped, the receiver answered).
     */
    boolean push(ByteBuffer batch, BooleanSupplier gone) throws InterruptedException {
        Flow.Subscriber<? super ByteBuffer> s;
        synchronized (this) {
            while ((subscriber == null || demand == 0) && !cancelled && !ended) {
                if (gone.getAsBoolean()) return false;
                wait(200); // woken by request(n) or cancel(); the bound only re-checks gone
            }
            if (cancelled || ended) return false;
            demand--;
            s = subscriber;
        }
        s.onNext(batch);
        return true;
    }

    /** Ends the body: the request is complete. */
    void complete(BooleanSupplier gone) throws InterruptedException {
        Flow.Subscriber<? super ByteBuffer> s;
        synchronized (this) {
            while (subscriber == null && !cancelled && !ended && !gone.getAsBoolean()) wait(200);
            if (subscriber == null || cancelled || ended) return;
            ended = true;
            s = subscriber;
        }
        s.onComplete();
    }

    /** Abandons the body (the sender stops). */
    void abort(Throwable why) {
        Flow.Subscriber<? super ByteBuffer> s;
        synchronized (this) {
            if (subscriber == null || cancelled || ended) return;
            ended = true;
            s = subscriber;
        }
        s.onError(why);
    }
}
