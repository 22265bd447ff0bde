package io.stoker.cli.run;

import io.stoker.cli.CliException;
import io.stoker.engine.start.SecretSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Secrets for a local run: a file of {@code NAME=value} lines ({@code #} starts a comment line). Values are
 * taken verbatim after the first {@code =}, spaces around them dropped; a value may be quoted with double quotes to
 * keep surrounding spaces.
 */
public final class SecretsFile {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SecretsFile() {
    }

    public static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw io.stoker.cli.FileProblem.unreadable("secrets file", file, e);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq < 0 || !NAME.matcher(name).matches()) {
                throw CliException.invalid(file + ":" + (i + 1) + ": expected NAME=value");
            }
            String value = line.substring(eq + 1).strip(); // NAME = value is value, as in every .env reader
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            secrets.put(name, value);
        }
        return secrets;
    }

    /**
     * The secrets of a local run from these values: every secret a job declares must be among them (there is no
     * store to fall back on), else the run is refused naming what to add to the file.
     */
    public static SecretSource source(Map<String, String> values) {
        Map<String, String> given = Map.copyOf(values);
        return (job, declared) -> {
            Set<String> missing = new TreeSet<>(declared);
            missing.removeAll(given.keySet());
            if (!missing.isEmpty()) {
                throw CliException.invalid("job '" + job + "' needs the secret" + (missing.size() == 1 ? " " : "s ")
                        + String.join(", ", missing) + ": give " + (missing.size() == 1 ? "it" : "them")
                        + " in a --secrets-file (NAME=value lines)");
            }
            // only what the job asked for, as on the server: a value the job never declared is neither given to it
            // nor masked in its log (an unrelated OTHER=1.2.3 masked every version number)
            Map<String, String> asked = new java.util.LinkedHashMap<>();
            for (String name : declared) asked.put(name, given.get(name));
            return asked;
        };
    }
}
