package io.stoker.server.git;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One project's mirror syncs, one at a time. A caller that arrives while a fetch runs waits for it as before, but
 * when a fetch that <em>started after it arrived</em> has succeeded by the time its turn comes (same URL and
 * credentials), it takes that fetch's refs instead of fetching again: that fetch saw the remote as it was when the
 * caller came, or later. A burst of webhooks for one project then costs two fetches, not one per webhook, and the
 * requests waiting for them (each holding a worker thread) end together.
 */
final class ProjectSync {
    private final ReentrantLock lock = new ReentrantLock();
    /** How many fetches have started; read without the lock on arrival, written under it. */
    private volatile long started;
    /** The last fetch that succeeded; guarded by lock. */
    private Done done;

    private record Done(long number, String url, GitCredentials credentials, SyncResult result) {
    }

    /** The refs of a fetch started after this call came: the one {@code fetch} makes, or a newer one's. */
    SyncResult sync(String url, GitCredentials credentials, Supplier<SyncResult> fetch) {
        long before = started;
        lock.lock();
        try {
            Done d = done;
            if (d != null && d.number() > before && d.url().equals(url) && Objects.equals(d.credentials(), credentials)) {
                return d.result();
            }
            long number = ++started;
            SyncResult result = fetch.get();
            done = new Done(number, url, credentials, result);
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} (removing the mirror) with no fetch going, and shares no earlier fetch after it. */
    void exclusively(Runnable work) {
        lock.lock();
        try {
            done = null;
            work.run();
        } finally {
            lock.unlock();
        }
    }

    /** How many callers wait for the running fetch (for specs). */
    int waiting() {
        return lock.getQueueLength();
    }
}
