package io.stoker.dsl.groovy.sandbox;

import groovy.lang.Closure;

import java.util.List;
import java.util.Map;

/**
 * The one place a JVM type becomes words an author knows: what a value is ("text", "a number", "a list") and how a
 * word's parameter is written ({@code '…'}, {@code [ … ]}, {@code { … }}). No message of the DSL names a JVM type.
 */
public final class ValueWords {

    private ValueWords() {
    }

    /** What an author calls a value of the class with this simple name; never the name itself. */
    public static String kind(String className) {
        String simpleName = className.substring(className.lastIndexOf('$') + 1); // Map$Entry: Entry
        return switch (simpleName) {
            case "String", "GString", "GStringImpl", "CharSequence", "Character", "char" -> "text";
            case "Integer", "Long", "BigInteger", "Number", "Short", "Byte", "int", "long", "short", "byte" -> "a number";
            case "BigDecimal", "Double", "Float", "double", "float" -> "a decimal number";
            case "Boolean", "boolean" -> "true/false";
            case "Closure" -> "a { … } block";
            case "Void", "void" -> "nothing";
            case "null", "<unknown parameter type>" -> "null";
            case "Object" -> "a value of unknown kind";
            case "JobfileScript" -> "the Jobfile";
            default -> {
                if (simpleName.endsWith("Map") || simpleName.equals("Entry")) yield "a map";
                if (simpleName.endsWith("List") || simpleName.endsWith("Collection") || simpleName.endsWith("Set")
                        || simpleName.endsWith("[]")) yield "a list";
                if (simpleName.endsWith("Range")) yield "a range";
                if (simpleName.endsWith("Spec") && simpleName.length() > 4)
                    yield "the " + Character.toLowerCase(simpleName.charAt(0))
                            + simpleName.substring(1, simpleName.length() - 4) + " block";
                yield "a value";
            }
        };
    }

    /** What an argument of a call is: a map there is the call's named arguments ({@code sh script: 'x'}). */
    public static String argument(String simpleName) {
        // Groovy makes a literal past a long a BigInteger, which no whole-number parameter takes: "got a number" would
        // leave the author wondering what else retry(a whole number) wants
        if (simpleName.equals("BigInteger")) return "a number beyond " + Long.MAX_VALUE;
        String kind = kind(simpleName);
        return kind.equals("a map") ? "named arguments (name: value)" : kind;
    }

    /** How a parameter of this type is written in a word's usage, e.g. {@code sh('…')}, {@code retry(a whole number)}. */
    public static String written(Class<?> type) {
        // "got a decimal number; write retry(a number)" would contradict itself
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) return "a whole number";
        if (type == String.class || CharSequence.class.isAssignableFrom(type)) return "'…'";
        if (Map.class.isAssignableFrom(type)) return "name: value, …";
        if (List.class.isAssignableFrom(type)) return "[…]";
        if (Closure.class.isAssignableFrom(type)) return "{ … }";
        if (type.isArray()) return written(type.getComponentType()) + ", …";
        return kind(type.getSimpleName());
    }
}
