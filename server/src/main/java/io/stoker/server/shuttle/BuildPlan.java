package io.stoker.server.shuttle;

import io.stoker.server.Refused;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Jobfile a fetched source is built with: its own (at the root, as a git project's), else a default one for
 * the first build file found — {@code Makefile} runs {@code make}, {@code pom.xml} {@code mvn -B verify},
 * {@code package.json} {@code npm ci && npm test} — whose first log line says so.
 */
record BuildPlan(String file, String text, String detected) {
    static final List<String> JOBFILES = List.of("Jobfile", "Jobfile.yaml", "Jobfile.yml", "Jobfile.json");
    private static final long MAX_JOBFILE_BYTES = 1 << 20;

    private record Default(String marker, String command) {
    }

    private static final List<Default> DEFAULTS = List.of(
            new Default("Makefile", "make"),
            new Default("pom.xml", "mvn -B verify"),
            new Default("package.json", "npm ci && npm test"));

    static BuildPlan of(Path source) throws IOException {
        for (String name : JOBFILES) {
            Path f = source.resolve(name);
            if (Files.isRegularFile(f)) {
                if (Files.size(f) > MAX_JOBFILE_BYTES) throw new Refused.Invalid("the source's " + name + " is larger than 1 MiB", List.of());
                return new BuildPlan(name, Files.readString(f, StandardCharsets.UTF_8), null);
            }
        }
        for (Default d : DEFAULTS) {
            if (Files.isRegularFile(source.resolve(d.marker()))) {
                String say = "stoker: no Jobfile in the source; found " + d.marker() + ", running: " + d.command();
                // a Groovy single-quoted string holding a shell script; neither text holds a quote
                String text = "job('build') { task('build') { sh 'echo \"" + say + "\" && " + d.command() + "' } }";
                return new BuildPlan("Jobfile", text, d.marker());
            }
        }
        throw new Refused.Invalid("the source has no Jobfile and no build file to guess a build from",
                List.of("looked for: " + String.join(", ", JOBFILES) + ", Makefile, pom.xml, package.json at the source's root"));
    }
}
