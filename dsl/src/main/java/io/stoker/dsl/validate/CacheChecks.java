package io.stoker.dsl.validate;

import io.stoker.dsl.draft.CacheDraft;
import io.stoker.dsl.draft.Located;
import io.stoker.dsl.draft.TaskDraft;
import io.stoker.model.Cache;

import java.util.regex.Pattern;

/**
 * A task's {@code cache}: its paths and key files stay inside the workspace (the same rules as artifact patterns,
 * told at their line), and its key is a plain name, as it names files on the server and in its API.
 */
final class CacheChecks {
    /** Letters, digits, {@code . _ -}; the engine appends the hash of the paths and the key files. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,63}");

    private CacheChecks() {
    }

    static void task(TaskDraft task, Problems problems) {
        CacheDraft cache = task.cache;
        if (cache == null) return;
        for (Located<String> path : cache.paths()) {
            ArtifactChecks.inWorkspace(path, "a cache path", task, "a cache keeps what the task made there",
                    "a cache keeps files inside it", problems);
        }
        for (Located<String> file : cache.files()) {
            ArtifactChecks.inWorkspace(file, "a cache key file", task, "the key is made of the workspace's files",
                    "the key is made of files inside it", problems);
        }
        Located<String> key = cache.key();
        if (key != null && (key.value() == null || !KEY.matcher(key.value()).matches())) {
            problems.error(key.pos(), "cache key '" + key.value() + "' of task '" + task.name + "' must be a name of "
                    + "letters, digits, '.', '_' and '-' (at most 64); the files: whose contents make it change go "
                    + "in files:");
        }
    }

    /** The model's cache of a checked task: keyed by the task's name (as written) when no key is given. */
    static Cache model(TaskDraft task) {
        CacheDraft cache = task.cache;
        if (cache == null) return null;
        String key = cache.key() == null ? task.name : cache.key().value();
        return new Cache(key, cache.paths().stream().map(Located::value).toList(),
                cache.files().stream().map(Located::value).toList());
    }
}
