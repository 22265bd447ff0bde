package io.stoker.engine.params;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's parameter values, typed as expressions see them: a String for string and choice parameters, a Boolean
 * for bool parameters. Declaration order is kept.
 */
public record ResolvedParameters(Map<String, Object> values) {

    public static final ResolvedParameters NONE = new ResolvedParameters(Map.of());

    public ResolvedParameters {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Object get(String name) {
        return values.get(name);
    }

    /** The values as environment variables: booleans as {@code true}/{@code false}. */
    public Map<String, String> asEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        values.forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }
}
