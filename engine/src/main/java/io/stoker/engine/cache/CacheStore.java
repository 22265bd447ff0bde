package io.stoker.engine.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where tasks' caches are kept between runs: zips of workspace files under a key, one per key and scope (a key's
 * cache is never replaced, as with GitHub's actions/cache: a new lock file makes a new key).
 */
public interface CacheStore {

    /** The cache saved under {@code key} for {@code scope}, or where the store's rules fall back to; empty when none. */
    Optional<Path> restore(CacheScope scope, String key) throws IOException;

    /** A new empty file, on the store's disk, for a zip that {@link #save} may then take. */
    Path newArchive() throws IOException;

    /**
     * Keeps {@code archive} (taken over: moved, or deleted) as the cache of {@code key} in {@code scope}; false when
     * that scope had one already (another run saved it meanwhile), which is then kept.
     */
    boolean save(CacheScope scope, String key, Path archive) throws IOException;

    /**
     * A store that is switched off for the runs it serves ({@code stoker run --no-cache}): a task with a cache starts
     * without it and saves none, and its log says so with {@code reason}; the caches kept elsewhere stay untouched.
     */
    static CacheStore off(String reason) {
        return new Off(reason);
    }

    /** See {@link #off}: the engine skips its tasks' caches and names {@code reason} in their logs. */
    record Off(String reason) implements CacheStore {
        @Override
        public Optional<Path> restore(CacheScope scope, String key) {
            return Optional.empty();
        }

        @Override
        public Path newArchive() throws IOException {
            return java.nio.file.Files.createTempFile("stoker-cache-", ".zip");
        }

        @Override
        public boolean save(CacheScope scope, String key, Path archive) throws IOException {
            java.nio.file.Files.deleteIfExists(archive);
            return false;
        }
    }

    /** A store that keeps nothing: an engine built without one runs its tasks without their caches, saying so. */
    CacheStore NONE = off("this engine keeps no caches");
}
