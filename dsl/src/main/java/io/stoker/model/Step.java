package io.stoker.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One step of a task. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Step.Sh.class, name = "sh")})
public sealed interface Step {

    Pos pos();

    /**
     * A shell script. When its first line is {@code #!…} it runs with that interpreter, otherwise with
     * {@code bash -e} ({@code sh -e} where there is no bash). It may hold {@code ${{ }}} templates.
     */
    record Sh(String script, Pos pos) implements Step {
        public boolean hasShebang() {
            return script.startsWith("#!");
        }
    }
}
