package io.stoker.server.git;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The {@link FileStat} of every path of a checkout (directories too, {@code .git} left out), by slash-separated
 * relative path, in path order so a directory's entries follow it.
 */
final class TreeStats {
    private TreeStats() {
    }

    /** Reads the status of everything under {@code dir} except its own {@code .git}. */
    static NavigableMap<String, FileStat> take(Path dir) throws IOException {
        NavigableMap<String, FileStat> stats = new TreeMap<>();
        walk(dir, "", stats);
        return stats;
    }

    private static void walk(Path dir, String prefix, Map<String, FileStat> stats) throws IOException {
        for (Path p : list(dir)) {
            String name = p.getFileName().toString();
            if (prefix.isEmpty() && name.equals(".git")) continue;
            String rel = prefix + name;
            FileStat stat = FileStat.of(p);
            stats.put(rel, stat);
            if (stat.isDirectory()) walk(p, rel + "/", stats);
        }
    }

    /** The entries of {@code dir}, read before any is changed. */
    static List<Path> list(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        }
        return entries;
    }

    /** Removes {@code rel} and everything under it. */
    static void removeTree(NavigableMap<String, FileStat> stats, String rel) {
        stats.remove(rel);
        stats.subMap(rel + "/", true, rel + "0", false).clear(); // '0' follows '/': exactly the paths under rel
    }
}
