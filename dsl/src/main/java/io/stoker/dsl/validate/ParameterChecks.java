package io.stoker.dsl.validate;

import io.stoker.model.DidYouMean;
import io.stoker.dsl.draft.ParamDraft;
import io.stoker.model.Parameter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** Parameter types, defaults and choices; builds the model's parameters from the valid ones. */
final class ParameterChecks {
    private static final List<String> TYPES = List.of("string", "choice", "bool");

    private ParameterChecks() {
    }

    static List<Parameter> check(Map<String, ParamDraft> params, Problems problems) {
        var result = new ArrayList<Parameter>();
        for (ParamDraft p : params.values()) {
            Parameter parameter = switch (p.type() == null ? "" : p.type()) {
                case "string" -> string(p, problems);
                case "bool" -> bool(p, problems);
                case "choice" -> choice(p, problems);
                default -> {
                    problems.error(p.pos(), "unknown type '" + p.type() + "' of parameter '" + p.name()
                            + "'; use string, choice or bool" + DidYouMean.suffix(p.type(), TYPES));
                    yield null;
                }
            };
            if (parameter != null) result.add(parameter);
        }
        return result;
    }

    private static Parameter string(ParamDraft p, Problems problems) {
        if (p.defaultValue() != null && !(p.defaultValue() instanceof String)) {
            problems.error(p.pos(), "default of string parameter '" + p.name() + "' must be a string, not "
                    + describe(p.defaultValue()) + " — quote it");
            return null;
        }
        choicesOnlyForChoice(p, problems);
        return new Parameter.StringParam(p.name(), (String) p.defaultValue(), p.description(), p.pos());
    }

    private static Parameter bool(ParamDraft p, Problems problems) {
        Object value = p.defaultValue();
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            problems.error(p.pos(), "default of bool parameter '" + p.name() + "' must be true or false, not the string '"
                    + s + "' — drop the quotes");
            return null;
        }
        if (value != null && !(value instanceof Boolean)) {
            problems.error(p.pos(), "default of bool parameter '" + p.name() + "' must be true or false, not "
                    + describe(value));
            return null;
        }
        choicesOnlyForChoice(p, problems);
        return new Parameter.BoolParam(p.name(), (Boolean) value, p.description(), p.pos());
    }

    private static Parameter choice(ParamDraft p, Problems problems) {
        if (p.choices() == null || p.choices().isEmpty()) {
            problems.error(p.pos(), "choice parameter '" + p.name() + "' needs at least one choice");
            return null;
        }
        var choices = new ArrayList<String>();
        var seen = new HashSet<String>();
        boolean ok = true;
        for (Object c : p.choices()) {
            if (!(c instanceof String s)) {
                problems.error(p.pos(), "choices of parameter '" + p.name() + "' must be strings, not " + describe(c));
                ok = false;
            } else if (!seen.add(s)) {
                problems.error(p.pos(), "duplicate choice '" + s + "' in parameter '" + p.name() + "'");
                ok = false;
            } else {
                choices.add(s);
            }
        }
        // a choice's default is its first choice; a given default must be one of them and is moved first
        if (p.defaultValue() != null) {
            if (!(p.defaultValue() instanceof String d) || !choices.contains(d)) {
                problems.error(p.pos(), "default of choice parameter '" + p.name() + "' must be one of its choices"
                        + DidYouMean.suffix(String.valueOf(p.defaultValue()), choices));
                ok = false;
            } else {
                choices.remove(d);
                choices.addFirst(d);
            }
        }
        return ok ? new Parameter.ChoiceParam(p.name(), choices, p.description(), p.pos()) : null;
    }

    private static void choicesOnlyForChoice(ParamDraft p, Problems problems) {
        if (p.choices() != null && !p.choices().isEmpty()) {
            problems.error(p.pos(), "parameter '" + p.name() + "' is a " + p.type()
                    + " and cannot have choices — use type choice");
        }
    }

    static String describe(Object value) {
        return switch (value) {
            case String s -> "the string '" + s + "'";
            case Boolean b -> "the boolean " + b;
            case Number n -> "the number " + n;
            case List<?> l -> "a list";
            case Map<?, ?> m -> "a map";
            case null -> "null";
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
