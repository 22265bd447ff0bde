package io.stoker.dsl.draft;

import io.stoker.model.Pos;

import java.util.List;

/**
 * A task's {@code cache} as written: the paths it keeps, its key (null for the task's name) and the files whose
 * contents hash into the key; validation checks each where it is written.
 */
public record CacheDraft(List<Located<String>> paths, Located<String> key, List<Located<String>> files, Pos pos) {

    public CacheDraft {
        paths = List.copyOf(paths);
        files = List.copyOf(files);
    }
}
