package io.stoker.dsl;

import io.stoker.dsl.encoding.UndecodedBytes;

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

        /**
         * The syntax of a Jobfile text that came without a file name (an inline Jobfile given to the server): JSON
         * when it starts with {@code {}, YAML when its first line that is not blank or a {@code #} comment is a
         * top-level key ({@code jobs:}, or another tool's {@code stages:}, {@code name:} …, which the YAML reader
         * then names), else the Groovy DSL. No Groovy Jobfile starts either way, so a YAML or JSON file pasted
         * without {@code file} is not read as Groovy and answered with a Groovy syntax error.
         */
        public static Syntax guess(String text) {
            String t = text == null ? "" : text.strip();
            if (t.startsWith("\uFEFF")) t = t.substring(1).strip();
            if (t.startsWith("{")) return JSON;
            for (String line : t.split("\n", 200)) {
                String l = line.strip();
                if (l.isEmpty() || l.equals("---") || l.startsWith("#") && !l.startsWith("#!")) continue;
                return YAML_START.matcher(l).lookingAt() ? YAML : GROOVY;
            }
            return GROOVY;
        }

        /** The file name {@link #of} reads as this syntax: {@code Jobfile}, {@code Jobfile.yaml} or {@code Jobfile.json}. */
        public String fileName() {
            return switch (this) {
                case GROOVY -> "Jobfile";
                case YAML -> "Jobfile.yaml";
                case JSON -> "Jobfile.json";
            };
        }
    }

    /**
     * A YAML top-level key, plain or quoted: {@code jobs:}, {@code "jobs":}, {@code 'jobs' :}, {@code stages:},
     * {@code on:}. A Groovy Jobfile's first statement is a call ({@code job('a') {}}), never a word and a colon.
     */
    private static final java.util.regex.Pattern YAML_START =
            java.util.regex.Pattern.compile("([\"']?)[A-Za-z_][A-Za-z0-9_.-]*\\1\\s*:(\\s|$)");

    private final JobfileValidator validator = new JobfileValidator();
    private final io.stoker.dsl.groovy.GroovyLimits groovyLimits;
    // Jackson factories are thread-safe and costly to build, so each compiler keeps one per syntax
    private final Frontend yaml = YamlFrontend.yaml();
    private final Frontend json = YamlFrontend.json();

    /** Groovy Jobfiles held to the default limits ({@link io.stoker.dsl.groovy.GroovyLimits#DEFAULTS}). */
    public JobfileCompiler() {
        this(io.stoker.dsl.groovy.GroovyLimits.DEFAULTS);
    }

    /** Groovy Jobfiles held to {@code groovyLimits} (a server's shorter evaluation budget, say). */
    public JobfileCompiler(io.stoker.dsl.groovy.GroovyLimits groovyLimits) {
        this.groovyLimits = java.util.Objects.requireNonNull(groovyLimits);
    }

    @Override
    public CompileResult compile(String file, String text) {
        Frontend frontend = switch (Syntax.of(file)) {
            case YAML -> yaml;
            case JSON -> json;
            case GROOVY -> new GroovyFrontend(groovyLimits);
        };
        try {
            String read = withoutByteOrderMark(text);
            return withWarnings(validator.validate(frontend.read(file, read)), UndecodedBytes.warnings(file, read));
        } catch (RuntimeException | StackOverflowError e) {
            // front ends report bad input as diagnostics; this is the last guard so a user never sees a stack trace
            return new CompileResult.Rejected(List.of(Diagnostic.error(file, Pos.NONE,
                    "internal error while compiling the Jobfile: " + e)));
        }
    }

    /** {@code result} with {@code warnings} before its own diagnostics. */
    private static CompileResult withWarnings(CompileResult result, List<Diagnostic> warnings) {
        if (warnings.isEmpty()) return result;
        List<Diagnostic> all = new java.util.ArrayList<>(warnings);
        all.addAll(result.diagnostics());
        return switch (result) {
            case CompileResult.Compiled c -> new CompileResult.Compiled(c.jobfile(), all);
            case CompileResult.Rejected r -> new CompileResult.Rejected(all);
        };
    }

    /**
     * The text without the byte-order mark an editor (Windows Notepad) may put first: it is no part of any syntax, and
     * Groovy and Jackson read it as a stray character where SnakeYAML skips it. Every line:col stays as the editor shows it.
     */
    private static String withoutByteOrderMark(String text) {
        if (text == null) return "";
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The Jobfile in {@code dir}: {@code Jobfile}, {@code Jobfile.yaml}, {@code Jobfile.yml} or {@code Jobfile.json}. */
    public static Optional<Path> find(Path dir) {
        return NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }
}
