package io.stoker.engine.image;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An image a task used, as its run record keeps it: the one it ran in (by its image ID) or one it pushed.
 *
 * @param reference the reference as written (rendered), e.g. {@code 127.0.0.1:5000/org/app:7}
 * @param digest    {@code sha256:…}: for {@link Use#RAN} the image ID (its config's digest, not pullable by), for
 *                  {@link Use#PUSHED} the manifest digest the registry answered
 */
public record ImageDigest(String reference, String digest, Use use) {

    /** What the task did with the image. */
    public enum Use {
        /** Its steps (or a service) ran in it. */
        RAN("ran"),
        /** A buildImage or publishImage step pushed it. */
        PUSHED("pushed");

        private final String label;

        Use(String label) {
            this.label = label;
        }

        @JsonValue
        public String label() {
            return label;
        }

        /** The use a label names, or null. */
        public static Use ofLabel(String label) {
            for (Use u : values()) if (u.label.equals(label)) return u;
            return null;
        }
    }
}
