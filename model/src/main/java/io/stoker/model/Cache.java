package io.stoker.model;

import java.util.List;

/**
 * Directories a task keeps between runs (GitLab's {@code cache:}, GitHub's {@code actions/cache}): restored into the
 * workspace before its first step when a cache exists for the key, saved after it succeeded when none did.
 *
 * @param key   the name the cache is kept under; the task's name when the Jobfile gives none
 * @param paths what is kept, relative to the workspace (a directory takes everything under it)
 * @param files globs whose files' contents, with the paths and the task's matrix values, make the key's hash: a
 *              changed lock file gives a new cache
 */
public record Cache(String key, List<String> paths, List<String> files) {

    public Cache {
        paths = List.copyOf(paths);
        files = files == null ? List.of() : List.copyOf(files);
    }
}
