package io.stoker.dsl.yaml;

import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON parser's syntax errors in plain words: a trailing comma, a missing comma or colon, single quotes, a
 * string or bracket never closed, a comment, NaN, a control character or an unknown escape in a string. What it does
 * not know is told by a general sentence: the parser's own words (its feature names, "code 47", "CTRL-CHAR") are
 * never shown.
 */
public final class JsonSyntax {

    private static final Pattern CHARACTER = Pattern.compile("Unexpected character \\('(.)' \\(code \\d+\\)\\): (.*)");
    private static final Pattern IN_NUMBER = Pattern.compile("Unexpected character \\('(.)' \\(code \\d+\\)\\) in numeric value: (.*)");
    private static final Pattern NON_NUMBER = Pattern.compile("Non-standard token '([^']*)'.*");
    private static final Pattern CONTROL = Pattern.compile("Illegal unquoted character \\(\\(CTRL-CHAR, code (\\d+)\\)\\).*");
    private static final Pattern ESCAPE = Pattern.compile("Unrecognized character escape '(.)' \\(code (\\d+)\\).*");
    private static final Pattern CLOSES_OTHER = Pattern.compile("Unexpected close marker '(.)': expected '(.)' \\(for "
            + "(?:Object|Array|root) starting at .*line: (\\d+), column: (\\d+)\\]\\)");
    private static final Pattern CLOSES_NOTHING = Pattern.compile("Unexpected close marker '(.)': no open (?:Object|Array) to close");
    private static final Pattern TOO_LONG = Pattern.compile("(Number value|Name|String value|Document) length \\((\\d+)\\) "
            + "exceeds the maximum allowed \\((\\d+)\\).*");
    private static final Pattern TOKEN = Pattern.compile("Unrecognized token '(.*)': was expecting .*");
    private static final Pattern NOT_CLOSED = Pattern.compile("Unexpected end-of-input: expected close marker for "
            + "(Object|Array) \\(start marker at .*line: (\\d+), column: (\\d+)\\]\\)");
    private static final Pattern ENDS_INSIDE = Pattern.compile("Unexpected end-of-input within/between (Object|Array) entries");
    private static final Pattern DEPTH = Pattern.compile("nesting depth \\(\\d+\\) exceeds the maximum allowed \\((\\d+)");
    private static final String DOUBLE_QUOTES = "JSON writes text and keys in double quotes (\"…\"), not single ones";
    private static final String NO_COMMENTS = "JSON has no comments: remove it";
    /**
     * What the JSON text is, in the sentences that speak of the whole of it: a Jobfile is "the file" that ends too
     * early and "the Jobfile" that is too long; a request body is "the body" in both.
     */
    public enum Whole {
        JOBFILE("the file", "the Jobfile"),
        BODY("the body", "the body");

        private final String ending;
        private final String sized;

        Whole(String ending, String sized) {
            this.ending = ending;
            this.sized = sized;
        }
    }

    /** For a parser message this does not know: where, in the Jobfile's words, never the parser's. */
    static final String UNKNOWN = "this is not valid JSON here: check the quotes, commas and brackets around it";

    private JsonSyntax() {
    }

    /** The diagnostic for a parser message {@code message} reported at {@code at}. */
    static Diagnostic describe(String file, Pos at, String message) {
        Matcher m = NOT_CLOSED.matcher(message);
        if (m.matches()) {
            Pos opened = new Pos(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            return Diagnostic.error(file, opened, sentence(message, Whole.JOBFILE));
        }
        return Diagnostic.error(file, at, plainWords(message, Whole.JOBFILE).orElse(UNKNOWN));
    }

    /**
     * The JSON parser's sentence (its first line, without its source) in plain words, or empty when it is not one
     * this knows; the API says what is wrong with a request body in the words a Jobfile's errors use, speaking of
     * {@code whole} where they speak of the whole text.
     */
    public static Optional<String> plainWords(String parserMessage, Whole whole) {
        return Optional.ofNullable(parserMessage == null ? null : sentence(parserMessage, whole));
    }

    private static String sentence(String message, Whole whole) {
        Matcher m = NOT_CLOSED.matcher(message);
        if (m.matches()) return "'" + opening(m.group(1)) + "' opened at " + m.group(2) + ":" + m.group(3) + " is never closed";
        m = CHARACTER.matcher(message);
        if (m.matches()) {
            char c = m.group(1).charAt(0);
            String expecting = m.group(2);
            if (c == '/' && expecting.startsWith("maybe a (non-standard) comment")) return NO_COMMENTS;
            if (c == '#') return NO_COMMENTS;
            if (expecting.startsWith("was expecting double-quote to start field name")) {
                if (c == '}') return "a ',' before '}' is not allowed in JSON: remove the last comma";
                if (c == '\'') return DOUBLE_QUOTES;
                return "a key is written in double quotes in JSON, e.g. \"name\"";
            }
            if (expecting.startsWith("expected a hex-digit")) {
                return "\\u in a JSON string is followed by four hex digits, e.g. \\u00e9; write \\\\ for a backslash";
            }
            if (expecting.startsWith("expected a valid value") || expecting.startsWith("expected a value")) {
                if (c == ']') return "a ',' before ']' is not allowed in JSON: remove the last comma";
                if (c == '\'') return DOUBLE_QUOTES;
                return "a value is missing here: text in double quotes, a number, true, false, null, [ … ] or { … }";
            }
            if (expecting.startsWith("was expecting comma to separate")) return "a ',' is missing before this";
            if (expecting.startsWith("was expecting a colon")) return "a ':' is missing between the key and its value";
            return "'" + c + "' is not allowed here in JSON";
        }
        m = IN_NUMBER.matcher(message);
        if (m.matches()) {
            if (m.group(1).equals("+")) return "a JSON number has no '+' sign: write 1, not +1";
            return "this is not a JSON number: write digits such as 3, -2, 1.5 or 1e3 (text goes in double quotes)";
        }
        m = NON_NUMBER.matcher(message);
        if (m.matches()) {
            return "'" + m.group(1) + "' is not a JSON number: NaN and Infinity are not numbers in JSON (text goes in"
                    + " double quotes)";
        }
        m = CONTROL.matcher(message);
        if (m.matches()) {
            int code = Integer.parseInt(m.group(1));
            if (code == 10) return "a string in JSON cannot go over several lines: write \\n for a line break";
            if (code == 9) return "a tab inside a JSON string must be written \\t";
            if (code == 13) return "a carriage return inside a JSON string must be written \\r";
            return "a control character inside a JSON string must be written " + String.format("\\u%04x", code);
        }
        m = ESCAPE.matcher(message);
        if (m.matches()) {
            int code = Integer.parseInt(m.group(2));
            String escape = code < 0x20 || code == 0x7f ? String.format("\\u%04x", code) : m.group(1);
            return "'\\" + escape + "' is not a JSON escape: write \\\\ for a backslash (JSON's escapes are \\\" \\\\ \\/"
                    + " \\b \\f \\n \\r \\t and \\u followed by four hex digits)";
        }
        m = CLOSES_OTHER.matcher(message);
        if (m.matches()) {
            return "'" + m.group(1) + "' does not close the '" + opening(m.group(2)) + "' opened at " + m.group(3) + ":"
                    + m.group(4) + ": close it with '" + m.group(2) + "' first";
        }
        m = CLOSES_NOTHING.matcher(message);
        if (m.matches()) return "'" + m.group(1) + "' closes nothing: one bracket too many?";
        m = TOO_LONG.matcher(message);
        if (m.matches()) {
            String what = switch (m.group(1)) {
                case "Number value" -> "a number";
                case "Name" -> "a key";
                case "String value" -> "a string";
                default -> whole.sized;
            };
            return what + " is longer than " + m.group(3) + " characters, the most that is read";
        }
        m = TOKEN.matcher(message);
        if (m.matches()) {
            return "'" + m.group(1) + "' is not a JSON value: write text in double quotes (\"" + m.group(1)
                    + "\"); the words JSON knows are true, false and null";
        }
        m = ENDS_INSIDE.matcher(message);
        if (m.matches()) return whole.ending + " ends before a '" + closing(m.group(1)) + "': a bracket is never closed";
        // (a parser of bytes, as the API's, says "in VALUE_STRING" where one of text says "closing quote")
        if (message.startsWith("Unexpected end-of-input in field name")
                || message.startsWith("Unexpected end-of-input in VALUE_STRING")
                || message.contains("was expecting closing quote for a string value")) {
            return "a string is never closed: end it with \"";
        }
        Matcher depth = DEPTH.matcher(message);
        if (depth.find()) {
            return "values are nested deeper than " + depth.group(1) + " levels, the most that is read";
        }
        if (message.startsWith("Invalid numeric value: Leading zeroes not allowed")) {
            return "a number in JSON cannot start with 0; write it in double quotes if it is text";
        }
        if (message.startsWith("Invalid numeric value") || message.startsWith("Numeric value")) {
            return "this is not a JSON number: write digits such as 3, -2, 1.5 or 1e3 (text goes in double quotes)";
        }
        if (message.startsWith("Unexpected end-of-input in character escape sequence")) {
            return whole.ending + " ends inside a string: end it with \"";
        }
        if (message.startsWith("Unexpected end-of-input")) return whole.ending + " ends too early: a value or bracket is missing";
        return null;
    }

    private static String opening(String structureOrBracket) {
        return switch (structureOrBracket) {
            case "Object", "}" -> "{";
            default -> "[";
        };
    }

    private static String closing(String structure) {
        return structure.equals("Object") ? "}" : "]";
    }
}
