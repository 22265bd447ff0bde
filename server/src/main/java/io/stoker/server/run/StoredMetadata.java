package io.stoker.server.run;

import io.stoker.server.db.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A run's {@code metadata} column as stored: the trigger's metadata as it came, or, for a run a person started,
 * that metadata and the person's name in one envelope {@code {"stoker.startedBy": NAME, "stoker.metadata": ...}}.
 * The name lives beside the metadata so that no migration adds a column; the envelope keeps the caller's metadata
 * (sent back as status webhooks' {@code id}) exactly as it was given.
 *
 * @param metadata  the trigger's metadata, or null
 * @param startedBy the user who started the run, or null (a trigger, or a git host that names nobody)
 */
record StoredMetadata(Object metadata, String startedBy) {
    private static final String BY = "stoker.startedBy";
    private static final String WRAPPED = "stoker.metadata";
    private static final Set<String> ENVELOPE = Set.of(BY, WRAPPED);

    /** The column's text, or null when there is neither metadata nor a name. */
    String json() {
        if (startedBy == null) return metadata == null ? null : Json.write(metadata);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put(BY, startedBy);
        if (metadata != null) envelope.put(WRAPPED, metadata);
        return Json.write(envelope);
    }

    /** The column read back: an envelope unwrapped, anything else (every run stored before) taken as metadata. */
    static StoredMetadata read(String json) {
        Object value = Json.value(json);
        if (value instanceof Map<?, ?> m && m.get(BY) instanceof String by && ENVELOPE.containsAll(m.keySet())) {
            return new StoredMetadata(m.get(WRAPPED), by);
        }
        return new StoredMetadata(value, null);
    }
}
