package io.stoker.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/** A job parameter, given when a run starts; exported to tasks as an environment variable of the same name. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Parameter.StringParam.class, name = "string"),
        @JsonSubTypes.Type(value = Parameter.ChoiceParam.class, name = "choice"),
        @JsonSubTypes.Type(value = Parameter.BoolParam.class, name = "bool")})
public sealed interface Parameter {

    String name();

    String description();

    Pos pos();

    /** The default as the expression language sees it: a String or a Boolean. */
    Object defaultValue();

    record StringParam(String name, String defaultValue, String description, Pos pos) implements Parameter {
        public StringParam {
            defaultValue = defaultValue == null ? "" : defaultValue;
            description = description == null ? "" : description;
        }
    }

    /** A choice; its default is the first choice. */
    record ChoiceParam(String name, List<String> choices, String description, Pos pos) implements Parameter {
        public ChoiceParam {
            choices = List.copyOf(choices);
            description = description == null ? "" : description;
        }

        @Override
        public Object defaultValue() {
            return choices.isEmpty() ? "" : choices.getFirst();
        }
    }

    record BoolParam(String name, Boolean defaultValue, String description, Pos pos) implements Parameter {
        public BoolParam {
            defaultValue = defaultValue != null && defaultValue;
            description = description == null ? "" : description;
        }
    }
}
