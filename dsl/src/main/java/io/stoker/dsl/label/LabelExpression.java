package io.stoker.dsl.label;

import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An {@code agent} label expression such as {@code linux && (tool:docker || tool:podman) && !slow}: labels
 * ({@code [A-Za-z0-9_.:/-]+}), {@code !}, {@code &&} (binds tighter than) {@code ||}, and parentheses. It matches an
 * agent whose label set makes it true. Immutable; {@link #parse} is the only way in.
 */
public sealed interface LabelExpression {

    /** What a single label may hold. */
    Pattern LABEL = Pattern.compile("[A-Za-z0-9_.:/-]+");

    /** True when the labels satisfy the expression. */
    boolean matches(Set<String> labels);

    /** Every label the expression names (negated ones too). */
    default Set<String> labels() {
        var out = new java.util.LinkedHashSet<String>();
        collect(this, out);
        return out;
    }

    /** Parses an expression; a syntax error names the 1-based column within {@code text}. */
    static LabelExpression parse(String text) throws LabelSyntaxException {
        if (text == null) throw new LabelSyntaxException("an agent expression is empty", 1);
        return new LabelParser(text).parse();
    }

    /** A single label: true when the agent has it. */
    record Label(String name) implements LabelExpression {
        @Override
        public boolean matches(Set<String> labels) {
            return labels.contains(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code !e}. */
    record Not(LabelExpression operand) implements LabelExpression {
        @Override
        public boolean matches(Set<String> labels) {
            return !operand.matches(labels);
        }

        @Override
        public String toString() {
            return "!" + operand;
        }
    }

    /** {@code a && b}. */
    record And(LabelExpression left, LabelExpression right) implements LabelExpression {
        @Override
        public boolean matches(Set<String> labels) {
            return left.matches(labels) && right.matches(labels);
        }

        @Override
        public String toString() {
            return "(" + left + " && " + right + ")";
        }
    }

    /** {@code a || b}. */
    record Or(LabelExpression left, LabelExpression right) implements LabelExpression {
        @Override
        public boolean matches(Set<String> labels) {
            return left.matches(labels) || right.matches(labels);
        }

        @Override
        public String toString() {
            return "(" + left + " || " + right + ")";
        }
    }

    private static void collect(LabelExpression e, Collection<String> out) {
        switch (e) {
            case Label l -> out.add(l.name());
            case Not n -> collect(n.operand(), out);
            case And a -> {
                collect(a.left(), out);
                collect(a.right(), out);
            }
            case Or o -> {
                collect(o.left(), out);
                collect(o.right(), out);
            }
        }
    }
}
