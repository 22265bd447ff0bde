package io.stoker.dsl.groovy.sandbox;

import io.stoker.model.Pos;

import java.util.Optional;

/**
 * A linear pre-scan that finds brackets nested deeper than a limit, before the Groovy parser sees the text: the
 * parser and the type checker slow down steeply with nesting (a hundred nested parentheses took seconds here, a
 * few thousand far longer than any deadline), and a compile cannot be interrupted. Strings and comments are
 * skipped; slashy strings are not recognised, so brackets inside them count (a false alarm needs dozens of
 * unbalanced ones).
 */
public final class NestingCheck {

    private NestingCheck() {
    }

    /** The position of the first bracket that opens level {@code max + 1}, if any. */
    public static Optional<Pos> firstTooDeep(String text, int max) {
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
                    return Optional.of(new Pos(line, col));
                }
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            }
            if (c == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
            i++;
        }
        return Optional.empty();
    }
}
