package io.stoker.dsl.isolate

import io.stoker.dsl.CompileResult
import io.stoker.dsl.JobfileCompiler
import spock.lang.AutoCleanup
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.util.jar.JarEntry
import java.util.jar.JarOutputStream
import java.nio.file.Path

import java.time.Duration

class IsolatedCompilerSpec extends Specification {

    static final String VALID = '''\
jobs:
  web:
    parameters: [{name: DEPLOY, type: bool, defaultValue: false}]
    tasks:
      version: {sh: 'echo version=1 >> "$STOKER_OUTPUT"'}
      test: {matrix: {jdk: ['17', '21']}, sh: 'echo ${{ matrix.jdk }}'}
      build: {needs: [version, test], when: params.DEPLOY, sh: 'echo ${{ outputs.version.version }}'}
'''
    static final String INVALID = 'jobs:\n  web:\n    tasks:\n      a: {needs: b, sh: x}\n      b: {needs: a, sh: y}\n'

    /**
     * The production settings with a wall clock that a loaded machine cannot reach: a cold worker JVM alone took
     * over the default 10 s at load 18. Features about the clock set their own timeout.
     */
    @Shared
    WorkerSettings defaults = WorkerSettings.defaults().withTimeout(Duration.ofSeconds(30 * timeoutFactor()))

    @Shared
    @AutoCleanup
    IsolatedJobfileCompiler isolated = new IsolatedJobfileCompiler(defaults)

    /**
     * For the hostile corpus: a generous wall clock (on a loaded machine a cold worker JVM alone takes seconds, and
     * this is about containment) and one JVM pre-started while the previous row runs. Every compile still gets a
     * JVM of its own, used once.
     */
    @Shared
    @AutoCleanup
    IsolatedJobfileCompiler hostile = new IsolatedJobfileCompiler(defaults.withPoolSize(1)
            .withTimeout(Duration.ofSeconds(40 * timeoutFactor())))

    def inProcess = new JobfileCompiler()

    @TempDir
    Path tmp

    def "a valid Jobfile compiles in a child JVM into the same model as in process"() {
        when:
        def result = isolated.compile('Jobfile.yaml', VALID)

        then:
        result instanceof CompileResult.Compiled
        result == inProcess.compile('Jobfile.yaml', VALID)
        result.jobfile().jobs()[0].tasks()*.name() == ['version', 'test[jdk=17]', 'test[jdk=21]', 'build']
    }

    def "an invalid Jobfile is rejected with the same diagnostics as in process"() {
        when:
        def result = isolated.compile('ci/Jobfile.yml', INVALID)

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.toString() == ['ci/Jobfile.yml:4:18: cycle: a → b → a']
        result == inProcess.compile('ci/Jobfile.yml', INVALID)
    }

    def "a trigger step crosses the worker boundary unchanged"() {
        given:
        def text = "job('a') {\n  task('t') { sh 'x'; trigger 'b', parameters: [V: '\${{ run.key }}'], wait: false }\n}\n" +
                "job('b') { parameters { string 'V' }; task('u') { sh 'echo \$V' } }\n"

        when:
        def result = isolated.compile('Jobfile', text)

        then:
        result instanceof CompileResult.Compiled
        result == inProcess.compile('Jobfile', text)
        result.jobfile().job('a').get().task('t').get().steps()[1] ==
                new io.stoker.model.Step.Trigger('b', [V: '${{ run.key }}'], false, new io.stoker.model.Pos(2, 23))
    }

    def "deploy targets cross the worker boundary with the jobs (a server's deployments find them)"() {
        given:
        def text = "job('build') { task('a') { sh 'make' } }\n" +
                "deploy('prod') { run 'java -jar {file}'; file 'app-*.jar'; healthcheck 'curl -fsS localhost:8081/', within: 30 }\n"

        when:
        def result = isolated.compile('Jobfile', text)

        then:
        result instanceof CompileResult.Compiled
        result == inProcess.compile('Jobfile', text)
        result.jobfile().targets()*.name() == ['prod']
    }

    def "JSON Jobfiles and syntax errors go through the worker too"() {
        expect:
        isolated.compile('Jobfile.json', '{"jobs": {"web": {"tasks": {"a": {"sh": "make"}}}}}') instanceof CompileResult.Compiled
        isolated.compile('Jobfile.json', '{"jobs": ').diagnostics()[0].toString().startsWith('Jobfile.json:1:')
    }

    def "each compile gets its own pre-started JVM and the pool refills"() {
        given:
        awaitFullPool()
        def before = isolated.idlePids()

        when:
        isolated.compile('Jobfile.yaml', VALID)
        awaitFullPool()
        def after = isolated.idlePids()

        then:
        defaults.poolSize() == 1
        after.size() == 1
        !before.isEmpty()
        !after.contains(before[0])
        !ProcessHandle.of(before[0]).map { it.alive }.orElse(false)
    }

    def "the worker warmed for the next compile outlives the compile that had it started"() {
        when: 'three compiles, each waiting for the worker refilled after the one before to finish warming up'
        def outlived = (1..3).collect {
            isolated.compile('Jobfile.yaml', VALID)
            long warm = awaitWarmWorker(isolated)
            ProcessHandle.of(warm).map { it.alive }.orElse(false)
        }

        then: 'each was still there to take the next compile (a sandbox dies with the thread that started it)'
        outlived == [true, true, true]
    }

    def "a compiler made to warm later (a starting server's) starts no worker JVM until warmUp(), then one"() {
        when:
        def later = IsolatedJobfileCompiler.warmedLater(defaults.withPoolSize(1))

        then: 'a compiler made the usual way has its warm worker started by now'
        later.idlePids().isEmpty()

        when:
        later.warmUp()
        def warm = later.idlePids()
        later.warmUp()

        then: 'one worker, and a second warmUp() starts no other'
        warm.size() == 1
        later.idlePids() == warm

        cleanup:
        later?.close()
    }

    def "a compile before warmUp() answers from a JVM started for it and leaves a warm worker for the next"() {
        given:
        def later = IsolatedJobfileCompiler.warmedLater(defaults.withPoolSize(1))

        expect:
        later.compile('Jobfile.yaml', VALID) == inProcess.compile('Jobfile.yaml', VALID)

        when:
        long deadline = System.nanoTime() + 30_000_000_000L * timeoutFactor()
        while (later.idlePids().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20)

        then:
        later.idlePids().size() == 1

        cleanup:
        later?.close()
    }

    def "a warm worker nobody uses is stopped after the idle timeout, and the next compile starts one"() {
        given:
        def compiler = new IsolatedJobfileCompiler(defaults.withPoolSize(1).withIdleTimeout(Duration.ofMillis(500)))
        long deadline = System.nanoTime() + 30_000_000_000L * timeoutFactor()
        while (compiler.idlePids().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20)
        def warm = compiler.idlePids()[0]

        when: 'nothing is compiled for longer than the idle timeout'
        while (ProcessHandle.of(warm).map { it.alive }.orElse(false) && System.nanoTime() < deadline) Thread.sleep(50)

        then: 'the warm JVM is gone and none waits'
        !ProcessHandle.of(warm).map { it.alive }.orElse(false)
        compiler.idlePids().isEmpty()

        and: 'a compile still answers, from a JVM started for it'
        compiler.compile('Jobfile.yaml', VALID) == inProcess.compile('Jobfile.yaml', VALID)

        cleanup:
        compiler?.close()
    }

    def "workers start from a class-data archive made once for their java and class path, and a broken one is ignored"() {
        given: 'the class path as a packaged server has it: jars only (the JVM archives nothing from directories)'
        def jars = defaults.withClasspath(jarred(defaults.classpath()))
        def settings = jars.withPoolSize(0).withClassData(ClassDataArchive.in(tmp.resolve('cds'), jars))

        expect: 'a class path with directories gets no archive, and workers start as before'
        !ClassDataArchive.ensure(defaults.withClassData(tmp.resolve('dirs.jsa')))
        !Files.exists(tmp.resolve('dirs.jsa'))

        when:
        def made = ClassDataArchive.ensure(settings)

        then:
        made
        Files.size(settings.classData()) > 0
        settings.command().contains('-XX:SharedArchiveFile=' + settings.classData())
        ClassDataArchive.in(tmp.resolve('cds'), jars) == settings.classData()
        ClassDataArchive.in(tmp.resolve('cds'), jars.withClasspath(jars.classpath() + ':/elsewhere.jar')) !=
                settings.classData()

        when: 'a worker compiles with it'
        def compiler = new IsolatedJobfileCompiler(settings)

        then:
        compiler.compile('Jobfile.yaml', VALID) == inProcess.compile('Jobfile.yaml', VALID)

        when: 'a worker is kept warm for the next compile'
        def pooled = new IsolatedJobfileCompiler(settings.withPoolSize(1))
        def deadline = System.nanoTime() + 30_000_000_000L * timeoutFactor()
        while (pooled.idlePids().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20)
        // the pooled process may still be exec'ing its wrapper's next program (prlimit → bwrap): while execve sets up
        // the new program, /proc/PID/cmdline reads empty
        def cmdline = Path.of('/proc', pooled.idlePids()[0].toString(), 'cmdline')
        def line = Files.readString(cmdline)
        while (line.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20)
            line = Files.readString(cmdline)
        }

        then: 'it starts without the archive (nobody waits for it), so it keeps less resident while it waits'
        line.contains(jars.mainClass())
        !line.contains('-XX:SharedArchiveFile')

        when: 'the archive is damaged: the JVM says so on stderr, never in the answer'
        Files.write(settings.classData(), new byte[4096])

        then:
        compiler.compile('Jobfile.yaml', VALID) == inProcess.compile('Jobfile.yaml', VALID)

        cleanup:
        compiler?.close()
        pooled?.close()
    }

    def "a worker that runs too long under a budget of its own names that budget in the refusal"() {
        given: 'workers given 1 s of CPU for an evaluation (STOKER_JOBFILE_CPU), that never answer'
        def compiler = new IsolatedJobfileCompiler(defaults.withMainClass(SleepingWorker.name).withTimeout(Duration.ofSeconds(2))
                .withEvaluationBudget(Duration.ofSeconds(1)).withPoolSize(1))

        when:
        def result = compiler.compile('Jobfile.yaml', VALID)

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.toString() == ['Jobfile.yaml: Jobfile evaluation took longer than 2 s of wall-clock time (its CPU budget of 1.0 s had not run out: is the machine very busy?)']

        cleanup:
        compiler?.close()
    }

    def "a worker that runs too long is killed and the compile rejected"() {
        given:
        def compiler = new IsolatedJobfileCompiler(defaults.withMainClass(SleepingWorker.name).withTimeout(Duration.ofSeconds(2)).withPoolSize(1))

        when:
        def pid = compiler.idlePids()[0]
        long start = System.nanoTime()
        def result = compiler.compile('Jobfile.yaml', VALID)
        long took = (System.nanoTime() - start).intdiv(1_000_000)

        then:
        result instanceof CompileResult.Rejected
        result.diagnostics()*.toString() == ['Jobfile.yaml: Jobfile evaluation took longer than 2 s of wall-clock time (its CPU budget of 5.0 s had not run out: is the machine very busy?)']
        took >= 2000 && took < 10_000 * timeoutFactor()
        !ProcessHandle.of(pid).map { it.alive }.orElse(false)

        cleanup:
        compiler?.close()
    }

    def "a cold worker's start does not count against the Jobfile's time limit"() {
        given: 'a worker whose JVM takes 6 s to come up, and a 4 s limit (the JVM up, a Jobfile compiles in far less)'
        def compiler = new IsolatedJobfileCompiler(defaults.withMainClass(SlowStartWorker.name)
                .withTimeout(Duration.ofSeconds(4 * timeoutFactor())).withPoolSize(0))

        expect: 'it compiles: the limit counts from when the worker is up (a cold one gets up to 30 s to come up)'
        compiler.compile('Jobfile.yaml', VALID) instanceof CompileResult.Compiled

        cleanup:
        compiler?.close()
    }

    def "a Jobfile that builds something too big is refused at its line, in the words of a compile in process"() {
        given: 'a string doubled until it is past the evaluation memory budget'
        String text = "def s = 'x'\n30.times { s = s + s }\njob('a') { task('t') { sh 'true' } }\n"

        when:
        def inWorker = isolated.compile('Jobfile', text).diagnostics()*.toString()

        then:
        inWorker == inProcess.compile('Jobfile', text).diagnostics()*.toString()
        inWorker.size() == 1
        inWorker[0] ==~ /Jobfile:2:\d+: the Jobfile allocated more than 256 MiB of memory while evaluating — is there an endless loop.*/
    }

    def "a worker that allocates too much memory is stopped"() {
        given:
        def compiler = new IsolatedJobfileCompiler(defaults.withMainClass(HungryWorker.name).withPoolSize(0))

        expect:
        compiler.compile('Jobfile.yaml', VALID).diagnostics()*.toString() == ['Jobfile.yaml: Jobfile evaluation used too much memory']

        cleanup:
        compiler?.close()
    }

    def "a worker that floods its output is stopped at the limit"() {
        given:
        def compiler = new IsolatedJobfileCompiler(defaults.withMainClass(FloodingWorker.name).withPoolSize(0).withMaxOutputBytes(1 << 20))

        expect:
        compiler.compile('Jobfile.yaml', VALID).diagnostics()*.toString() ==
                ['Jobfile.yaml: Jobfile evaluation produced more than 1048576 bytes of output']

        cleanup:
        compiler?.close()
    }

    def "a forged model from the worker is validated again and refused"() {
        given:
        def compiler = new IsolatedJobfileCompiler(defaults.withMainClass(LyingWorker.name).withPoolSize(0))

        expect:
        compiler.compile('Jobfile.yaml', VALID).diagnostics()*.toString() ==
                ["Jobfile.yaml: the Jobfile worker returned a model that is not valid: it does not validate: Jobfile.yaml:1:1: task 'a' needs itself"]

        cleanup:
        compiler?.close()
    }

    def "the worker sees an empty environment"() {
        given:
        def compiler = new IsolatedJobfileCompiler(defaults.withMainClass(ProbingWorker.name).withPoolSize(0).withTimeout(Duration.ofSeconds(30)))
        def server = new ServerSocket(0, 50, InetAddress.getByName('127.0.0.1'))

        expect:
        compiler.compile('Jobfile.yaml', "${server.localPort}").diagnostics()[0].message().startsWith('env=0 ')

        cleanup:
        compiler?.close()
        server?.close()
    }

    @Requires({ Sandbox.detected().isolatesNetwork() })
    def "where namespaces work, the worker has no network"() {
        given:
        def compiler = new IsolatedJobfileCompiler(defaults.withMainClass(ProbingWorker.name).withPoolSize(0).withTimeout(Duration.ofSeconds(30)))
        def server = new ServerSocket(0, 50, InetAddress.getByName('127.0.0.1'))
        def unsandboxed = new IsolatedJobfileCompiler(defaults.withMainClass(ProbingWorker.name).withPoolSize(0).withTimeout(Duration.ofSeconds(30)).withSandbox(Sandbox.NONE))

        expect: 'the same probe reaches the server without the sandbox, so the refusal is the sandbox'
        unsandboxed.compile('Jobfile.yaml', "${server.localPort}").diagnostics()[0].message() == 'env=0 network=connected'
        compiler.compile('Jobfile.yaml', "${server.localPort}").diagnostics()[0].message() == 'env=0 network=no network'

        cleanup:
        compiler?.close()
        unsandboxed?.close()
        server?.close()
    }

    @Requires({ ProcessLimits.of(1).enforced() })
    def "a worker that burns CPU is killed by the kernel at its CPU limit, before the wall clock"() {
        given:
        def compiler = new IsolatedJobfileCompiler(defaults.withMainClass(SpinningWorker.name).withPoolSize(0)
                .withTimeout(Duration.ofSeconds(120)).withLimits(ProcessLimits.of(2)))

        when:
        long start = System.nanoTime()
        def result = compiler.compile('Jobfile.yaml', VALID)
        long took = (System.nanoTime() - start).intdiv(1_000_000)

        then:
        result.diagnostics()*.toString() == ['Jobfile.yaml: Jobfile evaluation used more than 2 s of CPU time']
        took < 60_000 * timeoutFactor()

        cleanup:
        compiler?.close()
    }

    @Requires({ ProcessLimits.of(1).enforced() })
    def "a worker cannot write a byte to any file"(@TempDir Path dir) {
        given:
        def target = dir.resolve('written')
        def limited = new IsolatedJobfileCompiler(defaults.withMainClass(WritingWorker.name).withPoolSize(0))
        def unlimited = new IsolatedJobfileCompiler(defaults.withMainClass(WritingWorker.name).withPoolSize(0)
                .withLimits(ProcessLimits.NONE).withSandbox(Sandbox.NONE))

        expect: 'without the limits the same worker writes, so the refusal is the limit'
        unlimited.compile('Jobfile.yaml', dir.resolve('control').toString()).diagnostics()[0].message() == 'wrote'
        Files.readString(dir.resolve('control')) == 'pwned by the worker'
        limited.compile('Jobfile.yaml', target.toString()).diagnostics()[0].message() == 'refused'
        !Files.exists(target) || Files.size(target) == 0

        cleanup:
        limited?.close()
        unlimited?.close()
    }

    def "hostile Jobfile #name is contained by the worker JVM"(@TempDir Path dir) {
        given:
        Path canary = dir.resolve('canary')
        String text = Files.readString(file).replace('CANARY', canary.toString()).replace('PORT', '9')
        List<String> expected = text.readLines()[0].replaceFirst('^// expect: ', '').split(/ \|\| /).toList()

        when:
        long start = System.nanoTime()
        def result = hostile.compile('Jobfile', text)
        long took = (System.nanoTime() - start).intdiv(1_000_000)

        then: 'the in-process diagnostic, or the worker JVM stopped at its heap cap or deadline (a loaded machine)'
        result instanceof CompileResult.Rejected
        result.diagnostics().any { d ->
            (expected + ['Jobfile evaluation used too much memory', 'took longer than']).any { d.message().contains(it) }
        }
        !Files.exists(canary)
        took < 45_000 * timeoutFactor()

        where:
        file << Files.list(Path.of('src/test/resources/hostile-worker')).sorted().toList() +
                ['ast-asttest', 'grab', 'files-new-file', 'process-execute', 'network-socket', 'loop-while',
                 'alloc-list-doubling', 'recursion-closure', 'class-static-initializer', 'meta-metaclass',
                 'alloc-gstring-doubling', 'coerce-typed-runnable-from-closure'].collect {
                    Path.of("src/test/resources/hostile/${it}.groovy")
                }
        name = file.fileName.toString() - '.groovy'
    }

    /** The class path with each class directory packed into a jar of its own under {@code tmp}. */
    private String jarred(String classpath) {
        classpath.split(File.pathSeparator).withIndex().collect { String entry, int i ->
            def dir = Path.of(entry)
            if (!Files.isDirectory(dir)) return entry
            def jar = tmp.resolve("classes-${i}.jar")
            new JarOutputStream(Files.newOutputStream(jar)).withCloseable { out ->
                Files.walk(dir).withCloseable { files ->
                    files.filter { Files.isRegularFile(it) }.sorted().forEach { f ->
                        out.putNextEntry(new JarEntry(dir.relativize(f).toString()))
                        out.write(Files.readAllBytes(f))
                        out.closeEntry()
                    }
                }
            }
            jar.toString()
        }.join(File.pathSeparator)
    }

    private void awaitFullPool() {
        long deadline = System.nanoTime() + 20_000_000_000L * timeoutFactor()
        while (isolated.idlePids().size() < defaults.poolSize() && System.nanoTime() < deadline) Thread.sleep(20)
    }

    private static long timeoutFactor() {
        TimeoutFactor.FACTOR
    }

    /**
     * The pid of the pool's waiting worker once its JVM has finished warming up: its process tree used under 20 ms of
     * CPU over 300 ms (bounded: 60 s scaled).
     */
    static long awaitWarmWorker(IsolatedJobfileCompiler compiler) {
        long deadline = System.nanoTime() + 60_000_000_000L * timeoutFactor()
        long lastCpu = -1
        while (System.nanoTime() < deadline) {
            def pids = compiler.idlePids()
            if (!pids.isEmpty()) {
                def tree = ProcessHandle.of(pids[0]).map { [it] + it.descendants().toList() }.orElse([])
                long cpu = tree.sum(0L) { it.info().totalCpuDuration().map { d -> d.toMillis() }.orElse(0L) } as long
                if (lastCpu >= 0 && cpu - lastCpu < 20) return pids[0]
                lastCpu = cpu
            }
            Thread.sleep(300)
        }
        throw new AssertionError('no warm worker settled within 60 s')
    }
}
