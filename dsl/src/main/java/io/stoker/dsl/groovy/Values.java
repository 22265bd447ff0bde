package io.stoker.dsl.groovy;

import io.stoker.dsl.groovy.sandbox.ValueWords;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts what a script passed into plain draft values: strings (never GStrings), numbers, booleans, lists, maps. */
final class Values {

    private static final int MAX_DEPTH = 16;

    private Values() {
    }

    /** Text for a string-like or scalar value, null for anything else. */
    static String text(Object value) {
        if (value instanceof CharSequence chars) {
            return chars.toString();
        }
        if (value instanceof java.math.BigDecimal decimal) {
            return decimal.toPlainString(); // Groovy's 1e3 is 1E+3 to toString(): a shell wants 1000
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return null;
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence) {
            return "text";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof groovy.lang.Closure) {
            return ValueWords.kind("Closure");
        }
        return ValueWords.kind(value.getClass().getSimpleName());
    }

    /** A deep copy with GStrings turned into strings; other objects are reported and dropped. */
    static Object plain(Object value, Evaluation evaluation) {
        return plain(value, evaluation, 0);
    }

    private static Object plain(Object value, Evaluation evaluation, int depth) {
        if (depth > MAX_DEPTH) {
            throw evaluation.stop("a value is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (value == null || value instanceof Boolean || value instanceof Number) {
            evaluation.charge(0);
            return value;
        }
        if (value instanceof CharSequence chars) {
            return evaluation.collect(chars.toString());
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(Math.min(list.size(), 1024));
            for (Object item : list) {
                out.add(plain(item, evaluation, depth + 1));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(evaluation.collect(String.valueOf(k)), plain(v, evaluation, depth + 1)));
            return out;
        }
        evaluation.error(describe(value) + " cannot be used as a value here");
        return null;
    }
}
