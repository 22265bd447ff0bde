package io.stoker.dsl.groovy;

import io.stoker.dsl.draft.JobDraft;
import io.stoker.dsl.draft.ParamDraft;
import io.stoker.dsl.groovy.sandbox.DslNoun;
import io.stoker.dsl.groovy.sandbox.DslWord;

import java.util.List;
import java.util.Map;

/** The words of a {@code parameters { … }} block: one per parameter type. */
@DslNoun("parameters")
public final class ParametersSpec extends DslDelegate {

    private static final List<String> OPTIONS = List.of("defaultValue", "description");
    private static final List<String> CHOICE_OPTIONS = List.of("choices", "defaultValue", "description");

    private final JobDraft job;

    ParametersSpec(Evaluation evaluation, JobDraft job) {
        super(evaluation);
        this.job = job;
    }

    /** {@code string 'NAME', defaultValue: 'x', description: '…'} */
    @DslWord
    public void string(Map<String, ?> options, String name) {
        add("string", options, name, OPTIONS);
    }

    @DslWord
    public void string(String name) {
        add("string", Map.of(), name, OPTIONS);
    }

    /** {@code choice 'ENV', choices: ['staging', 'prod'], description: '…'} */
    @DslWord
    public void choice(Map<String, ?> options, String name) {
        add("choice", options, name, CHOICE_OPTIONS);
    }

    @DslWord
    public void choice(String name) {
        add("choice", Map.of(), name, CHOICE_OPTIONS);
    }

    /** {@code bool 'DEPLOY', defaultValue: false} */
    @DslWord
    public void bool(Map<String, ?> options, String name) {
        add("bool", options, name, OPTIONS);
    }

    @DslWord
    public void bool(String name) {
        add("bool", Map.of(), name, OPTIONS);
    }

    private void add(String type, Map<String, ?> options, String name, List<String> known) {
        unknownOptions(options, type, known);
        Evaluation evaluation = evaluation();
        String n = text(name, type);
        if (n == null) {
            evaluation.error("a parameter needs a name: " + type + " 'NAME'");
            n = "";
        }
        Object defaultValue = Values.plain(options.get("defaultValue"), evaluation);
        List<Object> choices = null;
        if (options.containsKey("choices")) {
            Object given = Values.plain(options.get("choices"), evaluation);
            if (given instanceof List<?> list) {
                choices = List.copyOf(list.stream().map(v -> v == null ? (Object) "null" : v).toList());
            } else {
                evaluation.error("choices: takes a list, e.g. choices: ['staging', 'prod']");
            }
        }
        String description = text(options.get("description"), "description");
        job.parameters.add(new ParamDraft(type, n, defaultValue, choices, description, here()));
    }
}
