package io.stoker.engine.cache;

import java.time.Instant;

/**
 * One kept cache, as listings show it.
 *
 * @param scope    whose it is ({@link CacheScope#label()})
 * @param key      the full key, hash included ({@code deps-1a2b3c4d})
 * @param bytes    the zip's size
 * @param lastUsed when it was last saved or restored
 */
public record CacheEntry(String scope, String key, long bytes, Instant lastUsed) {
}
