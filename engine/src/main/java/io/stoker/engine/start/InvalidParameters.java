package io.stoker.engine.start;

import io.stoker.engine.params.ParameterProblem;

import java.util.List;

/** Given parameter values a job does not accept; {@link #problems()} names every bad one. */
public final class InvalidParameters extends IllegalArgumentException {
    private final String job;
    private final List<ParameterProblem> problems;

    public InvalidParameters(String job, List<ParameterProblem> problems) {
        super("invalid parameters for job '" + job + "': " + String.join("; ",
                problems.stream().map(ParameterProblem::message).toList()));
        this.job = job;
        this.problems = List.copyOf(problems);
    }

    public String job() {
        return job;
    }

    /** Each bad parameter by its name as given, with what is wrong with it. */
    public List<ParameterProblem> problems() {
        return problems;
    }

    /** What is wrong, one bad parameter a line. */
    public List<String> errors() {
        return problems.stream().map(ParameterProblem::message).toList();
    }
}
