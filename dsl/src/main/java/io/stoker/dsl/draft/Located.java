package io.stoker.dsl.draft;

import io.stoker.model.Pos;

/** A value with the place in the Jobfile it was written. */
public record Located<T>(T value, Pos pos) {
}
