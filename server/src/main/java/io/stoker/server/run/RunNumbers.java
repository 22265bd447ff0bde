package io.stoker.server.run;

import java.util.Collection;
import java.util.Map;

/**
 * Port: the numbers of the runs with these keys, by key, in one lookup (a key of no run, deleted since, is left out).
 * People know runs by number (#3), as every page names them; replies that name a run by its key carry it beside.
 */
@FunctionalInterface
public interface RunNumbers {
    Map<String, Long> of(Collection<String> keys) throws Exception;
}
