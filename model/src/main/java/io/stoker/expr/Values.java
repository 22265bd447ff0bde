package io.stoker.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The value rules of the expression language: what is equal, what is ordered, what is true, how a value prints.
 * Results that depend on {@link Unknown#VALUE} are {@link Unknown#VALUE} (three-valued logic).
 */
final class Values {
    private Values() {
    }

    /** Brings what a context hands back (Integer, Double, GString, Set, …) to the five value kinds. */
    static Object normalize(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case BigDecimal d -> d;
            case Unknown u -> u;
            case Integer i -> BigDecimal.valueOf(i);
            case Long l -> BigDecimal.valueOf(l);
            case Short s -> BigDecimal.valueOf(s);
            case Byte b -> BigDecimal.valueOf(b);
            case BigInteger i -> new BigDecimal(i);
            case Double d when Double.isFinite(d) -> BigDecimal.valueOf(d);
            case Float f when Float.isFinite(f) -> new BigDecimal(Float.toString(f));
            case Collection<?> c -> {
                List<Object> items = new ArrayList<>(c.size());
                for (Object item : c) {
                    items.add(normalize(item));
                }
                yield Collections.unmodifiableList(items);
            }
            default -> value.toString();
        };
    }

    /** The truth of a value: null, false, "", 0 and an empty list are false; Unknown stays Unknown. */
    static Object truth(Object value) {
        return switch (value) {
            case null -> Boolean.FALSE;
            case Unknown u -> u;
            case Boolean b -> b;
            case String s -> !s.isEmpty();
            case BigDecimal d -> d.signum() != 0;
            case List<?> l -> !l.isEmpty();
            default -> Boolean.TRUE;
        };
    }

    /** Kleene negation. */
    static Object not(Object truth) {
        return truth instanceof Boolean b ? !b : Unknown.VALUE;
    }

    /**
     * Equality: numbers numerically, a string equals a number when it parses to it, a boolean equals "true"/"false"
     * in any case, lists element by element.
     */
    static Object equal(Object a, Object b) {
        if (a == Unknown.VALUE || b == Unknown.VALUE) {
            return Unknown.VALUE;
        }
        if (a == null || b == null) {
            return a == b;
        }
        return switch (a) {
            case BigDecimal x when b instanceof BigDecimal y -> x.compareTo(y) == 0;
            case BigDecimal x when b instanceof String y -> numericEqual(x, y);
            case String x when b instanceof BigDecimal y -> numericEqual(y, x);
            case String x when b instanceof String y -> x.equals(y);
            case Boolean x when b instanceof Boolean y -> x.equals(y);
            case Boolean x when b instanceof String y -> x.toString().equalsIgnoreCase(y);
            case String x when b instanceof Boolean y -> y.toString().equalsIgnoreCase(x);
            case List<?> x when b instanceof List<?> y -> listsEqual(x, y);
            default -> false;
        };
    }

    private static boolean numericEqual(BigDecimal number, String text) {
        BigDecimal parsed = parseNumber(text);
        return parsed != null && parsed.compareTo(number) == 0;
    }

    private static Object listsEqual(List<?> a, List<?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Object result = Boolean.TRUE;
        for (int i = 0; i < a.size(); i++) {
            Object same = equal(a.get(i), b.get(i));
            if (same == Boolean.FALSE) {
                return false;
            }
            if (same == Unknown.VALUE) {
                result = Unknown.VALUE;
            }
        }
        return result;
    }

    /**
     * Ordering for {@code < <= > >=}: the sign of a compared to b, or null when the two are not ordered
     * (then every comparison is false). Numbers numerically, strings lexicographically, a numeric string against
     * a number numerically.
     */
    static Integer order(Object a, Object b) {
        return switch (a) {
            case BigDecimal x when b instanceof BigDecimal y -> x.compareTo(y);
            case BigDecimal x when b instanceof String y -> compareNumbers(x, parseNumber(y));
            case String x when b instanceof BigDecimal y -> compareNumbers(parseNumber(x), y);
            case String x when b instanceof String y -> Integer.signum(x.compareTo(y));
            case null, default -> null;
        };
    }

    private static Integer compareNumbers(BigDecimal a, BigDecimal b) {
        return a == null || b == null ? null : a.compareTo(b);
    }

    /** {@code x in list}: true if an item equals x; Unknown when no item does but some item is Unknown. */
    static Object contains(Object list, Object item) {
        if (list == Unknown.VALUE || item == Unknown.VALUE) {
            return Unknown.VALUE;
        }
        if (!(list instanceof List<?> items)) {
            return false;
        }
        Object result = Boolean.FALSE;
        for (Object candidate : items) {
            Object same = equal(item, candidate);
            if (same == Boolean.TRUE) {
                return true;
            }
            if (same == Unknown.VALUE) {
                result = Unknown.VALUE;
            }
        }
        return result;
    }

    /** The text of a value in a template: null is empty, numbers print plainly, lists join with commas. */
    static String render(Object value) {
        return switch (value) {
            case null -> "";
            case BigDecimal d -> d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
            case List<?> items -> {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) {
                        text.append(',');
                    }
                    text.append(render(items.get(i)));
                }
                yield text.toString();
            }
            default -> value.toString();
        };
    }

    /** The number a string spells, or null; cheap for the common non-numeric case (no exception thrown). */
    static BigDecimal parseNumber(String text) {
        if (text.isEmpty() || text.length() > 100) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return null;
            }
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
