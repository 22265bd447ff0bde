package io.stoker.dsl.yaml;

import io.stoker.model.Pos;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML/JSON value with the position it was written at (Jackson's JsonNode keeps none). */
sealed interface Node {

    Pos pos();

    /** A key of a mapping, with its own position, so unknown keys can be pointed at. */
    record Key(String name, Pos pos) {
    }

    /**
     * A mapping: its entries, and the ones whose key repeats an earlier entry's ({@code repeated}, told as duplicate
     * keys and left out of {@code entries}), in the order written.
     */
    record Mapping(Pos pos, LinkedHashMap<Key, Node> entries, List<Map.Entry<Key, Node>> repeated) implements Node {
    }

    record Sequence(Pos pos, List<Node> items) implements Node {
    }

    /** A string, Boolean or null. */
    record Scalar(Pos pos, Object value) implements Node {
    }

    /**
     * A number (Long, BigInteger, Double) and the text it was written as ({@code 1.10}, {@code 010}, {@code 0x1F},
     * {@code 1e3}): a field that wants text takes that text, as its reader expects ({@code 3.10} is not {@code 3.1}).
     */
    record Numeral(Pos pos, Number value, String written) implements Node {
    }

    /** What a value is, for messages: "a string", "a list", … */
    static String describe(Node node) {
        return switch (node) {
            case Mapping m -> "a map";
            case Sequence s -> "a list";
            case Scalar(Pos p, String s) -> s.isEmpty() ? "an empty value" : "a string";
            case Scalar(Pos p, Boolean b) -> "a boolean";
            case Numeral n -> "a number";
            case Scalar s -> "null";
        };
    }

    /** The plain Java value: String, Boolean, Number, null, List or Map. */
    static Object plain(Node node) {
        return plain(node, false);
    }

    /** As {@link #plain(Node)}, but each number is the text it was written as: for values that become text. */
    static Object written(Node node) {
        return plain(node, true);
    }

    private static Object plain(Node node, boolean numbersAsWritten) {
        return switch (node) {
            case Scalar s -> s.value();
            case Numeral n -> numbersAsWritten ? n.written() : n.value();
            case Sequence s -> s.items().stream().map(item -> plain(item, numbersAsWritten)).toList();
            case Mapping m -> {
                var map = new LinkedHashMap<String, Object>();
                m.entries().forEach((k, v) -> map.put(k.name(), plain(v, numbersAsWritten)));
                yield map;
            }
        };
    }
}
