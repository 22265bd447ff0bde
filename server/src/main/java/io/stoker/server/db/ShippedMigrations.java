package io.stoker.server.db;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The versions of the migration files this server carries ({@code V20__console.sql} is version {@code 20}, {@code
 * V1_1__x.sql} is {@code 1.1}, as Flyway records them), read from the class path without Flyway: a folder while
 * developing, the server's jar once packaged.
 */
final class ShippedMigrations {
    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__.+\\.sql");

    private ShippedMigrations() {
    }

    /**
     * The versions in the given class-path folders ({@code db/migration}), or empty when a folder cannot be listed
     * (neither a directory nor directly inside a jar file, or unreadable).
     */
    static Optional<Set<String>> versions(ClassLoader loader, List<String> folders) {
        Set<String> versions = new HashSet<>();
        for (String folder : folders) {
            URL url = loader.getResource(folder);
            if (url == null) continue;
            Optional<List<String>> names = names(url, folder);
            if (names.isEmpty()) return Optional.empty();
            names.get().forEach(name -> version(name).ifPresent(versions::add));
        }
        return Optional.of(versions);
    }

    /** The version a migration file's name gives, or empty for a file that is not a versioned migration. */
    static Optional<String> version(String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        return m.matches() ? Optional.of(m.group(1).replace('_', '.')) : Optional.empty();
    }

    private static Optional<List<String>> names(URL url, String folder) {
        try {
            return switch (url.getProtocol()) {
                case "file" -> Optional.of(inDirectory(Path.of(url.toURI())));
                case "jar" -> Optional.of(inJar(((JarURLConnection) url.openConnection()).getJarFileURL(), folder));
                default -> Optional.empty();
            };
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // a class path this cannot list (a jar inside a jar, say): Flyway, which can, decides
            return Optional.empty();
        }
    }

    private static List<String> inDirectory(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private static List<String> inJar(URL jarUrl, String folder) throws IOException, URISyntaxException {
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        try (JarFile jar = new JarFile(Path.of(jarUrl.toURI()).toFile())) {
            return jar.stream()
                    .map(e -> e.getName())
                    .filter(n -> n.startsWith(prefix) && n.length() > prefix.length() && n.indexOf('/', prefix.length()) < 0)
                    .map(n -> n.substring(prefix.length()))
                    .toList();
        }
    }
}
