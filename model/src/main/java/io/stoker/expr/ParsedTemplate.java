package io.stoker.expr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A text split once into literal parts and {@code ${{ expression }}} parts; rendering only evaluates.
 * Reference offsets count in the whole text, so a validator can point at the Jobfile line and column.
 */
record ParsedTemplate(String source, List<Part> parts, List<Expression> expressions, Set<Reference> references)
        implements Template {

    private static final String OPEN = "${{";
    private static final String ESCAPED_OPEN = "$" + OPEN;
    private static final String CLOSE = "}}";

    sealed interface Part {
    }

    record Text(String text) implements Part {
    }

    record Hole(Expression expression) implements Part {
    }

    static ParsedTemplate parse(String text) throws ExpressionException {
        List<Part> parts = new ArrayList<>();
        List<Expression> expressions = new ArrayList<>();
        Set<Reference> references = new LinkedHashSet<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith(ESCAPED_OPEN, i)) {
                literal.append(OPEN);
                i += ESCAPED_OPEN.length();
            } else if (text.startsWith(OPEN, i)) {
                int innerStart = i + OPEN.length();
                int close = findClose(text, innerStart);
                if (close < 0) {
                    throw new ExpressionException("unclosed '${{': expected '}}'", i);
                }
                String inner = text.substring(innerStart, close);
                String trimmed = inner.strip();
                if (trimmed.isEmpty()) {
                    throw new ExpressionException("empty '${{ }}': put an expression inside", i);
                }
                int offset = innerStart + inner.indexOf(trimmed);
                Expression expression;
                try {
                    expression = ExpressionCompiler.compile(trimmed);
                } catch (ExpressionException e) {
                    throw new ExpressionException(e.getMessage(), offset + e.offset());
                }
                for (Reference r : expression.references()) {
                    references.add(new Reference(r.root(), r.name(), r.key(), offset + r.offset()));
                }
                if (!literal.isEmpty()) {
                    parts.add(new Text(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(new Hole(expression));
                expressions.add(expression);
                i = close + CLOSE.length();
            } else {
                literal.append(text.charAt(i));
                i++;
            }
        }
        if (!literal.isEmpty()) {
            parts.add(new Text(literal.toString()));
        }
        return new ParsedTemplate(text, List.copyOf(parts), List.copyOf(expressions),
                Collections.unmodifiableSet(references));
    }

    /**
     * The index of the {@code }}} closing a part, skipping quoted strings so {@code ${{ '}}' }}} works.
     * An unclosed string falls back to the first {@code }}} and leaves the parser to report the string.
     */
    private static int findClose(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfString(text, i);
                if (end < 0) {
                    return text.indexOf(CLOSE, i);
                }
                i = end;
            } else if (text.startsWith(CLOSE, i)) {
                return i;
            }
        }
        return -1;
    }

    private static int endOfString(String text, int quoteAt) {
        char quote = text.charAt(quoteAt);
        for (int i = quoteAt + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String render(EvalContext context) {
        StringBuilder out = new StringBuilder(source.length());
        for (Part part : parts) {
            switch (part) {
                case Text t -> out.append(t.text());
                case Hole h -> out.append(Values.render(h.expression().evaluate(context)));
            }
        }
        return out.toString();
    }

    @Override
    public boolean isConstant() {
        return expressions.isEmpty();
    }

    @Override
    public String toString() {
        return source;
    }
}
