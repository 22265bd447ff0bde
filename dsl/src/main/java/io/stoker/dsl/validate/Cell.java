package io.stoker.dsl.validate;

import java.util.Map;

/** One concrete task a written task expands into: itself outside a matrix, or one matrix cell. */
record Cell(String name, String base, Map<String, String> values) {
    boolean isMatrix() {
        return !values.isEmpty();
    }
}
