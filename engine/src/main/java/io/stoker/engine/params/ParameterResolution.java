package io.stoker.engine.params;

import java.util.List;

/** The outcome of resolving given parameter values: the values, or every problem found (never both). */
public record ParameterResolution(ResolvedParameters parameters, List<String> errors) {

    public ParameterResolution {
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
