package io.stoker.server.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.stoker.server.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a request body as standard JSON (RFC 8259) and nothing more: no comments, NaN or Infinity (Vert.x' own
 * reader takes comments), each field once per object (a second one would silently win), and every number a finite
 * one (a {@code 1e400} would be read as Infinity and stored as the text "Infinity"), and every string Unicode text
 * (an escaped lone surrogate such as {@code "\ud800"} would be stored as "?"). A refusal names the field by its path,
 * e.g. {@code parameters.NAME}, in its message and as its first detail, {@code field: parameters.NAME}, as every
 * refusal of a field does; so does a syntax error met inside a field's value (a string never closed, a number too long).
 */
final class StrictJson {
    // Jackson's defaults: every non-standard JSON feature off, the default size limits on
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** The path of the field whose value is being read, "" between fields: what a syntax error there names. */
    private String reading = "";

    private StrictJson() {
    }

    /** A {@link JsonObject}, {@link JsonArray}, string, number, boolean or null; a 400 {@link Problem} when not JSON. */
    static Object read(byte[] body) {
        return new StrictJson().parse(body);
    }

    private Object parse(byte[] body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) throw Problem.badRequest("the body is not valid JSON", "it is empty");
            Object value = value(p, "");
            if (p.nextToken() != null) {
                throw Problem.badRequest("the body is not valid JSON", "more follows the JSON value, at line "
                        + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr());
            }
            return value;
        } catch (JacksonException e) {
            String why = JsonSyntax.describe(e);
            // an item of a top-level array is no field of a body
            if (reading.isEmpty() || reading.startsWith("[")) throw Problem.badRequest("the body is not valid JSON", why);
            throw Problem.badRequest("the body is not valid JSON", "field: " + reading, why);
        } catch (IOException e) {
            throw Problem.badRequest("the body cannot be read", String.valueOf(e.getMessage()));
        }
    }

    private Object value(JsonParser p, String path) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> object(p, path);
            case START_ARRAY -> array(p, path);
            case VALUE_STRING -> unicode(p.getText(), path.isEmpty() ? "the body" : "'" + path + "'", path);
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> finite(p, path);
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw Problem.badRequest("the body is not valid JSON", "unexpected " + p.currentToken());
        };
    }

    /**
     * {@code text} when every surrogate in it is one of a pair; else a 400 saying {@code what} (at {@code path}).
     * Field names need no check: Jackson refuses half a pair there itself.
     */
    private static String unicode(String text, String what, String path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            String half = String.format("\\u%04x at character %d is half of a surrogate pair without its other half",
                    (int) c, i + 1);
            throw path.isEmpty() ? Problem.badRequest(what + " is not Unicode text", half)
                    : Problem.badRequest(what + " is not Unicode text", "field: " + path, half);
        }
        return text;
    }

    private JsonObject object(JsonParser p, String path) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        while (nextField(p, path, fields) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String at = path.isEmpty() ? name : path + "." + name;
            if (fields.containsKey(name)) {
                throw Problem.badRequest("duplicate field '" + at + "'", "field: " + at, "a field may appear once in an"
                        + " object, at line " + p.currentLocation().getLineNr() + ", column "
                        + p.currentLocation().getColumnNr());
            }
            reading = at;
            p.nextToken();
            fields.put(name, value(p, at));
            reading = path;
        }
        return new JsonObject(fields);
    }

    /**
     * The token after a field, naming the next field in {@link #reading} when reading it fails: the parser reads a
     * number, {@code true} or a {@code NaN} with the name before it, so an error in such a value comes from here.
     */
    private JsonToken nextField(JsonParser p, String path, Map<String, Object> read) throws IOException {
        try {
            return p.nextToken();
        } catch (JacksonException e) {
            String name = p.getParsingContext().getCurrentName();
            if (name != null && !read.containsKey(name)) reading = path.isEmpty() ? name : path + "." + name;
            throw e;
        }
    }

    private JsonArray array(JsonParser p, String path) throws IOException {
        List<Object> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            reading = path + "[" + items.size() + "]";
            items.add(value(p, reading));
            reading = path;
        }
        return new JsonArray(items);
    }

    private static Double finite(JsonParser p, String path) throws IOException {
        double d = p.getDoubleValue();
        if (Double.isFinite(d)) return d;
        String text = p.getText().length() > 40 ? p.getText().substring(0, 40) + "…" : p.getText();
        String why = text + " is beyond the largest number the server stores (about ±1.8e308)";
        if (path.isEmpty()) throw Problem.badRequest("the body is a number out of range", why);
        throw Problem.badRequest("'" + path + "' is a number out of range", "field: " + path, why);
    }
}
