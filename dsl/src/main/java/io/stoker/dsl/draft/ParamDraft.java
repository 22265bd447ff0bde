package io.stoker.dsl.draft;

import io.stoker.model.Pos;

import java.util.List;

/**
 * A parameter as written: {@code type} is string, choice or bool; {@code defaultValue} is whatever the author gave
 * (validation checks its type); {@code choices} only for choice.
 */
public record ParamDraft(String type, String name, Object defaultValue, List<Object> choices, String description,
                         Pos pos) {
}
