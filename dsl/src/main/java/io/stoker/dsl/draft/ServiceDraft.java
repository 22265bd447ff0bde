package io.stoker.dsl.draft;

import io.stoker.model.Pos;

import java.util.List;
import java.util.Map;

/** A service container as written ({@code postgres image: 'postgres:16', …}); null means "not given". */
public record ServiceDraft(String name, String image, Map<String, String> env, List<String> command, String ready,
                           Pos pos) {
}
