package io.stoker.dsl.groovy.sandbox;

import io.stoker.model.Pos;

import java.util.Optional;

/**
 * A linear pre-scan that finds brackets nested deeper than a limit, before the Groovy parser sees the text: the
 * parser and the type checker slow down steeply with nesting (a hundred nested parentheses took seconds here, a
 * few thousand far longer than any deadline), and a compile cannot be interrupted. The same scan finds the brace a
 * missing '}' leaves open, which Groovy reports only at the end of the file. Strings and comments are
 * skipped; slashy strings are not recognised, so brackets inside them count (a false alarm needs dozens of
 * unbalanced ones).
 */
public final class NestingCheck {

    private NestingCheck() {
    }

    /** The position of the first bracket that opens level {@code max + 1}, if any. */
    public static Optional<Pos> firstTooDeep(String text, int max) {
        return scan(text, max).tooDeep;
    }

    /**
     * A bracket that is never closed, if any: the first opener whose closing bracket sits left of the indentation of
     * the opener's line (the author's layout says a '}' is missing there), else the innermost one still open at
     * the end of the text.
     */
    public static Optional<Unclosed> unclosed(String text) {
        return scan(text, Integer.MAX_VALUE).unclosed;
    }

    /** An opening bracket without its closing one. */
    public record Unclosed(char bracket, Pos at) {
    }

    private record Scan(Optional<Pos> tooDeep, Optional<Unclosed> unclosed) {
    }

    private record Opener(char bracket, Pos at, int lineIndent) {
    }

    private static Scan scan(String text, int max) {
        java.util.ArrayDeque<Opener> open = new java.util.ArrayDeque<>();
        Opener suspect = null;
        int lineIndent = 0;
        boolean lineBlank = true;
        int depth = 0;
        int line = 1;
        int col = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                    col++;
                }
                continue;
            }
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                int stop = end < 0 ? n : end + 2;
                for (; i < stop; i++) {
                    if (text.charAt(i) == '\n') {
                        line++;
                        col = 1;
                    } else {
                        col++;
                    }
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                lineBlank = false;
                String quote = text.startsWith(String.valueOf(c).repeat(3), i) ? String.valueOf(c).repeat(3)
                        : String.valueOf(c);
                i += quote.length();
                col += quote.length();
                while (i < n && !text.startsWith(quote, i)) {
                    char s = text.charAt(i);
                    if (s == '\\' && i + 1 < n) {
                        i++;
                        col++;
                    }
                    if (text.charAt(i) == '\n') {
                        line++;
                        col = 1;
                    } else {
                        col++;
                    }
                    i++;
                }
                i += quote.length();
                col += quote.length();
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
                if (depth > max) {
                    return new Scan(Optional.of(new Pos(line, col)), Optional.empty());
                }
                open.push(new Opener(c, new Pos(line, col), lineIndent));
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
                Opener o = open.poll();
                if (o != null && suspect == null && lineBlank && col - 1 < o.lineIndent) {
                    suspect = o;
                }
            }
            if (c == '\n') {
                line++;
                col = 1;
                lineIndent = 0;
                lineBlank = true;
            } else {
                if (lineBlank && (c == ' ' || c == '\t')) {
                    lineIndent++;
                } else {
                    lineBlank = false;
                }
                col++;
            }
            i++;
        }
        Opener left = open.isEmpty() ? null : suspect != null ? suspect : open.peek();
        return new Scan(Optional.empty(), Optional.ofNullable(left).map(o -> new Unclosed(o.bracket, o.at)));
    }
}
