package io.stoker.dsl.groovy.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a Jobfile's source has {@code ${ … }} inside a double-quoted string ({@code "…"} or {@code """…"""}): Groovy
 * reads it as an expression, and an author who wrote shell text there ({@code ${#ARR[@]}}, {@code ${P:-x}},
 * {@code ${P/a/b}}) meant the shell's. A plain scan of the text, not a parse: comments, single-quoted and slashy
 * strings are skipped; a {@code ${{ }}} template is not such a place (it has a message of its own).
 */
final class DoubleQuotedDollars {
    /** One {@code ${ … }}: from its {@code $} to its closing brace (or the end of its line), 1-based, inclusive. */
    record Span(int line, int startCol, int endLine, int endCol) {
        boolean contains(int l, int col) {
            boolean afterStart = l > line || (l == line && col >= startCol);
            boolean beforeEnd = l < endLine || (l == endLine && col <= endCol);
            return afterStart && beforeEnd;
        }
    }

    private enum In { CODE, LINE_COMMENT, BLOCK_COMMENT, SINGLE, TRIPLE_SINGLE, DOUBLE, TRIPLE_DOUBLE }

    private DoubleQuotedDollars() {
    }

    static List<Span> in(String source) {
        List<Span> spans = new ArrayList<>();
        In in = In.CODE;
        int line = 1;
        int col = 1;
        int n = source.length();
        for (int i = 0; i < n; i++) {
            char c = source.charAt(i);
            switch (in) {
                case CODE -> {
                    if (source.startsWith("//", i)) in = In.LINE_COMMENT;
                    else if (source.startsWith("/*", i)) in = In.BLOCK_COMMENT;
                    else if (source.startsWith("'''", i)) { in = In.TRIPLE_SINGLE; i += 2; col += 2; }
                    else if (source.startsWith("\"\"\"", i)) { in = In.TRIPLE_DOUBLE; i += 2; col += 2; }
                    else if (c == '\'') in = In.SINGLE;
                    else if (c == '"') in = In.DOUBLE;
                }
                case LINE_COMMENT -> { if (c == '\n') in = In.CODE; }
                case BLOCK_COMMENT -> { if (source.startsWith("*/", i)) { in = In.CODE; i++; col++; } }
                case SINGLE, TRIPLE_SINGLE, DOUBLE, TRIPLE_DOUBLE -> {
                    boolean triple = in == In.TRIPLE_SINGLE || in == In.TRIPLE_DOUBLE;
                    boolean dq = in == In.DOUBLE || in == In.TRIPLE_DOUBLE;
                    String close = (dq ? "\"" : "'").repeat(triple ? 3 : 1);
                    if (c == '\\' && i + 1 < n && source.charAt(i + 1) != '\n') {
                        i++;
                        col++;
                    } else if (source.startsWith(close, i)) {
                        in = In.CODE;
                        i += close.length() - 1;
                        col += close.length() - 1;
                    } else if (c == '\n' && !triple) {
                        in = In.CODE; // an unclosed string: the lexer reports that
                    } else if (dq && c == '$' && source.startsWith("${", i) && !source.startsWith("${{", i)) {
                        Span span = span(source, i, line, col);
                        spans.add(span);
                        // the expression's own quotes are Groovy's: go on after its brace
                        int skip = span.endCol() - col;
                        i += skip;
                        col += skip;
                    }
                }
            }
            if (c == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return spans;
    }

    /** The span of the {@code ${} at {@code at}: to its matching brace, or to the end of its line when none. */
    private static Span span(String source, int at, int line, int col) {
        int depth = 0;
        int endCol = col;
        for (int j = at + 1; j < source.length() && source.charAt(j) != '\n'; j++) {
            endCol++;
            char c = source.charAt(j);
            if (c == '{') depth++;
            if (c == '}' && --depth == 0) break;
        }
        return new Span(line, col, line, endCol);
    }

    /** The span holding a position, if any. */
    static Optional<Span> at(List<Span> spans, int line, int col) {
        return spans.stream().filter(s -> s.contains(line, col)).findFirst();
    }
}
