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
 * e.g. {@code parameters.NAME}.
 */
final class StrictJson {
    // Jackson's defaults: every non-standard JSON feature off, the default size limits on
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private StrictJson() {
    }

    /** A {@link JsonObject}, {@link JsonArray}, string, number, boolean or null; a 400 {@link Problem} when not JSON. */
    static Object read(byte[] body) {
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
            throw Problem.badRequest("the body is not valid JSON", JsonSyntax.describe(e));
        } catch (IOException e) {
            throw Problem.badRequest("the body cannot be read", String.valueOf(e.getMessage()));
        }
    }

    private static Object value(JsonParser p, String path) throws IOException {
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
                    : Problem.badRequest(what + " is not Unicode text", half, "field: " + path);
        }
        return text;
    }

    private static JsonObject object(JsonParser p, String path) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String at = path.isEmpty() ? name : path + "." + name;
            if (fields.containsKey(name)) {
                throw Problem.badRequest("duplicate field '" + at + "'", "a field may appear once in an object, at line "
                        + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr());
            }
            p.nextToken();
            fields.put(name, value(p, at));
        }
        return new JsonObject(fields);
    }

    private static JsonArray array(JsonParser p, String path) throws IOException {
        List<Object> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) items.add(value(p, path + "[" + items.size() + "]"));
        return new JsonArray(items);
    }

    private static Double finite(JsonParser p, String path) throws IOException {
        double d = p.getDoubleValue();
        if (Double.isFinite(d)) return d;
        String text = p.getText().length() > 40 ? p.getText().substring(0, 40) + "…" : p.getText();
        throw Problem.badRequest((path.isEmpty() ? "the body" : "'" + path + "'") + " is a number out of range",
                text + " is beyond the largest number the server stores (about ±1.8e308)");
    }
}
