package io.stoker.engine.params;

import java.util.List;

/** The outcome of resolving given parameter values: the values, or every problem found (never both). */
public record ParameterResolution(ResolvedParameters parameters, List<ParameterProblem> problems) {

    public ParameterResolution {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** Each problem's words, one a line. */
    public List<String> errors() {
        return problems.stream().map(ParameterProblem::message).toList();
    }
}
