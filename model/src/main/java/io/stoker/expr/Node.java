package io.stoker.expr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The parsed tree of an expression. Every node is an immutable record, so a tree is safe to share. */
sealed interface Node {

    /** The value of this node: String, Boolean, BigDecimal, List, null or {@link Unknown#VALUE}. */
    Object evaluate(EvalContext context);

    /** A string, number, boolean or null literal. */
    record Literal(Object value) implements Node {
        @Override
        public Object evaluate(EvalContext context) {
            return value;
        }
    }

    /** {@code [a, b, 'c']}. */
    record ListLiteral(List<Node> items) implements Node {
        public ListLiteral {
            items = List.copyOf(items);
        }

        @Override
        public Object evaluate(EvalContext context) {
            List<Object> values = new ArrayList<>(items.size());
            for (Node item : items) {
                values.add(item.evaluate(context));
            }
            return Collections.unmodifiableList(values);
        }
    }

    /** {@code params.X}, {@code outputs.task.key}, … read from the context. */
    record Read(Reference reference) implements Node {
        @Override
        public Object evaluate(EvalContext context) {
            Object value = reference.key() == null
                    ? context.variable(reference.root(), reference.name())
                    : context.output(reference.name(), reference.key());
            return Values.normalize(value);
        }
    }

    /** {@code success()}, {@code failure()}, {@code cancelled()} ask the context; {@code always()} is true. */
    record StatusCall(String function) implements Node {
        @Override
        public Object evaluate(EvalContext context) {
            return function.equals("always") ? Boolean.TRUE : Values.normalize(context.status(function));
        }
    }

    record Not(Node operand) implements Node {
        @Override
        public Object evaluate(EvalContext context) {
            return Values.not(Values.truth(operand.evaluate(context)));
        }
    }

    /** Kleene and: false wins over unknown, and the right side is not evaluated once the left is false. */
    record And(Node left, Node right) implements Node {
        @Override
        public Object evaluate(EvalContext context) {
            Object l = Values.truth(left.evaluate(context));
            if (l == Boolean.FALSE) {
                return false;
            }
            Object r = Values.truth(right.evaluate(context));
            if (r == Boolean.FALSE) {
                return false;
            }
            return l == Boolean.TRUE && r == Boolean.TRUE ? Boolean.TRUE : Unknown.VALUE;
        }
    }

    /** Kleene or: true wins over unknown, and the right side is not evaluated once the left is true. */
    record Or(Node left, Node right) implements Node {
        @Override
        public Object evaluate(EvalContext context) {
            Object l = Values.truth(left.evaluate(context));
            if (l == Boolean.TRUE) {
                return true;
            }
            Object r = Values.truth(right.evaluate(context));
            if (r == Boolean.TRUE) {
                return true;
            }
            return l == Boolean.FALSE && r == Boolean.FALSE ? Boolean.FALSE : Unknown.VALUE;
        }
    }

    /** {@code == != < <= > >=}. */
    record Comparison(Operator operator, Node left, Node right) implements Node {
        @Override
        public Object evaluate(EvalContext context) {
            Object l = left.evaluate(context);
            Object r = right.evaluate(context);
            if (l == Unknown.VALUE || r == Unknown.VALUE) {
                return Unknown.VALUE;
            }
            return switch (operator) {
                case EQ -> Values.equal(l, r);
                case NE -> Values.not(Values.equal(l, r));
                case LT, LE, GT, GE -> {
                    Integer sign = Values.order(l, r);
                    yield sign != null && operator.accepts(sign);
                }
            };
        }
    }

    /** {@code x in [..]}. */
    record In(Node item, Node list) implements Node {
        @Override
        public Object evaluate(EvalContext context) {
            Object value = item.evaluate(context);
            return Values.contains(list.evaluate(context), value);
        }
    }

    enum Operator {
        EQ, NE, LT, LE, GT, GE;

        boolean accepts(int sign) {
            return switch (this) {
                case LT -> sign < 0;
                case LE -> sign <= 0;
                case GT -> sign > 0;
                case GE -> sign >= 0;
                case EQ -> sign == 0;
                case NE -> sign != 0;
            };
        }
    }
}
