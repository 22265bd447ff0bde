package io.stoker.dsl.groovy;

import groovy.transform.CompileStatic;
import io.stoker.dsl.Frontend;
import io.stoker.dsl.draft.JobfileDraft;
import io.stoker.dsl.groovy.sandbox.CompileErrors;
import io.stoker.dsl.groovy.sandbox.EagerStrings;
import io.stoker.dsl.groovy.sandbox.JobSizeCheck;
import io.stoker.dsl.groovy.sandbox.JobfileClassLoader;
import io.stoker.dsl.groovy.sandbox.NestingCheck;
import io.stoker.dsl.groovy.sandbox.PolicyCheck;
import io.stoker.dsl.groovy.sandbox.PositionMarks;
import io.stoker.dsl.groovy.sandbox.SandboxCompiler;
import io.stoker.dsl.groovy.sandbox.SandboxTypeCheck;
import io.stoker.dsl.groovy.sandbox.SignedArguments;
import io.stoker.model.Diagnostic;
import io.stoker.model.Pos;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Groovy Jobfile DSL inside the compile sandbox (layer 1 of three; see issue 2): the script is checked at
 * CONVERSION ({@link PolicyCheck}), marked with positions ({@link PositionMarks}), statically compiled with the
 * {@link SandboxTypeCheck} extension, its GStrings rendered eagerly ({@link EagerStrings}), its classes defined under
 * a {@link JobfileClassLoader} that sees only the JDK, Groovy and the DSL, then run on a worker thread (whose context
 * loader is that one too) with a deadline, a memory budget and size limits.
 * Whatever goes wrong becomes a diagnostic with line:col; {@link #read} never throws.
 */
public final class GroovyFrontend implements Frontend {

    static {
        // belt and braces: annotations are rejected and global transforms hidden, so @Grab never gets this far
        System.setProperty("groovy.grape.enable", "false");
        // honoured from Groovy 5.1/6.0; on 5.0 @ASTTest is stopped by PolicyCheck (no annotations at all)
        System.setProperty("groovy.asttest.enable", "false");
    }

    /** Deep recursion in a script (or deeply nested code at compile time) fails fast on a bounded stack. */
    private static final long STACK_BYTES = 8L << 20;
    private static final long GRACE_MILLIS = 500;
    /** How much more CPU (and wall) time than the worker's own check the evaluation backstop allows. */
    private static final Duration BACKSTOP_GRACE = Duration.ofMillis(100);
    private static final String SCRIPT_CLASS = "Jobfile";

    private final GroovyLimits limits;
    private final CompilerConfiguration config;
    private final PolicyCheck policy = new PolicyCheck();
    private final PositionMarks positions = new PositionMarks();
    private static final SignedArguments SIGNED_ARGUMENTS = new SignedArguments(java.util.stream.Stream.of(
                    JobfileScript.class, JobSpec.class, TaskSpec.class, ParametersSpec.class, TriggersSpec.class,
                    NotifySpec.class, DeploySpec.class)
            .flatMap(noun -> SandboxTypeCheck.words(noun).stream()).collect(java.util.stream.Collectors.toSet()));
    /** Sees the JDK, Groovy and the DSL only; shared, since it holds nothing of any one Jobfile. */
    private static final JobfileClassLoader VISIBLE = new JobfileClassLoader(GroovyFrontend.class.getClassLoader());
    private final SandboxCompiler compiler = new SandboxCompiler(VISIBLE);

    public GroovyFrontend() {
        this(GroovyLimits.DEFAULTS);
    }

    public GroovyFrontend(GroovyLimits limits) {
        this.limits = limits;
        this.config = new CompilerConfiguration();
        config.setScriptBaseClass(JobfileScript.class.getName());
        config.setDisabledGlobalASTTransformations(Set.of("groovy.grape.GrabAnnotationTransformation"));
    }

    @Override
    public JobfileDraft read(String file, String text) {
        String name = file == null ? "Jobfile" : file;
        String source = text == null ? "" : text;
        if (source.length() > limits.maxScriptChars()) {
            JobfileDraft draft = new JobfileDraft(name);
            draft.diagnostics.add(Diagnostic.error(name, Pos.NONE, "the Jobfile is larger than "
                    + limits.maxScriptChars() / 1024 + " KiB"));
            return draft;
        }
        var tooDeep = NestingCheck.firstTooDeep(source, limits.maxNesting());
        if (tooDeep.isPresent()) {
            JobfileDraft draft = new JobfileDraft(name);
            draft.diagnostics.add(Diagnostic.error(name, tooDeep.get(), "brackets are nested more than "
                    + limits.maxNesting() + " deep here; split the expression or use variables"));
            return draft;
        }
        Evaluation evaluation = new Evaluation(name, limits);
        Thread worker = new Thread(null, () -> evaluate(evaluation, source), "jobfile-eval", STACK_BYTES);
        worker.setDaemon(true);
        // library code that looks up classes or services by the context loader sees what the Jobfile sees
        worker.setContextClassLoader(VISIBLE);
        long started = System.nanoTime();
        worker.start();
        try {
            // the worker stops itself at its deadline with a precise position; this is the backstop for a compile
            // or a single library call that never returns to a statement boundary
            CompileBudget compiling = new CompileBudget(worker, limits.compileTimeout(), limits.compileWallLimit(), started);
            CompileBudget running = null;
            while (worker.isAlive()) {
                long now = System.nanoTime();
                long evaluating = evaluation.startedNanos();
                if (evaluating != 0 && running == null) {
                    // a grace beyond the worker's own check, so that it reports the statement it stopped at
                    running = new CompileBudget(worker, limits.timeout().plus(BACKSTOP_GRACE),
                            limits.evaluationWallLimit().plus(BACKSTOP_GRACE), evaluating, evaluation.cpuStartNanos());
                }
                CompileBudget budget = running == null ? compiling : running;
                if (budget.spent(now)) {
                    break;
                }
                long waitNanos = budget.waitNanos(now);
                worker.join(Math.max(1, waitNanos / 1_000_000));
            }
            if (worker.isAlive()) {
                evaluation.cancel();
                worker.interrupt();
                worker.join(GRACE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            evaluation.cancel();
            worker.interrupt();
        }
        if (worker.isAlive()) {
            JobfileDraft abandoned = new JobfileDraft(name);
            String message = evaluation.startedNanos() == 0
                    ? "compiling the Jobfile took longer than " + limits.compileTimeout().toMillis() / 1000.0
                    + " s of CPU time (or " + limits.compileWallLimit().toSeconds() + " s in all) and was abandoned"
                    : "the Jobfile did not finish within " + limits.timeout().toMillis() / 1000.0
                    + " s of CPU time (or " + limits.evaluationWallLimit().toSeconds() + " s in all) and was abandoned";
            abandoned.diagnostics.add(Diagnostic.error(name, evaluation.pos(), message));
            return abandoned;
        }
        return evaluation.draft;
    }

    /**
     * Compiles a Jobfile exactly as {@link #read} does, without running it: for specs that check what the classes of
     * a Jobfile can see. Throws on compile errors.
     */
    Class<?> compileWithoutRunning(String source) {
        return compiler.compile(perCompile(new JobSizeCheck(limits.maxTasksPerJob())), SCRIPT_CLASS, source).script();
    }

    private CompilerConfiguration perCompile(JobSizeCheck sizes) {
        CompilerConfiguration perCompile = new CompilerConfiguration(config);
        // the static-compilation customizer remembers its compilation unit, so each compile gets its own
        perCompile.addCompilationCustomizers(policy, sizes, SIGNED_ARGUMENTS, positions, new EagerStrings(), new ASTTransformationCustomizer(
                Map.of("extensions", List.of(SandboxTypeCheck.class.getName())), CompileStatic.class));
        return perCompile;
    }

    private void evaluate(Evaluation evaluation, String source) {
        Class<?> type = null;
        JobSizeCheck sizes = new JobSizeCheck(limits.maxTasksPerJob());
        try {
            type = compiler.compile(perCompile(sizes), SCRIPT_CLASS, source).script();
            if (type == null || !JobfileScript.class.isAssignableFrom(type)) {
                evaluation.error("the Jobfile holds no statements");
                return;
            }
            JobfileScript script = (JobfileScript) type.getDeclaredConstructor().newInstance();
            script.bind(evaluation);
            evaluation.startEvaluating();
            script.run();
        } catch (MultipleCompilationErrorsException e) {
            List<Diagnostic> found = CompileErrors.toDiagnostics(evaluation.file, source, e.getErrorCollector()).stream()
                    .map(d -> d.message().equals(CompileErrors.TOO_LARGE) && sizes.largest().isPresent()
                            ? CompileErrors.tooLarge(evaluation.file, sizes.largest().get()) : d)
                    .toList();
            evaluation.draft.diagnostics.addAll(CompileErrors.withUnclosedBracket(evaluation.file, source,
                    CompileErrors.withYamlKeys(source, CompileErrors.withExpansionHints(source,
                            CompileErrors.withDollarHints(source, CompileErrors.withTripleQuotes(source, found))))));
        } catch (CompilationFailedException e) {
            evaluation.error("the Jobfile could not be compiled: " + CompileErrors.inDslWords(firstLine(e.getMessage())));
        } catch (StackOverflowError e) {
            evaluation.draft.cutShort = true;
            evaluation.error("the Jobfile is nested or recurses too deeply (stack overflow)");
        } catch (OutOfMemoryError e) {
            evaluation.draft.cutShort = true;
            evaluation.error("the Jobfile used too much memory");
        } catch (Throwable t) {
            evaluation.draft.cutShort = true;
            failed(evaluation, t, type);
        }
    }

    private static void failed(Evaluation evaluation, Throwable thrown, Class<?> script) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof DslStop stop) {
                evaluation.draft.diagnostics.add(Diagnostic.error(evaluation.file, stop.pos, stop.getMessage()));
                return;
            }
            if (t instanceof StackOverflowError) {
                evaluation.error("the Jobfile is nested or recurses too deeply (stack overflow)");
                return;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        Throwable cause = thrown;
        while ((cause instanceof java.lang.reflect.InvocationTargetException
                || cause instanceof org.codehaus.groovy.runtime.InvokerInvocationException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        Pos at = evaluation.pos();
        int line = scriptLine(cause, script);
        if (line > 0 && line != at.line()) {
            at = new Pos(line, 1);
        }
        evaluation.draft.diagnostics.add(Diagnostic.error(evaluation.file, at,
                "evaluating the Jobfile failed: " + inWords(cause)));
    }

    /**
     * What went wrong, without the JVM's names: the kind in words, then the message where it speaks of the Jobfile
     * (a null value's or a bad cast's message names Java types and methods, so it is left out).
     */
    private static String inWords(Throwable t) {
        String message = t.getMessage() == null ? "" : CompileErrors.inDslWords(firstLine(t.getMessage()));
        return switch (t) {
            case ArithmeticException a -> "arithmetic error" + (message.isEmpty() ? "" : ": " + message);
            case NumberFormatException n -> notANumber(message);
            case NullPointerException n -> "a value is null";
            case ClassCastException c -> "a value has the wrong type";
            case IndexOutOfBoundsException i -> outOfRange(message);
            default -> message.isEmpty() ? "an error in the Jobfile's code" : message;
        };
    }

    private static final java.util.regex.Pattern INPUT_STRING =
            java.util.regex.Pattern.compile("For input string: \"(.*)\"(?: under radix \\d+)?");
    private static final java.util.regex.Pattern INDEX =
            java.util.regex.Pattern.compile("(?:Index|index|String index out of range:) ?(-?\\d+)(?: out of bounds)?(?:,| for)? length:? ?(\\d+)");
    private static final java.util.regex.Pattern RANGE =
            java.util.regex.Pattern.compile("Range \\[(-?\\d+), (-?\\d+)\\) out of bounds for length (\\d+)");

    /** A text read as a number that is none: the text, not the JVM's "For input string". */
    private static String notANumber(String message) {
        var m = INPUT_STRING.matcher(message);
        if (m.matches()) return "'" + m.group(1) + "' is not a number";
        return "not a number" + (message.isEmpty() ? "" : ": " + message);
    }

    /** An index past the end of a text or list: the index and the length, in words. */
    private static String outOfRange(String message) {
        var r = RANGE.matcher(message);
        if (r.matches()) {
            int from = Integer.parseInt(r.group(1));
            int to = Integer.parseInt(r.group(2));
            String at = to - from == 1 ? "index " + from : "indexes " + from + " to " + (to - 1);
            return at + " is out of range: the value has " + items(r.group(3)) + ", numbered from 0";
        }
        var i = INDEX.matcher(message);
        if (i.find()) {
            return "index " + i.group(1) + " is out of range: the value has " + items(i.group(2)) + ", numbered from 0";
        }
        return "an index is out of range" + (message.isEmpty() ? "" : ": " + message);
    }

    /** A length the patterns above read as digits, said as a count of items. */
    private static String items(String length) {
        return io.stoker.model.Plural.of(Long.parseLong(length), "item");
    }

    /** The line of the innermost stack frame in the Jobfile's own classes (the script or its closures). */
    private static int scriptLine(Throwable t, Class<?> script) {
        if (script == null) {
            return -1;
        }
        String name = script.getName();
        for (StackTraceElement frame : t.getStackTrace()) {
            if ((frame.getClassName().equals(name) || frame.getClassName().startsWith(name + "$"))
                    && frame.getLineNumber() > 0) {
                return frame.getLineNumber();
            }
        }
        return -1;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
