package io.stoker.server.shuttle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the Build-Shuttle API is mounted ({@code STOKER_SHUTTLE_PATH}, default {@code /shuttle}), the environment
 * every build gets ({@code STOKER_EXTRA_BUILD_ARGS} as {@code K=V,K2=V2}; a build's {@code arguments} win) and the
 * largest source archive fetched ({@code STOKER_SHUTTLE_MAX_SOURCE_MB}, default 200).
 */
public record ShuttleSettings(String path, Map<String, String> extraBuildArgs, long maxSourceBytes) {
    public ShuttleSettings {
        extraBuildArgs = Map.copyOf(extraBuildArgs);
    }

    public static ShuttleSettings fromEnv(Map<String, String> env) {
        String path = env.getOrDefault("STOKER_SHUTTLE_PATH", "/shuttle").trim().replaceAll("/+$", "");
        if (!path.matches("/[A-Za-z0-9._~/-]+") || path.startsWith("/api")) {
            throw new IllegalArgumentException("STOKER_SHUTTLE_PATH must be a path like /shuttle (not under /api), was '" + path + "'");
        }
        Map<String, String> extra = new LinkedHashMap<>();
        String given = env.getOrDefault("STOKER_EXTRA_BUILD_ARGS", "");
        for (String pair : given.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("STOKER_EXTRA_BUILD_ARGS must be K=V,K2=V2; '" + pair.trim() + "' has no '='");
            extra.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        String mb = env.getOrDefault("STOKER_SHUTTLE_MAX_SOURCE_MB", "200").trim();
        long max;
        try {
            max = Long.parseLong(mb);
        } catch (NumberFormatException e) {
            max = -1;
        }
        if (max < 1) throw new IllegalArgumentException("STOKER_SHUTTLE_MAX_SOURCE_MB must be a positive number, was '" + mb + "'");
        return new ShuttleSettings(path, extra, max << 20);
    }
}
