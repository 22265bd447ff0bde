package io.stoker.server.cache;

import io.stoker.engine.cache.FileCacheStore;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of the server's disk each project's task caches may hold ({@code STOKER_CACHE_MAX}): bytes, or a number
 * with {@code k}, {@code m} or {@code g} (KiB, MiB, GiB); unset, {@link FileCacheStore#DEFAULT_MAX_BYTES}. A bad
 * value stops the start, naming the setting.
 */
public final class CacheLimit {
    public static final String SETTING = "STOKER_CACHE_MAX";
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([kKmMgG]?)(i?[bB])?");

    private CacheLimit() {
    }

    public static long fromEnv(Map<String, String> env) {
        String v = env.get(SETTING);
        if (v == null || v.isBlank()) return FileCacheStore.DEFAULT_MAX_BYTES;
        Matcher m = SIZE.matcher(v.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            int shift = switch (m.group(2).toLowerCase()) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                default -> 0;
            };
            if (n >= 1 && n <= Long.MAX_VALUE >> shift) return n << shift;
        }
        throw new IllegalArgumentException(SETTING + " must be a size of at least 1 byte, e.g. 1073741824, 512m or 2g, "
                + "not '" + v.trim() + "'");
    }
}
