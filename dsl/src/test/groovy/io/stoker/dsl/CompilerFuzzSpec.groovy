package io.stoker.dsl

import io.stoker.model.Diagnostic
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/**
 * Feeds random bytes, token soup and mutated sample Jobfiles to the Groovy and YAML front ends through the real
 * compiler. Every input must come back as a model or as diagnostics with a position, within a time bound, with no
 * exception escaping and nothing written. Seeded (override with -Dstoker.fuzz.seed=…; the seed is printed), and
 * bounded to a few hundred inputs.
 */
class CompilerFuzzSpec extends Specification {

    static final long SEED = Long.getLong('stoker.fuzz.seed', 20261122L)
    static final double FACTOR = (System.getProperty('stoker.test.timeoutFactor') ?: '1') as double
    /**
     * The compiler's own wall-clock nets plus slack: beyond this it hung. Its budgets count CPU time, so a loaded
     * machine may take far longer than the budgets in wall time without anything being wrong.
     */
    static final long MAX_MILLIS_PER_INPUT = (long) ((io.stoker.dsl.groovy.GroovyLimits.DEFAULTS.compileWallLimit()
            .toMillis() + io.stoker.dsl.groovy.GroovyLimits.DEFAULTS.timeout().toMillis()
            * io.stoker.dsl.groovy.GroovyLimits.COMPILE_WALL_FACTOR + 10_000) * FACTOR)

    /** Diagnostics about the file as a whole, which have no line:col of their own. */
    static final List<String> FILE_LEVEL = ['defines no job', 'took longer than', 'is larger than']

    static final List<String> GROOVY_TOKENS = [
            'job', 'task', 'sh', 'needs', 'env', 'secrets', 'secret', 'timeout', 'agent', 'concurrency', 'triggers',
            'push', 'cron', 'poll', 'after', 'trigger', 'parameters', 'string', 'choice', 'bool', 'matrix', 'retry',
            'when', 'input', 'artifacts', 'description', 'retryOnRestart',
            'def', 'if', 'else', 'for', 'in', 'while', 'do', 'return', 'break', 'continue', 'switch', 'case',
            'default', 'new', 'class', 'interface', 'enum', 'trait', 'record', 'import', 'package', 'static', 'this',
            'super', 'null', 'true', 'false', 'as', 'instanceof', 'try', 'catch', 'finally', 'throw', 'assert',
            'synchronized', 'var', 'it', 'owner', 'delegate', 'metaClass', 'execute', 'evaluate', 'System', 'File',
            '{', '}', '(', ')', '[', ']', ',', ';', ':', '.', '?.', '*.', '.&', '::', '.@', '->', '=', '==', '!=',
            '<', '>', '<=>', '+', '-', '*', '**', '/', '%', '<<', '>>', '..', '..<', '?:', '?', '!', '~', '=~', '==~',
            '@', '@Grab', '@ASTTest', '$', '"', "'", "'''", '"""', '/', '\\', '\n', ' ', '\t', '\u0000', '\uFFFF',
            "'a'", "'b'", '"${x}"', "'\${{ params.X }}'", '1', '0', '-1', '2000000000', '1e9', '3.14', 'x', 'y',
            '/* ', ' */', '// ', '#!', '\\u0065']

    static final List<String> YAML_TOKENS = [
            'jobs:', 'tasks:', 'sh:', 'needs:', 'env:', 'when:', 'matrix:', 'triggers:', 'parameters:', 'retry:',
            'timeout:', 'name:', 'a:', 'b:', '- ', '-', ':', '{', '}', '[', ']', ',', '&a', '*a', '<<:', '!!str',
            '!!python/object', '|', '>', '"', "'", '#', '---', '...', '%YAML 1.2', '?', '\n', '  ', '    ', '\t',
            'null', '~', 'true', 'yes', '1', '0x1F', '1e999', "'\${{ run.branch }}'", '${{', '}}', 'echo hi']

    static final List<String> HOSTILE = [
            "'touch CANARY'.execute()", "new File('CANARY').text = 'x'", "@Grab('a:b:1')", 'System.exit(3)',
            'while (true) { }', "'x' * 2000000000", 'this.binding', "evaluate('1')", 'String.metaClass.x = 1',
            "\"\${-> new File('CANARY').text = 'x'}\"", "def f = 'touch CANARY'.&execute; f()",
            "@groovy.transform.ASTTest(value = { new File('CANARY').text = 'x' }) def z = 1",
            'class E { static { new File("CANARY").text = "x" } }', "(1..2000000000).each { }",
            "Closure r; r = { r() }; r()", '{' * 40, '}' * 5, '(' * 40, "sh: !!java.io.File CANARY"]

    @Shared
    Compiler compiler = new JobfileCompiler()

    @Shared
    List<String> samples = Files.list(Path.of('../samples')).filter { Files.isDirectory(it) }
            .map { dir -> JobfileCompiler.find(dir).orElse(null) }.filter { it != null }
            .map { Files.readString(it) }.toList()

    @TempDir
    Path dir

    def setupSpec() {
        println "CompilerFuzzSpec seed: $SEED (rerun with -Dstoker.fuzz.seed=$SEED)"
    }

    def "random bytes get a model or positioned diagnostics (#file)"() {
        given:
        def random = new Random(SEED + file.hashCode())

        expect:
        (1..tries).every { n ->
            byte[] bytes = new byte[random.nextInt(400)]
            random.nextBytes(bytes)
            survives(file, new String(bytes, n % 2 == 0 ? 'UTF-8' : 'ISO-8859-1'))
        }

        where:
        file           | tries
        'Jobfile'      | 30
        'Jobfile.yaml' | 40
        'Jobfile.json' | 20
    }

    def "token soup gets a model or positioned diagnostics (#file)"() {
        given:
        def random = new Random(SEED * 31 + file.hashCode())

        expect:
        (1..tries).every {
            int length = 1 + random.nextInt(60)
            String soup = (1..length).collect { tokens[random.nextInt(tokens.size())] }.join(random.nextBoolean() ? ' ' : '')
            survives(file, soup)
        }

        where:
        file           | tokens        | tries
        'Jobfile'      | GROOVY_TOKENS | 50
        'Jobfile.yaml' | YAML_TOKENS   | 50
    }

    def "mutated samples get a model or positioned diagnostics (#file)"() {
        given:
        def random = new Random(SEED * 17 + file.hashCode())
        def sources = samples.findAll { (JobfileCompiler.Syntax.of(file) == JobfileCompiler.Syntax.YAML) == it.startsWith('jobs:') || it.contains('\njobs:') }
        if (sources.empty) sources = samples

        expect:
        !samples.empty
        (1..tries).every {
            String text = sources[random.nextInt(sources.size())]
            int rounds = 1 + random.nextInt(4)
            rounds.times { text = mutate(text, random) }
            survives(file, text)
        }

        where:
        file           | tries
        'Jobfile'      | 60
        'Jobfile.yaml' | 30
    }

    /** Compiles one input and checks the contract; returns true or fails with the input in the message. */
    private boolean survives(String file, String input) {
        Path canary = dir.resolve('canary')
        String text = input.replace('CANARY', canary.toString())
        long childrenBefore = ProcessHandle.current().children().count()
        long start = System.nanoTime()
        CompileResult result
        try {
            result = compiler.compile(file, text)
        } catch (Throwable t) {
            throw new AssertionError("an exception escaped for input:\n$text", t)
        }
        long millis = (System.nanoTime() - start) / 1_000_000
        assert millis < MAX_MILLIS_PER_INPUT, "took $millis ms for input:\n$text"
        assert result != null
        if (result instanceof CompileResult.Rejected) {
            List<Diagnostic> errors = result.diagnostics().findAll { it.error }
            assert !errors.empty, "rejected without an error for input:\n$text"
            errors.each { d ->
                assert d.line() > 0 && d.col() > 0 || FILE_LEVEL.any { d.message().contains(it) },
                        "diagnostic without a position: $d for input:\n$text"
                assert !d.message().contains('internal error'), "internal error: $d for input:\n$text"
                assert !d.message().contains('\tat '), "stack trace in $d"
            }
        } else {
            assert ((CompileResult.Compiled) result).jobfile() != null
        }
        assert !Files.exists(canary), "the input wrote a file:\n$text"
        assert ProcessHandle.current().children().count() == childrenBefore, "the input started a process:\n$text"
        true
    }

    private static String mutate(String text, Random random) {
        int length = text.length()
        int a = length == 0 ? 0 : random.nextInt(length)
        int b = Math.min(length, a + random.nextInt(40))
        switch (random.nextInt(8)) {
            case 0: return text.substring(0, a) + text.substring(b)                                   // delete
            case 1: return text.substring(0, b) + text.substring(a, b) + text.substring(b)            // duplicate
            case 2:                                                                                    // swap
                int c = length == 0 ? 0 : random.nextInt(length)
                int d = Math.min(length, c + random.nextInt(40))
                if (c < a && d > a || a < c && b > c) return text
                def (first, second) = a < c ? [[a, b], [c, d]] : [[c, d], [a, b]]
                return text.substring(0, first[0]) + text.substring(second[0], second[1]) +
                        text.substring(first[1], second[0]) + text.substring(first[0], first[1]) + text.substring(second[1])
            case 3: return text.substring(0, a) + HOSTILE[random.nextInt(HOSTILE.size())] + '\n' + text.substring(a)
            case 4: return text.substring(0, a) + (random.nextBoolean() ? '{' : '}') * (1 + random.nextInt(3)) + text.substring(a)
            case 5:                                                                                    // deep nesting
                int depth = 10 + random.nextInt(60)
                return text.substring(0, a) + "job('n') {" * depth + '}' * depth + text.substring(a)
            case 6: return text.substring(0, a) + ((char) random.nextInt(0x3000)) + text.substring(a)
            default: return text.substring(0, a) + text.substring(a).reverse().take(random.nextInt(20)) + text.substring(a)
        }
    }
}
