package io.stoker.dsl;

import io.stoker.dsl.groovy.GroovyFrontend;
import io.stoker.dsl.validate.JobfileValidator;
import io.stoker.dsl.yaml.YamlFrontend;
import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The facade: picks the front end by file name ({@code *.yaml}/{@code *.yml} YAML, {@code *.json} JSON, anything
 * else the Groovy DSL), reads the draft and validates it. Thread-safe.
 */
public final class JobfileCompiler implements Compiler {

    /** File names {@link #find} looks for, in order. */
    public static final List<String> NAMES = List.of("Jobfile", "Jobfile.yaml", "Jobfile.yml", "Jobfile.json");

    /** The Jobfile syntaxes; the name decides which one a file is written in. */
    public enum Syntax {
        GROOVY, YAML, JSON;

        public static Syntax of(String file) {
            String name = file == null ? "" : file.toLowerCase(Locale.ROOT);
            if (name.endsWith(".yaml") || name.endsWith(".yml")) return YAML;
            if (name.endsWith(".json")) return JSON;
            return GROOVY;
        }
    }

    private final JobfileValidator validator = new JobfileValidator();
    // Jackson factories are thread-safe and costly to build, so each compiler keeps one per syntax
    private final Frontend yaml = YamlFrontend.yaml();
    private final Frontend json = YamlFrontend.json();

    @Override
    public CompileResult compile(String file, String text) {
        Frontend frontend = switch (Syntax.of(file)) {
            case YAML -> yaml;
            case JSON -> json;
            case GROOVY -> new GroovyFrontend();
        };
        try {
            return validator.validate(frontend.read(file, text == null ? "" : text));
        } catch (RuntimeException | StackOverflowError e) {
            // front ends report bad input as diagnostics; this is the last guard so a user never sees a stack trace
            return new CompileResult.Rejected(List.of(Diagnostic.error(file, Pos.NONE,
                    "internal error while compiling the Jobfile: " + e)));
        }
    }

    /** The Jobfile in {@code dir}: {@code Jobfile}, {@code Jobfile.yaml}, {@code Jobfile.yml} or {@code Jobfile.json}. */
    public static Optional<Path> find(Path dir) {
        return NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }
}
