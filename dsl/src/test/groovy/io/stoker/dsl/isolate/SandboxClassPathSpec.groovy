package io.stoker.dsl.isolate

import io.stoker.dsl.CompileResult
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.time.Duration

/**
 * A server started from a checkout under /tmp: bubblewrap's sandbox mounts an empty /tmp, which once hid the
 * worker's class path, so every Jobfile was rejected with "worker exit code 1" and nothing said why.
 */
@Requires({ Sandbox.bubblewrap().isPresent() && Sandbox.bubblewrap().get().with { s ->
    def p = new ProcessBuilder(s.wrap(['/bin/true'])).redirectErrorStream(true).start()
    p.inputStream.readAllBytes()
    p.waitFor() == 0
} })
class SandboxClassPathSpec extends Specification {
    static final String JOBFILE = "job('hello') { task('a') { sh 'echo hi' } }"

    @Shared Path tmp
    @Shared String copiedClasspath

    def setupSpec() {
        // the worker's whole class path, copied under /tmp (as a checkout cloned there would be)
        tmp = Files.createTempDirectory(Path.of('/tmp'), 'stoker-checkout-')
        def entries = []
        System.getProperty('java.class.path').split(File.pathSeparator).eachWithIndex { String entry, int i ->
            Path from = Path.of(entry)
            if (!Files.exists(from)) return
            Path to = tmp.resolve("cp-$i-" + from.fileName)
            if (Files.isDirectory(from)) {
                Files.walk(from).withCloseable { s ->
                    s.forEach { p ->
                        Path t = to.resolve(from.relativize(p).toString())
                        if (Files.isDirectory(p)) Files.createDirectories(t)
                        else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING)
                    }
                }
            } else {
                Files.copy(from, to)
            }
            entries << to.toString()
        }
        copiedClasspath = entries.join(File.pathSeparator)
    }

    def cleanupSpec() {
        tmp?.toFile()?.deleteDir()
    }

    WorkerSettings settings() {
        WorkerSettings.defaults().withClasspath(copiedClasspath).withSandbox(Sandbox.bubblewrap().get())
                .withPoolSize(0).withTimeout(Duration.ofSeconds(60))
    }

    def "a worker whose class path lies under /tmp compiles a Jobfile inside bubblewrap"() {
        given:
        def compiler = new IsolatedJobfileCompiler(settings())

        when:
        def result = compiler.compile('Jobfile', JOBFILE)

        then:
        result instanceof CompileResult.Compiled
        result.jobfile().jobs()*.name() == ['hello']

        cleanup:
        compiler.close()
    }

    def "a class path relative to the server's working directory still reaches the worker, which runs elsewhere"() {
        given: 'the copied class path written relative to this JVM\'s working directory, as `java -jar cli/target/stoker.jar` gives it'
        Path here = Path.of('').toAbsolutePath()
        String relative = copiedClasspath.split(File.pathSeparator).collect { here.relativize(Path.of(it)).toString() }
                .join(File.pathSeparator)
        assert !Path.of(relative.split(File.pathSeparator)[0]).absolute
        def compiler = new IsolatedJobfileCompiler(settings().withClasspath(relative))

        when:
        def result = compiler.compile('Jobfile', JOBFILE)

        then:
        result instanceof CompileResult.Compiled

        cleanup:
        compiler.close()
    }

    def "the self-check compiles a real Jobfile in the sandbox and passes"() {
        expect:
        SelfCheck.run(settings()) == Optional.empty()
    }

    def "when the worker cannot start, the self-check and the compile error say why in one line"() {
        given: 'a class path without the worker'
        def broken = settings().withClasspath(tmp.resolve('nothing-here.jar').toString())

        when:
        def problem = SelfCheck.run(broken)
        def compiler = new IsolatedJobfileCompiler(broken)
        def result = compiler.compile('Jobfile', JOBFILE)

        then:
        problem.isPresent()
        problem.get().contains('worker exit code 1')
        problem.get().contains('Could not find or load main class ' + JobfileWorker.name)
        result instanceof CompileResult.Rejected
        def message = result.diagnostics()[0].message()
        !message.contains('\n')
        message.startsWith('Jobfile evaluation failed (worker exit code 1): ')
        message.contains('Could not find or load main class')

        cleanup:
        compiler?.close()
    }

    def "the sandbox shows the system's programs and the worker's class path, nothing else of the machine"() {
        given: "a class path entry, and a file of the server's kind (a key in a data directory) elsewhere"
        Path jar = Path.of(copiedClasspath.split(File.pathSeparator)[0])
        Path data = Files.createTempDirectory(Path.of('/var/tmp'), 'stoker-data-')
        Path key = Files.writeString(data.resolve('master.key'), 'not for Jobfiles')
        String script = "test -e '$jar' && echo classpath; test -e /usr/bin/env && echo system; " +
                "test -e '$key' && echo data; test -e /root && echo home; true"

        when:
        def p = new ProcessBuilder(Sandbox.bubblewrap().get().wrap(['/bin/sh', '-c', script], [jar]))
                .redirectErrorStream(true).start()
        def seen = p.inputStream.text.readLines()

        then:
        p.waitFor() == 0
        seen == ['classpath', 'system']

        cleanup:
        data?.toFile()?.deleteDir()
    }
}
