package io.stoker.dsl.groovy;

import groovy.lang.Closure;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.groovy.sandbox.PositionMark;
import io.stoker.model.Pos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Base of the DSL's block classes. A block's closure runs with the block as its only delegate
 * ({@link Closure#DELEGATE_ONLY}), rehydrated so it cannot fall back to its owner.
 */
public abstract class DslDelegate {

    private final Evaluation evaluation;

    DslDelegate(Evaluation evaluation) {
        this.evaluation = evaluation;
    }

    /** Injected before every statement by the compiler; not a DSL word. */
    @PositionMark
    public final void $pos(int line, int col) {
        evaluation.at(line, col);
    }

    final Evaluation evaluation() {
        return evaluation;
    }

    final Pos here() {
        return evaluation.pos();
    }

    final <T> Located<T> located(T value) {
        return new Located<>(value, evaluation.pos());
    }

    static void runIn(Closure<?> body, Object delegate) {
        if (body == null) {
            return;
        }
        Closure<?> bound = body.rehydrate(delegate, delegate, body.getThisObject());
        bound.setResolveStrategy(Closure.DELEGATE_ONLY);
        bound.call();
    }

    /** A string as written (GStrings become strings); reports a non-text value for {@code word}. */
    final String text(Object value, String word) {
        String text = Values.text(value);
        if (text == null && value != null) {
            evaluation.error("'" + word + "' takes text, not " + Values.describe(value));
        }
        return evaluation.collect(text);
    }

    final List<String> texts(Object[] values, String word) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (Object v : values) {
                String t = text(v, word);
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** Reports each option not in {@code known}; true if there was one. */
    final boolean unknownOptions(Map<String, ?> options, String word, List<String> known) {
        if (options == null) {
            return false;
        }
        boolean unknown = false;
        for (Object key : options.keySet()) {
            String k = String.valueOf(key);
            if (!known.contains(k)) {
                evaluation.error("unknown option '" + k + "' for " + word
                        + io.stoker.model.DidYouMean.suffix(k, known) + " (known: "
                        + String.join(", ", known) + ")");
                unknown = true;
            }
        }
        return unknown;
    }

    /**
     * {@code env} of a map written in place or built ({@code names.collectEntries { … }}, whose keys the type checker
     * cannot know to be text): each key must be text when the Jobfile is evaluated.
     */
    final void putEnv(Map<?, ?> values, Map<String, Located<String>> into) {
        if (values == null) {
            return;
        }
        values.forEach((key, value) -> {
            String keyText = Values.text(key);
            if (keyText == null) {
                evaluation.error("env names must be text, not " + Values.describe(key));
                return;
            }
            String name = evaluation.collect(keyText);
            String text = Values.text(value);
            if (text == null) {
                evaluation.error("env value for '" + name + "' must be text, not " + Values.describe(value));
                return;
            }
            into.put(name, located(evaluation.collect(text)));
        });
    }

    /** {@code secret('X')}: grants X to the enclosing block and returns the template that reads it. */
    final String grantSecret(Object name, List<Located<String>> grants) {
        String n = text(name, "secret");
        if (n == null) {
            return null;
        }
        if (grants.stream().noneMatch(g -> g.value().equals(n))) {
            grants.add(located(n));
        }
        return evaluation.collect("${{ secrets." + n + " }}");
    }

    private static final List<String> TIME_UNITS = List.of("hours", "minutes", "seconds");

    /**
     * An option's whole number ({@code keepLast: 10}), or null after reporting it: a decimal or a number past an
     * int is told with its value ("got 1.5"), never as "not a number".
     *
     * @param what the option and what it counts, as messages say it: "publish keepLast", "healthcheck within"
     * @param unit "" or what the number counts, with a leading space (" of seconds")
     */
    final Located<Integer> wholeNumber(Object value, String what, String unit) {
        if (value instanceof Integer i) return located(i);
        if (value instanceof Number n) {
            java.math.BigDecimal d = new java.math.BigDecimal(n.toString());
            evaluation.error(what + ": takes a whole number" + unit + (d.stripTrailingZeros().scale() > 0 ? ""
                    : " of at most " + Integer.MAX_VALUE) + ", got " + d.toPlainString());
        } else {
            evaluation.error(what + ": takes a whole number" + unit + ", not " + Values.describe(value));
        }
        return null;
    }

    /** {@code timeout minutes: 30} (also hours:, seconds:, combined) as milliseconds. */
    /** {@code timeout '30m'}: a duration as text, as approval timeouts are written. */
    final Located<Long> millis(String duration) {
        long millis = io.stoker.dsl.validate.Durations.millis(duration);
        String tooLong = io.stoker.dsl.validate.Durations.tooLong(duration);
        if (tooLong != null) {
            evaluation.error("timeout " + tooLong);
            return null;
        }
        if (millis <= 0) {
            evaluation.error("timeout '" + duration + "': takes a duration like '30m', '1h30m' or '90s' (or timeout "
                    + "minutes: 30)");
            return null;
        }
        return located(millis);
    }

    final Located<Long> millis(Map<String, ?> amounts) {
        if (amounts != null && amounts.containsKey("time") && amounts.size() <= 3 && amounts.keySet().stream()
                .allMatch(k -> List.of("time", "unit", "activity").contains(String.valueOf(k)))) {
            // Jenkins' timeout(time: 5, unit: 'MINUTES'): one mistake, told once in Stoker's words
            String unit = amounts.get("unit") == null ? "MINUTES" : String.valueOf(amounts.get("unit"));
            String word = switch (unit.toUpperCase(java.util.Locale.ROOT)) {
                case "HOURS" -> "hours";
                case "SECONDS" -> "seconds";
                default -> "minutes";
            };
            evaluation.error("Jenkins' timeout(time: …, unit: …) is written timeout " + word + ": "
                    + amounts.get("time") + " (or seconds:, minutes:, hours:)");
            return null;
        }
        boolean reported = unknownOptions(amounts, "timeout", TIME_UNITS);
        java.math.BigDecimal millis = java.math.BigDecimal.ZERO;
        boolean any = false;
        for (String unit : TIME_UNITS) {
            Object value = amounts == null ? null : amounts.get(unit);
            if (value == null) {
                continue;
            }
            if (!(value instanceof Number number)) {
                evaluation.error("timeout " + unit + ": takes a number, not " + Values.describe(value));
                reported = true;
                continue;
            }
            java.math.BigDecimal amount = new java.math.BigDecimal(number.toString());
            if (amount.signum() < 0) {
                evaluation.error("timeout " + unit + ": cannot be negative");
                reported = true;
                continue;
            }
            long factor = switch (unit) {
                case "hours" -> 3_600_000L;
                case "minutes" -> 60_000L;
                default -> 1_000L;
            };
            millis = millis.add(amount.multiply(java.math.BigDecimal.valueOf(factor)));
            any = true;
        }
        if (!any) {
            if (reported) {
                return null;
            }
            evaluation.error("timeout needs an amount, e.g. timeout minutes: 30 (or hours:, seconds:)");
            return null;
        }
        if (millis.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            evaluation.error("timeout is too long");
            return null;
        }
        return located(millis.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    }
}
