package io.stoker.cli.local;

import io.stoker.cli.CliException;
import io.stoker.dsl.CompileResult;
import io.stoker.dsl.JobfileCompiler;
import io.stoker.model.Diagnostic;
import io.stoker.model.Job;
import io.stoker.model.Jobfile;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Finds, reads and compiles the Jobfile a command was given (a file, a directory, or the current directory). */
public final class JobfileSource {
    private static final long MAX_BYTES = 1 << 20;

    private final Path path;
    private final String displayName;
    /** Other Jobfile names in the directory given, as shown: they are not read, since {@link #path} comes first. */
    private final List<String> passedOver;
    private final Path directory;
    /** The text read already (standard input, which can be read once), or null to read {@link #path}. */
    private final String given;

    private JobfileSource(Path path, String displayName, List<String> passedOver, Path directory, String given) {
        this.path = path;
        this.displayName = displayName;
        this.passedOver = passedOver;
        this.directory = directory;
        this.given = given;
    }

    /**
     * As {@link #locate}, but {@code -} is the Jobfile on standard input (as {@code kubectl apply -f -} reads it):
     * {@code validate}, {@code graph}, {@code run} (whose workspace is then a copy of the current directory, as for a
     * pipe) and {@code project add/update --jobfile}.
     */
    public static JobfileSource locateOrStdin(Path given, java.io.InputStream stdin) {
        return given != null && given.toString().equals("-") ? stdin(stdin) : locate(given);
    }

    /**
     * The Jobfile on standard input. It has no name to tell its syntax by: it is told by its start, as the server
     * tells an inline Jobfile's ({@link JobfileCompiler.Syntax#guess}), and its problems are shown at
     * {@code stdin:LINE:COL} ({@code stdin.yaml}, {@code stdin.json}: the compiler reads the syntax from the name).
     */
    private static JobfileSource stdin(java.io.InputStream in) {
        String text = read(in, "stdin");
        String name = switch (JobfileCompiler.Syntax.guess(text)) {
            case GROOVY -> "stdin";
            case YAML -> "stdin.yaml";
            case JSON -> "stdin.json";
        };
        return new JobfileSource(null, name, List.of(), Path.of("").toAbsolutePath(), text);
    }

    /** @param given what the user typed, or null for the current directory */
    public static JobfileSource locate(Path given) {
        Path start = given == null ? Path.of("") : given;
        Path abs = start.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            Path found = JobfileCompiler.find(abs).orElseThrow(() -> CliException.invalid(
                    "no Jobfile, Jobfile.yaml, Jobfile.yml or Jobfile.json in " + (given == null ? "the current directory" : given)
                            + notFiles(abs, given)));
            Path shown = given == null ? found.getFileName() : given.resolve(found.getFileName());
            List<String> passedOver = JobfileCompiler.NAMES.stream().map(abs::resolve)
                    .filter(p -> !p.equals(found) && Files.isRegularFile(p))
                    .map(p -> (given == null ? p.getFileName() : given.resolve(p.getFileName())).toString()).toList();
            return new JobfileSource(found, shown.toString(), passedOver, found.getParent(), null);
        }
        // not only regular files: `stoker validate <(git show HEAD:Jobfile)` and /dev/stdin are pipes
        if (!Files.exists(abs)) throw CliException.invalid("no such file: " + start);
        return new JobfileSource(abs, start.toString(), List.of(),
                streamed(abs) ? Path.of("").toAbsolutePath() : abs.getParent(), null);
    }

    /** A directory named like a Jobfile is why none was found: say so, or the refusal reads as a wrong path. */
    private static String notFiles(Path dir, Path given) {
        List<String> dirs = JobfileCompiler.NAMES.stream().filter(n -> Files.isDirectory(dir.resolve(n)))
                .map(n -> given == null ? n : given.resolve(n).toString()).toList();
        return dirs.isEmpty() ? "" : " (" + String.join(", ", dirs) + (dirs.size() == 1 ? " is a directory)" : " are directories)");
    }

    /**
     * A Jobfile read from a pipe or the terminal ({@code <(git show HEAD:Jobfile)} is {@code /dev/fd/63},
     * {@code /dev/stdin}, {@code /proc/self/fd/0}) belongs to no directory of a project: /dev is not one to copy.
     */
    private static boolean streamed(Path abs) {
        return abs.startsWith("/dev") || abs.startsWith("/proc");
    }

    public Path path() {
        return path;
    }

    /**
     * The directory the Jobfile sits in, or the current directory for one read from a pipe: the workspace of a
     * local run is a copy of it.
     */
    public Path directory() {
        return directory;
    }

    public String displayName() {
        return displayName;
    }

    /**
     * The Jobfile's own name, which tells its syntax: {@code ci.yaml} for {@code ./ci.yaml} or the one found in a
     * directory; {@code stdin}, {@code stdin.yaml} or {@code stdin.json} for standard input.
     */
    public String fileName() {
        return path == null ? displayName : path.getFileName().toString();
    }

    /** Compiles and returns the model, or prints every diagnostic to {@code err} and fails with exit 2. */
    public Jobfile compile(PrintWriter err) {
        // editing Jobfile.yaml beside a forgotten Jobfile would change nothing: say which one is read
        passedOver.forEach(other -> err.println(other + ": warning: not read: " + displayName + " is read first ("
                + String.join(", ", JobfileCompiler.NAMES) + ", in that order); remove the one you do not use"));
        CompileResult result = new JobfileCompiler().compile(displayName, read());
        result.diagnostics().stream().filter(d -> !d.isError()).forEach(d -> err.println(d));
        return switch (result) {
            case CompileResult.Compiled compiled -> compiled.jobfile();
            case CompileResult.Rejected rejected -> {
                List<Diagnostic> errors = rejected.diagnostics().stream().filter(Diagnostic::isError).toList();
                errors.forEach(err::println);
                throw CliException.invalid(displayName + " is invalid: " + errors.size()
                        + (errors.size() == 1 ? " error" : " errors"));
            }
        };
    }

    /** The job named {@code name}, or the only job; several jobs and no name is an error that lists them. */
    public static Job chooseJob(Jobfile jobfile, String name) {
        if (name != null) {
            return jobfile.job(name).orElseThrow(() -> CliException.invalid(
                    "no job '" + name + "' in " + jobfile.file() + " (it has " + jobNames(jobfile) + ")"));
        }
        if (jobfile.jobs().size() == 1) return jobfile.jobs().getFirst();
        throw CliException.invalid(jobfile.file() + " has " + jobfile.jobs().size() + " jobs (" + jobNames(jobfile)
                + "): choose one with --job");
    }

    private static String jobNames(Jobfile jobfile) {
        return jobfile.jobs().stream().map(Job::name).collect(Collectors.joining(", "));
    }

    /** The Jobfile's text, as {@link #compile} reads it; a file over 1 MiB or unreadable fails with exit 2. */
    public String text() {
        return read();
    }

    private String read() {
        if (given != null) return given;
        try (var in = Files.newInputStream(path)) {
            return read(in, displayName);
        } catch (IOException e) {
            throw CliException.invalid("cannot read " + displayName + ": " + io.stoker.cli.FileProblem.reason(e));
        }
    }

    /** At most 1 MiB of {@code in}, decoded; more fails with exit 2. */
    private static String read(java.io.InputStream in, String shown) {
        try {
            // read up to one byte over the limit: a pipe has no size to ask first
            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) throw CliException.invalid(shown + " is larger than 1 MiB");
            // decoded as the server decodes a Jobfile from git: a byte that is not UTF-8 becomes U+FFFD, not a refusal
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.invalid("cannot read " + shown + ": " + io.stoker.cli.FileProblem.reason(e));
        }
    }
}
