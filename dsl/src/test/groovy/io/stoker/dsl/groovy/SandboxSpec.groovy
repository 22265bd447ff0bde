package io.stoker.dsl.groovy

import io.stoker.dsl.groovy.sandbox.PolicyCheck
import io.stoker.dsl.groovy.sandbox.SandboxCompiler
import org.codehaus.groovy.control.CompilerConfiguration
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * Every file in src/test/resources/hostile is a Jobfile that tries to escape (files, processes, network, reflection,
 * class loading, metaprogramming, AST transforms, @Grab, threads, exit, endless loops, recursion, allocation,
 * output, GString/closure tricks, method pointers, coercion). Each must be rejected with the diagnostic its first
 * line announces (`// expect: <part of the message>`, alternatives separated by `||`), at a real line, with no side
 * effect, and leave the JVM healthy.
 */
class SandboxSpec extends Specification {

    static final Path HOSTILE = Path.of('src/test/resources/hostile')
    static final double FACTOR = (System.getProperty('stoker.test.timeoutFactor') ?: '1') as double

    @Shared
    @AutoCleanup
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())

    /** Default limits, but a shorter deadline and a smaller memory budget, so the corpus runs in seconds. */
    @Shared
    GroovyFrontend frontend = new GroovyFrontend(new GroovyLimits(1 << 20, 32, 100, 1_000, 256 * 1024, 8L << 20,
            Duration.ofMillis((long) (2000 * FACTOR)), Duration.ofSeconds(30), 64L << 20))

    @TempDir
    Path dir

    def "hostile Jobfile #name is rejected with a positioned diagnostic and no side effect"() {
        given:
        Path canary = dir.resolve('canary')
        String text = Files.readString(file)
                .replace('CANARY', canary.toString())
                .replace('PORT', String.valueOf(listener.localPort))
        // "a || b": either message is right (a loop that allocates may hit the memory budget or the deadline first)
        List<String> expected = text.readLines()[0].replaceFirst('^// expect: ', '').split(/ \|\| /).toList()
        long childrenBefore = ProcessHandle.current().children().count()

        when:
        def draft = frontend.read('Jobfile', text)

        then: 'rejected, with the announced message at a line of the file'
        def errors = draft.diagnostics.findAll { it.error }
        !errors.empty
        def match = errors.find { e -> expected.any { e.message.contains(it) } }
        match != null || errors*.toString() == expected
        match.line() > 0 && match.line() <= text.readLines().size()
        !match.message.contains('\n')
        !match.message.contains('\tat ')

        and: 'nothing was written, started or connected'
        !Files.exists(canary)
        ProcessHandle.current().children().count() == childrenBefore
        !connectionArrived()

        and: 'the evaluation thread is gone and the JVM still works'
        evaluationThreadsEnd()
        (1..1000).collect { it * 2 }.sum() == 1001000
        Runtime.runtime.freeMemory() > 0

        where:
        file << Files.list(HOSTILE).filter { it.toString().endsWith('.groovy') }.sorted().toList()
        name = file.fileName.toString() - '.groovy'
    }

    def "the corpus covers every category of the issue"() {
        given:
        def names = Files.list(HOSTILE).map { it.fileName.toString() }.toList()

        expect:
        ['files', 'process', 'network', 'reflection', 'classloading', 'meta', 'ast', 'grab', 'threads', 'exit',
         'loop', 'recursion', 'alloc', 'output', 'gstring', 'closure', 'method', 'coerce', 'class', 'property',
         'spread', 'unicode', 'regex'].every { category ->
            names.any { it.startsWith(category + '-') || it == category + '.groovy' }
        }
        names.every { Files.readAllLines(HOSTILE.resolve(it))[0].startsWith('// expect: ') }
        names.size() >= 200
    }

    def "a Jobfile compile registers no global AST transformation, though the class path has some"() {
        given: 'Groovy (Grape) and Spock both register global transformations on this class path'
        def config = new CompilerConfiguration()
        def plain = new GroovyClassLoader(getClass().classLoader, config)
        def unit = new org.codehaus.groovy.control.CompilationUnit(config, null, plain)
        unit.addSource('Plain.groovy', 'def x = 1')
        unit.compile(org.codehaus.groovy.control.Phases.CONVERSION)

        when:
        def compiled = new SandboxCompiler(getClass().classLoader).compile(config, 'Sandboxed', 'def x = 1')

        then:
        !unit.ASTTransformationsContext.globalTransformNames.empty
        compiled.unit().ASTTransformationsContext.globalTransformNames.empty
        compiled.script().name == 'Sandboxed'

        cleanup:
        plain?.close()
    }

    def "each Jobfile gets its own class loader, and an unknown name is never looked up as a source file"() {
        given:
        def compiler = new SandboxCompiler(getClass().classLoader)
        def config = new CompilerConfiguration()

        when:
        def first = compiler.compile(config, 'Jobfile', 'def x = 1').script()
        def second = compiler.compile(config, 'Jobfile', 'def x = 2').script()

        then:
        first.classLoader != second.classLoader
        first.classLoader.parent == getClass().classLoader

        when: 'a name is unknown; a GroovyClassLoader would search the class path for SandboxSpec.groovy'
        compiler.compile(config, 'Jobfile', 'def x = new SandboxSpecHelperSource()')

        then:
        thrown(org.codehaus.groovy.control.CompilationFailedException)
    }

    def "code nested deeper than the compiler copes with is rejected before compiling, at the bracket"() {
        given:
        def deep = "job('a') {\n  task('t') { sh " + '(' * 50_000 + "'x'" + ')' * 50_000 + ' } }'

        when:
        long start = System.nanoTime()
        def found = frontend.read('Jobfile', deep).diagnostics*.toString()

        then:
        found == ['Jobfile:2:48: brackets are nested more than 32 deep here; split the expression or use variables']
        System.nanoTime() - start < 1_000_000_000L * FACTOR

        and: 'the JVM goes on'
        frontend.read('Jobfile', "job('b') { }").jobs*.name == ['b']
    }

    def "a long chain of calls, which the type checker takes exponential time over, is rejected at its start"() {
        given: 'a stray quote makes the rest of the line words in a row: sh(…).n(…).n(…)…, 25 links'
        def chained = "job('a') {\n  task('t') { sh 'echo " + "job('n') {" * 25 + "x' }\n}\n"

        when:
        def found = frontend.read('Jobfile', chained).diagnostics*.toString()

        then: 'not a compile abandoned after 10 s of CPU'
        found == ["Jobfile:2:15: more than ${PolicyCheck.MAX_CHAIN} calls or properties in a row here (a.b().c… or words with"
                          + " nothing between them); look for a missing quote or ';', or split it with variables"]

        and: 'a chain as long as the limit compiles'
        def calls = (1..PolicyCheck.MAX_CHAIN).collect { '.trim()' }.join('')
        frontend.read('Jobfile', "job('b') { task('t') { sh 'x'$calls } }").diagnostics.empty
    }

    def "Jobfiles read in parallel do not mix their results"() {
        given:
        def pool = java.util.concurrent.Executors.newFixedThreadPool(4)

        when:
        def futures = (1..8).collect { n ->
            pool.submit({ frontend.read("J$n", "job('job-$n') { ${n}.times { i -> task(\"t\$i\") { sh 'true' } } }") } as java.util.concurrent.Callable)
        }
        def drafts = futures*.get()

        then:
        drafts.every { it.diagnostics.empty }
        drafts*.jobs*.name.flatten() == (1..8).collect { "job-$it" }
        drafts.collect { it.jobs[0].tasks.size() } == (1..8).toList()

        cleanup:
        pool.shutdownNow()
    }

    def "Grape is switched off for the whole JVM and its Ivy engine is not on the class path"() {
        when:
        new GroovyFrontend()

        then:
        System.getProperty('groovy.grape.enable') == 'false'
        System.getProperty('groovy.asttest.enable') == 'false'

        when:
        Class.forName('org.apache.ivy.Ivy')

        then:
        thrown(ClassNotFoundException)
    }

    def "a Jobfile cannot take longer than its CPU budget, nor its caller wait longer than the wall-clock net"() {
        given:
        def quick = new GroovyFrontend(GroovyLimits.DEFAULTS.withTimeout(Duration.ofMillis(300)))

        when:
        long start = System.nanoTime()
        def draft = quick.read('Jobfile', 'while (true) { }')
        long millis = (System.nanoTime() - start) / 1_000_000

        then:
        draft.diagnostics*.toString() == ['Jobfile:1:1: the Jobfile took longer than 0.3 s of CPU time to evaluate — is there an endless loop?']

        and: 'the 300 ms are CPU time, so a loaded machine stretches them, up to the wall-clock net (12 x 300 ms)'
        millis < 300 * GroovyLimits.COMPILE_WALL_FACTOR + 1000 * FACTOR
    }

    def "a Jobfile stopped by a limit is told only why it stopped, not blamed for the parts it never reached"() {
        given:
        def compiler = new io.stoker.dsl.JobfileCompiler(GroovyLimits.DEFAULTS.withTimeout(Duration.ofMillis(300)))

        when:
        def result = compiler.compile('Jobfile', "job('j') { while (true) { } }")

        then:
        result instanceof io.stoker.dsl.CompileResult.Rejected
        result.diagnostics()*.toString() == ['Jobfile:1:12: the Jobfile took longer than 0.3 s of CPU time to evaluate — is there an endless loop?']
    }

    private boolean connectionArrived() {
        listener.soTimeout = 1
        try {
            listener.accept().close()
            return true
        } catch (SocketTimeoutException ignored) {
            return false
        }
    }

    private static boolean evaluationThreadsEnd() {
        long deadline = System.nanoTime() + (long) (3_000_000_000L * FACTOR)
        while (System.nanoTime() < deadline) {
            if (!Thread.allStackTraces.keySet().any { it.name == 'jobfile-eval' && it.alive }) {
                return true
            }
            Thread.onSpinWait()
            Thread.yield()
        }
        return false
    }
}
