package io.stoker.engine.files;

import java.nio.file.Path;

/**
 * A relative path as archives and manifests write it: its names joined by {@code /}. Not {@code toString()} with
 * backslashes turned into slashes: on Linux a backslash is a character of a file name ({@code back\slash.txt}), and
 * such a file came back from a zip as a directory {@code back/} that never existed.
 */
public final class SlashPath {
    private SlashPath() {
    }

    public static String of(Path relative) {
        StringBuilder out = new StringBuilder();
        for (Path name : relative) {
            if (!out.isEmpty()) out.append('/');
            out.append(name);
        }
        return out.toString();
    }
}
