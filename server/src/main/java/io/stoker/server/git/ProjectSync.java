package io.stoker.server.git;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One project's mirror syncs, one at a time. A caller that arrives while a fetch runs waits for it as before, but
 * when a fetch that <em>started after it arrived</em> has ended by the time its turn comes (same URL and
 * credentials), it takes that fetch's refs, or its failure, instead of fetching again: that fetch saw the remote as
 * it was when the caller came, or later. A burst of webhooks for one project then costs two fetches, not one per
 * webhook, and the requests waiting for them end together; a host that does not answer is waited for twice, not
 * once per webhook. A caller that queued elsewhere first (a push waiting its turn in its repository's lane) gives
 * the time it arrived as a {@link #mark}.
 */
final class ProjectSync {
    private final ReentrantLock lock = new ReentrantLock();
    /** How many fetches have started; read without the lock on arrival, written under it. */
    private volatile long started;
    /** The last fetch that ended; guarded by lock. */
    private Done done;

    /** @param failure the fetch's failure, null when it succeeded (then {@code result} holds its refs) */
    private record Done(long number, String url, GitCredentials credentials, SyncResult result,
                        GitMirrorException failure) {
    }

    /** Where the fetches stand now: a later {@link #sync(long, String, GitCredentials, Supplier)} given it takes any fetch started since. */
    long mark() {
        return started;
    }

    /** The refs of a fetch started after this call came: the one {@code fetch} makes, or a newer one's. */
    SyncResult sync(String url, GitCredentials credentials, Supplier<SyncResult> fetch) {
        return sync(started, url, credentials, fetch);
    }

    /** The refs of a fetch started after {@code mark}: the one {@code fetch} makes, or a newer one's. */
    SyncResult sync(long mark, String url, GitCredentials credentials, Supplier<SyncResult> fetch) {
        lock.lock();
        try {
            Done d = done;
            if (d != null && d.number() > mark && d.url().equals(url) && Objects.equals(d.credentials(), credentials)) {
                if (d.failure() != null) throw new GitMirrorException(d.failure().getMessage(), d.failure());
                return d.result();
            }
            long number = ++started;
            try {
                SyncResult result = fetch.get();
                done = new Done(number, url, credentials, result, null);
                return result;
            } catch (GitMirrorException e) {
                done = new Done(number, url, credentials, null, e);
                throw e;
            }
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
