package io.stoker.engine.params;

import io.stoker.model.Job;
import io.stoker.model.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns {@code -p KEY=VALUE} strings into typed parameter values, checked against the job's declarations. */
public final class ParameterResolver {
    private ParameterResolver() {
    }

    /** Resolves the given values (by name) over the declared defaults; reports every bad value at once. */
    public static ParameterResolution resolve(Job job, Map<String, String> given) {
        List<ParameterProblem> errors = new ArrayList<>();
        for (String name : given.keySet()) {
            if (job.parameter(name).isEmpty()) errors.add(new ParameterProblem(name, unknown(job, name)));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Parameter p : job.parameters()) {
            String raw = given.get(p.name());
            if (raw == null) {
                values.put(p.name(), p.defaultValue());
                continue;
            }
            switch (p) {
                case Parameter.StringParam s -> {
                    String wrong = unfitForEnvironment(raw);
                    if (wrong == null) values.put(s.name(), raw);
                    else errors.add(new ParameterProblem(s.name(), "parameter '" + s.name() + "' " + wrong));
                }
                case Parameter.ChoiceParam c -> {
                    if (c.choices().contains(raw)) values.put(c.name(), raw);
                    else errors.add(new ParameterProblem(c.name(), "parameter '" + c.name() + "' must be one of "
                            + String.join(", ", c.choices()) + " (got '" + raw + "')"));
                }
                case Parameter.BoolParam b -> {
                    Boolean v = parseBool(raw);
                    if (v != null) values.put(b.name(), v);
                    else errors.add(new ParameterProblem(b.name(), "parameter '" + b.name() + "' is a bool: use"
                            + " true/false, yes/no or 1/0 (got '" + raw + "')"));
                }
            }
        }
        return errors.isEmpty()
                ? new ParameterResolution(new ResolvedParameters(values), List.of())
                : new ParameterResolution(null, errors);
    }

    /** A value's longest encoding: a task gets it as an environment variable, and Linux allows 128 KiB for one. */
    public static final int MAX_VALUE_BYTES = 65_536;

    /** Why a value cannot become an environment variable, or null. */
    private static String unfitForEnvironment(String raw) {
        if (raw.indexOf('\0') >= 0) return "must not contain a NUL character (a task gets it as an environment variable)";
        if (raw.length() > MAX_VALUE_BYTES / 4 && raw.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            return "is longer than " + MAX_VALUE_BYTES + " bytes (a task gets it as an environment variable)";
        }
        return null;
    }

    private static String unknown(Job job, String name) {
        String declared = job.parameters().isEmpty() ? "no parameters"
                : String.join(", ", job.parameters().stream().map(Parameter::name).toList());
        return "unknown parameter '" + name + "' (job '" + job.name() + "' has " + declared + ")";
    }

    private static Boolean parseBool(String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Boolean.TRUE;
            case "false", "no", "0" -> Boolean.FALSE;
            default -> null;
        };
    }
}
