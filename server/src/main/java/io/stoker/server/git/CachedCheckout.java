package io.stoker.server.git;

import java.util.Map;
import java.util.NavigableMap;

/**
 * A checkout as it was handed to a run: its commit, the status of every path of its tree and of its {@code .git}'s
 * pack files. Whatever differs from this when it comes back was touched by the run (or a process it left).
 */
record CachedCheckout(String commit, NavigableMap<String, FileStat> files, Map<String, FileStat> packs) {
}
