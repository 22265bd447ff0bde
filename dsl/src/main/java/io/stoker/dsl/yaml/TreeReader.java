package io.stoker.dsl.yaml;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.TokenStreamFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Reads YAML or JSON tokens into a {@link Node} tree that keeps each token's line and column. Syntax errors,
 * duplicate keys, YAML aliases and oversized documents become diagnostics; nothing is thrown.
 */
final class TreeReader {
    static final int MAX_NODES = 100_000;

    private final TokenStreamFactory factory;
    private final String file;
    private final String[] lines;
    private final List<Diagnostic> diagnostics;
    private int nodes;

    TreeReader(TokenStreamFactory factory, String file, String text, List<Diagnostic> diagnostics) {
        this.factory = factory;
        this.file = file;
        this.lines = text.split("\n", -1);
        this.diagnostics = diagnostics;
    }

    /** The root, or empty after a diagnostic says why there is none. */
    Optional<Node> read(String text) {
        try (JsonParser parser = factory.createParser(text)) {
            return read(parser);
        } catch (IOException | RuntimeException e) {
            diagnostics.add(Diagnostic.error(file, Pos.NONE, "cannot read the Jobfile: " + firstLine(e.getMessage())));
            return Optional.empty();
        }
    }

    private Optional<Node> read(JsonParser parser) throws IOException {
        try {
            JsonToken first = parser.nextToken();
            if (first == null) {
                diagnostics.add(Diagnostic.error(file, Pos.NONE, "the Jobfile is empty"));
                return Optional.empty();
            }
            Node root = value(parser);
            if (root == null) return Optional.empty();
            if (parser.nextToken() != null) {
                diagnostics.add(Diagnostic.error(file, pos(parser), "only one document is allowed in a Jobfile"));
            }
            return Optional.of(root);
        } catch (JacksonException e) {
            if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                diagnostics.add(new YamlSyntax(file, lines).describe(yaml));
            } else {
                // a limit's error (a number or key too long) has no location of its own: where the parser stopped
                Pos at = pos(e.getLocation()).known() ? pos(e.getLocation()) : pos(parser.currentLocation());
                diagnostics.add(JsonSyntax.describe(file, at, withoutSource(firstLine(e.getOriginalMessage()))));
            }
            return Optional.empty();
        }
    }

    /** Jackson's limit messages end with the method that set the limit ({@code , from `StreamReadConstraints…`}): not for users. */
    static String withoutSource(String message) {
        return message == null ? null : message.replaceAll(", from `[^`]*`", "");
    }

    /** Reads the value whose first token is current; null when it stopped at a limit (already reported). */
    private Node value(JsonParser parser) throws IOException {
        if (++nodes > MAX_NODES) {
            diagnostics.add(Diagnostic.error(file, pos(parser), "the Jobfile has more than " + MAX_NODES + " values"));
            return null;
        }
        Pos pos = pos(parser);
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            diagnostics.add(Diagnostic.error(file, pos, "YAML aliases (*name) are not supported; repeat the value"));
            return null;
        }
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> mapping(parser, pos);
            case START_ARRAY -> sequence(parser, pos);
            case VALUE_STRING -> new Node.Scalar(scalarPos(pos), parser.getText());
            case VALUE_TRUE -> new Node.Scalar(pos, Boolean.TRUE);
            case VALUE_FALSE -> new Node.Scalar(pos, Boolean.FALSE);
            // getText() is the number as the source has it (YAML's scalar, JSON's digits), before any conversion
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Node.Numeral(pos, parser.getNumberValue(), parser.getText());
            case VALUE_NULL -> new Node.Scalar(pos, null);
            default -> new Node.Scalar(pos, parser.getText());
        };
    }

    private Node mapping(JsonParser parser, Pos pos) throws IOException {
        var entries = new LinkedHashMap<Node.Key, Node>();
        var seen = new HashMap<String, Pos>();
        var repeated = new ArrayList<java.util.Map.Entry<Node.Key, Node>>();
        // bounded by MAX_NODES and the input size limit
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            var key = new Node.Key(parser.currentName(), pos(parser));
            parser.nextToken();
            Node value = value(parser);
            if (value == null) return null;
            Pos first = seen.putIfAbsent(key.name(), key.pos());
            if (first != null) {
                diagnostics.add(Diagnostic.error(file, key.pos(), "duplicate key '" + key.name()
                        + "' (first at line " + first.line() + ")"));
                repeated.add(java.util.Map.entry(key, value));
            } else {
                entries.put(key, value);
            }
        }
        return new Node.Mapping(pos, entries, List.copyOf(repeated));
    }

    private Node sequence(JsonParser parser, Pos pos) throws IOException {
        var items = new ArrayList<Node>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            Node value = value(parser);
            if (value == null) return null;
            items.add(value);
        }
        return new Node.Sequence(pos, items);
    }

    /** A YAML block scalar ({@code |} or {@code >}) starts on the next line; point at its first line of text. */
    private Pos scalarPos(Pos pos) {
        if (!pos.known() || pos.line() > lines.length) return pos;
        String line = lines[pos.line() - 1];
        int at = pos.col() - 1;
        if (at < line.length() && (line.charAt(at) == '|' || line.charAt(at) == '>') && pos.line() < lines.length) {
            String next = lines[pos.line()];
            int indent = 0;
            while (indent < next.length() && next.charAt(indent) == ' ') indent++;
            return new Pos(pos.line() + 1, indent + 1);
        }
        return pos;
    }

    private static Pos pos(JsonParser parser) {
        return pos(parser.currentTokenLocation());
    }

    private static Pos pos(JsonLocation location) {
        if (location == null || location.getLineNr() <= 0) return Pos.NONE;
        return new Pos(location.getLineNr(), Math.max(1, location.getColumnNr()));
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable input";
        String line = message.strip().lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
