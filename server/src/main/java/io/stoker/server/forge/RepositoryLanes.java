package io.stoker.server.forge;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Work keyed by repository, run one item at a time per repository on a shared pool of workers. An item waiting for
 * the one before it holds no worker, so a repository whose host hangs takes one worker however many of its pushes
 * come in, and the other repositories' pushes go on on the rest.
 */
final class RepositoryLanes {
    private final Executor workers;
    /** Each busy repository's last item; a lane with nothing left is removed. Guarded by this. */
    private final Map<String, CompletableFuture<?>> tails = new HashMap<>();

    RepositoryLanes(Executor workers) {
        this.workers = workers;
    }

    /** Runs {@code work} on a worker once every item submitted before it for {@code repository} has ended. */
    synchronized <T> CompletableFuture<T> submit(String repository, Supplier<T> work) {
        CompletableFuture<?> tail = tails.get(repository);
        // the item before may fail: its failure is its own caller's, the lane goes on
        CompletableFuture<T> next = tail == null ? CompletableFuture.supplyAsync(work, workers)
                : tail.handle((ignored, error) -> null).thenApplyAsync(ignored -> work.get(), workers);
        tails.put(repository, next);
        next.whenComplete((ignored, error) -> ended(repository, next));
        return next;
    }

    private synchronized void ended(String repository, CompletableFuture<?> item) {
        tails.remove(repository, item);
    }
}
