package io.stoker.server.api;

import io.stoker.server.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads request bodies strictly: malformed or non-standard JSON (see {@link StrictJson}), a non-object, unknown
 * fields, wrong types and {@code null} (unless the field is one where null means something) are a 400; a body that is
 * not JSON and was sent as another type is a 415 (see {@link BodyType}).
 */
public final class Bodies {
    private Bodies() {
    }

    /** The body as a JSON object with only {@code allowed} fields, none of them null; an empty body is a 400. */
    public static JsonObject object(RoutingContext ctx, Set<String> allowed) {
        return object(ctx, allowed, Set.of());
    }

    /**
     * As {@link #object(RoutingContext, Set)} for a route whose body may be left out (a trigger, a rerun, a PUT of a
     * project): an empty body is an empty object.
     */
    public static JsonObject optionalObject(RoutingContext ctx, Set<String> allowed) {
        return isEmpty(ctx) ? new JsonObject() : object(ctx, allowed, Set.of());
    }

    // no body at all reads as length -1 and a null buffer
    private static boolean isEmpty(RoutingContext ctx) {
        var body = ctx.body();
        return body == null || body.buffer() == null || body.length() <= 0;
    }

    /**
     * For a route that takes no body: none, or an empty object, is fine; a field is refused naming it, with
     * {@code why} saying why the route has no fields, so what the caller meant is never silently dropped.
     */
    static void none(RoutingContext ctx, String why) {
        if (isEmpty(ctx)) return;
        // the route takes no body, so no type is the one to send: a body that is not JSON is a plain 400
        Object parsed = StrictJson.read(ctx.body().buffer().getBytes());
        if (!(parsed instanceof JsonObject o)) throw Problem.badRequest("the body must be a JSON object, or left out");
        if (o.isEmpty()) return;
        String name = new java.util.TreeSet<>(o.fieldNames()).first();
        throw Problem.badRequest("unknown field '" + name + "'", "field: " + name, why);
    }

    /**
     * The body as a JSON object with only {@code allowed} fields, null only in those of {@code nullable} (where null
     * says something a missing field does not). Elsewhere a null would read as a missing field and do what that
     * does, e.g. {@code "from": null} rerunning the whole run, so it is refused. An empty body is a 400.
     */
    public static JsonObject object(RoutingContext ctx, Set<String> allowed, Set<String> nullable) {
        // else a missing body would be blamed on its first required field, as if the client had left that out
        if (isEmpty(ctx)) throw Problem.badRequest("a JSON body is required");
        Object parsed = BodyType.read(ctx);
        if (!(parsed instanceof JsonObject o)) throw Problem.badRequest("the body must be a JSON object");
        for (String name : o.fieldNames()) {
            if (!allowed.contains(name)) {
                throw Problem.badRequest("unknown field '" + name + "'", "known fields: " + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
            if (o.getValue(name) == null && !nullable.contains(name)) {
                throw Problem.badRequest("'" + name + "' must not be null: give a value or leave the field out",
                        "field: " + name);
            }
        }
        return o;
    }

    public static String string(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw Problem.badRequest("'" + field + "' must be a string, not " + kind(v), "field: " + field);
    }

    static Boolean bool(JsonObject o, String field) {
        Object v = o.getValue(field);
        if (v == null) return null;
        if (v instanceof Boolean b) return b;
        throw Problem.badRequest("'" + field + "' must be true or false, not " + kind(v), "field: " + field);
    }

    /**
     * A whole number from {@code min} to {@code max}, or null when left out. JSON has one kind of number, so
     * {@code 1e1} is 10; one beyond the range ({@code 1e10}, {@code 99999999999999999999}) is refused by the range,
     * whole or not, and a fraction within it as not whole.
     */
    static Long wholeNumber(JsonObject o, String field, long min, long max) {
        Object v = o.getValue(field);
        if (v == null) return null;
        if (!(v instanceof Number n)) {
            throw Problem.badRequest("'" + field + "' must be a whole number from " + min + " to " + max + ", not "
                    + kind(v), "field: " + field);
        }
        java.math.BigDecimal d = new java.math.BigDecimal(n.toString());
        if (d.compareTo(java.math.BigDecimal.valueOf(min)) < 0 || d.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
            throw Problem.badRequest("'" + field + "' must be from " + min + " to " + max + ", not " + plain(d),
                    "field: " + field);
        }
        if (d.stripTrailingZeros().scale() > 0) {
            throw Problem.badRequest("'" + field + "' must be a whole number from " + min + " to " + max + ", not "
                    + plain(d), "field: " + field);
        }
        return d.longValueExact();
    }

    /** A number as written by hand: 10000000000, not 1.0E10; a long one cut short. */
    private static String plain(java.math.BigDecimal d) {
        String text = d.stripTrailingZeros().toPlainString();
        return text.length() > 24 ? d.round(new java.math.MathContext(3)).toString() : text;
    }

    /** A JSON object of scalars as strings: {@code {"a": 1, "b": true}} → {@code a=1, b=true}. */
    public static Map<String, String> scalars(JsonObject o, String field) {
        Object v = o.getValue(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) return out;
        if (!(v instanceof JsonObject m)) throw Problem.badRequest("'" + field + "' must be an object, not " + kind(v), "field: " + field);
        for (String k : m.fieldNames()) {
            Object x = m.getValue(k);
            if (x instanceof String || x instanceof Number || x instanceof Boolean) out.put(k, String.valueOf(x));
            else throw Problem.badRequest("'" + field + "." + k + "' must be a string, number or boolean, not " + kind(x),
                    "field: " + field + "." + k);
        }
        return out;
    }

    /**
     * A JSON array of non-empty strings ({@code what} says of what, e.g. {@code task names}); empty when the field
     * is left out.
     */
    public static java.util.List<String> names(JsonObject o, String field, String what) {
        Object v = o.getValue(field);
        if (v == null) return java.util.List.of();
        java.util.List<String> out = new java.util.ArrayList<>();
        if (v instanceof JsonArray a) {
            for (Object x : a) {
                if (!(x instanceof String s) || s.isEmpty()) {
                    throw Problem.badRequest("'" + field + "' must be a list of " + what + "; it holds "
                            + (x instanceof String ? "an empty string" : kind(x)), "field: " + field);
                }
                out.add(s);
            }
            return out;
        }
        throw Problem.badRequest("'" + field + "' must be a list of " + what + ", not " + kind(v), "field: " + field);
    }

    /** Any JSON value as plain Java maps and lists (for metadata). */
    public static Object plain(Object v) {
        // getMap and getList are shallow: a JsonObject left inside is stored by Jackson as a bean, {"map": {...}}
        if (v instanceof JsonObject o) return plain(o.getMap());
        if (v instanceof JsonArray a) return plain(a.getList());
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> m = new LinkedHashMap<>();
            map.forEach((k, e) -> m.put(String.valueOf(k), plain(e)));
            return m;
        }
        if (v instanceof List<?> list) return list.stream().map(Bodies::plain).toList();
        return v;
    }

    private static String kind(Object v) {
        if (v instanceof JsonObject) return "an object";
        if (v instanceof JsonArray) return "an array";
        if (v instanceof String) return "a string";
        if (v instanceof Number) return "a number";
        if (v instanceof Boolean) return "a boolean";
        return "null";
    }

    /** A query parameter that must be a positive integer, or the default. */
    static int positive(RoutingContext ctx, String name, int dflt, int max) {
        String v = ctx.queryParams().get(name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw Problem.badRequest("'" + name + "' must be a whole number from 1 to " + max + ", not '" + v + "'", "field: " + name);
    }

    /**
     * A query filter's value, or null when absent. An empty one ({@code ?project=}, an unset variable in a script) is
     * a 400 naming it, not "any": {@code hint} says what to give instead.
     */
    static String filter(RoutingContext ctx, String name, String hint) {
        String value = ctx.queryParams().get(name);
        if (value != null && value.isEmpty()) throw empty(name, hint);
        return value;
    }

    /**
     * An empty value of {@code name}: its details say {@code field: NAME}, as every refusal of a field does, then
     * {@code give HINT}.
     */
    static Problem empty(String name, String hint) {
        return Problem.badRequest("'" + name + "' is empty", "field: " + name, "give " + hint);
    }

    /** A path parameter that must be a positive whole number (a run number). */
    static long positivePath(RoutingContext ctx, String name) {
        String v = ctx.pathParam(name);
        try {
            long n = Long.parseLong(v);
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw Problem.badRequest("'" + name + "' must be a whole number from 1, not '" + v + "'", "field: " + name);
    }

    static boolean flag(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.equals("false")) return false;
        if (v.isEmpty() || v.equals("true")) return true;
        throw Problem.badRequest("'" + name + "' must be true or false, not '" + v + "'", "field: " + name);
    }
}
