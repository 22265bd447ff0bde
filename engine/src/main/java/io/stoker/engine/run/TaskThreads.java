package io.stoker.engine.run;

import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads a run's work goes on (launching a task group, saving the run, stopping it): threads of one factory,
 * reused while there is work. A thread that has been idle for {@link #KEEP_ALIVE_SECONDS} ends, so an idle engine
 * holds none. Work is never queued behind other work: with no idle thread a new one starts, as before the pool, when
 * every piece of work had a thread of its own (five thread starts per no-op run, ~0.1 ms of CPU each).
 */
final class TaskThreads {
    static final long KEEP_ALIVE_SECONDS = 30;

    private final ThreadFactory factory;
    private final ThreadPoolExecutor pool;

    TaskThreads(ThreadFactory factory) {
        this.factory = factory;
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), factory);
    }

    /** Runs {@code work} on an idle thread of the pool, or on a new one. */
    void run(Runnable work) {
        pool.execute(work);
    }

    /** Runs {@code work} like {@link #run}; its future completes when the work has ended. */
    Future<?> submit(Runnable work) {
        return pool.submit(work);
    }

    /** A thread of its own, not started: for work that is interrupted and joined through its thread. */
    Thread newThread(Runnable work) {
        return factory.newThread(work);
    }
}
