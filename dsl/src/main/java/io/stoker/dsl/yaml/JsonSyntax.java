package io.stoker.dsl.yaml;

import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON parser's syntax errors in plain words: a trailing comma, a missing comma or colon, single quotes, a
 * string or bracket never closed. What it does not know keeps the parser's sentence, after "syntax error:".
 */
public final class JsonSyntax {

    private static final Pattern CHARACTER = Pattern.compile("Unexpected character \\('(.)' \\(code \\d+\\)\\): (.*)");
    private static final Pattern TOKEN = Pattern.compile("Unrecognized token '(.*)': was expecting .*");
    private static final Pattern NOT_CLOSED = Pattern.compile("Unexpected end-of-input: expected close marker for "
            + "(Object|Array) \\(start marker at .*line: (\\d+), column: (\\d+)\\]\\)");
    private static final Pattern ENDS_INSIDE = Pattern.compile("Unexpected end-of-input within/between (Object|Array) entries");
    private static final Pattern DEPTH = Pattern.compile("nesting depth \\(\\d+\\) exceeds the maximum allowed \\((\\d+)");
    private static final String DOUBLE_QUOTES = "JSON writes text and keys in double quotes (\"…\"), not single ones";

    private JsonSyntax() {
    }

    /** The diagnostic for a parser message {@code message} reported at {@code at}. */
    static Diagnostic describe(String file, Pos at, String message) {
        Matcher m = NOT_CLOSED.matcher(message);
        if (m.matches()) {
            Pos opened = new Pos(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            return Diagnostic.error(file, opened, "'" + opening(m.group(1)) + "' opened at " + opened.line() + ":"
                    + opened.col() + " is never closed");
        }
        return Diagnostic.error(file, at, inWords(message));
    }

    /**
     * The JSON parser's sentence (its first line, without its source) in plain words, or empty when it is not one
     * this knows; the API says what is wrong with a request body in the words a Jobfile's errors use.
     */
    public static java.util.Optional<String> plainWords(String parserMessage) {
        String words = inWords(parserMessage);
        return words.startsWith("syntax error: ") ? java.util.Optional.empty() : java.util.Optional.of(words);
    }

    private static String inWords(String message) {
        Matcher m = CHARACTER.matcher(message);
        if (m.matches()) {
            char c = m.group(1).charAt(0);
            String expecting = m.group(2);
            if (expecting.startsWith("was expecting double-quote to start field name")) {
                if (c == '}') return "a ',' before '}' is not allowed in JSON: remove the last comma";
                if (c == '\'') return DOUBLE_QUOTES;
                return "a key is written in double quotes in JSON, e.g. \"name\"";
            }
            if (expecting.startsWith("expected a valid value")) {
                if (c == ']') return "a ',' before ']' is not allowed in JSON: remove the last comma";
                if (c == '\'') return DOUBLE_QUOTES;
                return "a value is missing here: text in double quotes, a number, true, false, null, [ … ] or { … }";
            }
            if (expecting.startsWith("was expecting comma to separate")) return "a ',' is missing before this";
            if (expecting.startsWith("was expecting a colon")) return "a ':' is missing between the key and its value";
        }
        m = TOKEN.matcher(message);
        if (m.matches()) {
            return "'" + m.group(1) + "' is not a JSON value: write text in double quotes (\"" + m.group(1)
                    + "\"); the words JSON knows are true, false and null";
        }
        m = ENDS_INSIDE.matcher(message);
        if (m.matches()) return "the file ends before a '" + closing(m.group(1)) + "': a bracket is never closed";
        if (message.startsWith("Unexpected end-of-input in field name")
                || message.contains("was expecting closing quote for a string value")) {
            return "a string is never closed: end it with \"";
        }
        if (message.startsWith("Illegal unquoted character ((CTRL-CHAR, code 10))")) {
            return "a string in JSON cannot go over several lines: write \\n for a line break";
        }
        Matcher depth = DEPTH.matcher(message);
        if (depth.find()) {
            return "values are nested deeper than " + depth.group(1) + " levels, the most that is read";
        }
        if (message.startsWith("Invalid numeric value: Leading zeroes not allowed")) {
            return "a number in JSON cannot start with 0; write it in double quotes if it is text";
        }
        return "syntax error: " + message;
    }

    private static String opening(String structure) {
        return structure.equals("Object") ? "{" : "[";
    }

    private static String closing(String structure) {
        return structure.equals("Object") ? "}" : "]";
    }
}
